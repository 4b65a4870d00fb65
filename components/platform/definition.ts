/**
 * What a service is, independent of how it is deployed: its name (also its
 * job, DNS name and `app.kubernetes.io/name`), its ports with the metrics port
 * marked, its own configuration keys, when the stack runs it, and what each
 * platform needs to know about it. Pure: the settings catalogue, the scrape
 * topologies and the URL resolver read definitions without loading Pulumi.
 */
import type { KeyDef, ValueOf } from "../../settings/keys";
import type { Settings } from "../../settings/types";
import type { ServiceSpec } from "./types";

export type ServiceRole = "inference" | "router" | "monitoring" | "alerting" | "visualization" | "exporter";

export interface PortDefinition {
    /** Port name (Kubernetes port name, key for `DeployedService.address`). */
    name: string;
    /** The port the process listens on inside its container; also the Kubernetes Service's port. */
    containerPort(settings: Settings): number;
    /** Docker: the host port it is published on; absent or undefined = not published. */
    publishedPort?(settings: Settings): number | undefined;
    /** Docker: the host address it is published on; default `bindAddress`. */
    publishedOn?(settings: Settings): string;
    /** Prometheus scrapes `/metrics` on this port. */
    metrics?: true;
    /** Prometheus calls this port for probes (a prober's `/probe`). */
    probe?: true;
    /** Callers from outside the stack use this port (an API, a user interface): on Kubernetes with NetworkPolicies, from these. */
    clients?(settings: Settings): { namespaces: string[]; cidrs: string[] };
}

/** A connection a service opens to a port of another service of the stack (Prometheus' scrapes and probes aside). */
export interface ServiceCall {
    service: string;
    port: string;
}

/** What the Kubernetes platform needs to know beyond the spec. */
export interface KubernetesHints {
    /** Type of the Service in front of the pods; default ClusterIP. */
    serviceType?(settings: Settings): "ClusterIP" | "NodePort" | "LoadBalancer";
    /** A LoadBalancer Service's client CIDRs (`loadBalancerSourceRanges`). */
    loadBalancerSourceRanges?(settings: Settings): string[];
    /** Pods to run; undefined = an autoscaler owns the count. Default 1. */
    replicas?(settings: Settings): number | undefined;
    /** A volume several pods share, with its own class and access mode. */
    sharedVolume?: { volume: string; storageClass(settings: Settings): string; accessMode(settings: Settings): "ReadWriteOnce" | "ReadWriteMany" };
    /** The service discovers pods through the Kubernetes API (Prometheus): it gets a ServiceAccount allowed to list them. */
    discoversPods?: boolean;
    /** Prometheus scrapes the service over loopback (itself) instead of discovering its pods. */
    scrapedOverLoopback?: boolean;
    /**
     * Its pods use the node (host namespaces, host paths, added capabilities):
     * they run in the stack's host namespace, which admits them, labelled
     * `sglang-ananke.io/host-access`. Every other pod meets Pod Security `restricted`.
     */
    hostAccess?(settings: Settings): boolean;
    /**
     * The uid the pods run as when the spec names no user: the image's own
     * user by number (the kubelet cannot tell whether a named user such as
     * `nobody` is root, so `runAsNonRoot` refuses it), or a non-root uid
     * chosen for an image that defaults to root. 0 only for host-access pods.
     */
    runAsUser?(settings: Settings): number;
    /** Directories the process writes outside its volumes: emptyDirs under a read-only root filesystem. */
    writablePaths?: readonly string[];
    /**
     * Pods with a stable name and a volume each (a StatefulSet governed by a
     * headless Service) instead of a Deployment; default false.
     */
    stateful?(settings: Settings): boolean;
    /** Port the pods of a stateful service gossip on with each other (TCP and UDP on the headless Service). */
    clusterPort?: number;
    /** What a voluntary eviction (node drain) must leave running when the service runs several pods. */
    disruptionBudget?: DisruptionBudget;
    /**
     * The service re-reads its configuration files (its `--config.file` and
     * what that names) on SIGHUP: its files are mounted so that changes reach
     * running pods, and a sidecar signals once they do (no rollout).
     */
    reloadsConfig?: boolean;
    /** Kubernetes API access in the stack's namespace (a Role for the service's own ServiceAccount); exactly these rules. */
    apiAccess?: readonly ApiAccessRule[];
    /** Where the cluster already runs the service, scraped instead of deploying it (the GPU Operator's exporter). */
    existing?(settings: Settings): { namespace: string; podLabels: Record<string, string>; portName: string } | undefined;
}

/** One RBAC rule: the verbs a service may use on resources of API groups. */
export interface ApiAccessRule {
    apiGroups: readonly string[];
    resources: readonly string[];
    verbs: readonly string[];
}

/** A PodDisruptionBudget's one rule. */
export type DisruptionBudget = { minAvailable: number } | { maxUnavailable: number };

/** Name of the headless Service that gives a stateful service's pods their stable DNS names. */
export const peerServiceName = (name: string): string => `${name}-peers`;

/** What the Docker platform needs to know beyond the spec. */
export interface DockerHints {
    /** Volumes kept when the stack is destroyed (a model cache takes hours to fill, metrics history cannot be refilled). */
    retainedVolumes?: string[];
    /** The image writes nothing outside its volumes: its root filesystem is mounted read-only. */
    readOnlyRootFilesystem?: boolean;
    /** Names of the service's containers on the network, each its own scrape target; default one, named after the service. */
    instances?(settings: Settings): readonly string[];
}

/** Services whose web server requires basic authentication (`--web.config.file`). */
export type AuthenticatedService = "prometheus" | "alertmanager";

export interface ServiceDefinition<Name extends string = string, Keys extends Record<string, KeyDef> = Record<string, KeyDef>> {
    name: Name;
    /** app.kubernetes.io/component. */
    role: ServiceRole;
    ports: readonly PortDefinition[];
    /** The service's own configuration keys (image, port, resources, storage), by field of its settings. */
    keys: Keys;
    /** Whether the stack runs the service with these settings. */
    deployed(settings: Settings): boolean;
    /** Every request to its web server (scrapes, health checks included) needs the stack's generated basic-auth password. */
    webAuth?: boolean;
    /** The services it calls with these settings (NetworkPolicies allow exactly these, the scrapes and the clients). */
    calls?(settings: Settings): ServiceCall[];
    kubernetes?: KubernetesHints;
    docker?: DockerHints;
}

/** The values of a service's own keys, typed from their declarations. */
export type ServiceSettingsOf<Keys extends Record<string, KeyDef>> = { [F in keyof Keys]: ValueOf<Keys[F]> };

/** A port that is the same on every stack. */
export const fixedPort = (port: number) => (): number => port;

/** The port Prometheus scrapes, if the service has one. */
export const metricsPortOf = (d: Pick<ServiceDefinition, "ports">): PortDefinition | undefined => d.ports.find((p) => p.metrics);

/** The reload endpoint on the pod's loopback: the sidecar shares the pod's network, nothing else needs the endpoint. */
/**
 * The part of a spec a service's definition decides: name, role, ports
 * (container and published), the metrics port, and the platform hints
 * resolved for these settings. Spec builders add the rest.
 */
export function specFromDefinition(
    d: ServiceDefinition<ServiceSpec["name"]>,
    settings: Settings,
): Pick<ServiceSpec, "name" | "component" | "ports" | "metricsPort" | "kubernetes" | "docker"> {
    const k = d.kubernetes ?? {};
    const replicas = k.replicas ? k.replicas(settings) : 1;
    const shared = k.sharedVolume;
    return {
        name: d.name,
        component: d.role,
        ports: d.ports.map((p) => {
            const published = p.publishedPort?.(settings);
            return {
                name: p.name,
                containerPort: p.containerPort(settings),
                ...(published !== undefined
                    ? { publishedPort: published, publishedOn: p.publishedOn?.(settings) ?? settings.docker.bindAddress }
                    : {}),
            };
        }),
        ...(metricsPortOf(d) ? { metricsPort: metricsPortOf(d)!.name } : {}),
        kubernetes: {
            serviceType: k.serviceType?.(settings) ?? "ClusterIP",
            ...(k.loadBalancerSourceRanges ? { loadBalancerSourceRanges: [...k.loadBalancerSourceRanges(settings)] } : {}),
            replicas: replicas ?? "autoscaled",
            ...(shared
                ? { sharedVolume: { volume: shared.volume, storageClass: shared.storageClass(settings), accessMode: shared.accessMode(settings) } }
                : {}),
            discoversPods: k.discoversPods ?? false,
            stateful: k.stateful?.(settings) ?? false,
            ...(k.clusterPort ? { clusterPort: k.clusterPort } : {}),
            ...(k.disruptionBudget ? { disruptionBudget: { ...k.disruptionBudget } } : {}),
            ...(k.apiAccess
                ? { apiAccess: k.apiAccess.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })) }
                : {}),
            ...(k.reloadsConfig ? { reloadsConfig: true } : {}),
            hostAccess: k.hostAccess?.(settings) ?? false,
            ...(k.runAsUser ? { runAsUser: k.runAsUser(settings) } : {}),
            writablePaths: [...(k.writablePaths ?? [])],
        },
        docker: {
            retainedVolumes: [...(d.docker?.retainedVolumes ?? [])],
            ...(d.docker?.readOnlyRootFilesystem ? { readOnlyRootFilesystem: true } : {}),
        },
    };
}
