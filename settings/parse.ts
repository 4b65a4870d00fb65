/**
 * Turns a stack's raw configuration (short key → value) into `Settings`,
 * or throws a `ConfigError` listing every bad value: the key, the value (never
 * for secrets) and what is allowed.
 */
import { RETENTION_SIZE_PERCENT } from "../components/prometheus/service";
import { deployedServices, SERVICES, type ServiceSettings } from "../components/services";
import { modelServerCount } from "../components/sglang/workers";
import { routerDeployed } from "../components/sglangRouter/service";
import { type ContractSummary, contractLabel, resolveContract } from "../contracts/gate";
import { histogramBuckets } from "../contracts/histograms";
import { CATALOG, CATALOG_BY_KEY, type CatalogKey, type CatalogValue } from "./catalog";
import { DNS_LABEL, durationSeconds, isLoopbackHost, prometheusSizeBytes, quantityValue } from "./checks";
import { gpuProblems } from "./gpus";
import type { KeyDef } from "./keys";
import { fieldNamer, resolveModels } from "./models";
import { multiNodeProblems } from "./multiNode";
import { type IsStoredSecret, plainTextSecrets } from "./plainSecrets";
import { ambiguousArguments, managedArguments } from "./sglangArgs";
import type * as t from "./types";

export const PROJECT = "sglang-ananke";

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

function show(key: string, raw: unknown): string {
    if (CATALOG_BY_KEY.get(key)?.secret) return "[secret]";
    return JSON.stringify(raw);
}

/** Edit distance between two keys, ignoring case (typos and wrong capitals). */
function distance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const row = [i];
        for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        prev = row;
    }
    return prev[y.length];
}

/** " (did you mean gpuCount?)" for a key within two edits of a known one. */
function suggestion(key: string): string {
    const [best] = CATALOG.map((d) => ({ key: d.key, d: distance(key, d.key) })).sort((p, q) => p.d - q.d);
    return best && best.d <= 2 ? ` (did you mean ${best.key}?)` : "";
}

/** Validated values by key, plus the problems found. */
class Reader {
    readonly problems: string[] = [];
    private readonly values = new Map<string, unknown>();

    constructor(readonly raw: Record<string, unknown>) {
        for (const key of Object.keys(raw)) {
            if (!CATALOG_BY_KEY.has(key)) {
                this.problems.push(`${PROJECT}:${key} is not a known key${suggestion(key)} (see docs/configuration.md)`);
            }
        }
        for (const def of CATALOG) {
            const given = raw[def.key];
            const value = given === undefined || given === null ? def.default : given;
            const r = def.check(value);
            if (r.ok) {
                this.values.set(def.key, r.value);
                continue;
            }
            this.problems.push(`${PROJECT}:${def.key} = ${show(def.key, value)}: must be ${r.allowed}`);
            // Go on with the default, so that cross-key checks still run and
            // every problem is reported at once.
            const fallback = def.check(def.default);
            if (fallback.ok) this.values.set(def.key, fallback.value);
        }
    }

    /** The validated value of a key, typed by its declaration. */
    get<K extends CatalogKey>(key: K): CatalogValue<K> {
        return this.values.get(key) as CatalogValue<K>;
    }

    /** The values of a set of declarations, by field. */
    fields<Keys extends Record<string, KeyDef>>(keys: Keys): { [F in keyof Keys]: unknown } {
        return Object.fromEntries(Object.entries(keys).map(([field, d]) => [field, this.values.get(d.key)])) as { [F in keyof Keys]: unknown };
    }

    /** Whether the user set the key explicitly (not left at its default). */
    isSet(key: string): boolean {
        const v = this.raw[key];
        return v !== undefined && v !== null && v !== "";
    }

    conflict(message: string): void {
        this.problems.push(message);
    }
}

function parseToleration(s: string): t.Toleration {
    const [keyValue, effect] = s.split(":") as [string, t.Toleration["effect"]];
    const eq = keyValue.indexOf("=");
    return eq < 0
        ? { key: keyValue, operator: "Exists", effect }
        : { key: keyValue.slice(0, eq), operator: "Equal", value: keyValue.slice(eq + 1), effect };
}

type KeysOf<V> = { [K in CatalogKey]: CatalogValue<K> extends V ? K : never }[CatalogKey];

const tuning = (r: Reader, threshold: KeysOf<number>, forKey: KeysOf<string>): t.AlertTuning => ({
    threshold: r.get(threshold),
    for: r.get(forKey),
});

/** Each service's own settings, read from the declarations of its keys. */
function serviceSettings(r: Reader): ServiceSettings {
    return Object.fromEntries(SERVICES.map((service) => [service.name, r.fields(service.keys)])) as ServiceSettings;
}

/**
 * `isStoredSecret`, when given (the engine's answer under Pulumi), refuses
 * secret keys stored in plain text in the stack file.
 */
export function parseSettings(stack: string, raw: Record<string, unknown>, opts: { isStoredSecret?: IsStoredSecret } = {}): t.Settings {
    const r = new Reader(raw);
    if (opts.isStoredSecret) for (const p of plainTextSecrets(stack, raw, opts.isStoredSecret)) r.conflict(p);
    const target = r.get("target");
    const gpuExporter = r.get("gpuExporter");
    const model = r.get("model");
    const gpuCount = r.get("gpuCount");
    const gpuDevices = r.get("gpuDevices");
    const extraArgs = r.get("sglangExtraArgs");

    const settings: t.Settings = {
        stack,
        target,
        monitoringMode: r.get("monitoringMode"),
        gpuExporter,
        sglang: {
            modelPath: model,
            servedModelName: r.get("servedModelName") || model,
            gpuCount,
            gpuDevices,
            workers: r.get("sglangWorkers"),
            nodesPerReplica: r.get("sglangNodesPerReplica"),
            anankeLanguage: r.get("anankeLanguage"),
            anankeMaxRollbackTokens: r.get("anankeMaxRollbackTokens"),
            anankeEnabledDomains: r.get("anankeEnabledDomains"),
            memFractionStatic: r.get("memFractionStatic"),
            extraArgs,
            shmSizeMiB: r.get("shmSizeMiB"),
            startupSeconds: r.get("sglangStartupSeconds"),
        },
        // Resolved below, once the single-model keys they default to are read.
        models: [],
        services: serviceSettings(r),
        metricsContracts: {
            sglang: r.get("sglangMetricsContract"),
            gpuExporter: r.get("gpuExporterMetricsContract"),
            nodeExporter: r.get("nodeExporterMetricsContract"),
        },
        docker: {
            host: r.get("dockerHost"),
            bindAddress: r.get("bindAddress"),
            monitoringBindAddress: r.get("monitoringBindAddress"),
            publicHost: r.get("publicHost"),
            hostName: r.get("dockerHostName") || hostOfDockerUrl(r.get("dockerHost")),
            hostGpus: r.get("dockerHostGpus"),
        },
        kubernetes: {
            namespace: r.get("namespace"),
            hostNamespace: r.get("hostNamespace") || `${r.get("namespace")}-host`,
            context: r.get("kubeContext"),
            replicas: r.get("replicas"),
            nodeSelector: r.get("nodeSelector"),
            tolerations: r.get("tolerations").map(parseToleration),
            affinity: r.get("affinityJson"),
            runtimeClassName: r.get("runtimeClassName"),
            storageClass: r.get("storageClass"),
            grafanaExposure: grafanaExposure(r),
            modelCacheStorageClass: r.get("modelCacheStorageClass") || r.get("storageClass"),
            // Explicit, never derived from replicas: a changed access mode would replace the claim and its weights.
            modelCacheAccessMode: r.get("modelCacheAccessMode") as t.KubernetesSettings["modelCacheAccessMode"],
            existingGpuExporter: {
                namespace: r.get("gpuExporterNamespace"),
                podLabels: r.get("gpuExporterPodLabels"),
                portName: r.get("gpuExporterPortName"),
            },
            monitorKind: r.get("monitorKind"),
            operatorPrometheusUrl: r.get("operatorPrometheusUrl"),
            monitorNamespace: r.get("monitorNamespace") || r.get("namespace"),
            monitorInterval: r.get("monitorInterval"),
            monitorLabels: r.get("monitorLabels"),
            autoscaling: {
                enabled: r.get("autoscalingEnabled"),
                minReplicas: r.get("autoscalingMinReplicas"),
                maxReplicas: r.get("autoscalingMaxReplicas"),
                queueThreshold: r.get("autoscalingQueueThreshold"),
                kvCacheThreshold: r.get("autoscalingKvCacheThreshold"),
                scaleUpSeconds: r.get("autoscalingScaleUpSeconds"),
                cooldownSeconds: r.get("autoscalingCooldownSeconds"),
                scaleToZero: r.get("autoscalingScaleToZero"),
                fallbackReplicas: r.get("autoscalingFallbackReplicas"),
                kedaNamespace: r.get("autoscalingKedaNamespace"),
            },
            networkPolicy: {
                enabled: r.get("networkPolicyEnabled"),
                apiClientCidrs: r.get("apiClientCidrs"),
                clientNamespaces: r.get("networkPolicyClientNamespaces"),
            },
        },
        grafana: {
            adminUser: r.get("grafanaAdminUser"),
            url: r.get("grafanaUrl"),
            externalUrl: r.get("grafanaExternalUrl"),
            datasource: { url: r.get("grafanaDatasourceUrl"), username: r.get("grafanaDatasourceUsername") },
        },
        prometheus: {
            retention: r.get("prometheusRetention"),
            scrapeInterval: r.get("prometheusScrapeInterval"),
            evaluationInterval: r.get("prometheusEvaluationInterval"),
            externalUrl: r.get("prometheusExternalUrl"),
            cluster: r.get("clusterName"),
            remoteWrite: parseRemoteWrite(r),
        },
        alertmanager: {
            slackChannel: r.get("slackChannel"),
            groupWait: r.get("alertGroupWait"),
            groupInterval: r.get("alertGroupInterval"),
            repeatInterval: r.get("alertRepeatInterval"),
            externalUrl: r.get("alertmanagerExternalUrl"),
        },
        alerts: {
            serverDown: { for: r.get("alertServerDownFor") },
            gpuMemoryHigh: tuning(r, "alertGpuMemoryPercent", "alertGpuMemoryFor"),
            highLatency: tuning(r, "alertLatencyP95Seconds", "alertLatencyFor"),
            errorRateHigh: tuning(r, "alertErrorRatio", "alertErrorRateFor"),
            constraintViolationsHigh: tuning(r, "alertConstraintViolationsPerSecond", "alertConstraintViolationsFor"),
            rollbacksHigh: tuning(r, "alertRollbacksPerSecond", "alertRollbacksFor"),
            grammarCacheMissHigh: tuning(r, "alertGrammarCacheMissRatio", "alertGrammarCacheMissFor"),
            gpuTemperatureHigh: tuning(r, "alertGpuTemperatureCelsius", "alertGpuTemperatureFor"),
            gpuUtilizationLow: tuning(r, "alertGpuUtilizationLowPercent", "alertGpuUtilizationLowFor"),
            hostCpuHigh: tuning(r, "alertHostCpuPercent", "alertHostCpuFor"),
            hostMemoryHigh: tuning(r, "alertHostMemoryPercent", "alertHostMemoryFor"),
            diskSpaceLow: tuning(r, "alertDiskUsedPercent", "alertDiskUsedFor"),
            queueBacklog: tuning(r, "alertQueueBacklog", "alertQueueBacklogFor"),
            kvCacheHigh: tuning(r, "alertKvCacheUsageRatio", "alertKvCacheUsageFor"),
            targetDown: { for: r.get("alertTargetDownFor") },
            engineStalled: { for: r.get("alertEngineStalledFor") },
            throughputCollapse: tuning(r, "alertThroughputCollapseRatio", "alertThroughputCollapseFor"),
            gpuBusyIdlePower: tuning(r, "alertGpuBusyIdlePowerWatts", "alertGpuBusyIdlePowerFor"),
            gpuXid: { for: r.get("alertGpuXidFor") },
            gpuRowRemapFailure: { for: r.get("alertGpuRowRemapFailureFor") },
            gpuPcieReplays: tuning(r, "alertGpuPcieReplaysPerSecond", "alertGpuPcieReplaysFor"),
            gpuMemoryTemperature: tuning(r, "alertGpuMemoryTemperatureCelsius", "alertGpuMemoryTemperatureFor"),
            gpuEccUncorrectable: { for: r.get("alertGpuEccUncorrectableFor") },
            gpuThrottling: tuning(r, "alertGpuThrottledRatio", "alertGpuThrottledFor"),
            gpuMissing: { for: r.get("alertGpuMissingFor") },
            gpuExporterDown: { for: r.get("alertGpuExporterDownFor") },
            canaryFailing: { for: r.get("alertCanaryFailingFor") },
            canarySlow: tuning(r, "alertCanarySlowSeconds", "alertCanarySlowFor"),
            routerDown: { for: r.get("alertRouterDownFor") },
            routerNoHealthyWorker: { for: r.get("alertRouterNoHealthyWorkerFor") },
            routerModelWithoutWorkers: { for: r.get("alertRouterModelWithoutWorkersFor") },
            routerWorkerUnhealthy: { for: r.get("alertRouterWorkerUnhealthyFor") },
            routerWorkerEjected: { for: r.get("alertRouterWorkerEjectedFor") },
            routerErrors: {
                ...tuning(r, "alertRouterErrorRatio", "alertRouterErrorFor"),
                minRequestsPerSecond: r.get("alertRouterErrorMinRequestsPerSecond"),
            },
        },
        runbookBaseUrl: r.get("runbookBaseUrl"),
        slo: {
            availabilityObjective: r.get("sloAvailabilityObjective"),
            latencyObjective: r.get("sloLatencyObjective"),
            latencyThresholdSeconds: r.get("sloTtftThresholdSeconds"),
            itlObjective: r.get("sloItlObjective"),
            itlThresholdSeconds: r.get("sloItlThresholdSeconds"),
        },
        canary: {
            enabled: r.get("canaryEnabled"),
            interval: r.get("canaryInterval"),
            maxTokens: r.get("canaryMaxTokens"),
            timeoutSeconds: r.get("canaryTimeoutSeconds"),
        },
        cost: { gpuHourlyPrice: r.get("gpuHourlyPrice") },
        secrets: {
            slackWebhookUrl: r.isSet("slackWebhookUrl"),
            pagerdutyRoutingKey: r.isSet("pagerdutyRoutingKey"),
            heartbeatUrl: r.isSet("heartbeatUrl"),
            huggingFaceToken: r.isSet("huggingFaceToken"),
            sglangApiKey: r.isSet("sglangApiKey"),
            grafanaAuth: r.isSet("grafanaAuth"),
            remoteWritePassword: r.isSet("remoteWritePassword"),
            remoteWriteBearerToken: r.isSet("remoteWriteBearerToken"),
            remoteWriteOauth2ClientSecret: r.isSet("remoteWriteOauth2ClientSecret"),
            grafanaDatasourcePassword: r.isSet("grafanaDatasourcePassword"),
        },
    };

    const { models, problems } = resolveModels(r.get("models"), {
        sglang: settings.sglang,
        image: settings.services.sglang.image,
        replicas: settings.kubernetes.replicas,
        slo: settings.slo,
    });
    settings.models = models;
    for (const p of problems) r.conflict(p);
    checkCombinations(r, settings);
    if (r.problems.length > 0) throw new ConfigError(r.problems);
    return settings;
}

function grafanaExposure(r: Reader): t.GrafanaExposure {
    switch (r.get("grafanaExposure")) {
        case "load-balancer":
            return { kind: "load-balancer", sourceRanges: r.get("grafanaLoadBalancerSourceRanges") };
        case "ingress":
            return {
                kind: "ingress",
                host: r.get("grafanaIngressHost"),
                tlsSecret: r.get("grafanaIngressTlsSecret"),
                className: r.get("grafanaIngressClass"),
            };
        default:
            return { kind: "cluster-ip" };
    }
}

/** The keys of each Grafana exposure, which mean nothing with another one. */
const EXPOSURE_KEYS: Record<t.GrafanaExposure["kind"], string[]> = {
    "cluster-ip": [],
    "load-balancer": ["grafanaLoadBalancerSourceRanges"],
    ingress: ["grafanaIngressHost", "grafanaIngressTlsSecret", "grafanaIngressClass"],
};

/** The keys of the chosen Grafana exposure are complete; the other exposures' keys are not set. */
function checkExposureKeys(r: Reader, exposure: t.GrafanaExposure): void {
    const key = (k: string) => `${PROJECT}:${k}`;
    for (const [kind, keys] of Object.entries(EXPOSURE_KEYS)) {
        if (kind === exposure.kind) continue;
        for (const k of keys.filter((k) => r.isSet(k) && JSON.stringify(r.raw[k]) !== "[]")) {
            r.conflict(
                `${key(k)} only applies with ${key("grafanaExposure")} = "${kind}" (it is "${exposure.kind}"): remove it or set grafanaExposure "${kind}"`,
            );
        }
    }
    if (exposure.kind === "load-balancer") {
        if (exposure.sourceRanges.length === 0) {
            r.conflict(
                `${key("grafanaExposure")} = "load-balancer" needs ${key("grafanaLoadBalancerSourceRanges")}: the client CIDRs it admits, e.g. ["203.0.113.0/24"] (it serves plain HTTP; for access from anywhere use grafanaExposure "ingress" with TLS)`,
            );
        }
        for (const open of exposure.sourceRanges.filter((cidr) => cidr.endsWith("/0"))) {
            r.conflict(
                `${key("grafanaLoadBalancerSourceRanges")} contains "${open}": it admits every address to a plain-HTTP Grafana; list your clients' CIDRs, or use grafanaExposure "ingress" with TLS`,
            );
        }
    }
    if (exposure.kind === "ingress") {
        if (!exposure.host)
            r.conflict(`${key("grafanaExposure")} = "ingress" needs ${key("grafanaIngressHost")}: the host name it serves, e.g. grafana.example.com`);
        if (!exposure.tlsSecret)
            r.conflict(
                `${key("grafanaExposure")} = "ingress" needs ${key("grafanaIngressTlsSecret")}: the kubernetes.io/tls Secret with the certificate for grafanaIngressHost (an Ingress without TLS serves plain HTTP)`,
            );
    }
}

/**
 * Nothing reaches Grafana in plain HTTP from anywhere, and the Grafana
 * provider never sends the admin credentials in clear: a load balancer
 * names its client ranges, an ingress has TLS, the provider's URL is https
 * or loopback (a tunnel or port-forward).
 */
function checkGrafanaExposure(r: Reader, s: t.Settings): void {
    const key = (k: string) => `${PROJECT}:${k}`;
    if ("grafanaServiceType" in r.raw) {
        r.conflict(
            `${key("grafanaServiceType")} was replaced by ${key("grafanaExposure")}: "cluster-ip" (port-forward), "load-balancer" with grafanaLoadBalancerSourceRanges, or "ingress" with TLS (README: Reaching the services)`,
        );
    }
    // Like every Kubernetes key, the exposure keys change nothing on Docker.
    if (s.target === "kubernetes") checkExposureKeys(r, s.kubernetes.grafanaExposure);
    if (s.grafana.url && !isSafeProviderUrl(s.grafana.url)) {
        r.conflict(
            `${key("grafanaUrl")} = "${s.grafana.url}": the Grafana provider sends the admin credentials to it, so it must be https:// or http:// on a loopback address (127.0.0.1, localhost: an SSH tunnel or kubectl port-forward)`,
        );
    }
    if (s.target === "docker" && s.monitoringMode === "bundled" && !s.grafana.url && !isLoopbackHost(s.docker.publicHost)) {
        r.conflict(
            `${key("publicHost")} = "${s.docker.publicHost}": the Grafana provider would send the admin credentials in clear to http://${s.docker.publicHost}; reach the host through an SSH tunnel and keep publicHost "localhost", or set ${key("grafanaUrl")} to an https URL (README: remote GPU host)`,
        );
    }
}

/** Whether the Grafana provider may send credentials to the URL: TLS, or a loopback address that never leaves the machine. */
export function isSafeProviderUrl(url: string): boolean {
    const u = new URL(url);
    return u.protocol === "https:" || isLoopbackHost(u.hostname);
}

/** The Grafana datasource on a long-term store: a URL to read, both halves of basic auth or neither. */
function checkGrafanaDatasource(r: Reader): void {
    const key = (k: string) => `${PROJECT}:${k}`;
    const user = r.isSet("grafanaDatasourceUsername");
    const password = r.isSet("grafanaDatasourcePassword");
    if (!r.isSet("grafanaDatasourceUrl")) {
        for (const k of ["grafanaDatasourceUsername", "grafanaDatasourcePassword"]) {
            if (r.isSet(k))
                r.conflict(
                    `${key(k)} is set but ${key("grafanaDatasourceUrl")} is not: it authenticates to the long-term store; set grafanaDatasourceUrl or remove it`,
                );
        }
        return;
    }
    if (user && !password)
        r.conflict(
            `${key("grafanaDatasourceUsername")} needs ${key("grafanaDatasourcePassword")}: pulumi config set --secret grafanaDatasourcePassword <value>`,
        );
    if (password && !user) r.conflict(`${key("grafanaDatasourcePassword")} needs ${key("grafanaDatasourceUsername")}: basic auth sends both`);
    if (r.get("monitoringMode") === "bundled" && !r.isSet("remoteWriteUrl")) {
        r.conflict(
            `${key("grafanaDatasourceUrl")} is set but ${key("remoteWriteUrl")} is not: the bundled Prometheus writes nothing to the store, so the dashboard would be empty; set remoteWriteUrl, or grafanaDatasourceUrl ""`,
        );
    }
}

/** The secret each remote-write authentication kind reads its credential from. */
const REMOTE_WRITE_SECRET: Record<Exclude<t.RemoteWriteAuthKind, "none">, string> = {
    basic: "remoteWritePassword",
    bearer: "remoteWriteBearerToken",
    oauth2: "remoteWriteOauth2ClientSecret",
};

/** Remote write, with the checks that involve several of its keys (and monitoringMode). */
function parseRemoteWrite(r: Reader): t.RemoteWriteSettings | undefined {
    const key = (k: string) => `${PROJECT}:${k}`;
    const url = r.get("remoteWriteUrl");
    const kind = r.get("remoteWriteAuth");
    const problems = r.problems.length;
    // Required keys are checked with isSet: a bad value is reported once, by its own check.
    // A credential that is set but unused is a forgotten setting, not a harmless one.
    for (const [k, secret] of Object.entries(REMOTE_WRITE_SECRET)) {
        if (r.isSet(secret) && k !== kind)
            r.conflict(
                `${key(secret)} is set but ${key("remoteWriteAuth")} = "${kind}": it is read only with remoteWriteAuth "${k}"; remove it or set remoteWriteAuth "${k}"`,
            );
    }
    if (!url) {
        if (kind !== "none")
            r.conflict(
                `${key("remoteWriteAuth")} = "${kind}" needs ${key("remoteWriteUrl")}: set the store's remote-write URL, or remoteWriteAuth "none"`,
            );
        return undefined;
    }
    if (r.get("monitoringMode") === "operator")
        r.conflict(
            `${key("remoteWriteUrl")} applies to the bundled Prometheus; with monitoringMode "operator" configure remote write on the cluster's Prometheus (Prometheus.spec.remoteWrite)`,
        );
    if (!r.isSet("clusterName"))
        r.conflict(
            `${key("clusterName")} is required with ${key("remoteWriteUrl")}: the store holds series of many clusters, and the \`cluster\` label tells them apart`,
        );
    if (kind !== "none" && !r.isSet(REMOTE_WRITE_SECRET[kind]))
        r.conflict(
            `${key(REMOTE_WRITE_SECRET[kind])} is required with ${key("remoteWriteAuth")} = "${kind}": pulumi config set --secret ${REMOTE_WRITE_SECRET[kind]} <value>`,
        );
    if (kind === "basic" && !r.isSet("remoteWriteUsername"))
        r.conflict(`${key("remoteWriteUsername")} is required with ${key("remoteWriteAuth")} = "basic"`);
    if (kind === "oauth2") {
        if (!r.isSet("remoteWriteOauth2ClientId"))
            r.conflict(`${key("remoteWriteOauth2ClientId")} is required with ${key("remoteWriteAuth")} = "oauth2"`);
        if (!r.isSet("remoteWriteOauth2TokenUrl"))
            r.conflict(`${key("remoteWriteOauth2TokenUrl")} is required with ${key("remoteWriteAuth")} = "oauth2"`);
    }
    const queue = {
        capacity: r.get("remoteWriteQueueCapacity"),
        maxShards: r.get("remoteWriteMaxShards"),
        maxSamplesPerSend: r.get("remoteWriteMaxSamplesPerSend"),
        batchSendDeadline: r.get("remoteWriteBatchSendDeadline"),
    };
    if (queue.maxSamplesPerSend > queue.capacity)
        r.conflict(
            `${key("remoteWriteMaxSamplesPerSend")} = ${queue.maxSamplesPerSend} is above ${key("remoteWriteQueueCapacity")} = ${queue.capacity}: a shard could never fill one request`,
        );
    if (r.problems.length > problems) return undefined;
    const auth: t.RemoteWriteSettings["auth"] =
        kind === "basic"
            ? { kind, username: r.get("remoteWriteUsername") }
            : kind === "oauth2"
              ? {
                    kind,
                    clientId: r.get("remoteWriteOauth2ClientId"),
                    tokenUrl: r.get("remoteWriteOauth2TokenUrl"),
                    scopes: r.get("remoteWriteOauth2Scopes"),
                }
              : { kind };
    return { url, auth, sendAll: r.get("remoteWriteSendAll"), queue };
}

/**
 * A latency objective counts the requests under a bucket boundary of the real
 * histogram (`_bucket{le=…}`): any other value has no series, and the SLO
 * would silently read nothing. The boundaries are those of the version the
 * configured image follows.
 */
function checkObjectivesOnBuckets(r: Reader, s: t.Settings): void {
    // Each model's image follows its own contract (unless sglangMetricsContract names one for all).
    const contracts = new Map<string, ContractSummary>();
    for (const m of s.models) {
        const { contract } = resolveContract({ exporter: "sglang", image: m.image, key: "sglangMetricsContract", id: s.metricsContracts.sglang });
        contracts.set(contract.id, contract);
        checkBucket(r, fieldNamer(s.models, m)("ttftThresholdSeconds"), "time_to_first_token_seconds", m.slo.latencyThresholdSeconds, contract);
    }
    // One inter-token objective for the stack: a boundary of every model's histogram.
    for (const contract of contracts.values())
        checkBucket(r, "sloItlThresholdSeconds", "inter_token_latency_seconds", s.slo.itlThresholdSeconds, contract);
}

function checkBucket(r: Reader, k: string, histogram: string, value: number, contract: ContractSummary): void {
    const buckets = histogramBuckets(contract.id, histogram);
    if (buckets && !buckets.includes(value)) {
        r.conflict(
            `${PROJECT}:${k} = "${value}": must be a bucket boundary of sglang:${histogram} in ${contractLabel(contract)}, one of ${buckets.join(", ")}`,
        );
    }
}

/** Secrets a stack with `production: true` cannot do without. */
export const PRODUCTION_SECRETS = ["pagerdutyRoutingKey", "heartbeatUrl", "sglangApiKey"] as const;

/** Resources the API server would refuse, or that break as soon as a second SGLang pod starts. */
function checkKubernetesResources(r: Reader, s: t.Settings): void {
    const key = (k: string) => `${PROJECT}:${k}`;
    const { memory, memoryLimit } = s.services.sglang;
    // Both targets apply the limit; Kubernetes refuses a pod whose limit is below its request.
    if (quantityValue(memoryLimit) < quantityValue(memory)) {
        r.conflict(
            `${key("sglangMemoryLimit")} = "${memoryLimit}" is below ${key("sglangMemoryRequest")} = "${memory}": the limit must be at least the request`,
        );
    }
    const { storageSize, retentionSize } = s.services.prometheus;
    if (retentionSize && prometheusSizeBytes(retentionSize) >= quantityValue(storageSize)) {
        r.conflict(
            `${key("prometheusRetentionSize")} = "${retentionSize}" is not below ${key("prometheusStorageSize")} = "${storageSize}": the TSDB would fill its volume (the WAL needs room beyond it); set at most 80-85 % of it, or "" for ${RETENTION_SIZE_PERCENT} %`,
        );
    }
    if (s.target !== "kubernetes" || r.get("modelCacheAccessMode") !== "ReadWriteOnce") return;
    const a = s.kubernetes.autoscaling;
    // Each model's pods mount its cache; the autoscaler's maximum is every model's, said once.
    const reasons = new Set(
        s.models
            .filter((m) => modelServerCount(s, m) > 1)
            .map((m) =>
                a.enabled ? `${key("autoscalingMaxReplicas")} = ${a.maxReplicas}` : `${key(fieldNamer(s.models, m)("replicas"))} = ${m.replicas}`,
            ),
    );
    for (const why of reasons) {
        r.conflict(
            `${key("modelCacheAccessMode")} = "ReadWriteOnce" with ${why}: pods on other nodes cannot mount the model cache; set modelCacheAccessMode "ReadWriteMany" with a modelCacheStorageClass that offers it (on a stack that already has the claim, delete it on purpose first: README, Data), or run one replica`,
        );
    }
}

/** Rules that involve more than one key. */
/** The host-access exporters' namespace is a valid name of its own (the derived one may be too long). */
function checkHostNamespace(r: Reader, s: t.Settings): void {
    const { namespace, hostNamespace } = s.kubernetes;
    if (hostNamespace === namespace) {
        r.conflict(
            `${PROJECT}:hostNamespace = "${hostNamespace}" is the stack's namespace: it must differ, so that namespace can enforce Pod Security restricted`,
        );
    } else if (!r.isSet("hostNamespace") && !DNS_LABEL.test(hostNamespace)) {
        r.conflict(
            `${PROJECT}:namespace = "${namespace}" makes the host exporters' namespace "${hostNamespace}", longer than 63 characters: set ${PROJECT}:hostNamespace to a lowercase DNS label`,
        );
    }
}

function checkCombinations(r: Reader, s: t.Settings): void {
    const key = (k: string) => `${PROJECT}:${k}`;
    checkObjectivesOnBuckets(r, s);
    checkGrafanaDatasource(r);
    checkKubernetesResources(r, s);
    if (r.get("production")) {
        // A production stack pages someone, is watched from outside, and serves only its clients.
        const missing = PRODUCTION_SECRETS.filter((k) => !s.secrets[k]);
        if (missing.length > 0) {
            r.conflict(
                `${key("production")} = true requires ${missing.join(", ")}: ${missing.map((k) => `pulumi config set --secret ${k} <value>`).join("; ")}`,
            );
        }
    }
    if (s.canary.enabled && s.canary.timeoutSeconds > durationSeconds(s.canary.interval)) {
        r.conflict(
            `${key("canaryTimeoutSeconds")} = ${s.canary.timeoutSeconds} is longer than ${key("canaryInterval")} = "${s.canary.interval}": Prometheus cannot wait longer than the interval for a probe`,
        );
    }
    checkHostNamespace(r, s);
    if (s.target === "docker" && s.monitoringMode === "operator") {
        r.conflict(
            `${key("monitoringMode")} = "operator" needs ${key("target")} = "kubernetes" (a Prometheus Operator runs only on Kubernetes); with target "docker" use "bundled"`,
        );
    }
    if (s.target === "docker" && s.gpuExporter === "existing") {
        r.conflict(
            `${key("gpuExporter")} = "existing" needs ${key("target")} = "kubernetes" (a GPU Operator's exporter); on Docker use "dcgm", "nvidia-smi" or "none"`,
        );
    }
    for (const [service, k] of [
        ["prometheus", "prometheusReplicas"],
        ["alertmanager", "alertmanagerReplicas"],
    ] as const) {
        const replicas = s.services[service].replicas;
        if (s.target === "docker" && replicas > 1) {
            r.conflict(
                `${key(k)} = ${replicas}: Docker runs one ${service === "prometheus" ? "Prometheus" : "Alertmanager"} on its one host; high availability needs ${key("target")} = "kubernetes" (README: High availability), or ${k} 1`,
            );
        }
    }
    for (const p of gpuProblems(s)) r.conflict(p);
    for (const p of multiNodeProblems(s)) r.conflict(p);
    for (const m of s.models) checkExtraArgs(r, m, fieldNamer(s.models, m)("extraArgs"));
    if (s.target === "docker") {
        // Every port the Docker host publishes, named by the key that sets it.
        const ports = deployedServices(s).flatMap((service) =>
            service.ports.flatMap((p) => {
                const published = p.publishedPort?.(s);
                return published !== undefined ? [[service.keys.port?.key ?? service.name, published] as const] : [];
            }),
        );
        const seen = new Map<number, string>();
        for (const [k, p] of ports) {
            if (seen.has(p)) r.conflict(`${key(k)} = ${p} is also ${key(seen.get(p)!)}: every published port must differ`);
            else seen.set(p, k);
        }
    }
    if (s.monitoringMode === "operator") {
        if (!s.grafana.url) r.conflict(`${key("grafanaUrl")} is required with monitoringMode "operator": the URL of the cluster's Grafana`);
        if (!s.secrets.grafanaAuth)
            r.conflict(
                `${key("grafanaAuth")} is required with monitoringMode "operator": pulumi config set --secret grafanaAuth <user:password or token>`,
            );
        if (s.target === "kubernetes" && !s.kubernetes.operatorPrometheusUrl)
            r.conflict(
                `${key("operatorPrometheusUrl")} is required with monitoringMode "operator": the in-cluster URL of the cluster's Prometheus (for the Grafana datasource and autoscaling), e.g. http://prometheus-operated.monitoring.svc:9090`,
            );
    }
    const a = s.kubernetes.autoscaling;
    if (a.enabled) {
        if (s.target !== "kubernetes") r.conflict(`${key("autoscalingEnabled")} = true needs target "kubernetes" (KEDA)`);
        if (a.minReplicas > a.maxReplicas)
            r.conflict(`${key("autoscalingMinReplicas")} = ${a.minReplicas} is above ${key("autoscalingMaxReplicas")} = ${a.maxReplicas}`);
        if (a.fallbackReplicas > a.maxReplicas)
            r.conflict(`${key("autoscalingFallbackReplicas")} = ${a.fallbackReplicas} is above ${key("autoscalingMaxReplicas")} = ${a.maxReplicas}`);
        for (const p of scaleToZeroProblems(s)) r.conflict(p);
    }
    checkGrafanaExposure(r, s);
    if (s.kubernetes.networkPolicy.enabled && s.target !== "kubernetes") {
        r.conflict(`${key("networkPolicyEnabled")} = true needs target "kubernetes"`);
    }
    const np = s.kubernetes.networkPolicy;
    if (np.enabled && s.target === "kubernetes" && s.kubernetes.grafanaExposure.kind === "ingress" && np.clientNamespaces.length === 0) {
        r.conflict(
            `${key("networkPolicyEnabled")} = true with ${key("grafanaExposure")} = "ingress": the ingress controller could not reach Grafana; add its namespace to ${key("networkPolicyClientNamespaces")}, e.g. ["ingress-nginx"]`,
        );
    }
    const scrape = durationSeconds(s.prometheus.scrapeInterval);
    const evaluation = durationSeconds(s.prometheus.evaluationInterval);
    if (durationSeconds(s.alerts.serverDown.for) < scrape) {
        r.conflict(
            `${key("alertServerDownFor")} = "${s.alerts.serverDown.for}" is shorter than ${key("prometheusScrapeInterval")} = "${s.prometheus.scrapeInterval}": one failed scrape would page`,
        );
    }
    if (evaluation < scrape) {
        r.conflict(
            `${key("prometheusEvaluationInterval")} = "${s.prometheus.evaluationInterval}" is shorter than ${key("prometheusScrapeInterval")} = "${s.prometheus.scrapeInterval}": rules would evaluate the same samples repeatedly`,
        );
    }
}

/** A model's extra server flags: none the stack sets itself, none SGLang's parser finds ambiguous. */
function checkExtraArgs(r: Reader, model: t.ModelSettings, field: string): void {
    const key = (k: string) => `${PROJECT}:${k}`;
    // Option names only: a "--api-key=…" argument carries a secret that must not be echoed.
    const managed = managedArguments(model.extraArgs);
    if (managed.length > 0) {
        const list = managed.map((m) =>
            m.given === m.option ? `"${m.given}" (set by ${m.setBy})` : `"${m.given}" (SGLang reads it as ${m.option}, set by ${m.setBy})`,
        );
        r.conflict(`${key(field)} contains ${list.join(", ")}: the stack sets these from its own keys; remove them`);
    }
    for (const a of ambiguousArguments(model.extraArgs)) {
        const shown = a.options.slice(0, 5).join(", ") + (a.options.length > 5 ? ", …" : "");
        r.conflict(`${key(field)} contains "${a.given}", which SGLang's parser refuses as ambiguous (${shown}): spell the option in full`);
    }
}

/**
 * Scale to zero: asked for with both keys, and something left to wake the
 * replicas: at zero, SGLang writes no metric, so requests are seen at the
 * router; the canary's own requests there would keep a replica up for good.
 */
function scaleToZeroProblems(s: t.Settings): string[] {
    const key = (k: string) => `${PROJECT}:${k}`;
    const a = s.kubernetes.autoscaling;
    if (!a.scaleToZero)
        return a.minReplicas === 0
            ? [
                  `${key("autoscalingMinReplicas")} = 0 needs ${key("autoscalingScaleToZero")} = true (cold starts: README, Autoscaling), or set it to 1 or more`,
              ]
            : [];
    const problems: string[] = [];
    if (a.minReplicas !== 0)
        problems.push(
            `${key("autoscalingScaleToZero")} = true with ${key("autoscalingMinReplicas")} = ${a.minReplicas}: set autoscalingMinReplicas to 0`,
        );
    if (!routerDeployed(s))
        problems.push(
            `${key("autoscalingScaleToZero")} = true needs the SGLang router (router true, or autoscalingMaxReplicas above 1): with no replica running, only the router sees the requests that wake one`,
        );
    if (s.canary.enabled)
        problems.push(
            `${key("autoscalingScaleToZero")} = true with ${key("canaryEnabled")} = true: the canary's request every ${s.canary.interval} would keep a replica running; set canaryEnabled false`,
        );
    return problems;
}

/** The host of a `tcp://` or `ssh://` Docker address; "" for the local daemon. */
export function hostOfDockerUrl(address: string): string {
    const m = /^(?:tcp|ssh):\/\/(?:[^@/]+@)?([^:/]+)/.exec(address);
    return m ? m[1] : "";
}
