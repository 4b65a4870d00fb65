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

export type ServiceRole = "inference" | "monitoring" | "alerting" | "visualization" | "exporter";

export interface PortDefinition {
    /** Port name (Kubernetes port name, key for `DeployedService.address`). */
    name: string;
    /** The port the process listens on inside its container; also the Kubernetes Service's port. */
    containerPort(settings: Settings): number;
    /** Docker: the host port it is published on; absent = not published. */
    publishedPort?(settings: Settings): number;
    /** Prometheus scrapes `/metrics` on this port. */
    metrics?: true;
}

/** What the Kubernetes platform needs to know beyond the spec. */
export interface KubernetesHints {
    /** Type of the Service in front of the pods; default ClusterIP. */
    serviceType?(settings: Settings): "ClusterIP" | "NodePort" | "LoadBalancer";
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
     * The service re-reads its configuration files on a POST to this path of
     * this port: its files are mounted so that changes reach running pods,
     * and a sidecar posts once they do (no rollout).
     */
    reloadsConfig?: { port: string; path: string };
    /** Where the cluster already runs the service, scraped instead of deploying it (the GPU Operator's exporter). */
    existing?(settings: Settings): { namespace: string; podLabels: Record<string, string>; portName: string } | undefined;
}

/** A PodDisruptionBudget's one rule. */
export type DisruptionBudget = { minAvailable: number } | { maxUnavailable: number };

/** Name of the headless Service that gives a stateful service's pods their stable DNS names. */
export const peerServiceName = (name: string): string => `${name}-peers`;

/** What the Docker platform needs to know beyond the spec. */
export interface DockerHints {
    /** Volumes kept when the stack is destroyed (a model cache takes hours to fill). */
    retainedVolumes?: string[];
}

export interface ServiceDefinition<Name extends string = string, Keys extends Record<string, KeyDef> = Record<string, KeyDef>> {
    name: Name;
    /** app.kubernetes.io/component. */
    role: ServiceRole;
    ports: readonly PortDefinition[];
    /** The service's own configuration keys (image, port, resources, storage), by field of its settings. */
    keys: Keys;
    /** Whether the stack runs the service with these settings. */
    deployed(settings: Settings): boolean;
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
function reloadUrl(d: Pick<ServiceDefinition, "name" | "ports">, settings: Settings, reload: { port: string; path: string }): string {
    const port = d.ports.find((p) => p.name === reload.port);
    if (!port) throw new Error(`${d.name} reloads on port ${reload.port}, which it does not have`);
    return `http://127.0.0.1:${port.containerPort(settings)}${reload.path}`;
}

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
        ports: d.ports.map((p) => ({
            name: p.name,
            containerPort: p.containerPort(settings),
            ...(p.publishedPort ? { publishedPort: p.publishedPort(settings) } : {}),
        })),
        ...(metricsPortOf(d) ? { metricsPort: metricsPortOf(d)!.name } : {}),
        kubernetes: {
            serviceType: k.serviceType?.(settings) ?? "ClusterIP",
            replicas: replicas ?? "autoscaled",
            ...(shared
                ? { sharedVolume: { volume: shared.volume, storageClass: shared.storageClass(settings), accessMode: shared.accessMode(settings) } }
                : {}),
            discoversPods: k.discoversPods ?? false,
            stateful: k.stateful?.(settings) ?? false,
            ...(k.clusterPort ? { clusterPort: k.clusterPort } : {}),
            ...(k.disruptionBudget ? { disruptionBudget: { ...k.disruptionBudget } } : {}),
            ...(k.reloadsConfig ? { configReloadUrl: reloadUrl(d, settings, k.reloadsConfig) } : {}),
            hostAccess: k.hostAccess?.(settings) ?? false,
            ...(k.runAsUser ? { runAsUser: k.runAsUser(settings) } : {}),
            writablePaths: [...(k.writablePaths ?? [])],
        },
        docker: { retainedVolumes: [...(d.docker?.retainedVolumes ?? [])] },
    };
}
