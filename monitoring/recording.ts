/**
 * Recording rules: the normalization layer. Each rule turns whatever the
 * exporters really emit (see the catalogue in `series.ts` for sources) into
 * one stable series, aggregated over SGLang's rank labels and GPU exporters'
 * label differences, so that dashboards and alerts never query raw names.
 */

import {
    ECC_DBE_FIELD,
    POWER_VIOLATION_FIELD,
    SECONDS_PER_VIOLATION_UNIT,
    THERMAL_VIOLATION_FIELD,
} from "../contracts/dcgm-exporter/project-counters";
import { durationSeconds, type Settings } from "../settings";
import { FAST_BURN, SLOW_BURN } from "./alerts/slo";
import { dcgmCountersFor } from "./dcgm-counters";
import { MODEL_NAME_LABEL, modelObjectives, objectiveRules } from "./objectives";
import { byClause, eitherPrefix, firstOf, leRegex, sumBy } from "./promql";
import { costGroup, costTileGroup } from "./recording-cost";
import { routerGroup } from "./recording-router";
import * as S from "./series";
import type { RecordingRule, RuleGroup } from "./types";

const L = S.SGLANG_LABELS;
const G = S.GPU_LABELS;
const H = S.HOST_LABELS;

function rec(record: string, expr: string, labels?: Record<string, string>): RecordingRule {
    return labels ? { record, expr, labels } : { record, expr };
}

/**
 * One series per scheduler that saw a distinct batch: ranks that report the
 * same batch (see SGLANG_SAME_BATCH_RANK_LABELS) collapse into one. A no-op
 * on tokenizer series, which carry no rank labels.
 */
function distinctSchedulers(expr: string): string {
    return `max without (${byClause(S.SGLANG_SAME_BATCH_RANK_LABELS)}) (${expr})`;
}

/** Sum per server and model over distinct schedulers, on either prefix. */
function sglangSum(f: (prefix: string) => string, labels: readonly string[] = L): string {
    return eitherPrefix((p) => sumBy(labels, distinctSchedulers(f(p))));
}

/** Sum of a counter's rate per server and model, on either prefix. */
function sglangRate(name: string, window: string, matchers = ""): string {
    return sglangSum((p) => `rate(${p}${name}${matchers}[${window}])`);
}

/** HTTP endpoints whose 5xx are not failed requests of the API. */
const NON_API_ENDPOINTS = `endpoint!~"/health.*|/metrics"`;

/**
 * 1 for each model a server serves: multiplies a per-server series (HTTP
 * metrics have no `model_name`) out to the server's models.
 */
function servedModels(): string {
    return eitherPrefix((p) => `max by (${byClause(L)}) (0 * ${p}num_requests_total + 1)`);
}

/** A per-server expression attributed to each model the server serves. */
function perModel(serverExpr: string): string {
    return `${serverExpr} * on (${byClause(S.SGLANG_SERVER_LABELS)}) group_right () ${servedModels()}`;
}

/** Per-server sum of an HTTP response counter (or its rate) on API endpoints, on either prefix. */
function httpResponses(matchers: string, wrap: (selector: string) => string): string {
    return eitherPrefix((p) => sumBy(S.SGLANG_SERVER_LABELS, wrap(`${p}http_responses_total{${matchers}}`)));
}

/** Per-server 5xx of the API: 0 (from the same source) while the server has answered none. */
function httpServerErrors(wrap: (selector: string) => string): string {
    return firstOf(httpResponses(`status_code=~"5..", ${NON_API_ENDPOINTS}`, wrap), `0 * ${httpResponses(NON_API_ENDPOINTS, wrap)}`);
}

/** Aborted requests per model, 0 while requests flow and none was aborted yet (the series appears at the first abort). */
function abortedRate(window: string): string {
    return firstOf(sglangRate("num_aborted_requests_total", window), `0 * ${sglangRate("num_requests_total", window)}`);
}

const rateOver = (window: string) => (selector: string) => `rate(${selector}[${window}])`;

/** Failed and total requests per second over a window, from one source, and their ratio. */
interface RequestEvents {
    errors: string;
    events: string;
    ratio: string;
}

/** Several sources' events, the first that has data per series (each quotient within its own source). */
function firstEvents(sources: RequestEvents[]): RequestEvents {
    return {
        errors: firstOf(...sources.map((e) => e.errors)),
        events: firstOf(...sources.map((e) => e.events)),
        ratio: firstOf(...sources.map((e) => e.ratio)),
    };
}

/**
 * Requests over `window`: the API's HTTP responses (5xx failed) where the
 * server reports them, else SGLang's own counters (aborted failed); see
 * SGLANG_ERRORS_RATE. The ratio divides within each source before choosing,
 * so each counter is read once per side rather than once per quotient.
 */
function requestEvents(window: string): RequestEvents {
    const http = { errors: httpServerErrors(rateOver(window)), events: httpResponses(NON_API_ENDPOINTS, rateOver(window)) };
    const counters = { errors: abortedRate(window), events: sglangRate("num_requests_total", window) };
    return firstEvents([
        { errors: perModel(http.errors), events: perModel(http.events), ratio: perModel(`${http.errors} / (${http.events} > 0)`) },
        { ...counters, ratio: `${counters.errors} / (${counters.events} > 0)` },
    ]);
}

/** The same choice on raw counters (for the guide's `sglang_requests_total{status="error"}`). */
function errorsCounterExpr(): string {
    const aborted = firstOf(
        sglangSum((p) => `${p}num_aborted_requests_total`),
        `0 * ${requestsCounterExpr()}`,
    );
    return firstOf(perModel(httpServerErrors((selector) => selector)), aborted);
}

function requestsCounterExpr(): string {
    return sglangSum((p) => `${p}num_requests_total`);
}

/** Source names of a latency histogram, newest first, on either prefix. */
function histogramSources(h: S.LatencyHistogram): string[] {
    return [h.source, ...(h.legacySource ? [h.legacySource] : [])];
}

/** Grammar cache hit ratio from the guide's hit and miss counters, where a build emits them itself. */
function guideCacheHitRatio(window: string): string {
    const hits = sumBy(L, `rate(${emittedGuideName(S.GUIDE_ANANKE_CACHE_HITS_TOTAL)}[${window}])`);
    const misses = sumBy(L, `rate(${emittedGuideName(S.GUIDE_ANANKE_CACHE_MISSES_TOTAL)}[${window}])`);
    return `${hits} / ((${hits} + ${misses}) > 0)`;
}

/** A latency histogram's bucket rate: ranks deduplicated, summed by `le`. */
function bucketRateRule(h: S.LatencyHistogram): RecordingRule {
    return rec(
        S.latencyBucketRate(h),
        firstOf(...histogramSources(h).map((src) => sglangSum((p) => `rate(${p}${src}_bucket[${S.RATE_WINDOW}])`, [...L, "le"]))),
    );
}

/** Quantiles of a latency histogram, read from its bucket rate (already summed by `le`: safe for histogram_quantile). */
function quantileRules(h: S.LatencyHistogram, quantiles: readonly S.QuantileName[]): RecordingRule[] {
    return quantiles.map((q) => rec(S.latencyQuantile(h, q), `histogram_quantile(${S.QUANTILES[q]}, ${S.latencyBucketRate(h)})`));
}

const ALL_QUANTILES = Object.keys(S.QUANTILES) as S.QuantileName[];

/**
 * Histograms recorded in a group of their own, evaluated less often
 * (slowRecordingInterval). The queue-time histogram is written by every
 * scheduler rank, so at TP 8 its bucket rate reads eight times the series of
 * a tokenizer histogram and costs more than the rest of sglang.recording
 * together; no alert reads it, and its dashboard panel shows quantiles over
 * 5 minutes, which a point a minute draws as well.
 */
export const SLOW_LATENCY_HISTOGRAMS: readonly S.LatencyHistogram[] = [S.QUEUE_TIME];

/**
 * Quantiles that only dashboard panels draw (alerts, autoscaling and the
 * cost rules read P95): recorded in the slow group, each a pass over every
 * bucket rate of its histogram, for a quantile over 5 minutes that moves
 * little in one slow interval. Their panel queries step by that interval.
 */
export const PANEL_ONLY_QUANTILES: readonly S.QuantileName[] = ["p50", "p99"];

/** Whether quantile `q` of `h` is recorded every slowRecordingInterval rather than every evaluation. */
export function quantileRecordedSlowly(h: S.LatencyHistogram, q: S.QuantileName): boolean {
    return SLOW_LATENCY_HISTOGRAMS.includes(h) || PANEL_ONLY_QUANTILES.includes(q);
}

const FAST_LATENCY_HISTOGRAMS = S.LATENCY_HISTOGRAMS.filter((h) => !SLOW_LATENCY_HISTOGRAMS.includes(h));

/**
 * The slow group's interval: four evaluation intervals, at most one minute
 * (one minute at the default 15 s), and the evaluation interval itself when
 * that is a minute or longer.
 */
export function slowRecordingInterval(settings: Settings): string {
    const configured = settings.prometheus.evaluationInterval;
    const evaluation = durationSeconds(configured);
    if (evaluation >= 60) return configured;
    const seconds = Math.min(4 * evaluation, 60);
    return seconds === 60 ? "1m" : `${seconds}s`;
}

function sglangGroup(): RuleGroup {
    const requests = requestEvents(S.RATE_WINDOW);
    const rules: RecordingRule[] = [
        rec(S.SGLANG_REQUESTS_RATE, sglangRate("num_requests_total", S.RATE_WINDOW)),
        rec(S.SGLANG_ERRORS_RATE, requests.errors),
        rec(S.SGLANG_ERROR_RATIO, requests.ratio),
        ...FAST_LATENCY_HISTOGRAMS.flatMap((h) => [
            bucketRateRule(h),
            ...quantileRules(
                h,
                ALL_QUANTILES.filter((q) => !quantileRecordedSlowly(h, q)),
            ),
        ]),
    ];
    rules.push(
        rec(S.SGLANG_PROMPT_TOKENS_RATE, sglangRate("prompt_tokens_total", S.RATE_WINDOW)),
        rec(S.SGLANG_GENERATION_TOKENS_RATE, sglangRate("generation_tokens_total", S.RATE_WINDOW)),
        rec(
            S.SGLANG_RUNNING_REQUESTS,
            sglangSum((p) => `${p}num_running_reqs`),
        ),
        rec(
            S.SGLANG_QUEUED_REQUESTS,
            sglangSum((p) => `${p}num_queue_reqs`),
        ),
        // The guide's queue depth is a gauge read as it is now: evaluated here, not with the guide's counters.
        rec(
            S.GUIDE_REQUESTS_QUEUED,
            sglangSum((p) => `${p}num_queue_reqs`),
        ),
        rec(S.SGLANG_REQUESTS_IN_SYSTEM, `${S.SGLANG_RUNNING_REQUESTS} + ${S.SGLANG_QUEUED_REQUESTS}`),
        rec(
            S.SGLANG_GRAMMAR_QUEUE_REQUESTS,
            sglangSum((p) => `${p}num_grammar_queue_reqs`),
        ),
        rec(
            S.SGLANG_KV_CACHE_USAGE,
            eitherPrefix((p) => `max by (${byClause(L)}) (${p}token_usage)`),
        ),
        rec(S.SGLANG_RETRACTED_RATE, sglangRate("num_retracted_requests_total", S.RATE_WINDOW)),
        rec(
            S.SGLANG_PREFIX_CACHE_HIT_RATIO,
            firstOf(
                `${sglangRate("cached_tokens_total", S.RATE_WINDOW)} / (${sglangRate("prompt_tokens_total", S.RATE_WINDOW)} > 0)`,
                eitherPrefix((p) => `max by (${byClause(L)}) (${p}cache_hit_rate)`),
            ),
        ),
        rec(
            S.SGLANG_GRAMMAR_CACHE_HIT_RATIO,
            firstOf(
                `${sglangRate("num_grammar_cache_hit_total", S.RATE_WINDOW)} / (${sglangRate("num_grammar_total", S.RATE_WINDOW)} > 0)`,
                guideCacheHitRatio(S.RATE_WINDOW),
            ),
        ),
    );
    return { name: "sglang.recording", rules };
}

function sglangSlowGroup(settings: Settings): RuleGroup {
    return {
        name: "sglang.slow.recording",
        interval: slowRecordingInterval(settings),
        rules: S.LATENCY_HISTOGRAMS.flatMap((h) => [
            ...(SLOW_LATENCY_HISTOGRAMS.includes(h) ? [bucketRateRule(h)] : []),
            ...quantileRules(
                h,
                ALL_QUANTILES.filter((q) => quantileRecordedSlowly(h, q)),
            ),
        ]),
    };
}

/**
 * A guide name recorded from a real source, unless the build itself emits
 * the guide's name on that target: then the build's own series stands alone
 * (`recorded_from` tells the two apart, so the guard never sees its own output).
 */
function guideNameFrom(name: string, source: string, expr: string): RecordingRule {
    return rec(name, `${expr} unless on (job, instance) ${name}{${S.RECORDED_FROM_LABEL}=""}`, { [S.RECORDED_FROM_LABEL]: source });
}

/**
 * The guide's counters and duration histogram, evaluated every
 * slowRecordingInterval: no alert or panel reads them, only the guide's
 * examples, each a `rate(…[5m])`, which a point a minute serves as well. The
 * duration histogram alone reads every E2E latency bucket of every rank.
 */
function guideNamesGroup(settings: Settings): RuleGroup {
    const e2e = S.E2E_LATENCY.source;
    const grammarHits = sglangSum((p) => `${p}num_grammar_cache_hit_total`);
    const grammarTotal = sglangSum((p) => `${p}num_grammar_total`);
    return {
        name: "sglang.guide-names.recording",
        interval: slowRecordingInterval(settings),
        rules: [
            rec(S.GUIDE_REQUESTS_TOTAL, errorsCounterExpr(), { status: "error" }),
            rec(S.GUIDE_REQUESTS_TOTAL, `clamp_min(${requestsCounterExpr()} - ${errorsCounterExpr()}, 0)`, { status: "success" }),
            rec(
                S.GUIDE_REQUEST_DURATION_BUCKET,
                sglangSum((p) => `${p}${e2e}_bucket`, [...L, "le"]),
            ),
            rec(
                S.GUIDE_REQUEST_DURATION_SUM,
                sglangSum((p) => `${p}${e2e}_sum`),
            ),
            rec(
                S.GUIDE_REQUEST_DURATION_COUNT,
                sglangSum((p) => `${p}${e2e}_count`),
            ),
            rec(
                S.GUIDE_TOKENS_GENERATED_TOTAL,
                sglangSum((p) => `${p}generation_tokens_total`),
            ),
            guideNameFrom(S.GUIDE_ANANKE_CACHE_HITS_TOTAL, "num_grammar_cache_hit_total", grammarHits),
            guideNameFrom(S.GUIDE_ANANKE_CACHE_MISSES_TOTAL, "num_grammar_total", `clamp_min(${grammarTotal} - ${grammarHits}, 0)`),
            guideNameFrom(
                S.GUIDE_ANANKE_VIOLATIONS_TOTAL,
                S.FORK_ANANKE_RELAXATIONS_BY_DOMAIN_TOTAL,
                sumBy([...L, "domain"], S.FORK_ANANKE_RELAXATIONS_BY_DOMAIN_TOTAL),
            ),
        ],
    };
}

/** The guide's Ananke counters where a build emits them itself (never our recorded copies). */
function emittedGuideName(name: string): string {
    return `${name}{${S.RECORDED_FROM_LABEL}=""}`;
}

function anankeGroup(): RuleGroup {
    const w = S.RATE_WINDOW;
    return {
        name: "ananke.recording",
        rules: [
            rec(
                S.ANANKE_VIOLATIONS_RATE,
                firstOf(
                    sumBy([...L, "domain"], `rate(${emittedGuideName(S.GUIDE_ANANKE_VIOLATIONS_TOTAL)}[${w}])`),
                    sumBy([...L, "domain"], `rate(${S.FORK_ANANKE_RELAXATIONS_BY_DOMAIN_TOTAL}[${w}])`),
                ),
            ),
            rec(S.ANANKE_ROLLBACKS_RATE, sumBy(L, `rate(${emittedGuideName(S.GUIDE_ANANKE_ROLLBACKS_TOTAL)}[${w}])`)),
        ],
    };
}

/**
 * DCGM series by GPU_LABELS: the scrape copies DCGM's `UUID`, `Hostname` and
 * `modelName` to `uuid`, `hostname` and `gpu_name` (monitoring/scrape-relabel.ts),
 * and `max by` leaves out every other label (a new XID code, for one, is a new series).
 */
function dcgm(expr: string): string {
    return `max by (${byClause(G)}) (${expr})`;
}

/**
 * The identity of each GPU nvidia_gpu_exporter reports, 1 per (job, instance,
 * uuid, gpu, gpu_name): the name from `nvidia_smi_gpu_info`, the index from
 * the value of `nvidia_smi_index` (1.3.2 has no `index` label on the info
 * series; `count_values` turns the value into the `gpu` label), or from the
 * info's `index` label where a version has one and no index series.
 */
function nvidiaSmiIdentity(): string {
    const named = `max by (job, instance, uuid, gpu_name) (label_replace(nvidia_smi_gpu_info, "gpu_name", "$1", "name", "(.+)"))`;
    const fromIndexSeries = `0 * ${named} + on (job, instance, uuid) group_left (gpu) (0 * count_values by (job, instance, uuid) ("gpu", nvidia_smi_index)) + 1`;
    const fromInfoLabel = `max by (job, instance, uuid, gpu, gpu_name) (0 * label_replace(label_replace(nvidia_smi_gpu_info, "gpu", "$1", "index", "(.+)"), "gpu_name", "$1", "name", "(.+)") + 1)`;
    return `((${fromIndexSeries}) or on (job, instance, uuid) ${fromInfoLabel})`;
}

/**
 * nvidia_gpu_exporter series with the GPU's index (`gpu`) and name
 * (`gpu_name`); without the identity series the GPU is still shown, by uuid
 * only. The exporter writes no host name: `hostname` is the `node` target
 * label (the Kubernetes node, or the Docker host).
 */
function nvidiaSmi(expr: string): string {
    const withHost = `label_replace(${expr}, "hostname", "$1", "node", "(.+)")`;
    const joined = `max by (${byClause(G)}) (${withHost} * on (job, instance, uuid) group_left (gpu, gpu_name) ${nvidiaSmiIdentity()})`;
    return `${joined} or on (job, instance, uuid) max by (${byClause(G)}) (${withHost})`;
}

const MIB = 1048576;

/** nvidia-smi's clock-event reasons (0/1 gauges) that mean thermal or power throttling. */
const SMI_THROTTLE_REASONS = ["hw_thermal_slowdown", "sw_thermal_slowdown", "hw_power_brake_slowdown"].map(
    (r) => `nvidia_smi_clocks_event_reasons_${r}`,
);

/**
 * Throttled share of time: DCGM's violation durations (cumulative, in the
 * configured version's unit) per second, or the share of scrapes an
 * nvidia-smi reason was active.
 */
function throttledRatio(settings: Settings): string {
    const secondsPerUnit = SECONDS_PER_VIOLATION_UNIT[dcgmCountersFor(settings.services["gpu-exporter"].dcgmImage).violationUnit];
    const w = S.RATE_WINDOW;
    const fromDcgm = dcgm(`clamp_max((rate(${THERMAL_VIOLATION_FIELD}[${w}]) + rate(${POWER_VIOLATION_FIELD}[${w}])) * ${secondsPerUnit}, 1)`);
    const fromSmi = nvidiaSmi(`clamp_max(${SMI_THROTTLE_REASONS.map((m) => `avg_over_time(${m}[${w}])`).join(" + ")}, 1)`);
    return firstOf(fromDcgm, fromSmi);
}

/**
 * GPU rates that only one alert reads (no panel), each over all GPUs' series
 * (the throttle ratio over two fields): recorded in `gpu.slow.recording`,
 * every slowRecordingInterval, while that alert's `for` holds ten of those
 * intervals, and in `gpu.recording` otherwise.
 */
function gpuRatesForLongAlerts(settings: Settings): { rule: RecordingRule; slow: boolean }[] {
    const slowInterval = durationSeconds(slowRecordingInterval(settings));
    const a = settings.alerts;
    return [
        { rule: rec(S.GPU_PCIE_REPLAYS_RATE, dcgm(`rate(DCGM_FI_DEV_PCIE_REPLAY_COUNTER[${S.RATE_WINDOW}])`)), alertFor: a.gpuPcieReplays.for },
        { rule: rec(S.GPU_THROTTLED_RATIO, throttledRatio(settings)), alertFor: a.gpuThrottling.for },
    ].map(({ rule, alertFor }) => ({ rule, slow: slowIsSlower(settings) && durationSeconds(alertFor) >= 10 * slowInterval }));
}

/**
 * Each card's memory size (on DCGM used + free + reserved, where a version
 * reports reserved memory: three fields read for one constant). It changes
 * only when the card is reconfigured (MIG, a reset), so it is recorded every
 * slowRecordingInterval where that is longer than the evaluation interval;
 * the used ratio reads its latest value.
 */
function gpuMemoryTotal(): RecordingRule {
    return rec(
        S.GPU_MEMORY_TOTAL_BYTES,
        firstOf(
            dcgm(`(DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE + (DCGM_FI_DEV_FB_RESERVED or 0 * DCGM_FI_DEV_FB_USED)) * ${MIB}`),
            nvidiaSmi("nvidia_smi_memory_total_bytes"),
        ),
    );
}

/** Whether the slow interval is longer than the evaluation interval (else the slow rules stay in their groups). */
function slowIsSlower(settings: Settings): boolean {
    return durationSeconds(slowRecordingInterval(settings)) > durationSeconds(settings.prometheus.evaluationInterval);
}

/** The GPU rules recorded every slowRecordingInterval: the memory size, and the rates of long alerts. */
function gpuSlowRules(settings: Settings): RecordingRule[] {
    return [
        ...(slowIsSlower(settings) ? [gpuMemoryTotal()] : []),
        ...gpuRatesForLongAlerts(settings)
            .filter((r) => r.slow)
            .map((r) => r.rule),
    ];
}

function gpuSlowGroup(settings: Settings): RuleGroup[] {
    const rules = gpuSlowRules(settings);
    return rules.length ? [{ name: "gpu.slow.recording", interval: slowRecordingInterval(settings), rules }] : [];
}

function gpuGroup(settings: Settings): RuleGroup {
    return {
        name: "gpu.recording",
        rules: [
            rec(S.GPU_UTILIZATION, firstOf(dcgm("DCGM_FI_DEV_GPU_UTIL"), nvidiaSmi("nvidia_smi_utilization_gpu_ratio * 100"))),
            rec(S.GPU_MEMORY_USED_BYTES, firstOf(dcgm(`DCGM_FI_DEV_FB_USED * ${MIB}`), nvidiaSmi("nvidia_smi_memory_used_bytes"))),
            ...(slowIsSlower(settings) ? [] : [gpuMemoryTotal()]),
            rec(S.GPU_TEMPERATURE_CELSIUS, firstOf(dcgm("DCGM_FI_DEV_GPU_TEMP"), nvidiaSmi("nvidia_smi_temperature_gpu"))),
            rec(S.GPU_POWER_WATTS, firstOf(dcgm("DCGM_FI_DEV_POWER_USAGE"), nvidiaSmi("nvidia_smi_power_draw_watts"))),
            rec(S.GPU_MEMORY_USED_RATIO, `${S.GPU_MEMORY_USED_BYTES} / (${S.GPU_MEMORY_TOTAL_BYTES} > 0)`),
            rec(S.GPU_XID_LAST, dcgm("DCGM_FI_DEV_XID_ERRORS")),
            // Read by both XID alerts: one selection of the 10-minute window instead of two, and
            // alerts that compare an empty series against each code while no GPU reports an XID.
            rec(S.GPU_XID_NEW, `${S.GPU_XID_LAST} and on (${byClause(G)}) changes(${S.GPU_XID_LAST}[${S.NEW_XID_WINDOW}]) > 0`),
            rec(S.GPU_ROW_REMAP_FAILURE, dcgm("DCGM_FI_DEV_ROW_REMAP_FAILURE")),
            rec(S.GPU_UNCORRECTABLE_REMAPPED_ROWS_INCREASE, dcgm(`increase(DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS[${S.RATE_WINDOW}])`)),
            rec(S.GPU_MEMORY_TEMPERATURE_CELSIUS, dcgm("DCGM_FI_DEV_MEMORY_TEMP")),
            rec(
                S.GPU_ECC_UNCORRECTABLE_INCREASE,
                firstOf(
                    dcgm(`increase(${ECC_DBE_FIELD}[${S.RATE_WINDOW}])`),
                    nvidiaSmi(`increase(nvidia_smi_ecc_errors_uncorrected_volatile_total[${S.RATE_WINDOW}])`),
                ),
            ),
            ...gpuRatesForLongAlerts(settings)
                .filter((r) => !r.slow)
                .map((r) => r.rule),
            rec(S.GPUS_REPORTING, `count by (job, instance, hostname) (${S.GPU_TEMPERATURE_CELSIUS})`),
        ],
    };
}

/** Pseudo and container filesystems that say nothing about the host's disks. */
const REAL_FILESYSTEMS = `fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|proc|sysfs|fuse\\\\..*"`;

function hostGroup(): RuleGroup {
    return {
        name: "host.recording",
        rules: [
            rec(S.HOST_CPU_BUSY_RATIO, `1 - avg by (${byClause(H)}) (rate(node_cpu_seconds_total{mode="idle"}[${S.RATE_WINDOW}]))`),
            rec(S.HOST_MEMORY_USED_RATIO, `1 - ${sumBy(H, "node_memory_MemAvailable_bytes")} / (${sumBy(H, "node_memory_MemTotal_bytes")} > 0)`),
            rec(
                S.HOST_FILESYSTEM_USED_RATIO,
                `1 - max by (${byClause([...H, "mountpoint", "device", "fstype"])}) (node_filesystem_avail_bytes{${REAL_FILESYSTEMS}} / (node_filesystem_size_bytes{${REAL_FILESYSTEMS}} > 0))`,
            ),
        ],
    };
}

/**
 * One objective's failed and total events per second over a window, and the
 * share of failed ones (the same quotient, written so that each counter is
 * read once); `labels` set on its rules (one per model for latency).
 */
interface SloEvents extends RequestEvents {
    kind: S.SloKind;
    labels?: Record<string, string>;
}

/** Events of a latency histogram slower than a threshold, from one source: failed ones as total minus good ones. */
function slowerEvents(events: string, good: string): RequestEvents {
    return { errors: `${events} - ${good}`, events, ratio: `1 - ${good} / (${events} > 0)` };
}

/**
 * Requests of histogram `h` (its sources as bucketRateRule reads them) slower
 * than a threshold over `window`: from the histogram's counters, or, over
 * RATE_WINDOW, from the bucket rates sglang.recording records (the `+Inf`
 * bucket counts every request, as `_count` does).
 */
function slowerThan(h: S.LatencyHistogram, window: string, thresholdSeconds: number, matcher: string): RequestEvents {
    const le = `le=~"${leRegex(thresholdSeconds)}"`;
    const and = matcher ? `, ${matcher}` : "";
    if (window === S.RATE_WINDOW) {
        const buckets = (m: string) => `sum without (le) (${S.latencyBucketRate(h)}{${m}${and}})`;
        return slowerEvents(buckets(`le="+Inf"`), buckets(le));
    }
    return firstEvents(
        histogramSources(h).map((src) =>
            slowerEvents(sglangRate(`${src}_count`, window, matcher ? `{${matcher}}` : ""), sglangRate(`${src}_bucket`, window, `{${le}${and}}`)),
        ),
    );
}

/**
 * Failed and total requests over `window` (see requestEvents); over
 * RATE_WINDOW their ratio is SGLANG_ERROR_RATIO, recorded from the same
 * definition. (The tiles keep reading both counters at one instant: the
 * recorded errors alone would lag the events by up to one evaluation.)
 */
function availabilityEvents(window: string): RequestEvents {
    const counted = requestEvents(window);
    return window === S.RATE_WINDOW ? { ...counted, ratio: S.SGLANG_ERROR_RATIO } : counted;
}

/**
 * Each objective's events over `window`: requests (failed: see
 * requestEvents), first tokens and tokens (failed: above the threshold).
 * Over RATE_WINDOW they read the 5-minute series sglang.recording records
 * rather than every counter a second time.
 */
function sloEvents(settings: Settings, window: string): SloEvents[] {
    return [
        { kind: "availability", ...availabilityEvents(window) },
        // Several models: each rule also labelled with its model, so no two rules record the same series (promtool's duplicate-rules lint).
        ...modelObjectives(settings).map((m) => ({
            kind: "latency" as const,
            ...slowerThan(S.TTFT, window, m.latencyThresholdSeconds, m.matcher),
            ...(m.matcher ? { labels: { [MODEL_NAME_LABEL]: m.servedModelName } } : {}),
        })),
        { kind: "itl", ...slowerThan(S.ITL, window, settings.slo.itlThresholdSeconds, "") },
    ];
}

const SLO_RATIO: Record<S.SloKind, (w: S.SloWindow) => string> = {
    availability: S.sloAvailabilityErrorRatio,
    latency: S.sloLatencyErrorRatio,
    itl: S.sloItlErrorRatio,
};

/**
 * SLO windows read from tiles (sloTileGroup) instead of the exporters'
 * counters: those of two hours and more. A window's ratio is the sum of its
 * tiles' failures over the sum of their events, the same traffic-weighted
 * ratio, read from 12 samples an hour instead of 240 of each counter (over 3
 * days: 864 instead of 17 280). It lags by up to one tile (5 minutes), which
 * these windows can take: the 1h/5m pair pages on a sudden outage first, and
 * the 6h/30m pair waits for its short window too.
 */
export const TILED_SLO_WINDOWS: readonly S.SloWindow[] = S.SLO_WINDOWS.filter((w) => durationSeconds(w) >= 2 * 3600);

/** Error ratios over SLO window `w`: from the tiles for TILED_SLO_WINDOWS, else from the counters, as the tiles are. */
function sloRules(settings: Settings, w: S.SloWindow): RecordingRule[] {
    if (TILED_SLO_WINDOWS.includes(w)) {
        return S.SLO_KINDS.map((k) =>
            rec(SLO_RATIO[k](w), `sum_over_time(${S.sloErrorsTile(k)}[${w}]) / (sum_over_time(${S.sloEventsTile(k)}[${w}]) > 0)`),
        );
    }
    return sloEvents(settings, w).map((e) => rec(SLO_RATIO[e.kind](w), e.ratio, e.labels));
}

/**
 * SLO windows recorded in the slow group: the long windows of the slow-burn
 * alerts only (their `for` is 15 minutes; a ratio over a day moves little in
 * a minute), never a window a fast-burn alert reads.
 */
export const SLOW_SLO_WINDOWS: readonly S.SloWindow[] = SLOW_BURN.map((b) => b.long).filter(
    (w) => !FAST_BURN.some((b) => b.long === w || b.short === w),
);

function sloGroup(settings: Settings): RuleGroup {
    return {
        name: "slo.recording",
        rules: [...objectiveRules(settings), ...S.SLO_WINDOWS.filter((w) => !SLOW_SLO_WINDOWS.includes(w)).flatMap((w) => sloRules(settings, w))],
    };
}

function sloSlowGroup(settings: Settings): RuleGroup {
    return { name: "slo.slow.recording", interval: slowRecordingInterval(settings), rules: SLOW_SLO_WINDOWS.flatMap((w) => sloRules(settings, w)) };
}

/** The tiles the long SLO windows read: every objective's failed and total events over 5 minutes, every 5 minutes. */
function sloTileGroup(settings: Settings): RuleGroup {
    return {
        name: "slo.tiles.recording",
        interval: S.SLO_TILE,
        rules: sloEvents(settings, S.SLO_TILE).flatMap((e) => [
            rec(S.sloErrorsTile(e.kind), e.errors, e.labels),
            rec(S.sloEventsTile(e.kind), e.events, e.labels),
        ]),
    };
}

/** Every recording rule group, in evaluation order. */
export function recordingRuleGroups(settings: Settings): RuleGroup[] {
    return [
        sglangGroup(),
        sglangSlowGroup(settings),
        guideNamesGroup(settings),
        anankeGroup(),
        gpuGroup(settings),
        ...gpuSlowGroup(settings),
        hostGroup(),
        sloTileGroup(settings),
        sloGroup(settings),
        sloSlowGroup(settings),
        routerGroup(),
        costTileGroup(),
        costGroup(settings),
    ];
}
