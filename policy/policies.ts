/**
 * The guardrails of the sglang-ananke policy pack. Each policy is a pure
 * check from a resource (type and input properties) to a list of violation
 * messages, wrapped as a CrossGuard `validateResource`.
 *
 * Decisions:
 * - Images: a version tag with a digit (not `latest`) or a digest; a Docker
 *   image id (`sha256:…`, what `RemoteImage.imageId` gives a container) counts
 *   as pinned, its RemoteImage's `name` is checked itself.
 * - Limits: every Kubernetes container (init containers too) has a memory
 *   limit and a CPU request. CPU limits are not required: they throttle
 *   latency-sensitive servers, and the program sets one only on GPU pods.
 *   Every Docker container has a memory limit (`memory`), as the program sets
 *   one for each service; GPU memory is not a Docker limit.
 * - GPUs: only the SGLang server and the GPU exporter, known by the label the
 *   program sets (Docker `sglang-ananke.service`, Kubernetes
 *   `app.kubernetes.io/name`). A request, `gpus`, an NVIDIA device request or
 *   NVIDIA_VISIBLE_DEVICES all count as getting GPUs.
 * - Secrets: a variable with a secret's name (secret-literals.ts) must not
 *   carry a literal value; `*_FILE`/`*_PATH`/`*_DIR` names (a path to a
 *   mounted file) and Kubernetes `valueFrom` references are fine. Command
 *   lines and ConfigMaps are checked for secret literals too.
 * - Hardening: pod-hardening.ts (Kubernetes pods), docker-hardening.ts (Docker
 *   containers), cluster-objects.ts (RBAC, load balancers, retention) say
 *   what they require.
 * - Docker ports: every published port names its host address; it is a
 *   loopback address unless the container carries `sglang-ananke.exposed=true`.
 * - Grafana: no anonymous Admin, and the admin password comes from a file or
 *   a Secret reference, never a literal (and never Grafana's default).
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { EXPOSED_LABEL, SERVICE_LABEL } from "../components/platform/docker/container";
import { NAME_LABEL } from "../components/platform/kubernetes/labels";
import { pinnedImage } from "../settings/checks";
import { claimsRetained, loadBalancersRestricted, rbacWithoutWildcards } from "./cluster-objects";
import { dockerContainersHardened } from "./docker-hardening";
import { metricContractFindings } from "./metric-contracts";
import { noPrivilegedPods, podsDropCapabilities, podsHostAccess, podsReadOnlyRoot, podsRunAsNonRoot, podsSeccomp } from "./pod-hardening";
import { isSecretName, noSecretsInArguments, noSecretsInConfigMaps } from "./secret-literals";
import { DOCKER_CONTAINER, DOCKER_REMOTE_IMAGE, GPU_SERVICES, gpuAccess, isExposed, type ResourceLike, type Workload, workloadOf } from "./workloads";

/** A check: the violations of one resource (empty = compliant). */
export type Check = (resource: ResourceLike) => string[];

export interface Guardrail {
    name: string;
    description: string;
    check: Check;
}

const isPinnedRef = pinnedImage();
/** A Docker image id (sha256 of the image config), as `RemoteImage.imageId` returns. */
const IMAGE_ID = /^sha256:[a-f0-9]{64}$/;

function imageProblem(image: unknown, where: string): string | undefined {
    if (typeof image !== "string") return `${where} has no image`;
    if (IMAGE_ID.test(image) || isPinnedRef(image).ok) return undefined;
    return `${where} uses image "${image}", which is not pinned to a version tag or digest (e.g. repo/name:v1.2.3 or repo/name@sha256:…)`;
}

const pinnedImages: Check = (r) => {
    if (r.type === DOCKER_REMOTE_IMAGE) return [imageProblem(r.props.name, "docker RemoteImage")].filter((p): p is string => !!p);
    const w = workloadOf(r);
    if (!w) return [];
    return w.containers.map((c) => imageProblem(c.image, `container "${c.name}"`)).filter((p): p is string => !!p);
};

const resourceLimits: Check = (r) => {
    const w = workloadOf(r);
    if (!w) return [];
    const problems: string[] = [];
    for (const c of w.containers) {
        if (w.platform === "docker") {
            if (!(Number(c.limits.memory) > 0)) problems.push(`docker container "${c.name}" has no memory limit (set \`memory\`, in MiB)`);
            continue;
        }
        if (c.limits.memory === undefined) problems.push(`container "${c.name}" has no memory limit (resources.limits.memory)`);
        if (c.requests.cpu === undefined && c.limits.cpu === undefined)
            problems.push(`container "${c.name}" has no CPU request (resources.requests.cpu)`);
    }
    return problems;
};

const gpusOnlyForGpuServices: Check = (r) => {
    const w = workloadOf(r);
    if (!w) return [];
    const access = gpuAccess(r, w);
    if (access.length === 0 || (w.service !== undefined && (GPU_SERVICES as readonly string[]).includes(w.service))) return [];
    const label = w.platform === "docker" ? SERVICE_LABEL : NAME_LABEL;
    const who = w.service === undefined ? `a workload without the ${label} label` : `${label}=${w.service}`;
    return [`${who} gets GPUs (${access.join("; ")}): only ${GPU_SERVICES.join(" and ")} may`];
};

const noSecretsInEnv: Check = (r) => {
    const w = workloadOf(r);
    if (!w) return [];
    const problems: string[] = [];
    for (const c of w.containers) {
        for (const e of c.env) {
            if (!isSecretName(e.name) || e.fromReference || !e.value) continue;
            // The value is never part of the message.
            problems.push(
                `container "${c.name}" sets ${e.name} to a literal value: mount it as a file (${e.name}_FILE or a secret volume) or use a Secret reference`,
            );
        }
    }
    return problems;
};

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1)$/;

const loopbackPorts: Check = (r) => {
    if (r.type !== DOCKER_CONTAINER) return [];
    const exposed = isExposed(r.props);
    const name = String(r.props.name ?? "");
    const problems: string[] = [];
    for (const p of Array.isArray(r.props.ports) ? r.props.ports : []) {
        const { internal, external, ip } = (p ?? {}) as { internal?: unknown; external?: unknown; ip?: unknown };
        const port = `${external ?? "(random)"}->${internal}`;
        if (typeof ip !== "string" || ip === "") {
            problems.push(`docker container "${name}" publishes port ${port} without a host address (Docker binds it to every interface)`);
        } else if (!LOOPBACK.test(ip) && !exposed) {
            problems.push(
                `docker container "${name}" publishes port ${port} on ${ip}: bind it to 127.0.0.1, or label the container ${EXPOSED_LABEL}=true when exposing it is intended`,
            );
        }
    }
    return problems;
};

const isGrafana = (w: Workload): boolean =>
    w.service === "grafana" || w.containers.some((c) => typeof c.image === "string" && /(^|\/)grafana\/grafana(-oss|-enterprise)?[:@]/.test(c.image));

const grafanaLockedDown: Check = (r) => {
    const w = workloadOf(r);
    if (!w || !isGrafana(w)) return [];
    const problems: string[] = [];
    for (const c of w.containers) {
        const env = new Map(c.env.map((e) => [e.name, e]));
        const literal = (name: string) => env.get(name)?.value?.trim().toLowerCase();
        if (literal("GF_AUTH_ANONYMOUS_ENABLED") === "true" && literal("GF_AUTH_ANONYMOUS_ORG_ROLE") === "admin") {
            problems.push(
                `Grafana container "${c.name}" lets anonymous users in as Admin (GF_AUTH_ANONYMOUS_ENABLED with GF_AUTH_ANONYMOUS_ORG_ROLE=Admin)`,
            );
        }
        const password = env.get("GF_SECURITY_ADMIN_PASSWORD");
        if (password?.value !== undefined && !password.fromReference) {
            problems.push(
                password.value === "admin"
                    ? `Grafana container "${c.name}" keeps the default admin password`
                    : `Grafana container "${c.name}" sets its admin password as a literal GF_SECURITY_ADMIN_PASSWORD: use GF_SECURITY_ADMIN_PASSWORD__FILE`,
            );
        }
        if (!password && !env.has("GF_SECURITY_ADMIN_PASSWORD__FILE")) {
            problems.push(
                `Grafana container "${c.name}" sets no admin password, so Grafana's default admin/admin applies: set GF_SECURITY_ADMIN_PASSWORD__FILE`,
            );
        }
    }
    return problems;
};

/** Every guardrail, in the order the preview reports them. */
export const GUARDRAILS: readonly Guardrail[] = [
    { name: "images-pinned", description: "Container images are pinned to a version tag or digest, never latest or untagged.", check: pinnedImages },
    {
        name: "containers-have-limits",
        description: "Kubernetes containers have a memory limit and a CPU request; Docker containers a memory limit.",
        check: resourceLimits,
    },
    { name: "gpus-only-for-gpu-services", description: "Only the SGLang server and the GPU exporter get GPUs.", check: gpusOnlyForGpuServices },
    { name: "no-secrets-in-env", description: "No secret-looking environment variable carries a literal value.", check: noSecretsInEnv },
    {
        name: "docker-ports-on-loopback",
        description: "Published Docker ports name their host address, a loopback one unless the container is marked exposed.",
        check: loopbackPorts,
    },
    {
        name: "grafana-locked-down",
        description: "Grafana has no anonymous Admin and no default or literal admin password.",
        check: grafanaLockedDown,
    },
    {
        name: "no-secrets-in-arguments",
        description: "No secret literal on a container's command line or in its environment values.",
        check: noSecretsInArguments,
    },
    {
        name: "no-secrets-in-config-maps",
        description: "No secret in a ConfigMap: secrets live in Secrets, mounted as files.",
        check: noSecretsInConfigMaps,
    },
    { name: "no-privileged-pods", description: "No Kubernetes container runs privileged.", check: noPrivilegedPods },
    {
        name: "pods-run-as-non-root",
        description: "Kubernetes containers run as non-root (runAsNonRoot, no runAsUser 0), except on host-access pods.",
        check: podsRunAsNonRoot,
    },
    {
        name: "pods-drop-capabilities",
        description: "Kubernetes containers drop ALL capabilities, allow no privilege escalation, and add capabilities only on host-access pods.",
        check: podsDropCapabilities,
    },
    { name: "pods-read-only-root", description: "Kubernetes containers have a read-only root file system.", check: podsReadOnlyRoot },
    { name: "pods-seccomp", description: "Kubernetes containers run under the RuntimeDefault (or a Localhost) seccomp profile.", check: podsSeccomp },
    {
        name: "pods-host-access",
        description: "Host paths, host network, PID and IPC only on host-access pods; host paths read-only; the host's / never writable.",
        check: podsHostAccess,
    },
    { name: "rbac-no-wildcards", description: "No * in the verbs, resources or API groups of a Role or ClusterRole.", check: rbacWithoutWildcards },
    {
        name: "load-balancers-restricted",
        description: "A LoadBalancer Service lists its loadBalancerSourceRanges, none of them 0.0.0.0/0 or ::/0.",
        check: loadBalancersRestricted,
    },
    {
        name: "claims-retained",
        description:
            "PersistentVolumeClaims and the Namespace outlive pulumi destroy (retainOnDelete with its annotation, or protect); StatefulSets keep their claims.",
        check: claimsRetained,
    },
    {
        name: "docker-containers-hardened",
        description: "Docker containers: not privileged, no-new-privileges, capabilities dropped (ALL), a log driver set.",
        check: dockerContainersHardened,
    },
];

/**
 * Reports that do not block a deployment: what the configured versions cannot
 * monitor is a fact to know, not a mistake to refuse.
 */
export const ADVISORIES: readonly Guardrail[] = [
    {
        name: "metric-contracts",
        description:
            "Images of SGLang and the exporters follow a verified metric contract; the alerts and panels their versions cannot give data to are named.",
        check: metricContractFindings,
    },
];

/** The guardrails as CrossGuard policies (the advisories always advisory). */
export function policies(enforcementLevel: EnforcementLevel = "mandatory"): ResourceValidationPolicy[] {
    return [...GUARDRAILS.map((g) => ({ g, level: enforcementLevel })), ...ADVISORIES.map((g) => ({ g, level: "advisory" as EnforcementLevel }))].map(
        ({ g, level }) => ({
            name: g.name,
            description: g.description,
            enforcementLevel: level,
            validateResource: (args, reportViolation) => {
                for (const message of g.check({ type: args.type, props: args.props, name: args.name, protect: args.opts.protect }))
                    reportViolation(message);
            },
        }),
    );
}
