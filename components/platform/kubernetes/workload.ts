/**
 * Pure builders that turn a `ServiceSpec` and the settings into Kubernetes
 * object specs (pod template, Deployment/DaemonSet, Service, PVC). No
 * resource is created here: `cluster.ts` does that, and the tests validate
 * what these return against the Kubernetes schemas.
 */
import type * as input from "@pulumi/kubernetes/types/input";
import type { Settings } from "../../../settings";
import { peerServiceName } from "../definition";
import { authenticatedCheck } from "../health";
import { DRAIN_MARGIN_SECONDS, type FileSpec, type ServiceSpec, type VolumeSpec, workloadName } from "../types";
import { configReloaderContainer, configRoot, projectedItem, RELOADED_CONFIG_VOLUME } from "./config-reloader";
import { NAME_LABEL, workloadLabels, workloadSelector } from "./labels";
import { containerSecurityContext, hostAccessLabels, podSecurityContext, runAsOf, usesHost, writableDirs } from "./security";

/** What the workload builders read: the stack's name and its Kubernetes settings. */
export type KubernetesSlice = Pick<Settings, "stack" | "kubernetes">;

type PodSpec = input.core.v1.PodSpec;
type Container = input.core.v1.Container;
type Volume = input.core.v1.Volume;
type VolumeMount = input.core.v1.VolumeMount;
type Probe = input.core.v1.Probe;

/** The extended resource the NVIDIA device plugin schedules GPUs by. */
export const GPU_RESOURCE = "nvidia.com/gpu";
/** Node label set by GPU feature discovery (GPU Operator) on nodes with NVIDIA GPUs. */
export const GPU_PRESENT_LABEL = "nvidia.com/gpu.present";
/** Probe period while the startup probe runs; its failure threshold covers `startupSeconds`. */
export const STARTUP_PROBE_PERIOD_SECONDS = 10;

/** Names of the objects a pod template refers to (auto-named, so possibly Outputs). */
export interface PodRefs {
    configMapName?: input.core.v1.ConfigMapVolumeSource["name"];
    secretName?: input.core.v1.SecretVolumeSource["secretName"];
    serviceAccountName?: string;
}

/** ConfigMap/Secret key of a file: its path without the leading slash, other characters made safe. */
export function fileKey(path: string): string {
    return path.replace(/^\/+/, "").replace(/[^-._a-zA-Z0-9]/g, "_");
}

/** Name of the PersistentVolumeClaim holding one of a workload's volumes (each model its own cache). */
export const claimName = (spec: Pick<ServiceSpec, "name" | "workload">, volume: Pick<VolumeSpec, "name">): string =>
    `${workloadName(spec)}-${volume.name}`;

/** Pods that hold GPUs for themselves (SGLang): scheduled by the device plugin. */
const requestsGpus = (spec: ServiceSpec): spec is ServiceSpec & { gpus: { count: number } } => typeof spec.gpus === "object" && spec.gpus.count > 0;
/** Pods that watch every GPU of their node (GPU exporters) without taking one from SGLang. */
const seesAllGpus = (spec: ServiceSpec): boolean => spec.gpus === "all";

/** How many pods a service runs; undefined = managed by the autoscaler. */
export function replicasOf(spec: ServiceSpec): number | undefined {
    // An autoscaler owns the count: a value here would reset it on every `pulumi up`.
    return spec.kubernetes.replicas === "autoscaled" ? undefined : spec.kubernetes.replicas;
}

/** The most pods a service may run at once (for volume access modes and update strategies). */
export function maxReplicasOf(spec: ServiceSpec, settings: KubernetesSlice): number {
    const a = settings.kubernetes.autoscaling;
    return replicasOf(spec) ?? Math.max(a.maxReplicas, a.minReplicas);
}

function probes(spec: ServiceSpec): Pick<Container, "startupProbe" | "livenessProbe" | "readinessProbe"> {
    const h = spec.health;
    if (!h) return {};
    const port = spec.ports.find((p) => p.name === h.port)!.containerPort;
    // An httpGet probe could send the password only by writing it into the pod spec.
    const get = (path: string): Probe =>
        h.basicAuth ? { exec: { command: authenticatedCheck(h, port, path) } } : { httpGet: { path, port: h.port } };
    return {
        // Liveness and readiness start counting only once this succeeds, so
        // model loading (startupSeconds) never gets the pod killed.
        startupProbe: {
            ...get(h.path),
            periodSeconds: STARTUP_PROBE_PERIOD_SECONDS,
            timeoutSeconds: 5,
            failureThreshold: Math.ceil(h.startupSeconds / STARTUP_PROBE_PERIOD_SECONDS),
        } satisfies Probe,
        livenessProbe: { ...get(h.path), periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
        // /health_generate runs a one-token generation: allow it more time than a plain /health.
        readinessProbe: { ...get(h.readinessPath ?? h.path), periodSeconds: 10, timeoutSeconds: h.readinessPath ? 30 : 5, failureThreshold: 3 },
    };
}

function resources(spec: ServiceSpec): Container["resources"] {
    const limits: Record<string, string> = { memory: spec.resources.memoryLimit };
    if (requestsGpus(spec)) {
        limits[GPU_RESOURCE] = String(spec.gpus.count);
        // A GPU server gets whole CPUs it can count on (the catalogue: request and limit).
        limits.cpu = spec.resources.cpu;
    }
    return { requests: { cpu: spec.resources.cpu, memory: spec.resources.memory }, limits };
}

function volumesAndMounts(spec: ServiceSpec, refs: PodRefs): { volumes: Volume[]; mounts: VolumeMount[] } {
    const volumes: Volume[] = [];
    const mounts: VolumeMount[] = [];
    const files = (secret: boolean) => spec.files.filter((f) => f.secret === secret);
    if (reloadsFiles(spec)) {
        const { volume, mount } = reloadedConfigVolume(spec, refs);
        volumes.push(volume);
        mounts.push(mount);
    }
    // Otherwise each file is mounted by subPath at its own path, so files may
    // sit in directories the image also uses. A changed file gives a new
    // auto-named ConfigMap/Secret and so a new pod template: pods restart with it.
    else if (files(false).length > 0) {
        if (!refs.configMapName) throw new Error(`${spec.name}: files need a ConfigMap`);
        volumes.push({ name: "config", configMap: { name: refs.configMapName, defaultMode: 0o444 } });
        for (const f of files(false)) mounts.push({ name: "config", mountPath: f.path, subPath: fileKey(f.path), readOnly: true });
    }
    if (!reloadsFiles(spec) && files(true).length > 0) {
        if (!refs.secretName) throw new Error(`${spec.name}: secret files need a Secret`);
        volumes.push({ name: "secrets", secret: { secretName: refs.secretName, defaultMode: secretFileMode(spec) } });
        for (const f of files(true)) mounts.push({ name: "secrets", mountPath: f.path, subPath: fileKey(f.path), readOnly: true });
    }
    for (const v of spec.volumes) {
        // A stateful service's claims come from its volumeClaimTemplates, one per pod, under the same name.
        if (!spec.kubernetes.stateful) volumes.push({ name: `data-${v.name}`, persistentVolumeClaim: { claimName: claimName(spec, v) } });
        mounts.push({ name: `data-${v.name}`, mountPath: v.mountPath });
    }
    if (spec.shmMiB) {
        // NCCL needs a large /dev/shm; the container runtime's default is 64 MiB.
        volumes.push({ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: `${spec.shmMiB}Mi` } });
        mounts.push({ name: "dshm", mountPath: "/dev/shm" });
    }
    (spec.host?.mounts ?? []).forEach((m, i) => {
        // A writable host path would let the pod change the node itself.
        if (!m.readOnly) throw new Error(`${spec.name}: host path ${m.hostPath} must be mounted read-only on Kubernetes`);
        volumes.push({ name: `host-${i}`, hostPath: { path: m.hostPath } });
        mounts.push({
            name: `host-${i}`,
            mountPath: m.mountPath,
            readOnly: true,
            ...(m.propagation === "rslave" ? { mountPropagation: "HostToContainer" } : {}),
        });
    });
    const writable = writableDirs(spec);
    return { volumes: [...volumes, ...writable.volumes], mounts: [...mounts, ...writable.mounts] };
}

/** A service whose files change in place, with a sidecar that makes it reload them. */
const reloadsFiles = (spec: ServiceSpec): boolean => spec.kubernetes.reloadsConfig === true && spec.files.length > 0;

/** Secret files: group-readable only when the pod's fsGroup owns them (see podSecurityContext); root needs no group. */
const secretFileMode = (spec: ServiceSpec): number => (runAsOf(spec).uid !== 0 ? 0o440 : 0o400);

/**
 * Every file of a reloading service in one projected volume over their common
 * directory, updated in place by the kubelet when the ConfigMap or Secret changes.
 */
function reloadedConfigVolume(spec: ServiceSpec, refs: PodRefs): { volume: Volume; mount: VolumeMount } {
    const root = configRoot(spec.files);
    const items = (files: FileSpec[], mode: number) => files.map((f) => projectedItem(root, f.path, fileKey(f.path), mode));
    const plain = spec.files.filter((f) => !f.secret);
    const secret = spec.files.filter((f) => f.secret);
    const sources: input.core.v1.VolumeProjection[] = [];
    if (plain.length > 0) {
        if (!refs.configMapName) throw new Error(`${spec.name}: files need a ConfigMap`);
        sources.push({ configMap: { name: refs.configMapName, items: items(plain, 0o444) } });
    }
    if (secret.length > 0) {
        if (!refs.secretName) throw new Error(`${spec.name}: secret files need a Secret`);
        sources.push({ secret: { name: refs.secretName, items: items(secret, secretFileMode(spec)) } });
    }
    return {
        volume: { name: RELOADED_CONFIG_VOLUME, projected: { sources } },
        mount: { name: RELOADED_CONFIG_VOLUME, mountPath: root, readOnly: true },
    };
}

/** Node affinity for GPU exporters: GPU nodes, by the GPU feature label or the SGLang node selector. */
function gpuNodeAffinity(settings: KubernetesSlice): PodSpec["affinity"] {
    const selector = Object.entries(settings.kubernetes.nodeSelector);
    const terms = [{ matchExpressions: [{ key: GPU_PRESENT_LABEL, operator: "In", values: ["true"] }] }];
    if (selector.length > 0) terms.push({ matchExpressions: selector.map(([key, value]) => ({ key, operator: "In", values: [value] })) });
    // Terms are ORed: a node qualifies by either.
    return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
}

/** Where a pod may run: GPU pods and node-level exporters get the GPU nodes' scheduling settings. */
function scheduling(spec: ServiceSpec, settings: KubernetesSlice): Partial<PodSpec> {
    const k = settings.kubernetes;
    const tolerations = k.tolerations.map((t) => ({ ...t }));
    const runtime = k.runtimeClassName ? { runtimeClassName: k.runtimeClassName } : {};
    if (requestsGpus(spec)) {
        return {
            ...runtime,
            ...(Object.keys(k.nodeSelector).length > 0 ? { nodeSelector: { ...k.nodeSelector } } : {}),
            ...(tolerations.length > 0 ? { tolerations } : {}),
            ...(k.affinity ? { affinity: k.affinity as PodSpec["affinity"] } : {}),
        };
    }
    if (seesAllGpus(spec)) return { ...runtime, ...(tolerations.length > 0 ? { tolerations } : {}), affinity: gpuNodeAffinity(settings) };
    if (spec.perNode) return tolerations.length > 0 ? { tolerations } : {};
    return {};
}

function env(spec: ServiceSpec): Container["env"] {
    const vars: Record<string, string> = { ...spec.env };
    // The NVIDIA runtime then mounts every GPU of the node without the pod
    // requesting one, so the exporter never takes a GPU away from SGLang.
    if (seesAllGpus(spec)) vars.NVIDIA_VISIBLE_DEVICES = "all";
    const nodeName = spec.nodeNameEnv ? [{ name: spec.nodeNameEnv, valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }] : [];
    const podName = spec.podNameEnv ? [{ name: spec.podNameEnv, valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] : [];
    return [...Object.entries(vars).map(([name, value]) => ({ name, value })), ...nodeName, ...podName];
}

/** Replicas of a service that are meant to survive a node: preferably each on its own node. */
function spreadOverNodes(spec: ServiceSpec, settings: KubernetesSlice): Partial<PodSpec> {
    if ((replicasOf(spec) ?? 1) < 2 || requestsGpus(spec) || spec.perNode) return {};
    // Preferred, not required: a cluster with fewer nodes than replicas still runs them all.
    const term = { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: workloadSelector(spec, settings.stack) } };
    return { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } } };
}

/** The pod template of a service. */
export function podTemplate(spec: ServiceSpec, settings: KubernetesSlice, refs: PodRefs): input.core.v1.PodTemplateSpec {
    const { volumes, mounts } = volumesAndMounts(spec, refs);
    const container: Container = {
        name: workloadName(spec),
        image: spec.image,
        ...(spec.command ? { command: spec.command } : {}),
        args: spec.args,
        env: env(spec),
        ports: spec.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: "TCP" })),
        ...probes(spec),
        resources: resources(spec),
        volumeMounts: mounts,
        securityContext: containerSecurityContext(spec),
    };
    const host = spec.host;
    // The host namespace is the only one that admits such pods.
    if (usesHost(spec) !== spec.kubernetes.hostAccess) {
        throw new Error(
            `${spec.name}: its pod ${usesHost(spec) ? "uses" : "does not use"} the host but its definition says hostAccess ${spec.kubernetes.hostAccess}`,
        );
    }
    // The service's own container stays first: policies read the image there.
    const sidecars = reloadsFiles(spec) ? [configReloaderContainer(spec)] : [];
    return {
        metadata: { labels: { ...workloadLabels(spec, settings.stack), ...hostAccessLabels(spec) } },
        spec: {
            containers: [container, ...sidecars],
            volumes,
            ...(refs.serviceAccountName ? { serviceAccountName: refs.serviceAccountName } : { automountServiceAccountToken: false }),
            ...(host?.pid ? { hostPID: true } : {}),
            // The reloader signals the server, so it must see its process.
            ...(sidecars.length > 0 ? { shareProcessNamespace: true } : {}),
            // Host-network pods still resolve Services (Prometheus, Alertmanager) by DNS.
            ...(host?.network ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
            securityContext: podSecurityContext(spec),
            ...scheduling(spec, settings),
            ...spreadOverNodes(spec, settings),
            // SGLang drains in-flight requests on SIGTERM; a service that says how long it drains gets that long.
            terminationGracePeriodSeconds: spec.drainSeconds !== undefined ? spec.drainSeconds + DRAIN_MARGIN_SECONDS : requestsGpus(spec) ? 120 : 30,
        },
    };
}

/**
 * Rollout strategy. A GPU pod cannot surge (no spare GPU may exist), and a
 * ReadWriteOnce volume cannot be mounted by old and new pod on two nodes:
 * both would deadlock a rolling update.
 */
export function deploymentStrategy(spec: ServiceSpec, settings: KubernetesSlice): input.apps.v1.DeploymentStrategy {
    const gpus = requestsGpus(spec);
    if (gpus && maxReplicasOf(spec, settings) > 1) {
        // Several replicas: replace one at a time, never adding one.
        return { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
    }
    if (gpus || spec.volumes.length > 0) return { type: "Recreate" };
    return { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
}

export function deploymentSpec(spec: ServiceSpec, settings: KubernetesSlice, refs: PodRefs): input.apps.v1.DeploymentSpec {
    const replicas = replicasOf(spec);
    return {
        ...(replicas !== undefined ? { replicas } : {}),
        selector: { matchLabels: workloadSelector(spec, settings.stack) },
        strategy: deploymentStrategy(spec, settings),
        template: podTemplate(spec, settings, refs),
    };
}

/**
 * A stateful service's pods: stable names (`<name>-0`, `<name>-1` …) through
 * the headless Service, a claim per pod, all started at once (replicas do
 * not wait for each other).
 */
export function statefulSetSpec(spec: ServiceSpec, settings: KubernetesSlice, refs: PodRefs): input.apps.v1.StatefulSetSpec {
    return {
        replicas: replicasOf(spec) ?? 1,
        serviceName: peerServiceName(spec.name),
        podManagementPolicy: "Parallel",
        selector: { matchLabels: workloadSelector(spec, settings.stack) },
        updateStrategy: { type: "RollingUpdate" },
        template: podTemplate(spec, settings, refs),
        // The claims outlive the StatefulSet and a scale-down: each holds a replica's data.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        volumeClaimTemplates: spec.volumes.map((v) => ({
            metadata: { name: `data-${v.name}`, labels: workloadLabels(spec, settings.stack) },
            spec: claimSpec(spec, v, settings),
        })),
    };
}

/**
 * The headless Service a StatefulSet's pods get their DNS names from; it
 * lists pods before they are ready, so replicas find each other while starting.
 */
export function peerServiceSpecOf(spec: ServiceSpec, settings: KubernetesSlice): input.core.v1.ServiceSpec {
    const gossip = spec.kubernetes.clusterPort;
    return {
        clusterIP: "None",
        publishNotReadyAddresses: true,
        selector: workloadSelector(spec, settings.stack),
        ports: [
            ...spec.ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.containerPort, protocol: "TCP" })),
            ...(gossip
                ? ["TCP", "UDP"].map((protocol) => ({ name: `cluster-${protocol.toLowerCase()}`, port: gossip, targetPort: gossip, protocol }))
                : []),
        ],
    };
}

/**
 * The PodDisruptionBudget of a service that may run several pods (a fixed
 * count above one, or an autoscaler allowed more than one), if its definition
 * sets one. A single pod gets none: a budget that keeps it would block every
 * node drain forever, and one that does not would change nothing.
 */
export function disruptionBudgetSpec(spec: ServiceSpec, settings: KubernetesSlice): input.policy.v1.PodDisruptionBudgetSpec | undefined {
    const budget = spec.kubernetes.disruptionBudget;
    if (!budget || spec.perNode || maxReplicasOf(spec, settings) < 2) return undefined;
    return { ...budget, selector: { matchLabels: workloadSelector(spec, settings.stack) } };
}

export function daemonSetSpec(spec: ServiceSpec, settings: KubernetesSlice, refs: PodRefs): input.apps.v1.DaemonSetSpec {
    return {
        selector: { matchLabels: workloadSelector(spec, settings.stack) },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
        template: podTemplate(spec, settings, refs),
    };
}

/** The Service in front of a service's pods, one named port per container port. */
export function serviceSpecOf(spec: ServiceSpec, settings: KubernetesSlice): input.core.v1.ServiceSpec {
    return {
        type: spec.kubernetes.serviceType,
        ...(spec.kubernetes.serviceType === "LoadBalancer" && spec.kubernetes.loadBalancerSourceRanges
            ? {
                  loadBalancerSourceRanges: [...spec.kubernetes.loadBalancerSourceRanges],
                  // Keeps the client's address, so NetworkPolicies see it (not a node's).
                  externalTrafficPolicy: "Local",
              }
            : {}),
        selector: workloadSelector(spec, settings.stack),
        ports: spec.ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: "TCP" })),
    };
}

/** The claim of one volume: a volume several pods share has its own class and access mode. */
export function claimSpec(spec: ServiceSpec, volume: VolumeSpec, settings: KubernetesSlice): input.core.v1.PersistentVolumeClaimSpec {
    const shared = spec.kubernetes.sharedVolume?.volume === volume.name ? spec.kubernetes.sharedVolume : undefined;
    const storageClass = shared ? shared.storageClass : settings.kubernetes.storageClass;
    return {
        accessModes: [shared ? shared.accessMode : "ReadWriteOnce"],
        resources: { requests: { storage: volume.size } },
        ...(storageClass ? { storageClassName: storageClass } : {}),
    };
}

/** The LeaderWorkerSet API (kubernetes-sigs/lws) a group of pods is deployed with. */
export const LEADER_WORKER_SET = { apiVersion: "leaderworkerset.x-k8s.io/v1", kind: "LeaderWorkerSet" } as const;

/**
 * Name of a group service's LeaderWorkerSet. The LWS controller creates a
 * headless Service of the same name for the pods' DNS names (the leader's
 * address); the service's own Service keeps the service's name, so the two
 * must differ.
 */
export const groupSetName = (spec: Pick<ServiceSpec, "name" | "workload">): string => `${workloadName(spec)}-group`;

/**
 * Makes `pulumi up` wait for the set as it waits for a Deployment's rollout:
 * the provider (4.18+) has no await logic of its own for a custom resource,
 * and the LWS controller sets `Available` once every group is ready on the
 * current template (`AllGroupsReady`).
 */
export const LEADER_WORKER_SET_AWAIT = { "pulumi.com/waitFor": "condition=Available" } as const;

/** The label the LWS controller puts on every pod of a set, with the set's name (`SetNameLabelKey`). */
export const LWS_SET_NAME_LABEL = "leaderworkerset.sigs.k8s.io/name";

/**
 * The `app.kubernetes.io/name` of a group's worker pods. Every selector of
 * the service (its Service, PodDisruptionBudget, the router's discovery, the
 * scrape, NetworkPolicies) then picks the leaders only, the pods that serve.
 */
export const groupWorkerName = (spec: Pick<ServiceSpec, "name">): string => `${spec.name}-worker`;

/** A group's worker: the leader's pod with the worker's command and files, no ports and no probes (it serves nothing). */
function workerSpecOf(spec: ServiceSpec, worker: Pick<ServiceSpec, "command" | "files">): ServiceSpec {
    return { ...spec, ...worker, ports: [], health: undefined, kubernetes: { ...spec.kubernetes, group: undefined } };
}

/**
 * A LeaderWorkerSet: `replicas` groups of `group.size` pods, leader and
 * workers from the same pod template builder (GPUs, /dev/shm, security
 * context, scheduling, model cache).
 */
export function leaderWorkerSetSpec(spec: ServiceSpec, settings: KubernetesSlice, refs: PodRefs): Record<string, unknown> {
    const group = spec.kubernetes.group;
    if (!group) throw new Error(`${spec.name} is not deployed as groups of pods`);
    const worker = podTemplate(workerSpecOf(spec, group.worker), settings, refs);
    const workerLabels = { ...(worker.metadata as { labels: Record<string, string> }).labels, [NAME_LABEL]: groupWorkerName(spec) };
    const replicas = replicasOf(spec);
    return {
        ...(replicas !== undefined ? { replicas } : {}),
        // The leader's server becomes ready only once every worker has joined: workers must not wait for it (LeaderReady).
        startupPolicy: "LeaderCreated",
        leaderWorkerTemplate: {
            size: group.size,
            // A pod lost is a server lost (its ranks hold shards of the model): the whole group restarts.
            restartPolicy: "RecreateGroupOnPodRestart",
            leaderTemplate: podTemplate(spec, settings, refs),
            workerTemplate: { ...worker, metadata: { ...worker.metadata, labels: workerLabels } },
        },
    };
}
