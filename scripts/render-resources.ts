/**
 * Turns the resources the program registers (under Pulumi's mocks) into
 * files a reviewer can read: Kubernetes manifests, a Compose-like file of
 * Docker containers, networks, volumes and images, the Grafana objects, and
 * an index of every resource. Secrets become placeholders such as
 * `<secret:slackWebhookUrl>`; their values never reach a file.
 */
import * as YAML from "yaml";
import { isSecretWrapper, type MockResource, type ProgramLog } from "./program-under-mocks";

/** Secret value → its name in placeholders. */
export type SecretNames = Map<string, string>;

/** The placeholder a secret value is rendered as. */
export const secretPlaceholder = (name?: string): string => (name ? `<secret:${name}>` : "<secret>");

/** A secret leaf's placeholder: named after the secret it contains, if known. */
function placeholderFor(value: unknown, names: SecretNames): string {
    if (typeof value === "string") {
        for (const [secret, name] of names) if (secret && value.includes(secret)) return secretPlaceholder(name);
    }
    return secretPlaceholder();
}

/** `value` with every secret leaf replaced by its placeholder (objects and lists keep their shape). */
export function withPlaceholders(value: unknown, names: SecretNames, inSecret = false): unknown {
    if (isSecretWrapper(value)) return withPlaceholders(value.value, names, true);
    if (Array.isArray(value)) return value.map((v) => withPlaceholders(v, names, inSecret));
    if (value && typeof value === "object")
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, names, inSecret)]));
    return inSecret ? placeholderFor(value, names) : value;
}

/** Inputs that carry JSON as a string: rendered as the object they encode, so a change reads line by line. */
export const ENCODED_JSON_INPUTS = new Set(["configJson", "jsonDataEncoded", "secureJsonDataEncoded"]);

function decodeJsonInputs(inputs: Record<string, unknown>): Record<string, unknown> {
    // A secret input (the datasource's secure fields) is already its placeholder, not JSON.
    const decode = (k: string, v: unknown) => ENCODED_JSON_INPUTS.has(k) && typeof v === "string" && !v.startsWith("<secret");
    return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, decode(k, v) ? JSON.parse(v as string) : v]));
}

/** Kubernetes kinds in the order `kubectl apply -f <dir>` must meet them (files sort by this prefix). */
const KIND_ORDER = [
    "Namespace",
    "ServiceAccount",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "PersistentVolumeClaim",
    "Service",
    "Deployment",
    "DaemonSet",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
];
const kindRank = (kind: string): number => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);

/** Where a resource is rendered: a file, and for shared files the key inside it. */
export interface Placement {
    file: string;
    key?: string;
}

/** The Docker resources, grouped as in a Compose file; each entry is the resource's inputs. */
const DOCKER_SECTIONS: Record<string, string> = {
    "docker:index/container:Container": "containers",
    "docker:index/network:Network": "networks",
    "docker:index/volume:Volume": "volumes",
    "docker:index/remoteImage:RemoteImage": "images",
    "pulumi:providers:docker": "providers",
};
export const DOCKER_FILE = "docker/compose.yaml";
export const INDEX_FILE = "resources.yaml";

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");

/** Where `r` goes. Kubernetes objects: one file each, in apply order; Grafana objects: one file each; the rest: the index. */
export function placementOf(r: MockResource): Placement | undefined {
    if (r.type.startsWith("kubernetes:")) {
        const kind = String(r.inputs.kind ?? r.type.split(":").pop());
        return { file: `kubernetes/${String(kindRank(kind)).padStart(2, "0")}-${slug(kind)}-${slug(r.name)}.yaml` };
    }
    if (DOCKER_SECTIONS[r.type]) return { file: DOCKER_FILE, key: `${DOCKER_SECTIONS[r.type]}.${r.name}` };
    if (r.type.startsWith("grafana:")) return { file: `grafana/${slug(r.type.split(":").pop()!)}-${slug(r.name)}.yaml` };
    return undefined;
}

/** A Kubernetes object as a manifest: its inputs, with the name the provider generates when the program sets none. */
export function manifestOf(r: MockResource, names: SecretNames): Record<string, unknown> {
    const manifest = withPlaceholders(r.inputs, names) as Record<string, any>;
    const generated = r.state.metadata?.name;
    if (manifest.metadata && !manifest.metadata.name && generated) manifest.metadata = { name: generated, ...manifest.metadata };
    return manifest;
}

/** The rendered value of a resource's inputs in its placement (what the render test compares with the registration). */
export function renderedInputs(r: MockResource, names: SecretNames): Record<string, unknown> {
    if (r.type.startsWith("kubernetes:")) return manifestOf(r, names);
    return decodeJsonInputs(withPlaceholders(r.inputs, names) as Record<string, unknown>);
}

const yaml = (value: unknown): string => YAML.stringify(value, { lineWidth: 0, sortMapEntries: false });

/** Relative path → content for every registered resource, plus the index of all of them and what the program logged. */
export function renderResources(resources: MockResource[], names: SecretNames, logs: ProgramLog[]): Record<string, string> {
    const files: Record<string, string> = {};
    const docker: Record<string, Record<string, unknown>> = {};
    const index: { type: string; name: string; file?: string; key?: string; inputs?: unknown }[] = [];
    const sorted = [...resources].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    for (const r of sorted) {
        const at = placementOf(r);
        if (!at) {
            index.push({ type: r.type, name: r.name, ...(Object.keys(r.inputs).length ? { inputs: renderedInputs(r, names) } : {}) });
            continue;
        }
        index.push({ type: r.type, name: r.name, ...at });
        if (at.key) {
            const [section, name] = [at.key.slice(0, at.key.indexOf(".")), at.key.slice(at.key.indexOf(".") + 1)];
            (docker[section] ??= {})[name] = renderedInputs(r, names);
        } else {
            if (files[at.file]) throw new Error(`two resources render to ${at.file}`);
            files[at.file] = yaml(renderedInputs(r, names));
        }
    }
    if (Object.keys(docker).length) {
        const ordered = Object.fromEntries(
            Object.values(DOCKER_SECTIONS)
                .filter((s) => docker[s])
                .map((s) => [s, docker[s]]),
        );
        files[DOCKER_FILE] = `# Docker objects the stack creates, by section and Pulumi name; each entry is the resource's inputs.\n${yaml(ordered)}`;
    }
    files[INDEX_FILE] =
        `# Every resource the stack registers, and where it is rendered.\n${yaml({ resources: index, log: logs.map((l) => `${l.severity}: ${l.message}`) })}`;
    return files;
}
