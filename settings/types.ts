/**
 * The validated stack configuration, as plain values. Produced by
 * `parseSettings` from the raw key/value map of a stack; consumed by every
 * other module. Secret values are not here: only whether each one is set
 * (see `SecretPresence`), so that pure modules can decide shapes (is there a
 * Slack receiver?) without ever holding a secret.
 */
import type { ServiceSettings } from "../components/services";

export type { ServiceSettings };

export type Target = "docker" | "kubernetes";
export type GpuExporterKind = "dcgm" | "nvidia-smi" | "existing" | "none";
export type MonitoringMode = "bundled" | "operator";
export type MonitorKind = "servicemonitor" | "podmonitor";
export type AnankeLanguage = "python" | "typescript" | "go" | "rust" | "kotlin" | "swift" | "zig";
export type AnankeDomain = "syntax" | "types" | "imports" | "controlflow" | "semantics";
/**
 * How people reach the bundled Grafana on Kubernetes: only inside the cluster
 * (port-forward), a load balancer open to some client ranges, or an Ingress
 * with TLS.
 */
export type GrafanaExposure =
    | { kind: "cluster-ip" }
    | { kind: "load-balancer"; sourceRanges: string[] }
    | { kind: "ingress"; host: string; tlsSecret: string; className: string };

/** A Prometheus duration such as "30s", "5m", "1h", "15d". */
export type PromDuration = string;

export interface SglangSettings {
    /** Hugging Face model id or a path inside the model cache. */
    modelPath: string;
    /** Name served on the OpenAI API and carried in the `model_name` label. */
    servedModelName: string;
    /** GPUs requested per pod (per node); the tensor-parallel size (`--tp-size`) is this times `nodesPerReplica`. */
    gpuCount: number;
    /** Explicit GPU indices on a Docker host, `gpuCount` per worker in worker order; empty = any `gpuCount` GPUs (one worker) or 0, 1, … (several). */
    gpuDevices: number[];
    /** Docker: SGLang servers on the host, each on its own GPUs, behind the router when more than one. */
    workers: number;
    /** Kubernetes: nodes (pods of `gpuCount` GPUs) one server spans; more than 1 = a LeaderWorkerSet. */
    nodesPerReplica: number;
    anankeLanguage: AnankeLanguage;
    anankeMaxRollbackTokens: number;
    anankeEnabledDomains: AnankeDomain[];
    /** Fraction of GPU memory for weights and KV cache (`--mem-fraction-static`); 0 = SGLang's choice. */
    memFractionStatic: number;
    /** Extra server flags, appended verbatim. */
    extraArgs: string[];
    /** Shared memory for NCCL, in MiB. */
    shmSizeMiB: number;
    /** How long model loading may take before the health check counts failures. */
    startupSeconds: number;
}

/**
 * One model the stack serves, with its own SGLang servers; several models
 * share the one router, which routes by the request's `model`. Without the
 * `models` key the single-model keys are the one model (the short form).
 */
export interface ModelSettings extends SglangSettings {
    /** Key of the model's objects, a DNS label (`models[i].name`); "" in the short form. */
    name: string;
    /** Name of its servers' service, workloads and containers: `sglang` in the short form, else `sglang-<name>`. */
    serviceName: string;
    /** Its SGLang image, pinned (`sglangImage` unless the model sets its own). */
    image: string;
    /** Kubernetes: its servers (pods, or groups of pods spanning nodes); the autoscaler's floor when autoscaling. */
    replicas: number;
    /** Its objectives: the SLO keys' values unless the model sets its own. */
    slo: Pick<SloSettings, "availabilityObjective" | "latencyObjective" | "latencyThresholdSeconds">;
}

/** Metric contract ids the configuration names for custom images; "" = derived from the image tag. */
export interface MetricsContractSettings {
    sglang: string;
    gpuExporter: string;
    nodeExporter: string;
}

export interface DockerSettings {
    /** Docker daemon address: "" (local socket), unix://, tcp:// or ssh://user@host. */
    host: string;
    /** Address SGLang's and Grafana's published ports bind to on the Docker host. */
    bindAddress: string;
    /** Address Prometheus' and Alertmanager's published ports bind to. */
    monitoringBindAddress: string;
    /** Host name users (and the Grafana provider) reach published ports by. */
    publicHost: string;
    /** The Docker host's name, for GPU series' host label; "" = this machine's (resolved by config.ts). */
    hostName: string;
    /** GPUs the host has; 0 = not declared. */
    hostGpus: number;
}

export interface KubernetesSettings {
    namespace: string;
    /** Namespace of the host-access exporters, resolved ("" in config = `<namespace>-host`). */
    hostNamespace: string;
    /** kubeconfig context; "" = the current context. */
    context: string;
    replicas: number;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    /** Raw Kubernetes affinity object (parsed from JSON). */
    affinity: Record<string, unknown> | undefined;
    runtimeClassName: string;
    storageClass: string;
    grafanaExposure: GrafanaExposure;
    /** StorageClass of the model-cache PVC, resolved ("" in config = storageClass). */
    modelCacheStorageClass: string;
    /** Access mode of the model-cache PVC, resolved ("" in config = derived from replicas). */
    modelCacheAccessMode: "ReadWriteOnce" | "ReadWriteMany";
    /** gpuExporter existing: where the GPU Operator's DCGM exporter runs. */
    existingGpuExporter: { namespace: string; podLabels: Record<string, string>; portName: string };
    monitorKind: MonitorKind;
    /** monitoringMode operator: in-cluster URL of the cluster's Prometheus (Grafana datasource, KEDA). */
    operatorPrometheusUrl: string;
    monitorNamespace: string;
    monitorInterval: PromDuration;
    /** Labels the cluster's Prometheus selects monitors and rules by (e.g. release=kube-prometheus-stack). */
    monitorLabels: Record<string, string>;
    autoscaling: AutoscalingSettings;
    networkPolicy: NetworkPolicySettings;
}

export interface Toleration {
    key: string;
    operator: "Exists" | "Equal";
    value?: string;
    effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface AutoscalingSettings {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    /** Queue depth per replica above which KEDA adds replicas. */
    queueThreshold: number;
    /** Mean KV-cache token usage over the replicas (0–1) above which KEDA adds replicas. */
    kvCacheThreshold: number;
    /** Scale-up stabilization window of the HPA KEDA drives. */
    scaleUpSeconds: number;
    /** Scale-down stabilization window, and KEDA's wait before stopping the last replica. */
    cooldownSeconds: number;
    /** Replicas may go to zero (minReplicas 0), woken by requests at the router. */
    scaleToZero: boolean;
    fallbackReplicas: number;
    /** Where KEDA's operator runs (it queries Prometheus). */
    kedaNamespace: string;
}

export interface NetworkPolicySettings {
    enabled: boolean;
    /** CIDRs allowed to reach the SGLang API (besides the monitoring components). */
    apiClientCidrs: string[];
    /** Namespaces whose pods may reach the SGLang API and Grafana (an ingress controller's). */
    clientNamespaces: string[];
}

export interface GrafanaSettings {
    adminUser: string;
    /**
     * URL the Grafana provider uses during `pulumi up`. "" = derived from the
     * target (published port on Docker, Service address on Kubernetes).
     * Required with `monitoringMode: operator` (the cluster's Grafana).
     */
    url: string;
    /** Public URL used in links (alerts, outputs). "" = same as `url`. */
    externalUrl: string;
    /** Where the datasource reads: a long-term store's query URL and basic-auth user; url "" = the stack's Prometheus. */
    datasource: { url: string; username: string };
}

export interface PrometheusSettings {
    retention: PromDuration;
    scrapeInterval: PromDuration;
    evaluationInterval: PromDuration;
    /** Public URL of Prometheus used in alert links. "" = derived. */
    externalUrl: string;
    /** `cluster` external label; "" = none (required with remote write). */
    cluster: string;
    /** Where Prometheus also sends its samples; `undefined` = nowhere. */
    remoteWrite: RemoteWriteSettings | undefined;
}

export type RemoteWriteAuthKind = "none" | "basic" | "bearer" | "oauth2";

/** Remote write to a long-term store. Credentials are files (see monitoring/remote-write.ts); here only which kind. */
export interface RemoteWriteSettings {
    url: string;
    auth:
        | { kind: "none" }
        | { kind: "basic"; username: string }
        | { kind: "bearer" }
        | { kind: "oauth2"; clientId: string; tokenUrl: string; scopes: string[] };
    /** Send every scraped series instead of the recorded series and what the dashboard and alerts read. */
    sendAll: boolean;
    queue: { capacity: number; maxShards: number; maxSamplesPerSend: number; batchSendDeadline: PromDuration };
}

/** One alert's tunables: threshold (in the alert's unit) and `for` duration. */
export interface AlertTuning {
    threshold: number;
    for: PromDuration;
}

export interface AlertSettings {
    serverDown: { for: PromDuration };
    gpuMemoryHigh: AlertTuning; // percent
    highLatency: AlertTuning; // P95 seconds
    errorRateHigh: AlertTuning; // ratio 0-1
    constraintViolationsHigh: AlertTuning; // per second
    rollbacksHigh: AlertTuning; // per second
    grammarCacheMissHigh: AlertTuning; // ratio 0-1
    gpuTemperatureHigh: AlertTuning; // degrees Celsius
    gpuUtilizationLow: AlertTuning; // percent
    hostCpuHigh: AlertTuning; // percent
    hostMemoryHigh: AlertTuning; // percent
    diskSpaceLow: AlertTuning; // percent used
    queueBacklog: AlertTuning; // requests
    kvCacheHigh: AlertTuning; // ratio 0-1
    targetDown: { for: PromDuration };
    engineStalled: { for: PromDuration };
    throughputCollapse: AlertTuning; // share of the hour before, 0-1
    gpuBusyIdlePower: AlertTuning; // watts
    gpuXid: { for: PromDuration };
    gpuRowRemapFailure: { for: PromDuration };
    gpuPcieReplays: AlertTuning; // replays per second
    gpuMemoryTemperature: AlertTuning; // °C
    gpuEccUncorrectable: { for: PromDuration };
    gpuThrottling: AlertTuning; // share of time throttled, 0-1
    gpuMissing: { for: PromDuration };
    gpuExporterDown: { for: PromDuration };
    canaryFailing: { for: PromDuration };
    canarySlow: AlertTuning; // seconds
    routerDown: { for: PromDuration };
    routerNoHealthyWorker: { for: PromDuration };
    routerModelWithoutWorkers: { for: PromDuration };
    routerWorkerUnhealthy: { for: PromDuration };
    routerWorkerEjected: { for: PromDuration };
    /** Ratio 0-1, judged only above `minRequestsPerSecond`. */
    routerErrors: AlertTuning & { minRequestsPerSecond: number };
}

/** What serving costs (monitoring/recording-cost.ts). */
export interface CostSettings {
    /** Price of one GPU-hour, currency-agnostic; undefined = no cost rules or panels. */
    gpuHourlyPrice?: number;
}

/** The synthetic canary (monitoring/canary.ts). */
export interface CanarySettings {
    enabled: boolean;
    interval: PromDuration;
    maxTokens: number;
    timeoutSeconds: number;
}

export interface SloSettings {
    /** Availability objective, e.g. 0.995 = 99.5 % of requests not aborted. */
    availabilityObjective: number;
    /** Latency objective, e.g. 0.99 = 99 % of requests with TTFT under the threshold. */
    latencyObjective: number;
    /** TTFT threshold in seconds; must be a bucket boundary of sglang:time_to_first_token_seconds. */
    latencyThresholdSeconds: number;
    /** Inter-token latency objective: share of generated tokens within the threshold of the previous one. */
    itlObjective: number;
    /** Inter-token latency threshold, seconds: a bucket boundary of the ITL histogram. */
    itlThresholdSeconds: number;
}

export interface AlertmanagerSettings {
    slackChannel: string;
    groupWait: PromDuration;
    groupInterval: PromDuration;
    repeatInterval: PromDuration;
    /** Public URL of Alertmanager used in notification links. "" = derived. */
    externalUrl: string;
}

/** Which optional secrets the stack sets. Values live only in Pulumi outputs. */
export interface SecretPresence {
    slackWebhookUrl: boolean;
    pagerdutyRoutingKey: boolean;
    /** Dead-man's-switch URL the Watchdog alert is sent to. */
    heartbeatUrl: boolean;
    huggingFaceToken: boolean;
    sglangApiKey: boolean;
    /** Only used with monitoringMode operator (the cluster's Grafana). */
    grafanaAuth: boolean;
    /** Remote write's credential for remoteWriteAuth basic, bearer and oauth2. */
    remoteWritePassword: boolean;
    remoteWriteBearerToken: boolean;
    remoteWriteOauth2ClientSecret: boolean;
    /** Basic-auth password of the datasource on a long-term store. */
    grafanaDatasourcePassword: boolean;
}

export interface Settings {
    /** Pulumi stack name (or the file's stack name when rendering). */
    stack: string;
    target: Target;
    monitoringMode: MonitoringMode;
    gpuExporter: GpuExporterKind;
    /** The single-model keys: the short form's one model, and the defaults of every entry of `models`. */
    sglang: SglangSettings;
    /** The models served, at least one; each entry complete (its own values or the single-model keys'). */
    models: ModelSettings[];
    /** Each service's own keys (image, port, resources, storage), platform-neutral. */
    services: ServiceSettings;
    /** Which metric contract each exporter follows, when its image tag does not say. */
    metricsContracts: MetricsContractSettings;
    docker: DockerSettings;
    kubernetes: KubernetesSettings;
    grafana: GrafanaSettings;
    prometheus: PrometheusSettings;
    alertmanager: AlertmanagerSettings;
    alerts: AlertSettings;
    /** Base URL of docs/runbooks, for alerts' runbook_url. */
    runbookBaseUrl: string;
    slo: SloSettings;
    canary: CanarySettings;
    cost: CostSettings;
    secrets: SecretPresence;
}

/** Config keys that hold secrets, in the order they are documented. */
export const SECRET_KEYS = [
    "slackWebhookUrl",
    "pagerdutyRoutingKey",
    "heartbeatUrl",
    "huggingFaceToken",
    "sglangApiKey",
    "grafanaAuth",
    "remoteWritePassword",
    "remoteWriteBearerToken",
    "remoteWriteOauth2ClientSecret",
    "grafanaDatasourcePassword",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** SGLang may run no replica at all: autoscaling with scale to zero (Kubernetes only; the parser refuses it elsewhere). */
export function scalesToZero(settings: Settings): boolean {
    const a = settings.kubernetes.autoscaling;
    return settings.target === "kubernetes" && a.enabled && a.scaleToZero;
}
