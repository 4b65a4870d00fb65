/**
 * Recording rules: the normalization layer. Each rule turns whatever the
 * exporters really emit (see the catalogue in `series.ts` for sources) into
 * one stable series, aggregated over SGLang's rank labels and GPU exporters'
 * label differences, so that dashboards and alerts never query raw names.
 */
import type { Settings } from "../settings";
import type { RecordingRule, RuleGroup } from "./types";
import { byClause, eitherPrefix, firstOf, leRegex, sumBy } from "./promql";
import * as S from "./series";

const L = S.SGLANG_LABELS;
const G = S.GPU_LABELS;
const H = S.HOST_LABELS;

function rec(record: string, expr: string, labels?: Record<string, string>): RecordingRule {
    return labels ? { record, expr, labels } : { record, expr };
}

/** Sum of a counter's rate over ranks, on either prefix. */
function sglangRate(name: string, window: string, matchers = ""): string {
    return eitherPrefix((p) => sumBy(L, `rate(${p}${name}${matchers}[${window}])`));
}

/** HTTP endpoints whose 5xx are not failed requests of the API. */
const NON_API_ENDPOINTS = `endpoint!~"/health.*|/metrics"`;

/**
 * Failed requests per second over `window` (see SGLANG_ERRORS_RATE for the
 * choice). When the server exports HTTP metrics but has answered no 5xx yet,
 * the 5xx series does not exist: `0 * total` then yields 0 from the same
 * source instead of silently switching to aborted requests.
 */
export function errorsRateExpr(window: string): string {
    const http = eitherPrefix((p) =>
        firstOf(
            sumBy(L, `rate(${p}http_responses_total{status_code=~"5..", ${NON_API_ENDPOINTS}}[${window}])`),
            `0 * ${sumBy(L, `rate(${p}http_responses_total{${NON_API_ENDPOINTS}}[${window}])`)}`,
        ),
    );
    return firstOf(http, sglangRate("num_aborted_requests_total", window));
}

/** The same choice on raw counters (for the guide's `sglang_requests_total{status="error"}`). */
function errorsCounterExpr(): string {
    const http = eitherPrefix((p) =>
        firstOf(
            sumBy(L, `${p}http_responses_total{status_code=~"5..", ${NON_API_ENDPOINTS}}`),
            `0 * ${sumBy(L, `${p}http_responses_total{${NON_API_ENDPOINTS}}`)}`,
        ),
    );
    return firstOf(http, eitherPrefix((p) => sumBy(L, `${p}num_aborted_requests_total`)));
}

function requestsCounterExpr(): string {
    return eitherPrefix((p) => sumBy(L, `${p}num_requests_total`));
}

/** Source names of a latency histogram, newest first, on either prefix. */
function histogramSources(h: S.LatencyHistogram): string[] {
    return [h.source, ...(h.legacySource ? [h.legacySource] : [])];
}

function sglangGroup(): RuleGroup {
    const rules: RecordingRule[] = [
        rec(S.SGLANG_REQUESTS_RATE, sglangRate("num_requests_total", S.RATE_WINDOW)),
        rec(S.SGLANG_ERRORS_RATE, errorsRateExpr(S.RATE_WINDOW)),
        // Divide only where there is traffic: no requests means no ratio, not +Inf.
        rec(S.SGLANG_ERROR_RATIO, `${S.SGLANG_ERRORS_RATE} / (${S.SGLANG_REQUESTS_RATE} > 0)`),
    ];
    for (const h of S.LATENCY_HISTOGRAMS) {
        const bucketRate = firstOf(
            ...histogramSources(h).map((src) =>
                eitherPrefix((p) => sumBy([...L, "le"], `rate(${p}${src}_bucket[${S.RATE_WINDOW}])`)),
            ),
        );
        rules.push(rec(S.latencyBucketRate(h), bucketRate));
        for (const [q, value] of Object.entries(S.QUANTILES) as [S.QuantileName, number][]) {
            // The bucket rate is already summed by (le, …): safe for histogram_quantile.
            rules.push(rec(S.latencyQuantile(h, q), `histogram_quantile(${value}, ${S.latencyBucketRate(h)})`));
        }
    }
    rules.push(
        rec(S.SGLANG_PROMPT_TOKENS_RATE, sglangRate("prompt_tokens_total", S.RATE_WINDOW)),
        rec(S.SGLANG_GENERATION_TOKENS_RATE, sglangRate("generation_tokens_total", S.RATE_WINDOW)),
        rec(S.SGLANG_RUNNING_REQUESTS, eitherPrefix((p) => sumBy(L, `${p}num_running_reqs`))),
        rec(S.SGLANG_QUEUED_REQUESTS, eitherPrefix((p) => sumBy(L, `${p}num_queue_reqs`))),
        rec(S.SGLANG_GRAMMAR_QUEUE_REQUESTS, eitherPrefix((p) => sumBy(L, `${p}num_grammar_queue_reqs`))),
        rec(S.SGLANG_KV_CACHE_USAGE, eitherPrefix((p) => `max by (${byClause(L)}) (${p}token_usage)`)),
        rec(S.SGLANG_RETRACTED_RATE, sglangRate("num_retracted_requests_total", S.RATE_WINDOW)),
        rec(
            S.SGLANG_PREFIX_CACHE_HIT_RATIO,
            firstOf(
                eitherPrefix(
                    (p) =>
                        `${sumBy(L, `rate(${p}cached_tokens_total[${S.RATE_WINDOW}])`)} / (${sumBy(L, `rate(${p}prompt_tokens_total[${S.RATE_WINDOW}])`)} > 0)`,
                ),
                eitherPrefix((p) => `max by (${byClause(L)}) (${p}cache_hit_rate)`),
            ),
        ),
        rec(
            S.SGLANG_GRAMMAR_CACHE_HIT_RATIO,
            eitherPrefix(
                (p) =>
                    `${sumBy(L, `rate(${p}num_grammar_cache_hit_total[${S.RATE_WINDOW}])`)} / (${sumBy(L, `rate(${p}num_grammar_total[${S.RATE_WINDOW}])`)} > 0)`,
            ),
        ),
    );
    return { name: "sglang.recording", rules };
}

function guideNamesGroup(): RuleGroup {
    const e2e = S.E2E_LATENCY.source;
    return {
        name: "sglang.guide-names.recording",
        rules: [
            rec(S.GUIDE_REQUESTS_TOTAL, errorsCounterExpr(), { status: "error" }),
            rec(S.GUIDE_REQUESTS_TOTAL, `clamp_min(${requestsCounterExpr()} - ${errorsCounterExpr()}, 0)`, { status: "success" }),
            rec(S.GUIDE_REQUEST_DURATION_BUCKET, eitherPrefix((p) => sumBy([...L, "le"], `${p}${e2e}_bucket`))),
            rec(S.GUIDE_REQUEST_DURATION_SUM, eitherPrefix((p) => sumBy(L, `${p}${e2e}_sum`))),
            rec(S.GUIDE_REQUEST_DURATION_COUNT, eitherPrefix((p) => sumBy(L, `${p}${e2e}_count`))),
            rec(S.GUIDE_TOKENS_GENERATED_TOTAL, eitherPrefix((p) => sumBy(L, `${p}generation_tokens_total`))),
            rec(S.GUIDE_REQUESTS_QUEUED, eitherPrefix((p) => sumBy(L, `${p}num_queue_reqs`))),
            rec(S.GUIDE_ANANKE_CACHE_HITS_TOTAL, eitherPrefix((p) => sumBy(L, `${p}num_grammar_cache_hit_total`))),
            rec(
                S.GUIDE_ANANKE_CACHE_MISSES_TOTAL,
                eitherPrefix((p) => `clamp_min(${sumBy(L, `${p}num_grammar_total`)} - ${sumBy(L, `${p}num_grammar_cache_hit_total`)}, 0)`),
            ),
            rec(S.GUIDE_ANANKE_VIOLATIONS_TOTAL, sumBy([...L, "domain"], "ananke_relaxation_events_by_domain_total")),
        ],
    };
}

function anankeGroup(): RuleGroup {
    return {
        name: "ananke.recording",
        rules: [
            rec(S.ANANKE_VIOLATIONS_RATE, sumBy([...L, "domain"], `rate(ananke_relaxation_events_by_domain_total[${S.RATE_WINDOW}])`)),
            rec(S.ANANKE_ROLLBACKS_RATE, sumBy(L, `rate(${S.GUIDE_ANANKE_ROLLBACKS_TOTAL}[${S.RATE_WINDOW}])`)),
        ],
    };
}

/** DCGM series with its labels renamed to GPU_LABELS (UUID→uuid, Hostname→hostname, modelName→gpu_name). */
function dcgm(expr: string): string {
    const renamed = [
        ["uuid", "UUID"],
        ["hostname", "Hostname"],
        ["gpu_name", "modelName"],
    ].reduce((e, [to, from]) => `label_replace(${e}, "${to}", "$1", "${from}", "(.+)")`, expr);
    return `max by (${byClause(G)}) (${renamed})`;
}

/**
 * nvidia_gpu_exporter series joined with `nvidia_smi_gpu_info` for the GPU
 * index (`gpu`) and name (`gpu_name`); without the info series the GPU is
 * still shown, by uuid only.
 */
function nvidiaSmi(expr: string): string {
    const info =
        `max by (job, instance, uuid, gpu, gpu_name) (0 * label_replace(label_replace(nvidia_smi_gpu_info, "gpu", "$1", "index", "(.+)"), "gpu_name", "$1", "name", "(.+)") + 1)`;
    const joined = `max by (${byClause(G)}) (${expr} * on (job, instance, uuid) group_left (gpu, gpu_name) ${info})`;
    return `${joined} or on (job, instance, uuid) max by (${byClause(G)}) (${expr})`;
}

const MIB = 1048576;

function gpuGroup(): RuleGroup {
    return {
        name: "gpu.recording",
        rules: [
            rec(S.GPU_UTILIZATION, firstOf(dcgm("DCGM_FI_DEV_GPU_UTIL"), nvidiaSmi("nvidia_smi_utilization_gpu_ratio * 100"))),
            rec(S.GPU_MEMORY_USED_BYTES, firstOf(dcgm(`DCGM_FI_DEV_FB_USED * ${MIB}`), nvidiaSmi("nvidia_smi_memory_used_bytes"))),
            // Newer DCGM also reports reserved memory; used + free + reserved is the card's total.
            rec(
                S.GPU_MEMORY_TOTAL_BYTES,
                firstOf(
                    dcgm(`(DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE + (DCGM_FI_DEV_FB_RESERVED or 0 * DCGM_FI_DEV_FB_USED)) * ${MIB}`),
                    nvidiaSmi("nvidia_smi_memory_total_bytes"),
                ),
            ),
            rec(S.GPU_TEMPERATURE_CELSIUS, firstOf(dcgm("DCGM_FI_DEV_GPU_TEMP"), nvidiaSmi("nvidia_smi_temperature_gpu"))),
            rec(S.GPU_POWER_WATTS, firstOf(dcgm("DCGM_FI_DEV_POWER_USAGE"), nvidiaSmi("nvidia_smi_power_draw_watts"))),
            rec(S.GPU_MEMORY_USED_RATIO, `${S.GPU_MEMORY_USED_BYTES} / (${S.GPU_MEMORY_TOTAL_BYTES} > 0)`),
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
            rec(
                S.HOST_MEMORY_USED_RATIO,
                `1 - ${sumBy(H, "node_memory_MemAvailable_bytes")} / (${sumBy(H, "node_memory_MemTotal_bytes")} > 0)`,
            ),
            rec(
                S.HOST_FILESYSTEM_USED_RATIO,
                `1 - max by (${byClause([...H, "mountpoint", "device", "fstype"])}) (node_filesystem_avail_bytes{${REAL_FILESYSTEMS}} / (node_filesystem_size_bytes{${REAL_FILESYSTEMS}} > 0))`,
            ),
        ],
    };
}

/** Error ratios per SLO window: availability (failed requests) and latency (TTFT above the threshold). */
function sloGroup(settings: Settings): RuleGroup {
    const le = leRegex(settings.slo.latencyThresholdSeconds);
    const ttft = S.TTFT.source;
    const rules: RecordingRule[] = [];
    for (const w of S.SLO_WINDOWS) {
        rules.push(
            rec(S.sloAvailabilityErrorRatio(w), `${errorsRateExpr(w)} / (${sglangRate("num_requests_total", w)} > 0)`),
            rec(
                S.sloLatencyErrorRatio(w),
                eitherPrefix(
                    (p) =>
                        `1 - ${sumBy(L, `rate(${p}${ttft}_bucket{le=~"${le}"}[${w}])`)} / (${sumBy(L, `rate(${p}${ttft}_count[${w}])`)} > 0)`,
                ),
            ),
        );
    }
    return { name: "slo.recording", rules };
}

/** Every recording rule group, in evaluation order. */
export function recordingRuleGroups(settings: Settings): RuleGroup[] {
    return [sglangGroup(), guideNamesGroup(), anankeGroup(), gpuGroup(), hostGroup(), sloGroup(settings)];
}
