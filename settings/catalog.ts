/**
 * Every stack configuration key: its Pulumi schema type, default, meaning and
 * check. `Pulumi.yaml` and docs/configuration.md are generated from this list
 * (`npm run gen`), and tests fail when they drift.
 */
import { SERVICE_KEYS, type ServiceKeyDef } from "../components/services";
import * as c from "./checks";
import { contractIds } from "../contracts/gate";
import { def, type KeyDef, type SchemaType } from "./keys";

export type { KeyDef, SchemaType };

const GUIDE_ALERT = "(the guide's value)";

const alertFor = <K extends string>(key: K, dflt: string, what: string) =>
    def("Alerts", key, "string", dflt, `How long ${what} must hold before the alert fires.`, c.duration());

export const ANANKE_LANGUAGES = ["python", "typescript", "go", "rust", "kotlin", "swift", "zig"] as const;
export const ANANKE_DOMAINS = ["syntax", "types", "imports", "controlflow", "semantics"] as const;

/** Keys of the stack as a whole; each service's own keys are declared with the service (components/services.ts). */
const STACK_KEYS = [
    // Deployment
    def("Deployment", "target", "string", "docker", "Where the stack runs: `docker` (one GPU host) or `kubernetes` (a cluster with GPU nodes).", c.oneOf(["docker", "kubernetes"])),
    def("Deployment", "monitoringMode", "string", "bundled", "`bundled` deploys Prometheus, Alertmanager and Grafana; `operator` (Kubernetes only) plugs into a Prometheus Operator and Grafana the cluster already runs.", c.oneOf(["bundled", "operator"])),
    def("Deployment", "production", "boolean", false, "A production stack: the preview fails unless pagerdutyRoutingKey, heartbeatUrl and sglangApiKey are set (as secrets), so no one is left unpaged, unwatched or open to any client.", c.boolean()),
    def("Deployment", "gpuExporter", "string", "dcgm", "GPU metrics exporter: `dcgm` (NVIDIA DCGM exporter), `nvidia-smi` (nvidia_gpu_exporter), `existing` (Kubernetes: scrape the GPU Operator's DCGM exporter) or `none`.", c.oneOf(["dcgm", "nvidia-smi", "existing", "none"])),

    // SGLang
    def("SGLang", "model", "string", "Qwen/Qwen2.5-Coder-7B-Instruct", "Hugging Face model id (or a path inside the model cache) passed as `--model-path`.", c.text({ pattern: /^[A-Za-z0-9._/-]+$/, allowed: "a Hugging Face model id such as org/name, or a path" })),
    def("SGLang", "servedModelName", "string", "", "Model name on the OpenAI API and in the `model_name` metric label; \"\" = the model id.", c.text({ pattern: /^[A-Za-z0-9._/:-]+$/, allowed: "a model name without spaces", allowEmpty: true })),
    def("SGLang", "gpuCount", "integer", 1, "GPUs for the server; also its tensor-parallel size (`--tp-size`).", c.integerIn([1, 2, 4, 8, 16], "(the tensor-parallel size)")),
    def("SGLang", "gpuDevices", "array", [], "Docker: GPU indices to use, e.g. [0, 1]; empty = any `gpuCount` GPUs. Its length must equal `gpuCount`.", c.list(c.integer(0, 63), { allowed: "GPU indices from 0 to 63", unique: true }), { items: "integer" }),
    def("SGLang", "anankeLanguage", "string", "python", "`--ananke-language`: the language constrained generation targets.", c.oneOf(ANANKE_LANGUAGES)),
    def("SGLang", "anankeMaxRollbackTokens", "integer", 200, "`--ananke-max-rollback-tokens`: tokens Ananke may roll back to repair a violation.", c.integer(1, 4096)),
    def("SGLang", "anankeEnabledDomains", "array", [...ANANKE_DOMAINS], "`--ananke-enabled-domains`: constraint domains to enforce.", c.list(c.oneOf(ANANKE_DOMAINS), { allowed: ANANKE_DOMAINS.join(", "), unique: true, minItems: 1 }), { items: "string" }),
    def("SGLang", "memFractionStatic", "string", "0", "`--mem-fraction-static` (0.1-0.95); 0 = SGLang's own choice.", (raw) => {
        const r = c.decimal(0, 0.95)(raw);
        return r.ok && r.value !== 0 && r.value < 0.1 ? { ok: false, allowed: "0 or a number from 0.1 to 0.95" } : r.ok ? r : { ok: false, allowed: "0 or a number from 0.1 to 0.95" };
    }),
    def("SGLang", "sglangExtraArgs", "array", [], "Extra server flags appended verbatim, e.g. [\"--context-length\", \"32768\"]. Flags the program manages are refused.", c.list(c.text({ allowed: "a flag or value" }), { allowed: "strings" }), { items: "string" }),
    def("SGLang", "shmSizeMiB", "integer", 16384, "Shared memory (`/dev/shm`) for NCCL, in MiB.", c.integer(1024, 1048576, "MiB")),
    def("SGLang", "sglangStartupSeconds", "integer", 1800, "Time allowed for downloading and loading the model before health checks count.", c.integer(60, 14400, "seconds")),

    // Docker host
    // tcp:// is refused: the stack passes the provider no TLS client certificate, and a plain TCP daemon is root on the host for anyone who reaches it.
    def("Docker", "dockerHost", "string", "", "Docker daemon: \"\" = local socket, or unix:///path or ssh://user@gpu-host (tcp:// is refused: the daemon would be reachable unauthenticated).", c.text({ pattern: /^(unix:\/\/\/.+|ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:\d+)?)$/, allowed: "\"\" or unix:///path or ssh://[user@]host[:port] (not tcp://: the stack has no TLS client certificate for it; reach a remote daemon over ssh://)", allowEmpty: true })),
    def("Docker", "bindAddress", "string", "127.0.0.1", "Host address published ports bind to; 0.0.0.0 exposes them on every interface.", c.text({ pattern: c.IPV4, allowed: "an IPv4 address such as 127.0.0.1" })),
    def("Docker", "dockerHostName", "string", "", "Name of the Docker host, given to GPU series as their host (DCGM's `NODE_NAME`, the `node` label of scraped targets) so they keep their identity when containers are recreated; \"\" = the host of `dockerHost`, or this machine's name for a local daemon.", c.text({ pattern: c.HOSTNAME, allowed: "a host name or IPv4 address", allowEmpty: true })),
    def("Docker", "publicHost", "string", "localhost", "Host name that users and the Grafana provider use to reach published ports (see README: remote hosts).", c.text({ pattern: c.HOSTNAME, allowed: "a host name or IPv4 address" })),

    // Metric contracts (what an exporter version writes; see README, Supported versions)
    def("Metric contracts", "sglangMetricsContract", "string", "", "Metric contract (what the server writes) of a custom `sglangImage`, e.g. a build of the Ananke fork; \"\" = the one its tag is known for (see README, Supported versions).", c.oneOf(["", ...contractIds(["sglang"])])),
    def("Metric contracts", "gpuExporterMetricsContract", "string", "", "Metric contract of a custom GPU exporter image, or of the GPU Operator's exporter with gpuExporter `existing`; \"\" = the one its tag is known for.", c.oneOf(["", ...contractIds(["dcgm-exporter", "nvidia-gpu-exporter"])])),
    def("Metric contracts", "nodeExporterMetricsContract", "string", "", "Metric contract of a custom `nodeExporterImage`; \"\" = the one its tag is known for.", c.oneOf(["", ...contractIds(["node-exporter"])])),

    // Prometheus
    def("Prometheus", "prometheusRetention", "string", "15d", "How long Prometheus keeps samples.", c.duration({ minSeconds: 7200 })),
    def("Prometheus", "prometheusScrapeInterval", "string", "15s", "Scrape interval of every target.", c.duration({ minSeconds: 1, maxSeconds: 300 })),
    def("Prometheus", "prometheusEvaluationInterval", "string", "15s", "Rule evaluation interval.", c.duration({ minSeconds: 1, maxSeconds: 300 })),
    def("Prometheus", "prometheusExternalUrl", "string", "", "URL people open Prometheus at: the `prometheusUrl` output, alert links and `--web.external-url`; \"\" = Docker: publicHost and the published port; Kubernetes: the in-cluster URL in links, and a `kubectl port-forward` command as the output.", c.url({ optional: true })),
    // Remote write: a long-term store (Mimir, Thanos Receive, VictoriaMetrics, Grafana Cloud) outlives this Prometheus.
    def("Prometheus", "clusterName", "string", "", "`cluster` external label on every series and alert, naming where the stack runs in a shared store; required with remoteWriteUrl.", c.text({ pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, allowed: "\"\" or a name of letters, digits and ._- (at most 63)", allowEmpty: true })),
    def("Prometheus", "remoteWriteUrl", "string", "", "Remote-write endpoint of a long-term store, e.g. https://mimir.example.com/api/v1/push; \"\" = no remote write. Bundled monitoring only.", c.url({ optional: true })),
    def("Prometheus", "remoteWriteAuth", "string", "none", "How Prometheus authenticates to remoteWriteUrl: `none`, `basic` (remoteWriteUsername, remoteWritePassword), `bearer` (remoteWriteBearerToken) or `oauth2` (client credentials).", c.oneOf(["none", "basic", "bearer", "oauth2"])),
    def("Prometheus", "remoteWriteUsername", "string", "", "remoteWriteAuth basic: user name (Grafana Cloud: the instance id).", c.text({ pattern: /^[^\s:]{1,128}$/, allowed: "\"\" or a user name without spaces or colons", allowEmpty: true })),
    def("Prometheus", "remoteWriteOauth2ClientId", "string", "", "remoteWriteAuth oauth2: client id.", c.text({ pattern: /^\S{1,256}$/, allowed: "\"\" or a client id without spaces", allowEmpty: true })),
    def("Prometheus", "remoteWriteOauth2TokenUrl", "string", "", "remoteWriteAuth oauth2: token endpoint of the client-credentials grant.", c.url({ optional: true, schemes: ["https"] })),
    def("Prometheus", "remoteWriteOauth2Scopes", "array", [], "remoteWriteAuth oauth2: scopes requested with the token.", c.list(c.text({ pattern: /^\S+$/, allowed: "a scope" }), { allowed: "scopes without spaces", unique: true }), { items: "string" }),
    def("Prometheus", "remoteWriteSendAll", "boolean", false, "Send every scraped series; false = only the recorded series, `up`, `ALERTS` and the raw series the dashboard and alerts read (a fraction of the samples).", c.boolean()),
    def("Prometheus", "remoteWriteQueueCapacity", "integer", 10000, "Samples buffered per shard; at least remoteWriteMaxSamplesPerSend (Prometheus advises 3 to 10 times it).", c.integer(100, 1000000, "samples")),
    def("Prometheus", "remoteWriteMaxShards", "integer", 10, "Most parallel senders. A stack writes a few thousand samples per second; 10 shards keep up with that and with catching up after an outage, and bound the connections and memory the store sees.", c.integer(1, 1000)),
    def("Prometheus", "remoteWriteMaxSamplesPerSend", "integer", 2000, "Samples per request.", c.integer(10, 100000, "samples")),
    def("Prometheus", "remoteWriteBatchSendDeadline", "string", "5s", "Longest a shard waits to fill a request before sending it.", c.duration({ minSeconds: 1, maxSeconds: 60 })),
    def("Prometheus", "remoteWritePassword", "string", "", "remoteWriteAuth basic: password (Grafana Cloud: an access-policy token); reaches Prometheus as a file.", c.text({ pattern: /^\S+$/, allowed: "\"\" or a password without spaces", allowEmpty: true }), { secret: true }),
    def("Prometheus", "remoteWriteBearerToken", "string", "", "remoteWriteAuth bearer: token sent as `Authorization: Bearer`; reaches Prometheus as a file.", c.text({ pattern: /^\S+$/, allowed: "\"\" or a token without spaces", allowEmpty: true }), { secret: true }),
    def("Prometheus", "remoteWriteOauth2ClientSecret", "string", "", "remoteWriteAuth oauth2: client secret; reaches Prometheus as a file.", c.text({ pattern: /^\S+$/, allowed: "\"\" or a client secret without spaces", allowEmpty: true }), { secret: true }),

    // Grafana
    def("Grafana", "grafanaAdminUser", "string", "admin", "Grafana admin user name (its password is generated).", c.text({ pattern: /^[A-Za-z0-9._@-]{1,64}$/, allowed: "a user name of letters, digits and ._@-" })),
    def("Grafana", "grafanaUrl", "string", "", "URL the Grafana provider uses during `pulumi up`; \"\" = derived. Required with monitoringMode operator.", c.url({ optional: true })),
    def("Grafana", "grafanaDatasourceUrl", "string", "", "Prometheus-compatible query URL of the long-term store the Grafana datasource reads instead of the stack's Prometheus (Mimir: https://mimir.example.com/prometheus; Thanos Query; VictoriaMetrics); \"\" = the stack's Prometheus. Bundled monitoring needs remoteWriteUrl with it.", c.url({ optional: true })),
    def("Grafana", "grafanaDatasourceUsername", "string", "", "grafanaDatasourceUrl: basic-auth user name (Grafana Cloud: the instance id); \"\" = no authentication.", c.text({ pattern: /^[^\s:]{1,128}$/, allowed: "\"\" or a user name without spaces or colons", allowEmpty: true })),
    def("Grafana", "grafanaDatasourcePassword", "string", "", "grafanaDatasourceUrl: basic-auth password (Grafana Cloud: an access-policy token with metrics:read); kept in the datasource's secure fields.", c.text({ pattern: /^\S+$/, allowed: "\"\" or a password without spaces", allowEmpty: true }), { secret: true }),
    def("Grafana", "grafanaExternalUrl", "string", "", "URL people open Grafana at: the `grafanaUrl` and `dashboardUrl` outputs, alert links and Grafana's root URL; \"\" = grafanaUrl, else Docker: publicHost and the published port; Kubernetes: the load balancer's address as outputs, the in-cluster URL in links.", c.url({ optional: true })),

    // Alertmanager
    def("Alertmanager", "slackChannel", "string", "#alerts", "Slack channel for warning and info alerts.", c.text({ pattern: /^[#@][A-Za-z0-9._-]{1,80}$/, allowed: "a channel such as #alerts or a user such as @oncall" })),
    def("Alertmanager", "alertGroupWait", "string", "30s", "Alertmanager group_wait: how long to gather alerts before the first notification.", c.duration({ minSeconds: 0, maxSeconds: 3600 })),
    def("Alertmanager", "alertGroupInterval", "string", "5m", "Alertmanager group_interval: wait before notifying about new alerts in a group.", c.duration({ minSeconds: 1 })),
    def("Alertmanager", "alertRepeatInterval", "string", "4h", "Alertmanager repeat_interval: re-notify an unresolved alert after this long.", c.duration({ minSeconds: 60 })),
    def("Alertmanager", "alertmanagerExternalUrl", "string", "", "URL people open Alertmanager at: the `alertmanagerUrl` output and `--web.external-url`; \"\" = Docker: publicHost and the published port; Kubernetes: the in-cluster URL in links, and a `kubectl port-forward` command as the output.", c.url({ optional: true })),

    // Alerts
    alertFor("alertServerDownFor", "1m", `SGLang being unreachable ${GUIDE_ALERT}`),
    def("Alerts", "alertGpuMemoryPercent", "integer", 95, `GPUMemoryHigh: GPU memory used, percent ${GUIDE_ALERT}.`, c.integer(1, 100, "percent")),
    alertFor("alertGpuMemoryFor", "5m", "GPU memory above the threshold"),
    def("Alerts", "alertLatencyP95Seconds", "string", "30", `SGLangHighLatency: P95 end-to-end latency in seconds ${GUIDE_ALERT}.`, c.decimal(0, 2400, { exclusive: true, unit: "seconds" })),
    alertFor("alertLatencyFor", "5m", "P95 latency above the threshold"),
    def("Alerts", "alertErrorRatio", "string", "0.05", `SGLangErrorRateHigh: share of failed requests, 0-1 ${GUIDE_ALERT}.`, c.decimal(0, 1, { exclusive: true })),
    alertFor("alertErrorRateFor", "5m", "the error ratio above the threshold"),
    def("Alerts", "alertConstraintViolationsPerSecond", "string", "10", `AnankeConstraintViolationsHigh: violations per second ${GUIDE_ALERT}.`, c.decimal(0, 1e6, { exclusive: true })),
    alertFor("alertConstraintViolationsFor", "5m", "the violation rate above the threshold"),
    def("Alerts", "alertRollbacksPerSecond", "string", "20", `AnankeRollbacksHigh: rollbacks per second ${GUIDE_ALERT}.`, c.decimal(0, 1e6, { exclusive: true })),
    alertFor("alertRollbacksFor", "5m", "the rollback rate above the threshold"),
    def("Alerts", "alertGrammarCacheMissRatio", "string", "0.5", "AnankeGrammarCacheMissHigh: grammar cache miss ratio, 0-1.", c.decimal(0, 1, { exclusive: true })),
    alertFor("alertGrammarCacheMissFor", "10m", "the miss ratio above the threshold"),
    def("Alerts", "alertGpuTemperatureCelsius", "integer", 85, "GPUTemperatureHigh: GPU temperature in degrees Celsius.", c.integer(30, 120, "°C")),
    alertFor("alertGpuTemperatureFor", "5m", "the temperature above the threshold"),
    def("Alerts", "alertGpuUtilizationLowPercent", "integer", 10, "GPUUtilizationLow: 10-minute average GPU utilization below this percent.", c.integer(1, 100, "percent")),
    alertFor("alertGpuUtilizationLowFor", "30m", "utilization below the threshold"),
    def("Alerts", "alertHostCpuPercent", "integer", 90, "HighCPUUsage: host CPU busy, percent.", c.integer(1, 100, "percent")),
    alertFor("alertHostCpuFor", "10m", "CPU above the threshold"),
    def("Alerts", "alertHostMemoryPercent", "integer", 90, "HighMemoryUsage: host memory used, percent.", c.integer(1, 100, "percent")),
    alertFor("alertHostMemoryFor", "10m", "memory above the threshold"),
    def("Alerts", "alertDiskUsedPercent", "integer", 85, "DiskSpaceLow: root filesystem used, percent.", c.integer(1, 100, "percent")),
    alertFor("alertDiskUsedFor", "10m", "disk usage above the threshold"),
    def("Alerts", "alertQueueBacklog", "integer", 100, "RequestQueueBacklog: requests waiting in the scheduler queue.", c.integer(1, 1000000, "requests")),
    alertFor("alertQueueBacklogFor", "5m", "the queue above the threshold"),
    def("Alerts", "alertKvCacheUsageRatio", "string", "0.9", "SGLangKVCacheHigh: KV-cache token usage (sglang:token_usage), 0-1.", c.decimal(0, 1, { exclusive: true })),
    alertFor("alertKvCacheUsageFor", "10m", "KV-cache usage above the threshold"),
    alertFor("alertTargetDownFor", "10m", "a scrape target being down (TargetDown)"),
    // Serving that stops without failing a health check, and GPU faults (runbooks justify the defaults).
    def("Alerts", "alertEngineStalledFor", "string", "10m", "SGLangEngineStalled: how long requests may run or wait while no request finishes and no token is counted (longer than your longest generation).", c.duration({ minSeconds: 60 })),
    def("Alerts", "alertThroughputCollapseRatio", "string", "0.2", "SGLangThroughputCollapsed: generation throughput over 5m below this share of the hour before, while requests run.", c.decimal(0, 1, { exclusive: true })),
    alertFor("alertThroughputCollapseFor", "10m", "throughput below that share"),
    def("Alerts", "alertGpuBusyIdlePowerWatts", "integer", 150, "GPUBusyAtIdlePower (NCCL hang): two or more GPUs of a host at 95 % or more utilization while each draws less than this many watts.", c.integer(1, 2000, "watts")),
    alertFor("alertGpuBusyIdlePowerFor", "5m", "GPUs busy at idle power"),
    alertFor("alertGpuXidFor", "0s", "a new XID error (GPUXidError, GPUXidCritical)"),
    alertFor("alertGpuRowRemapFailureFor", "0s", "a failed row remapping (GPURowRemapFailure)"),
    def("Alerts", "alertGpuPcieReplaysPerSecond", "string", "1", "GPUPcieReplaysHigh: PCIe replays per second (a healthy link has none).", c.decimal(0, 1e6, { exclusive: true })),
    alertFor("alertGpuPcieReplaysFor", "10m", "the PCIe replay rate above the threshold"),
    def("Alerts", "alertGpuMemoryTemperatureCelsius", "integer", 95, "GPUMemoryTemperatureHigh: HBM temperature in degrees Celsius (DCGM only).", c.integer(30, 150, "°C")),
    alertFor("alertGpuMemoryTemperatureFor", "5m", "the HBM temperature above the threshold"),
    alertFor("alertGpuEccUncorrectableFor", "0s", "a new uncorrectable (double-bit) ECC error (GPUEccUncorrectableErrors)"),
    def("Alerts", "alertGpuThrottledRatio", "string", "0.2", "GPUThermalThrottling: share of time, 0-1, a GPU's clocks are held down by temperature or the power limit (5-minute rate).", c.decimal(0, 1, { exclusive: true })),
    alertFor("alertGpuThrottledFor", "15m", "the throttled share above the threshold"),
    alertFor("alertGpuMissingFor", "5m", "fewer GPUs reporting than in the hour before (GPUMissing)"),
    alertFor("alertGpuExporterDownFor", "5m", "the GPU exporter being unreachable (GPUExporterDown)"),

    def("Alerts", "runbookBaseUrl", "string", "https://github.com/sglang-ananke/sglang-ananke/blob/main/docs/runbooks", "Where alerts' runbook_url links point: this repository's docs/runbooks (set it to your fork).", c.url()),

    // SLOs
    // The synthetic canary (blackbox exporter)
    def("Canary", "canaryEnabled", "boolean", true, "Send SGLang a small JSON-schema-constrained chat completion at canaryInterval and page when it fails (see README: the canary and its cost).", c.boolean()),
    def("Canary", "canaryInterval", "string", "60s", "How often the canary asks: at 60s, 60 requests an hour, each about 40 prompt tokens and at most canaryMaxTokens generated.", c.duration({ minSeconds: 10, maxSeconds: 3600 })),
    def("Canary", "canaryMaxTokens", "integer", 16, "Most tokens a canary answer may generate ({\"status\": \"ok\"} takes about 6).", c.integer(8, 256, "tokens")),
    def("Canary", "canaryTimeoutSeconds", "integer", 30, "How long a canary request may take before it counts as failed; at most canaryInterval.", c.integer(1, 600, "seconds")),
    alertFor("alertCanaryFailingFor", "3m", "the canary failing (SGLangCanaryFailing)"),
    def("Alerts", "alertCanarySlowSeconds", "string", "10", "SGLangCanarySlow: the canary's objective, seconds for its whole request (a few tokens: well under TTFT plus 16 inter-token intervals on a healthy server).", c.decimal(0, 600, { exclusive: true, unit: "seconds" })),
    alertFor("alertCanarySlowFor", "10m", "the canary slower than its objective"),

    def("SLOs", "sloAvailabilityObjective", "string", "0.995", "Availability SLO over 30 days: share of requests not aborted.", c.decimal(0.9, 1, { exclusive: true })),
    def("SLOs", "sloLatencyObjective", "string", "0.99", "Latency SLO over 30 days: share of requests whose TTFT is under sloTtftThresholdSeconds.", c.decimal(0.9, 1, { exclusive: true })),
    def("SLOs", "sloItlObjective", "string", "0.99", "Inter-token latency SLO over 30 days: share of generated tokens that follow the previous one within sloItlThresholdSeconds.", c.decimal(0.9, 1, { exclusive: true })),
    def("SLOs", "sloItlThresholdSeconds", "string", "0.1", "Inter-token latency threshold of its SLO: a bucket boundary of `sglang:inter_token_latency_seconds` in the configured image's version (v0.5.4.post1 and the Ananke fork: 0.002 … 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8).", c.decimal(0, 100, { exclusive: true })),
    def("SLOs", "sloTtftThresholdSeconds", "string", "2", "TTFT threshold of the latency SLO: a bucket boundary of `sglang:time_to_first_token_seconds` in the configured image's version (v0.5.4.post1 and the Ananke fork: 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400).", c.decimal(0, 1000, { exclusive: true })),

    // Kubernetes
    def("Kubernetes", "namespace", "string", "sglang", "Namespace for every object of the stack; not a system namespace (default, kube-system, kube-public, kube-node-lease).", c.namespace()),
    def("Kubernetes", "kubeContext", "string", "", "kubeconfig context; \"\" = the current one.", c.text({ allowEmpty: true, allowed: "a context name" })),
    def("Kubernetes", "replicas", "integer", 1, "SGLang replicas (each with gpuCount GPUs).", c.integer(1, 64)),
    def("Kubernetes", "nodeSelector", "array", [], "Node labels the SGLang pods require, as key=value strings.", c.keyValues("node labels"), { items: "string" }),
    def("Kubernetes", "tolerations", "array", ["nvidia.com/gpu:NoSchedule"], "Taints GPU pods (SGLang, GPU exporter, node exporter) tolerate, in kubectl's form key[=value]:Effect.", c.list(c.text({ pattern: /^[A-Za-z0-9][A-Za-z0-9._/-]*(=[A-Za-z0-9._-]+)?:(NoSchedule|PreferNoSchedule|NoExecute)$/, allowed: "key[=value]:Effect" }), { allowed: "key[=value]:Effect strings (Effect NoSchedule, PreferNoSchedule or NoExecute)", unique: true }), { items: "string" }),
    def("Kubernetes", "affinityJson", "string", "", "Kubernetes affinity for the SGLang pods, as JSON; \"\" = none.", c.jsonObject("a Kubernetes Affinity")),
    def("Kubernetes", "runtimeClassName", "string", "", "RuntimeClass for GPU pods (often `nvidia`); \"\" = the cluster default.", c.text({ pattern: c.DNS_LABEL, allowed: "a RuntimeClass name", allowEmpty: true })),
    def("Kubernetes", "storageClass", "string", "", "StorageClass of every PersistentVolumeClaim; \"\" = the cluster default.", c.text({ pattern: c.DNS_LABEL, allowed: "a StorageClass name", allowEmpty: true })),
    def("Kubernetes", "modelCacheStorageClass", "string", "", "StorageClass of the model-cache claim; \"\" = storageClass. Several SGLang replicas need one that offers ReadWriteMany (NFS, EFS, Filestore), which Prometheus' TSDB should not use.", c.text({ pattern: c.DNS_LABEL, allowed: "a StorageClass name", allowEmpty: true })),
    def("Kubernetes", "modelCacheAccessMode", "string", "", "Access mode of the model-cache PersistentVolumeClaim; \"\" = ReadWriteMany when SGLang can run more than one pod (replicas or autoscaling above 1, which needs a storageClass that supports it), else ReadWriteOnce.", c.oneOf(["", "ReadWriteOnce", "ReadWriteMany"])),
    def("Kubernetes", "gpuExporterNamespace", "string", "gpu-operator", "gpuExporter existing: namespace of the GPU Operator's DCGM exporter pods.", c.text({ pattern: c.DNS_LABEL, allowed: "a lowercase DNS label such as gpu-operator" })),
    def("Kubernetes", "gpuExporterPodLabels", "array", ["app=nvidia-dcgm-exporter"], "gpuExporter existing: labels that select the GPU Operator's DCGM exporter pods, as key=value strings.", c.keyValues("pod labels"), { items: "string" }),
    def("Kubernetes", "gpuExporterPortName", "string", "metrics", "gpuExporter existing: name of the container port the GPU Operator's DCGM exporter serves metrics on.", c.text({ pattern: /^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, allowed: "a Kubernetes port name (at most 15 lowercase letters, digits, -)" })),
    def("Kubernetes", "grafanaServiceType", "string", "ClusterIP", "Service type of the bundled Grafana (how `pulumi up` reaches it without grafanaUrl: see README).", c.oneOf(["ClusterIP", "NodePort", "LoadBalancer"])),
    def("Kubernetes", "operatorPrometheusUrl", "string", "", "monitoringMode operator: in-cluster URL of the cluster's Prometheus, for the Grafana datasource and KEDA, e.g. http://prometheus-operated.monitoring.svc:9090. Required with operator.", c.url({ optional: true })),
    def("Kubernetes", "monitorKind", "string", "servicemonitor", "monitoringMode operator: scrape SGLang through a `servicemonitor` or a `podmonitor`.", c.oneOf(["servicemonitor", "podmonitor"])),
    def("Kubernetes", "monitorNamespace", "string", "", "Namespace of the ServiceMonitor/PodMonitor and PrometheusRule; \"\" = namespace. Not a system namespace.", c.namespace({ allowEmpty: true })),
    def("Kubernetes", "monitorInterval", "string", "30s", "Scrape interval of the ServiceMonitor/PodMonitor.", c.duration({ minSeconds: 1, maxSeconds: 300 })),
    def("Kubernetes", "monitorLabels", "array", [], "Extra labels on monitors and rules so the cluster's Prometheus selects them, e.g. release=kube-prometheus-stack.", c.keyValues("labels"), { items: "string" }),
    def("Kubernetes", "autoscalingEnabled", "boolean", false, "Scale SGLang on queue depth with a KEDA ScaledObject.", c.boolean()),
    def("Kubernetes", "autoscalingMinReplicas", "integer", 1, "Fewest SGLang replicas under autoscaling; at least 1, since the queue depth is read from the replicas themselves.", c.integer(1, 64)),
    def("Kubernetes", "autoscalingMaxReplicas", "integer", 4, "Most SGLang replicas under autoscaling.", c.integer(1, 64)),
    def("Kubernetes", "autoscalingQueueThreshold", "integer", 5, "Queued requests per replica that trigger a scale-up.", c.integer(1, 10000)),
    def("Kubernetes", "autoscalingCooldownSeconds", "integer", 300, "Seconds after the last trigger before scaling down.", c.integer(0, 86400)),
    def("Kubernetes", "autoscalingFallbackReplicas", "integer", 1, "Replicas KEDA keeps when Prometheus cannot be queried.", c.integer(0, 64)),
    def("Kubernetes", "networkPolicyEnabled", "boolean", false, "Create NetworkPolicies: metrics ports reachable only from monitoring, the API only from apiClientCidrs and the namespace.", c.boolean()),
    def("Kubernetes", "apiClientCidrs", "array", [], "CIDRs allowed to call the SGLang API when networkPolicyEnabled.", c.list(c.text({ pattern: c.CIDR, allowed: "a CIDR" }), { allowed: "IPv4 CIDRs such as 10.0.0.0/8", unique: true }), { items: "string" }),

    // Secrets
    def("Secrets", "slackWebhookUrl", "string", "", "Slack incoming-webhook URL for warning and info alerts; \"\" = no Slack receiver.", c.url({ optional: true, schemes: ["https"], credentials: true }), { secret: true }),
    def("Secrets", "pagerdutyRoutingKey", "string", "", "PagerDuty Events API v2 routing key for critical alerts; \"\" = no PagerDuty receiver.", c.text({ pattern: /^[A-Za-z0-9]{20,64}$/, allowed: "\"\" or a 32-character PagerDuty integration key", allowEmpty: true }), { secret: true }),
    def("Secrets", "heartbeatUrl", "string", "", "Dead-man's-switch URL the always-firing Watchdog alert is posted to; \"\" = Watchdog goes to a null receiver.", c.url({ optional: true, credentials: true }), { secret: true }),
    def("Secrets", "huggingFaceToken", "string", "", "Hugging Face token for gated models.", c.text({ pattern: /^\S+$/, allowed: "\"\" or a token without spaces", allowEmpty: true }), { secret: true }),
    def("Secrets", "sglangApiKey", "string", "", "API key SGLang requires from clients (`--api-key`); \"\" = none.", c.text({ pattern: /^\S{8,}$/, allowed: "\"\" or at least 8 characters without spaces", allowEmpty: true }), { secret: true }),
    def("Secrets", "grafanaAuth", "string", "", "monitoringMode operator: credentials of the cluster's Grafana, `user:password` or a service-account token.", c.text({ pattern: /^\S+$/, allowed: "\"\" or user:password or a token", allowEmpty: true }), { secret: true }),
] as const;

type CatalogDef = (typeof STACK_KEYS)[number] | ServiceKeyDef;

const isSecret = (d: CatalogDef) => d.group === "Secrets";

/** Every key: the stack's, each service's, then the secrets (the reference's order of sections). */
export const CATALOG: readonly CatalogDef[] = [...STACK_KEYS.filter((d) => !isSecret(d)), ...SERVICE_KEYS, ...STACK_KEYS.filter(isSecret)];

/** A key of the catalogue. */
export type CatalogKey = CatalogDef["key"];
/** The value type of a key, from its check. */
export type CatalogValue<K extends CatalogKey> = Extract<CatalogDef, { key: K }> extends KeyDef<infer T, string> ? T : never;

export const CATALOG_BY_KEY: ReadonlyMap<string, KeyDef> = new Map(CATALOG.map((d) => [d.key, d as KeyDef]));
