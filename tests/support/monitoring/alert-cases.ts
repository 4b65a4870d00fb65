/**
 * For every alert: input series on which it fires and input series just on
 * the safe side of its threshold on which it stays silent. Values are derived
 * from the settings' thresholds, so the same table checks non-default
 * settings too, and every exporter series comes from the metric contract of
 * the versions given, so the same table runs on every supported version.
 * Turned into `promtool test rules` files by `promtool-tests.ts`.
 */

import { ECC_DBE_FIELD, SECONDS_PER_VIOLATION_UNIT } from "../../../contracts/dcgm-exporter/project-counters";
import type { Traffic } from "../../../contracts/generate";
import { writtenEntry } from "../../../contracts/generate";
import { DCGM_PROJECT_COUNTERS } from "../../../contracts/gpu";
import type { ExporterContract } from "../../../contracts/types";
import * as S from "../../../monitoring/series";
import { durationSeconds, type Settings } from "../../../settings";
import type { InputSeries } from "./fixtures";
import * as F from "./fixtures";
import { routerAlertCases } from "./router-alert-cases";

export interface Scenario {
    series: InputSeries[];
    /** When to look, in minutes from the first sample. */
    atMinutes: number;
    /** A series that must exist at that time (so silence is not just missing data). */
    present?: string;
    /** Silent scenarios about the `for` duration: pending is expected, firing is not. */
    pendingAllowed?: boolean;
    note: string;
}

export interface AlertCase {
    alert: string;
    /** Each firing scenario must produce exactly one firing alert with these labels (plus others). */
    fire: (Scenario & { labels: Record<string, string> })[];
    silent: Scenario[];
}

/** The exporter versions a set of cases is generated for. */
export interface Versions {
    sglang: ExporterContract;
    /** Ananke series a build writes beside SGLang's (the fork's exporter started, or the guide's names); none by default. */
    ananke?: ExporterContract;
    dcgm: ExporterContract;
    smi: ExporterContract;
    node: ExporterContract;
    /** The SGLang router's version; default the pinned one. */
    router?: ExporterContract;
}

/** The pinned default images' versions, with no Ananke series (as they run). */
export function defaultVersions(sglang: ExporterContract = F.DEFAULT_SGLANG_CONTRACT): Versions {
    return { sglang, dcgm: F.DEFAULT_DCGM_CONTRACT, smi: F.DEFAULT_SMI_CONTRACT, node: F.DEFAULT_NODE_CONTRACT };
}

/** Minutes after which an alert with `for` = d has fired, rate windows (5m) warmed up. */
function after(d: string, extraMinutes = 0): number {
    return Math.ceil((durationSeconds(d) ?? 0) / 60) + 7 + extraMinutes;
}

const SGLANG = { job: "sglang", instance: F.SGLANG_INSTANCE };

/** The minute GPU memory errors happen in the cases about how long their alerts stay. */
const MEMORY_ERRORS_AT = 10;

/** Bucket bounds of an SGLang histogram in this version. */
function bucketsOf(contract: ExporterContract, base: string): number[] {
    const buckets = writtenEntry(contract, base)?.buckets;
    if (!buckets) throw new Error(`${contract.id} writes no histogram ${base}`);
    return buckets;
}

export function alertCases(s: Settings, v: Versions = defaultVersions()): AlertCase[] {
    const a = s.alerts;
    const slo = s.slo;
    const avBudget = 1 - slo.availabilityObjective;
    const latBudget = 1 - slo.latencyObjective;
    const thr = slo.latencyThresholdSeconds;
    const sg = (traffic: Traffic, server: F.SglangServer = {}) => F.sglang(traffic, { contract: v.sglang, ...server });
    const hasHttp = writtenEntry(v.sglang, "http_responses_total") !== undefined;
    const ttftBuckets = bucketsOf(v.sglang, "time_to_first_token_seconds");
    const slowTtft = ttftBuckets.find((b) => b > thr) ?? thr * 2;
    /** TTFT mix with `share` of requests slower than the SLO threshold. */
    const ttft = (share: number) =>
        sg({
            num_requests_total: { rate: 10 },
            time_to_first_token_seconds: F.latency(10, { [Math.min(thr, ttftBuckets[0])]: 1 - share, [slowTtft]: share }),
        });
    /**
     * Requests of which `share` fail the way this version reports failures:
     * HTTP 5xx where it writes HTTP series (with a trickle of client aborts),
     * aborted requests otherwise.
     */
    const errorTraffic = (share: number, rps = 10): Traffic =>
        hasHttp
            ? {
                  num_requests_total: { rate: rps },
                  http_responses_total: F.httpResponses({ "200": rps * (1 - share), "500": rps * share }),
                  num_aborted_requests_total: { rate: rps * 0.001 },
              }
            : { num_requests_total: { rate: rps }, num_aborted_requests_total: { rate: rps * share } };
    const failing = (share: number, spelling: "sglang:" | "sglang_" = "sglang:") => sg(errorTraffic(share), { spelling });
    const how = hasHttp ? "HTTP 5xx" : "aborted requests";
    const e2eBuckets = bucketsOf(v.sglang, "e2e_request_latency_seconds");
    const p95Over = a.highLatency.threshold;
    const slowBucket = e2eBuckets.find((b) => b > p95Over)!;
    const prevBucket = [...e2eBuckets].reverse().find((b) => b < slowBucket)!;
    /** E2E mix whose P95 interpolates to `p95` inside (prevBucket, slowBucket]. */
    const e2eWithP95 = (p95: number) => {
        // p95 = prev + (0.95 - c) / (1 - c) * (slow - prev)  ⇒  c = (0.95 - f) / (1 - f), f = (p95 - prev) / (slow - prev)
        const f = (p95 - prevBucket) / (slowBucket - prevBucket);
        const c = (0.95 - f) / (1 - f);
        return sg({ num_requests_total: { rate: 4 }, e2e_request_latency_seconds: F.latency(4, { [e2eBuckets[0]]: c, [slowBucket]: 1 - c }) });
    };
    /** Scheduler gauge traffic: `value` on every scheduler (per data-parallel group). */
    const gauge = (name: string, value: number): Traffic => ({ [name]: { gauge: value } });
    const anankeOverlay = (traffic: Traffic) => (v.ananke ? F.sglang(traffic, { contract: v.ananke }) : []);
    const anankeSeries = (violationsPerDomain: number, rollbacks: number) =>
        anankeOverlay({
            sglang_ananke_constraint_violations_total: {
                byLabel: { label: "domain", rates: { syntax: violationsPerDomain, types: violationsPerDomain } },
            },
            ananke_relaxation_events_by_domain_total: {
                byLabel: { label: "domain", rates: { syntax: violationsPerDomain, types: violationsPerDomain } },
            },
            sglang_ananke_rollbacks_total: { rate: rollbacks },
            ananke_relaxation_events_total: { rate: violationsPerDomain * 2 },
            ananke_active_requests: { gauge: 3 },
        });
    /** Grammar lookups of which `hitShare` hit the cache, as this version (or the guide's names) counts them. */
    const grammarCache = (hitShare: number) => [
        ...sg({ num_grammar_total: { rate: 10 }, num_grammar_cache_hit_total: { rate: 10 * hitShare } }),
        ...anankeOverlay({
            sglang_ananke_cache_hits_total: { rate: 10 * hitShare },
            sglang_ananke_cache_misses_total: { rate: 10 * (1 - hitShare) },
        }),
    ];
    const totalMiB = 81559;
    const gpuMemDcgm = (percent: number) => {
        const used = Math.round((totalMiB * percent) / 100);
        return F.gpuExporter(v.dcgm, {
            DCGM_FI_DEV_FB_USED: F.perGpu([used, 1000]),
            DCGM_FI_DEV_FB_FREE: F.perGpu([totalMiB - used, totalMiB - 1000]),
            DCGM_FI_DEV_FB_RESERVED: F.perGpu([0, 0]),
        });
    };
    const gpuMemSmi = (percent: number) => {
        const total = 85899345920;
        return F.gpuExporter(v.smi, {
            nvidia_smi_memory_used_bytes: F.perGpu([Math.round((total * percent) / 100), 1e9]),
            nvidia_smi_memory_total_bytes: F.perGpu([total, total]),
            nvidia_smi_index: F.perGpu([0, 1]),
            nvidia_smi_gpu_info: F.perGpu([1, 1]),
        });
    };
    const smiIdentity = { nvidia_smi_index: F.perGpu([0, 1]), nvidia_smi_gpu_info: F.perGpu([1, 1]) };
    const hostMemory = (usedPercent: number) =>
        F.nodeExporter({ node_memory_MemTotal_bytes: { gauge: 1e11 }, node_memory_MemAvailable_bytes: { gauge: 1e11 * (1 - usedPercent / 100) } });
    const rootUsed = (usedPercent: number, extra: { mountpoint: string; fstype: string; device: string; avail: number; size: number }[] = []) =>
        F.nodeExporter(
            {
                node_filesystem_size_bytes: F.perFilesystem({ "/": 1e12, ...Object.fromEntries(extra.map((e) => [e.mountpoint, e.size])) }),
                node_filesystem_avail_bytes: F.perFilesystem({
                    "/": 1e12 * (1 - usedPercent / 100),
                    ...Object.fromEntries(extra.map((e) => [e.mountpoint, e.avail])),
                }),
            },
            { filesystems: [{ mountpoint: "/", fstype: "ext4", device: "/dev/nvme0n1p2" }, ...extra] },
        );
    const S_REQUESTS_IN_SYSTEM = S.SGLANG_REQUESTS_IN_SYSTEM;
    const stallMinutes = Math.ceil(durationSeconds(a.engineStalled.for) / 60);
    const sglangPhases = (phases: F.Phase<Traffic>[]) => F.sglangPhases(phases, { contract: v.sglang });
    /** A server busy with 20 requests producing `tokensPerSecond`. */
    const busyServing = (tokensPerSecond: number): Traffic => ({
        num_requests_total: { rate: tokensPerSecond / 500 },
        generation_tokens_total: { rate: tokensPerSecond },
        num_running_reqs: { gauge: 20 },
    });
    /** The DCGM XID field of both GPUs: 0 for 15 minutes, then `codes`. */
    const xidAt = (codes: number[]) =>
        F.gpuExporterPhases(v.dcgm, [
            { minutes: 15, traffic: { traffic: { DCGM_FI_DEV_XID_ERRORS: F.perGpu([0, 0]) } } },
            { minutes: 30, traffic: { traffic: { DCGM_FI_DEV_XID_ERRORS: F.perGpu(codes) } } },
        ]);
    const gpuTemps: Traffic = { DCGM_FI_DEV_GPU_TEMP: F.perGpu([60, 61]) };
    // DCGM's throttle durations count in the version's unit (µs or ns) per second of throttling.
    const violationUnitsPerSecond = 1 / SECONDS_PER_VIOLATION_UNIT[DCGM_PROJECT_COUNTERS[v.dcgm.id].violationUnit];
    const smiTemps: Traffic = {
        nvidia_smi_temperature_gpu: F.perGpu([60, 61]),
        nvidia_smi_index: F.perGpu([0, 1]),
        nvidia_smi_gpu_info: F.perGpu([1, 1]),
    };
    /** Two memory errors on GPU 1 in minute MEMORY_ERRORS_AT of the DCGM `counter`, none after: what the memory-error alerts hold. */
    const memoryErrorsOnce = (counter: string) =>
        F.gpuExporterPhases(v.dcgm, [
            { minutes: MEMORY_ERRORS_AT, traffic: { traffic: { [counter]: { rate: 0 } } } },
            { minutes: 1, traffic: { traffic: { [counter]: F.perGpuRate([0, 2 / 60]) } } },
            { minutes: 90, traffic: { traffic: { [counter]: { rate: 0 } } } },
        ]);
    const itlBudget = 1 - slo.itlObjective;
    const itlThr = slo.itlThresholdSeconds;
    const itlBuckets = bucketsOf(v.sglang, "inter_token_latency_seconds");
    const slowItl = itlBuckets.find((b) => b > itlThr) ?? itlThr * 2;
    /** Streamed tokens of which `share` came later than the ITL objective. */
    const itl = (share: number) =>
        sg({ num_requests_total: { rate: 10 }, inter_token_latency_seconds: F.latency(500, { [itlBuckets[0]]: 1 - share, [slowItl]: share }) });
    const CANARY = { job: "sglang-canary", instance: "http://sglang:30000/v1/chat/completions", model_name: F.MODEL };
    const canary = F.canaryProbe;
    const selfSeries = (name: string, perSecond: number, extra: Record<string, string> = {}) =>
        F.series(name, { job: "prometheus", instance: "prometheus:9090", ...extra }, F.counter(perSecond));
    const amSeries = (name: string, perSecond: number) =>
        F.series(name, { job: "alertmanager", instance: "alertmanager:9093", integration: "slack" }, F.counter(perSecond));

    return [
        {
            alert: "SGLangServerDown",
            fire: [
                { note: "target down", series: [F.up("sglang", F.SGLANG_INSTANCE, 0)], atMinutes: after(a.serverDown.for), labels: SGLANG },
                {
                    note: "no SGLang target at all",
                    series: [F.up("node-exporter", F.NODE_INSTANCE, 1)],
                    atMinutes: after(a.serverDown.for),
                    labels: { job: "sglang" },
                },
            ],
            silent: [
                {
                    note: "target up",
                    series: [F.up("sglang", F.SGLANG_INSTANCE, 1)],
                    atMinutes: after(a.serverDown.for),
                    present: 'up{job="sglang"}',
                },
            ],
        },
        {
            alert: "SGLangHighLatency",
            fire: [
                {
                    note: "P95 above",
                    series: e2eWithP95(p95Over * 1.1),
                    atMinutes: after(a.highLatency.for),
                    labels: { ...SGLANG, model_name: F.MODEL },
                },
            ],
            silent: [
                {
                    note: "P95 just under",
                    series: e2eWithP95(p95Over * 0.97),
                    atMinutes: after(a.highLatency.for),
                    present: "instance_model:sglang_e2e_latency_seconds:p95_5m",
                },
            ],
        },
        {
            alert: "SGLangErrorRateHigh",
            fire: [
                {
                    note: `${how} above (sglang: spelling)`,
                    series: failing(a.errorRateHigh.threshold + 0.02),
                    atMinutes: after(a.errorRateHigh.for),
                    labels: { ...SGLANG, model_name: F.MODEL },
                },
                {
                    note: `${how} above (sglang_ spelling)`,
                    series: failing(a.errorRateHigh.threshold + 0.02, "sglang_"),
                    atMinutes: after(a.errorRateHigh.for),
                    labels: SGLANG,
                },
                {
                    note: `${how} above on one of two servers serving other models`,
                    series: [
                        ...sg(errorTraffic(a.errorRateHigh.threshold + 0.02), { instance: "sglang-a:30000", modelName: "model-a" }),
                        ...sg(errorTraffic(0), { instance: "sglang-b:30000", modelName: "model-b" }),
                    ],
                    atMinutes: after(a.errorRateHigh.for),
                    labels: { instance: "sglang-a:30000", model_name: "model-a" },
                },
            ],
            silent: [
                {
                    note: `${how} just under`,
                    series: failing(a.errorRateHigh.threshold * 0.9),
                    atMinutes: after(a.errorRateHigh.for),
                    present: "instance_model:sglang_request_errors:ratio_rate5m",
                },
                {
                    note: "no error yet: the ratio is 0, not absent",
                    series: failing(0),
                    atMinutes: after(a.errorRateHigh.for),
                    present: "instance_model:sglang_request_errors:ratio_rate5m == 0",
                },
                ...(hasHttp
                    ? [
                          {
                              note: "HTTP metrics without API 5xx: aborts (client disconnects) and health-check 503s do not count",
                              series: sg({
                                  num_requests_total: { rate: 10 },
                                  num_aborted_requests_total: { rate: 5 },
                                  http_responses_total: {
                                      bySeries: [
                                          { labels: { endpoint: "/generate", method: "POST", status_code: "200" }, rate: 10 },
                                          { labels: { endpoint: "/health", method: "GET", status_code: "503" }, rate: 1 },
                                      ],
                                  },
                              }),
                              atMinutes: after(a.errorRateHigh.for),
                              present: "instance_model:sglang_request_errors:ratio_rate5m == 0",
                          },
                      ]
                    : []),
            ],
        },
        {
            alert: "RequestQueueBacklog",
            fire: [
                {
                    note: "queue above",
                    series: sg(gauge("num_queue_reqs", a.queueBacklog.threshold + 5)),
                    atMinutes: after(a.queueBacklog.for),
                    labels: SGLANG,
                },
                {
                    note: "queues of two data-parallel schedulers add up above",
                    series: sg(gauge("num_queue_reqs", a.queueBacklog.threshold / 2 + 5), { dpSize: 2 }),
                    atMinutes: after(a.queueBacklog.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "queue at the threshold",
                    series: sg(gauge("num_queue_reqs", a.queueBacklog.threshold)),
                    atMinutes: after(a.queueBacklog.for),
                    present: "instance_model:sglang_queued_requests:sum",
                },
                {
                    note: "every TP rank reports the same queue (--enable-metrics-for-all-schedulers): not multiplied by the TP size",
                    series: sg(gauge("num_queue_reqs", a.queueBacklog.threshold * 0.9), { tpSize: 4, allSchedulers: true }),
                    atMinutes: after(a.queueBacklog.for),
                    present: "instance_model:sglang_queued_requests:sum",
                },
            ],
        },
        {
            alert: "SGLangKVCacheHigh",
            fire: [
                {
                    note: "one data-parallel scheduler above",
                    series: sg(
                        { token_usage: { gauge: (i) => (i.writer.includes("dp0") ? Math.min(0.999, a.kvCacheHigh.threshold + 0.05) : 0.2) } },
                        { dpSize: 2 },
                    ),
                    atMinutes: after(a.kvCacheHigh.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "just under",
                    series: sg(gauge("token_usage", a.kvCacheHigh.threshold - 0.01), { spelling: "sglang_" }),
                    atMinutes: after(a.kvCacheHigh.for),
                    present: "instance_model:sglang_kv_cache_usage:max",
                },
            ],
        },
        {
            alert: "AnankeConstraintViolationsHigh",
            fire: [
                {
                    note: "sum over domains above",
                    series: [...sg({}), ...anankeSeries(a.constraintViolationsHigh.threshold * 0.55, 0)],
                    atMinutes: after(a.constraintViolationsHigh.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "sum just under",
                    series: [...sg({}), ...anankeSeries(a.constraintViolationsHigh.threshold * 0.49, 0)],
                    atMinutes: after(a.constraintViolationsHigh.for),
                    present: "instance_model_domain:sglang_ananke_constraint_violations:rate5m",
                },
            ],
        },
        {
            alert: "AnankeRollbacksHigh",
            fire: [
                {
                    note: "above",
                    series: [...sg({}), ...anankeSeries(0, a.rollbacksHigh.threshold * 1.05)],
                    atMinutes: after(a.rollbacksHigh.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "just under",
                    series: [...sg({}), ...anankeSeries(0, a.rollbacksHigh.threshold * 0.98)],
                    atMinutes: after(a.rollbacksHigh.for),
                    present: "instance_model:sglang_ananke_rollbacks:rate5m",
                },
            ],
        },
        {
            alert: "AnankeGrammarCacheMissHigh",
            fire: [
                {
                    note: "miss ratio above",
                    series: grammarCache(1 - a.grammarCacheMissHigh.threshold - 0.1),
                    atMinutes: after(a.grammarCacheMissHigh.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "miss ratio just under",
                    series: grammarCache(1 - a.grammarCacheMissHigh.threshold + 0.02),
                    atMinutes: after(a.grammarCacheMissHigh.for),
                    present: "instance_model:sglang_grammar_cache_hit:ratio_rate5m",
                },
            ],
        },
        {
            alert: "AnankeMetricsMissing",
            fire: [
                {
                    note: "SGLang up, no Ananke series",
                    series: [F.up("sglang", F.SGLANG_INSTANCE, 1), ...sg({ num_requests_total: { rate: 1 } })],
                    atMinutes: 20,
                    labels: SGLANG,
                },
            ],
            silent: v.ananke
                ? [
                      {
                          note: `${v.ananke.version} written`,
                          series: [F.up("sglang", F.SGLANG_INSTANCE, 1), ...sg({ num_requests_total: { rate: 1 } }), ...anankeSeries(0.1, 0.1)],
                          atMinutes: 20,
                      },
                  ]
                : [],
        },
        {
            alert: "GPUMemoryHigh",
            fire: [
                {
                    note: `${v.dcgm.id} (MiB) above`,
                    series: gpuMemDcgm(a.gpuMemoryHigh.threshold + 2),
                    atMinutes: after(a.gpuMemoryHigh.for),
                    labels: { job: "gpu-exporter", instance: F.GPU_INSTANCE, gpu: "0", hostname: F.GPU_HOST },
                },
                {
                    note: `${v.smi.id} above`,
                    series: gpuMemSmi(a.gpuMemoryHigh.threshold + 2),
                    atMinutes: after(a.gpuMemoryHigh.for),
                    labels: { job: "gpu-exporter", instance: F.SMI_INSTANCE, gpu: "0" },
                },
            ],
            silent: [
                {
                    note: `${v.dcgm.id} just under`,
                    series: gpuMemDcgm(a.gpuMemoryHigh.threshold - 1),
                    atMinutes: after(a.gpuMemoryHigh.for),
                    present: "instance_gpu:nvidia_gpu_memory_used:ratio",
                },
                {
                    note: `${v.smi.id} just under`,
                    series: gpuMemSmi(a.gpuMemoryHigh.threshold - 1),
                    atMinutes: after(a.gpuMemoryHigh.for),
                    present: "instance_gpu:nvidia_gpu_memory_used:ratio",
                },
            ],
        },
        {
            alert: "GPUTemperatureHigh",
            fire: [
                {
                    note: `${v.dcgm.id} GPU 1 hot`,
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_GPU_TEMP: F.perGpu([60, a.gpuTemperatureHigh.threshold + 3]) }),
                    atMinutes: after(a.gpuTemperatureHigh.for),
                    labels: { instance: F.GPU_INSTANCE, gpu: "1" },
                },
                {
                    note: `${v.smi.id} GPU 0 hot`,
                    series: F.gpuExporter(v.smi, { ...smiIdentity, nvidia_smi_temperature_gpu: F.perGpu([a.gpuTemperatureHigh.threshold + 3, 60]) }),
                    atMinutes: after(a.gpuTemperatureHigh.for),
                    labels: { instance: F.SMI_INSTANCE, gpu: "0" },
                },
            ],
            silent: [
                {
                    note: "just under",
                    series: F.gpuExporter(v.dcgm, {
                        DCGM_FI_DEV_GPU_TEMP: F.perGpu([a.gpuTemperatureHigh.threshold - 1, a.gpuTemperatureHigh.threshold - 1]),
                    }),
                    atMinutes: after(a.gpuTemperatureHigh.for),
                    present: "nvidia_gpu_temperature_celsius",
                },
            ],
        },
        {
            alert: "GPUUtilizationLow",
            fire: [
                {
                    note: `${v.dcgm.id} idle`,
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_GPU_UTIL: F.perGpu([a.gpuUtilizationLow.threshold / 2, 90]) }),
                    atMinutes: after(a.gpuUtilizationLow.for, 10),
                    labels: { instance: F.GPU_INSTANCE, gpu: "0" },
                },
                {
                    note: `${v.smi.id} idle (ratio 0-1)`,
                    series: F.gpuExporter(v.smi, {
                        ...smiIdentity,
                        nvidia_smi_utilization_gpu_ratio: F.perGpu([0.9, a.gpuUtilizationLow.threshold / 200]),
                    }),
                    atMinutes: after(a.gpuUtilizationLow.for, 10),
                    labels: { instance: F.SMI_INSTANCE, gpu: "1" },
                },
            ],
            silent: [
                {
                    note: "just above the floor",
                    series: F.gpuExporter(v.smi, {
                        ...smiIdentity,
                        nvidia_smi_utilization_gpu_ratio: F.perGpu([(a.gpuUtilizationLow.threshold + 1) / 100, 0.9]),
                    }),
                    atMinutes: after(a.gpuUtilizationLow.for, 10),
                    present: "nvidia_gpu_utilization",
                },
            ],
        },
        {
            alert: "GPUMetricsMissing",
            fire: [{ note: "SGLang up, no GPU series", series: [F.up("sglang", F.SGLANG_INSTANCE, 1)], atMinutes: 20, labels: SGLANG }],
            silent: [
                {
                    note: `${v.dcgm.id} series exist`,
                    series: [F.up("sglang", F.SGLANG_INSTANCE, 1), ...F.gpuExporter(v.dcgm, { DCGM_FI_DEV_GPU_UTIL: F.perGpu([50, 50]) })],
                    atMinutes: 20,
                    present: "nvidia_gpu_utilization",
                },
            ],
        },
        {
            alert: "HighCPUUsage",
            fire: [
                {
                    note: "busy above",
                    series: F.nodeExporter({ node_cpu_seconds_total: F.cpuBusy((a.hostCpuHigh.threshold + 5) / 100) }),
                    atMinutes: after(a.hostCpuHigh.for),
                    labels: { instance: F.NODE_INSTANCE },
                },
            ],
            silent: [
                {
                    note: "just under",
                    series: F.nodeExporter({ node_cpu_seconds_total: F.cpuBusy((a.hostCpuHigh.threshold - 1) / 100) }),
                    atMinutes: after(a.hostCpuHigh.for),
                    present: "instance:node_cpu_busy:ratio_rate5m",
                },
            ],
        },
        {
            alert: "HighMemoryUsage",
            fire: [
                {
                    note: "above",
                    series: hostMemory(a.hostMemoryHigh.threshold + 5),
                    atMinutes: after(a.hostMemoryHigh.for),
                    labels: { instance: F.NODE_INSTANCE },
                },
            ],
            silent: [
                {
                    note: "just under",
                    series: hostMemory(a.hostMemoryHigh.threshold - 1),
                    atMinutes: after(a.hostMemoryHigh.for),
                    present: "instance:node_memory_used:ratio",
                },
            ],
        },
        {
            alert: "DiskSpaceLow",
            fire: [
                {
                    note: "root above",
                    series: rootUsed(a.diskSpaceLow.threshold + 5),
                    atMinutes: after(a.diskSpaceLow.for),
                    labels: { instance: F.NODE_INSTANCE, mountpoint: "/" },
                },
            ],
            silent: [
                {
                    note: "root just under, a full tmpfs ignored",
                    series: rootUsed(a.diskSpaceLow.threshold - 1, [{ mountpoint: "/run", fstype: "tmpfs", device: "tmpfs", size: 1e9, avail: 1e6 }]),
                    atMinutes: after(a.diskSpaceLow.for),
                    present: 'instance_mountpoint:node_filesystem_used:ratio{mountpoint="/"}',
                },
            ],
        },
        {
            alert: "SGLangAvailabilityBudgetBurnFast",
            fire: [{ note: `${how} at 15× budget`, series: failing(avBudget * 15), atMinutes: 12, labels: SGLANG }],
            silent: [
                {
                    note: `${how} just under 6× budget`,
                    series: failing(avBudget * 5.8),
                    atMinutes: 12,
                    present: "instance_model:sglang_slo_availability_errors:ratio_rate1h",
                },
            ],
        },
        {
            alert: "SGLangAvailabilityBudgetBurnSlow",
            fire: [{ note: `${how} at 3.3× budget`, series: failing(avBudget * 3.3), atMinutes: 25, labels: SGLANG }],
            silent: [
                {
                    note: `${how} just under 1× budget`,
                    series: failing(avBudget * 0.9),
                    atMinutes: 25,
                    present: "instance_model:sglang_slo_availability_errors:ratio_rate3d",
                },
            ],
        },
        {
            alert: "SGLangLatencyBudgetBurnFast",
            fire: [{ note: "slow TTFT at 15× budget", series: ttft(latBudget * 15), atMinutes: 12, labels: SGLANG }],
            silent: [
                {
                    note: "slow TTFT just under 6× budget",
                    series: ttft(latBudget * 5.8),
                    atMinutes: 12,
                    present: "instance_model:sglang_slo_latency_errors:ratio_rate1h",
                },
            ],
        },
        {
            alert: "SGLangLatencyBudgetBurnSlow",
            fire: [{ note: "slow TTFT at 3.3× budget", series: ttft(latBudget * 3.3), atMinutes: 25, labels: SGLANG }],
            silent: [
                {
                    note: "slow TTFT just under 1× budget",
                    series: ttft(latBudget * 0.9),
                    atMinutes: 25,
                    present: "instance_model:sglang_slo_latency_errors:ratio_rate3d",
                },
            ],
        },
        {
            alert: "SGLangEngineStalled",
            fire: [
                {
                    note: "requests held, none finished, no token streamed",
                    series: sg({ num_requests_total: { rate: 0 }, num_running_reqs: { gauge: 5 }, num_queue_reqs: { gauge: 3 } }),
                    atMinutes: after(a.engineStalled.for),
                    labels: { ...SGLANG, model_name: F.MODEL },
                },
                {
                    note: "stuck after serving: the gauges froze at their last values",
                    series: sglangPhases([
                        { minutes: 20, traffic: { num_requests_total: { rate: 2 }, num_running_reqs: { gauge: 6 } } },
                        { minutes: 60, traffic: { num_requests_total: { rate: 0 }, num_running_reqs: { gauge: 6 } } },
                    ]),
                    atMinutes: 20 + after(a.engineStalled.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "an idle server (a cold start looks the same)",
                    series: sg({ num_requests_total: { rate: 0 } }),
                    atMinutes: after(a.engineStalled.for),
                    present: S_REQUESTS_IN_SYSTEM,
                },
                {
                    note: "requests held and finishing",
                    series: sg({ num_requests_total: { rate: 2 }, num_running_reqs: { gauge: 12 } }),
                    atMinutes: after(a.engineStalled.for),
                    present: S_REQUESTS_IN_SYSTEM,
                },
                {
                    note: "long streamed generations: nothing finishes, tokens flow",
                    series: sg({
                        num_requests_total: { rate: 0 },
                        num_running_reqs: { gauge: 3 },
                        inter_token_latency_seconds: F.latency(60, { 0.02: 1 }),
                    }),
                    atMinutes: after(a.engineStalled.for),
                    present: S_REQUESTS_IN_SYSTEM,
                },
                {
                    note: "a long prefill, shorter than the stall duration",
                    series: sglangPhases([
                        { minutes: 20, traffic: { num_requests_total: { rate: 1 } } },
                        { minutes: Math.max(2, stallMinutes - 3), traffic: { num_requests_total: { rate: 0 }, num_running_reqs: { gauge: 1 } } },
                        { minutes: 60, traffic: { num_requests_total: { rate: 1 } } },
                    ]),
                    atMinutes: 20 + stallMinutes + 2,
                    present: S_REQUESTS_IN_SYSTEM,
                    pendingAllowed: true,
                },
            ],
        },
        {
            alert: "SGLangThroughputCollapsed",
            fire: [
                {
                    note: "as many requests held, tokens at a tenth",
                    series: sglangPhases([
                        { minutes: 75, traffic: busyServing(1000) },
                        { minutes: 40, traffic: busyServing(1000 * a.throughputCollapse.threshold * 0.5) },
                    ]),
                    atMinutes: 75 + after(a.throughputCollapse.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "steady",
                    series: sglangPhases([
                        { minutes: 75, traffic: busyServing(1000) },
                        { minutes: 40, traffic: busyServing(1000) },
                    ]),
                    atMinutes: 75 + after(a.throughputCollapse.for),
                    present: S.SGLANG_GENERATION_TOKENS_RATE,
                },
                {
                    note: "traffic dropped: fewer requests held, fewer tokens",
                    series: sglangPhases([
                        { minutes: 75, traffic: busyServing(1000) },
                        { minutes: 40, traffic: { ...busyServing(50), num_running_reqs: { gauge: 2 } } },
                    ]),
                    atMinutes: 75 + after(a.throughputCollapse.for),
                    present: S.SGLANG_GENERATION_TOKENS_RATE,
                },
                {
                    note: "a cold start: no hour before",
                    series: sg(busyServing(10)),
                    atMinutes: after(a.throughputCollapse.for),
                    present: S.SGLANG_GENERATION_TOKENS_RATE,
                },
            ],
        },
        {
            alert: "GPUXidCritical",
            fire: [
                {
                    note: `${v.dcgm.id}: GPU 1 falls off the bus (XID 79)`,
                    series: xidAt([0, 79]),
                    atMinutes: 22,
                    labels: { instance: F.GPU_INSTANCE, gpu: "1" },
                },
            ],
            silent: [
                {
                    note: "an old XID 79, reported since before (the field never resets)",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_XID_ERRORS: F.perGpu([0, 79]) }),
                    atMinutes: 22,
                    present: S.GPU_XID_LAST,
                },
                { note: "a new XID that is not critical (13)", series: xidAt([0, 13]), atMinutes: 22, present: S.GPU_XID_LAST },
            ],
        },
        {
            alert: "GPUXidError",
            fire: [{ note: `${v.dcgm.id}: XID 13 on GPU 0`, series: xidAt([13, 0]), atMinutes: 22, labels: { instance: F.GPU_INSTANCE, gpu: "0" } }],
            silent: [
                {
                    note: "no XID",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_XID_ERRORS: F.perGpu([0, 0]) }),
                    atMinutes: 22,
                    present: S.GPU_XID_LAST,
                },
                { note: "a critical XID is GPUXidCritical's", series: xidAt([0, 48]), atMinutes: 22, present: S.GPU_XID_LAST },
            ],
        },
        {
            alert: "GPURowRemapFailure",
            fire: [
                {
                    note: `${v.dcgm.id}: remapping failed on GPU 1`,
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_ROW_REMAP_FAILURE: F.perGpu([0, 1]) }),
                    atMinutes: 5 + Math.ceil(durationSeconds(a.gpuRowRemapFailure.for) / 60),
                    labels: { instance: F.GPU_INSTANCE, gpu: "1" },
                },
            ],
            silent: [
                {
                    note: "no failure",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_ROW_REMAP_FAILURE: F.perGpu([0, 0]) }),
                    atMinutes: 10,
                    present: S.GPU_ROW_REMAP_FAILURE,
                },
            ],
        },
        {
            alert: "GPUUncorrectableRemappedRows",
            fire: [
                {
                    note: `${v.dcgm.id}: rows remapped on GPU 0`,
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS: F.perGpuRate([1 / 600, 0]) }),
                    atMinutes: 30,
                    labels: { instance: F.GPU_INSTANCE, gpu: "0" },
                },
                {
                    note: `${v.dcgm.id}: rows remapped on GPU 1 50 minutes ago, none since`,
                    series: memoryErrorsOnce("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS"),
                    atMinutes: MEMORY_ERRORS_AT + 50,
                    labels: { instance: F.GPU_INSTANCE, gpu: "1" },
                },
            ],
            silent: [
                {
                    note: "none for an hour",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS: { rate: 0 } }),
                    atMinutes: 30,
                    present: S.GPU_UNCORRECTABLE_REMAPPED_ROWS_INCREASE,
                },
                {
                    note: `${v.dcgm.id}: rows remapped over an hour ago, none since`,
                    series: memoryErrorsOnce("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS"),
                    atMinutes: MEMORY_ERRORS_AT + 70,
                    present: S.GPU_UNCORRECTABLE_REMAPPED_ROWS_INCREASE,
                },
            ],
        },
        {
            alert: "GPUPcieReplaysHigh",
            fire: [
                {
                    note: `${v.dcgm.id}: replays above`,
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_PCIE_REPLAY_COUNTER: F.perGpuRate([a.gpuPcieReplays.threshold * 2, 0]) }),
                    atMinutes: after(a.gpuPcieReplays.for),
                    labels: { instance: F.GPU_INSTANCE, gpu: "0" },
                },
            ],
            silent: [
                {
                    note: "just under",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_PCIE_REPLAY_COUNTER: { rate: a.gpuPcieReplays.threshold * 0.9 } }),
                    atMinutes: after(a.gpuPcieReplays.for),
                    present: S.GPU_PCIE_REPLAYS_RATE,
                },
            ],
        },
        {
            alert: "GPUMemoryTemperatureHigh",
            fire: [
                {
                    note: `${v.dcgm.id}: HBM of GPU 1 hot`,
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_MEMORY_TEMP: F.perGpu([70, a.gpuMemoryTemperature.threshold + 2]) }),
                    atMinutes: after(a.gpuMemoryTemperature.for),
                    labels: { instance: F.GPU_INSTANCE, gpu: "1" },
                },
            ],
            silent: [
                {
                    note: "just under",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_MEMORY_TEMP: F.perGpu([a.gpuMemoryTemperature.threshold - 1, 70]) }),
                    atMinutes: after(a.gpuMemoryTemperature.for),
                    present: S.GPU_MEMORY_TEMPERATURE_CELSIUS,
                },
            ],
        },
        {
            alert: "GPUEccUncorrectableErrors",
            fire: [
                {
                    note: `${v.dcgm.id}: double-bit errors on GPU 0`,
                    series: F.gpuExporter(v.dcgm, { [ECC_DBE_FIELD]: F.perGpuRate([1 / 600, 0]) }),
                    atMinutes: 30,
                    labels: { instance: F.GPU_INSTANCE, gpu: "0" },
                },
                {
                    note: `${v.smi.id}: uncorrected count of GPU 1 goes from 0 to 2`,
                    series: F.gpuExporterPhases(v.smi, [
                        { minutes: 20, traffic: { traffic: { ...smiTemps, nvidia_smi_ecc_errors_uncorrected_volatile_total: F.perGpu([0, 0]) } } },
                        { minutes: 20, traffic: { traffic: { ...smiTemps, nvidia_smi_ecc_errors_uncorrected_volatile_total: F.perGpu([0, 2]) } } },
                    ]),
                    atMinutes: 30,
                    labels: { instance: F.SMI_INSTANCE, gpu: "1" },
                },
                {
                    note: `${v.dcgm.id}: double-bit errors on GPU 1 50 minutes ago, none since`,
                    series: memoryErrorsOnce(ECC_DBE_FIELD),
                    atMinutes: MEMORY_ERRORS_AT + 50,
                    labels: { instance: F.GPU_INSTANCE, gpu: "1" },
                },
            ],
            silent: [
                {
                    note: `${v.dcgm.id}: double-bit errors over an hour ago, none since`,
                    series: memoryErrorsOnce(ECC_DBE_FIELD),
                    atMinutes: MEMORY_ERRORS_AT + 70,
                    present: S.GPU_ECC_UNCORRECTABLE_INCREASE,
                },
                {
                    note: `${v.dcgm.id}: none for an hour`,
                    series: F.gpuExporter(v.dcgm, { [ECC_DBE_FIELD]: { rate: 0 } }),
                    atMinutes: 30,
                    present: S.GPU_ECC_UNCORRECTABLE_INCREASE,
                },
                {
                    note: `${v.smi.id}: an old count that does not grow`,
                    series: F.gpuExporter(v.smi, { ...smiTemps, nvidia_smi_ecc_errors_uncorrected_volatile_total: F.perGpu([3, 0]) }),
                    atMinutes: 30,
                    present: S.GPU_ECC_UNCORRECTABLE_INCREASE,
                },
            ],
        },
        {
            alert: "GPUThermalThrottling",
            fire: [
                {
                    note: `${v.dcgm.id}: GPU 1 throttled by heat and power`,
                    series: F.gpuExporter(v.dcgm, {
                        DCGM_FI_DEV_THERMAL_VIOLATION: F.perGpuRate([0, a.gpuThrottling.threshold * violationUnitsPerSecond]),
                        DCGM_FI_DEV_POWER_VIOLATION: F.perGpuRate([0, a.gpuThrottling.threshold * violationUnitsPerSecond]),
                    }),
                    atMinutes: after(a.gpuThrottling.for),
                    labels: { instance: F.GPU_INSTANCE, gpu: "1" },
                },
                {
                    note: `${v.smi.id}: GPU 0 in hardware thermal slowdown`,
                    series: F.gpuExporter(v.smi, { ...smiTemps, nvidia_smi_clocks_event_reasons_hw_thermal_slowdown: F.perGpu([1, 0]) }),
                    atMinutes: after(a.gpuThrottling.for),
                    labels: { instance: F.SMI_INSTANCE, gpu: "0" },
                },
            ],
            silent: [
                {
                    note: `${v.dcgm.id}: throttled just under the share`,
                    series: F.gpuExporter(v.dcgm, {
                        DCGM_FI_DEV_THERMAL_VIOLATION: { rate: a.gpuThrottling.threshold * 0.5 * violationUnitsPerSecond },
                        DCGM_FI_DEV_POWER_VIOLATION: { rate: a.gpuThrottling.threshold * 0.4 * violationUnitsPerSecond },
                    }),
                    atMinutes: after(a.gpuThrottling.for),
                    present: S.GPU_THROTTLED_RATIO,
                },
                {
                    note: `${v.smi.id}: no throttle reason active`,
                    series: F.gpuExporter(v.smi, smiTemps),
                    atMinutes: after(a.gpuThrottling.for),
                    present: S.GPU_THROTTLED_RATIO,
                },
            ],
        },
        {
            alert: "GPUMissing",
            fire: [
                {
                    note: `${v.dcgm.id}: GPU 1 stops reporting`,
                    series: F.gpuExporterPhases(v.dcgm, [
                        { minutes: 30, traffic: { traffic: gpuTemps } },
                        { minutes: 30, traffic: { traffic: gpuTemps, gpus: [F.GPUS[0]] } },
                    ]),
                    atMinutes: 30 + after(a.gpuMissing.for),
                    labels: { instance: F.GPU_INSTANCE },
                },
                {
                    note: `${v.smi.id}: GPU 1 stops reporting`,
                    series: F.gpuExporterPhases(v.smi, [
                        { minutes: 30, traffic: { traffic: smiTemps } },
                        { minutes: 30, traffic: { traffic: smiTemps, gpus: [F.GPUS[0]] } },
                    ]),
                    atMinutes: 30 + after(a.gpuMissing.for),
                    labels: { instance: F.SMI_INSTANCE },
                },
            ],
            silent: [{ note: "every GPU reporting", series: F.gpuExporter(v.dcgm, gpuTemps), atMinutes: 40, present: S.GPUS_REPORTING }],
        },
        {
            alert: "GPUBusyAtIdlePower",
            fire: [
                {
                    note: `${v.dcgm.id}: both GPUs at 100 % drawing 80 W`,
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_GPU_UTIL: F.perGpu([100, 100]), DCGM_FI_DEV_POWER_USAGE: F.perGpu([80, 82]) }),
                    atMinutes: after(a.gpuBusyIdlePower.for),
                    labels: { instance: F.GPU_INSTANCE },
                },
            ],
            silent: [
                {
                    note: "busy and drawing power: serving",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_GPU_UTIL: F.perGpu([100, 100]), DCGM_FI_DEV_POWER_USAGE: F.perGpu([600, 610]) }),
                    atMinutes: after(a.gpuBusyIdlePower.for),
                    present: S.GPU_POWER_WATTS,
                },
                {
                    note: "idle",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_GPU_UTIL: F.perGpu([0, 0]), DCGM_FI_DEV_POWER_USAGE: F.perGpu([70, 70]) }),
                    atMinutes: after(a.gpuBusyIdlePower.for),
                    present: S.GPU_POWER_WATTS,
                },
                {
                    note: "one GPU only",
                    series: F.gpuExporter(v.dcgm, { DCGM_FI_DEV_GPU_UTIL: F.perGpu([100, 0]), DCGM_FI_DEV_POWER_USAGE: F.perGpu([80, 70]) }),
                    atMinutes: after(a.gpuBusyIdlePower.for),
                    present: S.GPU_POWER_WATTS,
                },
            ],
        },
        {
            alert: "GPUExporterDown",
            fire: [
                {
                    note: "target down",
                    series: [F.up("gpu-exporter", F.GPU_INSTANCE, 0)],
                    atMinutes: after(a.gpuExporterDown.for),
                    labels: { instance: F.GPU_INSTANCE },
                },
            ],
            silent: [
                {
                    note: "target up",
                    series: [F.up("gpu-exporter", F.GPU_INSTANCE, 1)],
                    atMinutes: after(a.gpuExporterDown.for),
                    present: 'up{job="gpu-exporter"}',
                },
            ],
        },
        {
            alert: "SGLangItlBudgetBurnFast",
            fire: [{ note: "slow tokens at 15× budget", series: itl(itlBudget * 15), atMinutes: 12, labels: SGLANG }],
            silent: [
                {
                    note: "slow tokens just under 6× budget",
                    series: itl(itlBudget * 5.8),
                    atMinutes: 12,
                    present: "instance_model:sglang_slo_itl_errors:ratio_rate1h",
                },
            ],
        },
        {
            alert: "SGLangItlBudgetBurnSlow",
            fire: [{ note: "slow tokens at 3.3× budget", series: itl(itlBudget * 3.3), atMinutes: 25, labels: SGLANG }],
            silent: [
                {
                    note: "slow tokens just under 1× budget",
                    series: itl(itlBudget * 0.9),
                    atMinutes: 25,
                    present: "instance_model:sglang_slo_itl_errors:ratio_rate3d",
                },
            ],
        },
        {
            alert: "SGLangCanaryFailing",
            fire: [
                {
                    note: "the canary fails",
                    series: canary(0, 0.2),
                    atMinutes: after(a.canaryFailing.for),
                    labels: { job: "sglang-canary", model_name: F.MODEL },
                },
                {
                    note: "it started failing after succeeding",
                    series: [F.series("probe_success", CANARY, "1x10 0x80"), F.series("probe_duration_seconds", CANARY, "0.5x90")],
                    atMinutes: 10 + after(a.canaryFailing.for),
                    labels: { job: "sglang-canary" },
                },
            ],
            silent: [
                { note: "the canary succeeds", series: canary(1, 0.4), atMinutes: after(a.canaryFailing.for), present: "probe_success" },
                {
                    note: "one failed probe is not an outage",
                    series: [F.series("probe_success", CANARY, "1x10 0 1x80"), F.series("probe_duration_seconds", CANARY, "0.5x90")],
                    atMinutes: 12,
                    present: "probe_success",
                },
            ],
        },
        {
            alert: "SGLangCanarySlow",
            fire: [
                {
                    note: "slower than its objective",
                    series: canary(1, a.canarySlow.threshold * 1.5),
                    atMinutes: after(a.canarySlow.for),
                    labels: { job: "sglang-canary" },
                },
            ],
            silent: [
                {
                    note: "just within its objective",
                    series: canary(1, a.canarySlow.threshold * 0.9),
                    atMinutes: after(a.canarySlow.for),
                    present: "probe_duration_seconds",
                },
                {
                    note: "failing slowly is SGLangCanaryFailing's",
                    series: canary(0, a.canarySlow.threshold * 2),
                    atMinutes: after(a.canarySlow.for),
                    present: "probe_duration_seconds",
                },
            ],
        },
        {
            alert: "Watchdog",
            fire: [{ note: "always", series: [], atMinutes: 1, labels: {} }],
            silent: [],
        },
        {
            alert: "TargetDown",
            fire: [
                {
                    note: "node exporter down",
                    series: [F.up("node-exporter", F.NODE_INSTANCE, 0), F.up("prometheus", "prometheus:9090", 1)],
                    atMinutes: after(a.targetDown.for),
                    labels: { job: "node-exporter", instance: F.NODE_INSTANCE },
                },
            ],
            silent: [
                {
                    note: "down for less than the for duration",
                    series: [F.series("up", { job: "node-exporter", instance: F.NODE_INSTANCE }, `1x20 0x${F.DEFAULT_SAMPLES}`)],
                    atMinutes: 21 + Math.floor((durationSeconds(a.targetDown.for) ?? 60) / 60) - 2,
                    present: "up",
                    pendingAllowed: true,
                },
                {
                    note: "SGLang down is SGLangServerDown's",
                    series: [F.up("sglang", F.SGLANG_INSTANCE, 0)],
                    atMinutes: after(a.targetDown.for),
                    present: "up",
                },
            ],
        },
        {
            alert: "PrometheusRuleFailures",
            fire: [
                {
                    note: "failures",
                    series: [
                        selfSeries("prometheus_rule_evaluation_failures_total", 0.05, {
                            rule_group: "/etc/prometheus/rules/recording-rules.yaml;sglang.recording",
                        }),
                    ],
                    atMinutes: 25,
                    labels: { instance: "prometheus:9090" },
                },
            ],
            silent: [
                {
                    note: "no failures",
                    series: [
                        selfSeries("prometheus_rule_evaluation_failures_total", 0, {
                            rule_group: "/etc/prometheus/rules/recording-rules.yaml;sglang.recording",
                        }),
                    ],
                    atMinutes: 25,
                    present: "prometheus_rule_evaluation_failures_total",
                },
            ],
        },
        {
            alert: "PrometheusNotConnectedToAlertmanagers",
            fire: [
                {
                    note: "none discovered",
                    series: [
                        F.series(
                            "prometheus_notifications_alertmanagers_discovered",
                            { job: "prometheus", instance: "prometheus:9090" },
                            F.constant(0),
                        ),
                    ],
                    atMinutes: 20,
                    labels: { instance: "prometheus:9090" },
                },
            ],
            silent: [
                {
                    note: "one discovered",
                    series: [
                        F.series(
                            "prometheus_notifications_alertmanagers_discovered",
                            { job: "prometheus", instance: "prometheus:9090" },
                            F.constant(1),
                        ),
                    ],
                    atMinutes: 20,
                    present: "prometheus_notifications_alertmanagers_discovered",
                },
            ],
        },
        {
            alert: "PrometheusNotificationsFailing",
            fire: [
                {
                    note: "2% fail",
                    series: [
                        selfSeries("prometheus_notifications_errors_total", 0.02, { alertmanager: "http://alertmanager:9093/api/v2/alerts" }),
                        selfSeries("prometheus_notifications_sent_total", 1, { alertmanager: "http://alertmanager:9093/api/v2/alerts" }),
                    ],
                    atMinutes: 25,
                    labels: { instance: "prometheus:9090" },
                },
            ],
            silent: [
                {
                    note: "0.9% fail",
                    series: [
                        selfSeries("prometheus_notifications_errors_total", 0.009, { alertmanager: "http://alertmanager:9093/api/v2/alerts" }),
                        selfSeries("prometheus_notifications_sent_total", 1, { alertmanager: "http://alertmanager:9093/api/v2/alerts" }),
                    ],
                    atMinutes: 25,
                    present: "prometheus_notifications_errors_total",
                },
            ],
        },
        {
            alert: "PrometheusConfigReloadFailed",
            fire: [
                {
                    note: "reload failed",
                    series: [F.series("prometheus_config_last_reload_successful", { job: "prometheus", instance: "prometheus:9090" }, F.constant(0))],
                    atMinutes: 15,
                    labels: { instance: "prometheus:9090" },
                },
            ],
            silent: [
                {
                    note: "reload ok",
                    series: [F.series("prometheus_config_last_reload_successful", { job: "prometheus", instance: "prometheus:9090" }, F.constant(1))],
                    atMinutes: 15,
                    present: "prometheus_config_last_reload_successful",
                },
            ],
        },
        {
            alert: "AlertmanagerFailedToSendAlerts",
            fire: [
                {
                    note: "2% of Slack notifications fail",
                    series: [amSeries("alertmanager_notifications_failed_total", 0.02), amSeries("alertmanager_notifications_total", 1)],
                    atMinutes: 15,
                    labels: { instance: "alertmanager:9093", integration: "slack" },
                },
            ],
            silent: [
                {
                    note: "0.9% fail",
                    series: [amSeries("alertmanager_notifications_failed_total", 0.009), amSeries("alertmanager_notifications_total", 1)],
                    atMinutes: 15,
                    present: "alertmanager_notifications_failed_total",
                },
            ],
        },
        {
            alert: "AlertmanagerConfigReloadFailed",
            fire: [
                {
                    note: "reload failed",
                    series: [
                        F.series("alertmanager_config_last_reload_successful", { job: "alertmanager", instance: "alertmanager:9093" }, F.constant(0)),
                    ],
                    atMinutes: 15,
                    labels: { instance: "alertmanager:9093" },
                },
            ],
            silent: [
                {
                    note: "reload ok",
                    series: [
                        F.series("alertmanager_config_last_reload_successful", { job: "alertmanager", instance: "alertmanager:9093" }, F.constant(1)),
                    ],
                    atMinutes: 15,
                    present: "alertmanager_config_last_reload_successful",
                },
            ],
        },
        ...routerAlertCases(s, v.router ?? F.DEFAULT_ROUTER_CONTRACT, [
            ...sg({ num_requests_total: { rate: 1 } }),
            F.up("sglang", F.SGLANG_INSTANCE, 1),
        ]),
    ];
}
