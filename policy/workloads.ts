/**
 * A common view of the resources the policies look at: Docker containers and
 * images, and Kubernetes workloads (Pod, Deployment, DaemonSet, StatefulSet,
 * ReplicaSet, Job, CronJob). Works on the plain property bags the policy
 * engine hands over (`args.props`): the inputs as the program set them.
 */
import { EXPOSED_LABEL, SERVICE_LABEL } from "../components/platform/docker/container";
import { NAME_LABEL } from "../components/platform/kubernetes/labels";
import { GPU_RESOURCE } from "../components/platform/kubernetes/workload";
import type { ServiceName } from "../components/platform/types";

export const DOCKER_CONTAINER = "docker:index/container:Container";
export const DOCKER_REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

/** Where each Kubernetes workload kind keeps its pod templates (paths below `props`); a LeaderWorkerSet has two. */
const POD_TEMPLATE_PATHS: Record<string, string[][]> = {
    "kubernetes:core/v1:Pod": [[]],
    "kubernetes:apps/v1:Deployment": [["spec", "template"]],
    "kubernetes:apps/v1:DaemonSet": [["spec", "template"]],
    "kubernetes:apps/v1:StatefulSet": [["spec", "template"]],
    "kubernetes:apps/v1:ReplicaSet": [["spec", "template"]],
    "kubernetes:batch/v1:Job": [["spec", "template"]],
    "kubernetes:batch/v1:CronJob": [["spec", "jobTemplate", "spec", "template"]],
    "kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet": [
        ["spec", "leaderWorkerTemplate", "leaderTemplate"],
        ["spec", "leaderWorkerTemplate", "workerTemplate"],
    ],
};

/** The services that may hold GPUs (checked against the service names by the compiler). */
export const GPU_SERVICES: readonly ServiceName[] = ["sglang", "gpu-exporter"];

/** Fake or real resource: what a validation gets. */
export interface ResourceLike {
    type: string;
    props: Record<string, unknown>;
    /** The Pulumi resource name (`args.name`), for messages when the object has no name of its own. */
    name?: string;
    /** The `protect` resource option, the one retention option CrossGuard shows a resource policy. */
    protect?: boolean;
}

/** An environment variable: a literal value, or a reference (Secret, ConfigMap, field). */
export interface EnvVar {
    name: string;
    value?: string;
    fromReference: boolean;
}

export interface ContainerView {
    /** Container name (Kubernetes) or the resource's container name (Docker). */
    name: string;
    image: unknown;
    env: EnvVar[];
    /** Kubernetes `resources.limits`/`requests`; Docker: memory limit in MiB as `limits.memory`. */
    limits: Record<string, unknown>;
    requests: Record<string, unknown>;
}

export interface Workload {
    platform: "docker" | "kubernetes";
    /** The service it runs, from our label (Docker `sglang-ananke.service`, Kubernetes `app.kubernetes.io/name`). */
    service: string | undefined;
    labels: Record<string, string>;
    containers: ContainerView[];
}

export type Bag = Record<string, unknown>;
export const bag = (v: unknown): Bag => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Bag) : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Docker's `envs` ("NAME=value" strings): always literal values. */
function dockerEnv(envs: unknown): EnvVar[] {
    return list(envs)
        .map(str)
        .filter((e): e is string => e !== undefined)
        .map((e) => {
            const eq = e.indexOf("=");
            return eq < 0 ? { name: e, fromReference: false } : { name: e.slice(0, eq), value: e.slice(eq + 1), fromReference: false };
        });
}

/** Docker labels as a map (the provider takes a list of {label, value}). */
export function dockerLabels(props: Bag): Record<string, string> {
    const out: Record<string, string> = {};
    for (const l of list(props.labels)) {
        const { label, value } = bag(l);
        if (typeof label === "string") out[label] = String(value ?? "");
    }
    return out;
}

function k8sEnv(env: unknown): EnvVar[] {
    return list(env).map((e) => {
        const v = bag(e);
        return { name: String(v.name ?? ""), value: str(v.value), fromReference: v.valueFrom !== undefined && v.valueFrom !== null };
    });
}

function k8sContainer(c: unknown): ContainerView {
    const v = bag(c);
    const resources = bag(v.resources);
    return { name: String(v.name ?? ""), image: v.image, env: k8sEnv(v.env), limits: bag(resources.limits), requests: bag(resources.requests) };
}

function dig(props: Bag, path: string[]): Bag {
    return path.reduce<Bag>((acc, key) => bag(acc[key]), props);
}

/** The workload a resource describes, or undefined for other resource types. */
export function workloadOf(resource: ResourceLike): Workload | undefined {
    const { type, props } = resource;
    if (type === DOCKER_CONTAINER) {
        const labels = dockerLabels(props);
        const memory = props.memory;
        return {
            platform: "docker",
            service: labels[SERVICE_LABEL],
            labels,
            containers: [
                {
                    name: String(props.name ?? ""),
                    image: props.image,
                    env: dockerEnv(props.envs),
                    limits: memory === undefined ? {} : { memory },
                    requests: {},
                },
            ],
        };
    }
    const paths = POD_TEMPLATE_PATHS[type];
    if (!paths) return undefined;
    const templates = paths.map((path) => dig(props, path));
    // The first template names the service (a LeaderWorkerSet's leader); the containers are every template's.
    const labels = {
        ...(bag(bag(props.metadata).labels) as Record<string, string>),
        ...(bag(bag(templates[0].metadata).labels) as Record<string, string>),
    };
    return {
        platform: "kubernetes",
        service: labels[NAME_LABEL],
        labels,
        containers: templates.flatMap((t) => [...list(bag(t.spec).initContainers), ...list(bag(t.spec).containers)]).map(k8sContainer),
    };
}

/** Whether the Docker container was published beyond loopback on purpose (our label). */
export function isExposed(props: Bag): boolean {
    return dockerLabels(props)[EXPOSED_LABEL] === "true";
}

/** How a container gets GPUs, if it does: a list of reasons, empty = none. */
export function gpuAccess(resource: ResourceLike, workload: Workload): string[] {
    const reasons: string[] = [];
    if (workload.platform === "docker") {
        const gpus = resource.props.gpus;
        if (typeof gpus === "string" && gpus !== "") reasons.push(`gpus = "${gpus}"`);
        for (const r of list(resource.props.deviceRequests)) {
            const d = bag(r);
            const ids = list(d.deviceIds).map(String);
            if (d.driver === "nvidia" || list(d.capabilities).includes("gpu") || ids.some((id) => id.startsWith("nvidia.com/gpu"))) {
                reasons.push("a deviceRequest for NVIDIA GPUs");
            }
        }
    }
    for (const c of workload.containers) {
        if (Number(c.limits[GPU_RESOURCE] ?? 0) > 0 || Number(c.requests[GPU_RESOURCE] ?? 0) > 0) {
            reasons.push(`container "${c.name}" requests ${GPU_RESOURCE}`);
        }
        // The NVIDIA container runtime mounts the listed GPUs even without a request.
        const visible = c.env.find((e) => e.name === "NVIDIA_VISIBLE_DEVICES");
        if (visible && (visible.fromReference || !["", "void", "none"].includes(visible.value ?? ""))) {
            reasons.push(`container "${c.name}" sets NVIDIA_VISIBLE_DEVICES`);
        }
    }
    return reasons;
}

/** A Kubernetes pod template as the policies see it. */
export interface PodView {
    /** How messages name the resource: kind and name (`Deployment "sglang"`). */
    who: string;
    /** The pod's own labels (the template's, or a Pod's). */
    labels: Record<string, string>;
    /** The pod spec. */
    spec: Bag;
    /** Init containers, then containers, as property bags. */
    containers: Bag[];
}

/** `Deployment "sglang"`: the kind from the type token, the object's name, else the Pulumi name. */
export function resourceTitle(resource: ResourceLike): string {
    const kind = resource.type.split(":").pop() ?? resource.type;
    const name = str(bag(resource.props.metadata).name) ?? str(resource.props.name) ?? resource.name ?? "(unnamed)";
    return `${kind} "${name}"`;
}

/** The pod templates of a Kubernetes workload (one, or a LeaderWorkerSet's two, each named in `who`); none for other resource types. */
export function podsOf(resource: ResourceLike): PodView[] {
    const paths = POD_TEMPLATE_PATHS[resource.type] ?? [];
    return paths.map((path) => {
        const template = dig(resource.props, path);
        const spec = bag(template.spec);
        return {
            who: paths.length > 1 ? `${resourceTitle(resource)} ${path[path.length - 1]}` : resourceTitle(resource),
            labels: bag(bag(template.metadata).labels) as Record<string, string>,
            spec,
            containers: [...list(spec.initContainers), ...list(spec.containers)].map(bag),
        };
    });
}
