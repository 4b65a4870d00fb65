/**
 * One description of a service, turned into Docker or Kubernetes resources by
 * a `Platform`. A service's facts (image, arguments, ports, files, data,
 * health, GPUs, host access) are written once, in its `spec.ts`.
 */
import type * as pulumi from "@pulumi/pulumi";

import type { ServiceName } from "../services";
import type { DisruptionBudget, ServiceRole } from "./definition";

export type { ServiceName };

/** Time a platform leaves between the end of a service's own drain (`drainSeconds`) and the kill. */
export const DRAIN_MARGIN_SECONDS = 10;

export interface PortSpec {
    /** Port name (Kubernetes port name, key for `DeployedService.url`). */
    name: string;
    containerPort: number;
    /** Docker: host port to publish on `publishedOn`; undefined = not published. */
    publishedPort?: number;
    /** Docker: the host address the published port binds to. */
    publishedOn?: string;
}

export interface FileSpec {
    /** Absolute path inside the container. */
    path: string;
    content: pulumi.Input<string>;
    /** Secret files become Kubernetes Secrets and secret Docker uploads. */
    secret: boolean;
}

export interface VolumeSpec {
    /** Short name, unique within the service (e.g. "data", "model-cache"). */
    name: string;
    mountPath: string;
    /** Kubernetes PVC size; Docker named volumes grow freely. */
    size: string;
}

export interface HostMountSpec {
    hostPath: string;
    mountPath: string;
    readOnly: boolean;
    /** Bind propagation, e.g. "rslave" for the root filesystem. */
    propagation?: "rslave" | "rprivate";
}

export interface HealthSpec {
    /** HTTP path answering 200 when the process is up. */
    path: string;
    /** Name of the port the path is served on. */
    port: string;
    /** HTTP path answering 200 when the service can serve (Kubernetes readiness); default `path`. */
    readinessPath?: string;
    /** Time allowed to start (model loading) before failures count. */
    startupSeconds: number;
    /** What the image has for Docker health checks: busybox (`wget`; `sh` and `nc` with basic auth), curl or python3; "none" = nothing, Docker checks nothing. */
    tool: "busybox" | "curl" | "python3" | "none";
    /** The endpoints need basic auth: the check reads the password from this file inside the container (needs busybox: `sh`, `base64`, `nc`). */
    basicAuth?: { username: string; passwordFile: string };
}

export interface ServiceSpec {
    /** The service: its job, DNS name, `app.kubernetes.io/name` and definition. */
    name: ServiceName;
    /**
     * One of several workloads of the service (SGLang's servers of one model):
     * its objects' and containers' name, and the labels that tell its pods
     * from the other workloads'. Absent = the service's only workload, named
     * after the service (see `workloadName`).
     */
    workload?: { name: string; labels: Record<string, string> };
    /** app.kubernetes.io/component. */
    component: ServiceRole;
    image: string;
    /** Replaces the image's entrypoint when set. */
    command?: string[];
    args: string[];
    /** Plain environment; secrets never go here (use `files`). */
    env: Record<string, string>;
    /** An environment variable that receives the name of the host (Docker) or node (Kubernetes) the container runs on. */
    nodeNameEnv?: string;
    /** An environment variable that receives the pod's name (Kubernetes) — a replica's identity. */
    podNameEnv?: string;
    ports: PortSpec[];
    /** Name of the port serving Prometheus metrics, if any. */
    metricsPort?: string;
    files: FileSpec[];
    volumes: VolumeSpec[];
    health?: HealthSpec;
    /** GPUs the container gets: a count (SGLang) or every GPU of the node (exporters). */
    gpus?: { count: number; deviceIds: number[] } | "all";
    /** Memory-backed /dev/shm in MiB (NCCL). */
    shmMiB?: number;
    /** Host access for node-level exporters. */
    host?: { pid: boolean; network: boolean; mounts: HostMountSpec[] };
    capabilities?: string[];
    /** Run as this user (uid[:gid]); needed where data volumes are owned by root. */
    user?: string;
    /** One instance per node (Kubernetes DaemonSet) instead of a Deployment. */
    perNode?: boolean;
    /**
     * Seconds the process drains in-flight requests after SIGTERM (a flag of
     * its own says so); the platform waits that long plus a margin before
     * killing it. Absent = the platform's default for the service.
     */
    drainSeconds?: number;
    /** Requests and limits; Kubernetes uses all, Docker the memory limit. */
    resources: { cpu: string; memory: string; memoryLimit: string };
    /** What Kubernetes needs beyond the above, resolved from the service's definition. */
    kubernetes: {
        serviceType: "ClusterIP" | "NodePort" | "LoadBalancer";
        /** The client CIDRs a LoadBalancer Service admits. */
        loadBalancerSourceRanges?: string[];
        /** Pods to run; "autoscaled" = an autoscaler owns the count. */
        replicas: number | "autoscaled";
        /** The volume several pods share, with its class and access mode. */
        sharedVolume?: { volume: string; storageClass: string; accessMode: "ReadWriteOnce" | "ReadWriteMany" };
        /** Runs with a ServiceAccount that may list pods (service discovery). */
        discoversPods: boolean;
        /**
         * Pods that together form one server (a model across nodes): a
         * LeaderWorkerSet of `replicas` groups of `size` pods. This spec is the
         * leader's, the only pod that serves; workers run it with `worker` applied,
         * without ports or probes.
         */
        group?: { size: number; worker: Pick<ServiceSpec, "command" | "files"> };
        /** A StatefulSet behind a headless Service, a claim per pod, instead of a Deployment. */
        stateful?: boolean;
        /** Gossip port between the pods, on the headless Service (TCP and UDP). */
        clusterPort?: number;
        /** When more than one pod may run: the PodDisruptionBudget's rule. */
        disruptionBudget?: DisruptionBudget;
        /** The service reloads its files on SIGHUP: they change in place, a sidecar sends the signal. */
        reloadsConfig?: boolean;
        /** Runs in the host namespace with the host-access label (host namespaces, host paths, capabilities). */
        hostAccess: boolean;
        /** uid when `user` is unset (see `KubernetesHints.runAsUser`). */
        runAsUser?: number;
        /** Writable directories outside the volumes (emptyDirs; the root filesystem is read-only). */
        writablePaths: string[];
        /** Runs with a ServiceAccount whose Role in the stack's namespace grants exactly these rules. */
        apiAccess?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    /** What Docker needs beyond the above. */
    docker: {
        /** Volumes kept when the stack is destroyed. */
        retainedVolumes: string[];
        /** The container's root filesystem is read-only (the image writes only to volumes; no files are uploaded). */
        readOnlyRootFilesystem?: boolean;
        /**
         * Several containers of the service on the one host, each with its
         * own name on the network and its own GPUs (replacing `gpus`' device
         * ids), sharing the volumes; absent = one container named after the service.
         */
        workers?: { name: string; deviceIds: number[] }[];
    };
}

/** What a deployed service offers to the rest of the program. */
export interface DeployedService {
    /** "host:port" other services use (network alias or Service DNS name). */
    address(port: string): string;
    /** The address a load balancer gives the port, once the Service exists (Kubernetes `LoadBalancer` Services only). */
    loadBalancerUrl?(port: string): pulumi.Output<string> | undefined;
    /** Resources that are ready once the service is healthy. */
    readyResources: pulumi.Resource[];
}

export interface Platform {
    deploy(spec: ServiceSpec, parent: pulumi.ComponentResource): DeployedService;
}

/** The name of a spec's objects and containers: its workload's, else its service's. */
export function workloadName(spec: Pick<ServiceSpec, "name" | "workload">): string {
    return spec.workload?.name ?? spec.name;
}
