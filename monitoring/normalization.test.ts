/**
 * The normalization layer on realistic exporter output: each scenario feeds
 * the series real programs emit into the rendered recording rules and checks
 * the normalized series' labels and values with `promtool test rules`,
 * including the guide's example PromQL queries verbatim.
 */

import { type Traffic, writtenEntry } from "../contracts/generate";
import { DCGM_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../contracts/gpu";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { SGLANG_GUIDE_ANANKE } from "../contracts/sglang/guide-ananke";
import type { ExporterContract } from "../contracts/types";
import { parseSettings } from "../settings";
import * as F from "../tests/support/monitoring/fixtures";
import { expectSuccess, runAll, TempDir } from "../tests/support/monitoring/tools";
import { recordingRuleGroups } from "./recording";
import * as S from "./series";
import { toYaml } from "./yaml";

interface Check {
    /** A PromQL expression (label matchers pin the expected labels). */
    expr: string;
    /** Every series it returns has this value (±1e-6). */
    value: number;
    /** How many series it returns (default 1). */
    count?: number;
}

interface Scenario {
    name: string;
    series: F.InputSeries[];
    checks: Check[];
}

const AT = "10m";
const M = `model_name="${F.MODEL}"`;
const G0 = F.GPUS[0];

/** The guide's example queries, verbatim (monitoring-setup-guide.md, "Create Custom Panels"). */
export const GUIDE_QUERIES = {
    requestRate: "rate(sglang_requests_total[5m])",
    p95: "histogram_quantile(0.95, rate(sglang_request_duration_seconds_bucket[5m]))",
    errorRate: 'rate(sglang_requests_total{status="error"}[5m]) / rate(sglang_requests_total[5m])',
    cacheHitRate:
        "rate(sglang_ananke_cache_hits_total[5m]) / (rate(sglang_ananke_cache_hits_total[5m]) + rate(sglang_ananke_cache_misses_total[5m]))",
    gpuMemory: "nvidia_gpu_memory_used_bytes / nvidia_gpu_memory_total_bytes * 100",
};

/** The scenarios of one SGLang version, with every GPU and node exporter version. */
function scenarios(sglang: ExporterContract): Scenario[] {
    const sg = (traffic: Traffic, server: F.SglangServer = {}) => F.sglang(traffic, { contract: sglang, ...server });
    const has = (base: string) => writtenEntry(sglang, base) !== undefined;
    const hasHttp = has("http_responses_total");
    const v = sglang.id;
    /** 10 % of 10 req/s fail, reported as this version reports failures. */
    const tenPercentFailing: Traffic = hasHttp
        ? { http_responses_total: F.httpResponses({ "200": 9, "500": 1 }), num_aborted_requests_total: { rate: 0.01 } }
        : { num_aborted_requests_total: { rate: 1 } };
    const out: Scenario[] = [
        {
            name: `${v}: counters and scheduler gauges over two TP ranks`,
            series: sg({
                num_requests_total: { rate: 10 },
                prompt_tokens_total: { rate: 2000 },
                cached_tokens_total: { rate: 500 },
                generation_tokens_total: { rate: 300 },
                ...tenPercentFailing,
                num_running_reqs: { gauge: 7 },
                num_queue_reqs: { gauge: 11 },
                token_usage: { gauge: 0.75 },
                num_grammar_total: { rate: 4 },
                num_grammar_cache_hit_total: { rate: 3 },
            }),
            checks: [
                { expr: `${S.SGLANG_REQUESTS_RATE}{job="sglang", instance="${F.SGLANG_INSTANCE}", ${M}}`, value: 10 },
                { expr: `${S.SGLANG_REQUESTS_RATE}{tp_rank!=""}`, value: 0, count: 0 },
                { expr: `${S.SGLANG_ERRORS_RATE}{${M}}`, value: 1 },
                { expr: `${S.SGLANG_ERROR_RATIO}{${M}}`, value: 0.1 },
                { expr: `${S.sloAvailabilityErrorRatio("1h")}{${M}}`, value: 0.1 },
                { expr: S.SGLANG_PROMPT_TOKENS_RATE, value: 2000 },
                { expr: S.SGLANG_GENERATION_TOKENS_RATE, value: 300 },
                { expr: S.SGLANG_PREFIX_CACHE_HIT_RATIO, value: 0.25 },
                { expr: S.SGLANG_RUNNING_REQUESTS, value: 7 },
                { expr: S.SGLANG_QUEUED_REQUESTS, value: 11 },
                { expr: S.SGLANG_KV_CACHE_USAGE, value: 0.75 },
                ...(has("num_grammar_total")
                    ? [
                          { expr: S.SGLANG_GRAMMAR_CACHE_HIT_RATIO, value: 0.75 },
                          { expr: GUIDE_QUERIES.cacheHitRate, value: 0.75 },
                      ]
                    : []),
                // The guide's names and queries.
                { expr: `${S.GUIDE_REQUESTS_TOTAL}{status="error"}`, value: 1 * 60 * 10 },
                { expr: `${S.GUIDE_REQUESTS_TOTAL}{status="success"}`, value: 9 * 60 * 10 },
                { expr: `${GUIDE_QUERIES.requestRate.replace("[5m]", '{status="success"}[5m]')}`, value: 9 },
                { expr: `sum(${GUIDE_QUERIES.requestRate})`, value: 10 },
                // The guide's own error-rate query divides without sum(): label matching pairs the
                // error series with itself, so it returns data but always 1 (a known defect of the
                // guide); the dashboard and alerts use the summed form below.
                { expr: GUIDE_QUERIES.errorRate, value: 1 },
                { expr: `sum(rate(${S.GUIDE_REQUESTS_TOTAL}{status="error"}[5m])) / sum(rate(${S.GUIDE_REQUESTS_TOTAL}[5m]))`, value: 0.1 },
                { expr: `${S.GUIDE_TOKENS_GENERATED_TOTAL}`, value: 300 * 60 * 10 },
                { expr: S.GUIDE_REQUESTS_QUEUED, value: 11 },
            ],
        },
        {
            name: `${v}: requests flow, nothing failed yet: error ratios are 0, not absent`,
            series: sg({ num_requests_total: { rate: 10 }, ...(hasHttp ? { http_responses_total: F.httpResponses({ "200": 10 }) } : {}) }),
            checks: [
                { expr: S.SGLANG_ERRORS_RATE, value: 0 },
                { expr: S.SGLANG_ERROR_RATIO, value: 0 },
                { expr: S.sloAvailabilityErrorRatio("5m"), value: 0 },
                { expr: `${S.GUIDE_REQUESTS_TOTAL}{status="error"}`, value: 0 },
            ],
        },
        {
            name: `${v}: two servers with other models, one failing: each ratio on its own model`,
            series: [
                ...sg({ num_requests_total: { rate: 10 }, ...tenPercentFailing }, { instance: "sglang-a:30000", modelName: "model-a" }),
                ...sg(
                    { num_requests_total: { rate: 10 }, ...(hasHttp ? { http_responses_total: F.httpResponses({ "200": 10 }) } : {}) },
                    { instance: "sglang-b:30000", modelName: "model-b" },
                ),
            ],
            checks: [
                { expr: `${S.SGLANG_ERROR_RATIO}{instance="sglang-a:30000", model_name="model-a"}`, value: 0.1 },
                { expr: `${S.SGLANG_ERROR_RATIO}{instance="sglang-b:30000", model_name="model-b"}`, value: 0 },
                { expr: `count(${S.SGLANG_ERROR_RATIO})`, value: 2 },
            ],
        },
        {
            name: `${v}: --enable-metrics-for-all-schedulers with TP 4 and two data-parallel groups: ranks of a group count once, groups add up`,
            series: sg(
                {
                    num_requests_total: { rate: 10 },
                    num_running_reqs: { gauge: 3 },
                    num_queue_reqs: { gauge: 5 },
                    num_retracted_requests_total: { rate: 2 },
                    token_usage: { gauge: 0.5 },
                },
                { tpSize: 4, dpSize: 2, allSchedulers: true },
            ),
            checks: [
                { expr: S.SGLANG_RUNNING_REQUESTS, value: 6 },
                { expr: S.SGLANG_QUEUED_REQUESTS, value: 10 },
                { expr: S.GUIDE_REQUESTS_QUEUED, value: 10 },
                { expr: S.SGLANG_KV_CACHE_USAGE, value: 0.5 },
                ...(has("num_retracted_requests_total") ? [{ expr: S.SGLANG_RETRACTED_RATE, value: 2 }] : []),
            ],
        },
        {
            name: `${v}: both spellings exported at once: the sglang: series wins, nothing is doubled`,
            series: [...sg({ num_requests_total: { rate: 10 } }), ...sg({ num_requests_total: { rate: 99 } }, { spelling: "sglang_" })],
            checks: [{ expr: S.SGLANG_REQUESTS_RATE, value: 10 }],
        },
        {
            name: `${v}: histograms on the real buckets: quantiles, bucket rates, the guide's histogram, the TTFT objective`,
            series: sg({
                num_requests_total: { rate: 4 },
                // Half the requests at 1 s, half at 3 s: buckets (1, 2] and (2, 4].
                e2e_request_latency_seconds: F.latency(4, { 1: 0.5, 3: 0.5 }),
                // 90 % at 0.5 s, in bucket (0.4, 0.6]; 10 % at 4 s, above the 2 s objective.
                time_to_first_token_seconds: F.latency(4, { 0.5: 0.9, 4: 0.1 }),
                inter_token_latency_seconds: F.latency(400, { 0.02: 1 }),
            }),
            checks: [
                // P50 = upper bound of the bucket holding the median: 1 s; P95 interpolates in (2, 4]: 2 + 0.9 × 2.
                { expr: S.SGLANG_E2E_LATENCY_P50, value: 1 },
                { expr: S.SGLANG_E2E_LATENCY_P95, value: 3.8 },
                { expr: `${S.SGLANG_E2E_LATENCY_BUCKET_RATE}{le="+Inf"}`, value: 4 },
                {
                    expr: `count(${S.SGLANG_E2E_LATENCY_BUCKET_RATE})`,
                    value: writtenEntry(sglang, "e2e_request_latency_seconds")!.buckets!.length + 1,
                },
                { expr: S.SGLANG_TTFT_P50, value: 0.4 + (0.5 / 0.9) * 0.2 },
                // ITL all in (0.015, 0.02]: P99 = 0.015 + 0.99 × 0.005.
                { expr: S.SGLANG_ITL_P99, value: 0.015 + 0.99 * 0.005 },
                { expr: GUIDE_QUERIES.p95, value: 3.8 },
                { expr: `${S.GUIDE_REQUEST_DURATION_COUNT}`, value: 4 * 60 * 10 },
                // SLO latency: TTFT above 2 s (le="2.0" as Python writes it) for 10 % of requests.
                { expr: S.sloLatencyErrorRatio("5m"), value: 0.1 },
                { expr: S.sloLatencyErrorRatio("1h"), value: 0.1 },
                { expr: S.sloLatencyErrorRatio("3d"), value: 0.1 },
                // Every token within the 0.1 s inter-token objective.
                { expr: S.sloItlErrorRatio("5m"), value: 0 },
                { expr: S.sloItlErrorRatio("1h"), value: 0 },
            ],
        },
    ];
    if (hasHttp) {
        out.push({
            name: `${v}: sglang_ spelling, HTTP series without model_name: API 5xx count, aborts and health-check errors do not`,
            series: sg(
                {
                    num_requests_total: { rate: 20 },
                    num_aborted_requests_total: { rate: 5 },
                    http_responses_total: {
                        bySeries: [
                            { labels: { endpoint: "/v1/chat/completions", method: "POST", status_code: "200" }, rate: 19 },
                            { labels: { endpoint: "/v1/chat/completions", method: "POST", status_code: "503" }, rate: 1 },
                            { labels: { endpoint: "/health", method: "GET", status_code: "503" }, rate: 2 },
                        ],
                    },
                },
                { spelling: "sglang_" },
            ),
            checks: [
                { expr: S.SGLANG_REQUESTS_RATE, value: 20 },
                { expr: `${S.SGLANG_ERRORS_RATE}{${M}}`, value: 1 },
                { expr: `${S.SGLANG_ERROR_RATIO}{${M}}`, value: 0.05 },
                { expr: `${S.GUIDE_REQUESTS_TOTAL}{status="error", ${M}}`, value: 1 * 60 * 10 },
            ],
        });
    }
    return out;
}

/** GPU and host scenarios, on every GPU and node exporter version. */
function exporterScenarios(): Scenario[] {
    const out: Scenario[] = [];
    for (const dcgm of DCGM_CONTRACTS) {
        const reserved = writtenEntry(dcgm, "DCGM_FI_DEV_FB_RESERVED") ? 512 : 0;
        out.push({
            name: `${dcgm.id}: MiB to bytes, identity labels renamed, per GPU`,
            series: F.gpuExporter(dcgm, {
                DCGM_FI_DEV_GPU_UTIL: F.perGpu([87, 12]),
                DCGM_FI_DEV_FB_USED: F.perGpu([70000, 1000]),
                DCGM_FI_DEV_FB_FREE: F.perGpu([81559 - 70000 - reserved, 81559 - 1000 - reserved]),
                DCGM_FI_DEV_FB_RESERVED: F.perGpu([reserved, reserved]),
                DCGM_FI_DEV_GPU_TEMP: F.perGpu([71, 40]),
                DCGM_FI_DEV_POWER_USAGE: F.perGpu([612.5, 80]),
            }),
            checks: [
                {
                    expr: `${S.GPU_UTILIZATION}{gpu="0", uuid="${G0.uuid}", gpu_name="${G0.name}", hostname="${F.GPU_HOST}", job="gpu-exporter", instance="${F.GPU_INSTANCE}"}`,
                    value: 87,
                },
                { expr: `count(${S.GPU_UTILIZATION})`, value: 2 },
                { expr: `${S.GPU_UTILIZATION}{UUID!=""}`, value: 0, count: 0 },
                { expr: `${S.GPU_MEMORY_USED_BYTES}{gpu="0"}`, value: 70000 * 1048576 },
                // used + free (+ reserved where the version writes it).
                { expr: `${S.GPU_MEMORY_TOTAL_BYTES}{gpu="0"}`, value: 81559 * 1048576 },
                { expr: `${S.GPU_TEMPERATURE_CELSIUS}{gpu="1"}`, value: 40 },
                { expr: `${S.GPU_POWER_WATTS}{gpu="0"}`, value: 612.5 },
                {
                    expr: `${GUIDE_QUERIES.gpuMemory.replace("nvidia_gpu_memory_used_bytes ", 'nvidia_gpu_memory_used_bytes{gpu="1"} ')}`,
                    value: (1000 / 81559) * 100,
                },
            ],
        });
    }
    for (const smi of NVIDIA_GPU_EXPORTER_CONTRACTS) {
        out.push({
            name: `${smi.id}: ratio to percent, the GPU index and name joined in`,
            series: F.gpuExporter(smi, {
                nvidia_smi_index: F.perGpu([0, 1]),
                nvidia_smi_gpu_info: F.perGpu([1, 1]),
                nvidia_smi_utilization_gpu_ratio: F.perGpu([0.87, 0.05]),
                nvidia_smi_memory_used_bytes: F.perGpu([6e10, 1e9]),
                nvidia_smi_memory_total_bytes: F.perGpu([8e10, 8e10]),
                nvidia_smi_temperature_gpu: F.perGpu([70, 41]),
                nvidia_smi_power_draw_watts: F.perGpu([350, 60]),
            }),
            checks: [
                { expr: `${S.GPU_UTILIZATION}{gpu="0", gpu_name="${G0.name}", hostname="${F.GPU_HOST}", instance="${F.SMI_INSTANCE}"}`, value: 87 },
                { expr: `count(${S.GPU_UTILIZATION}{gpu=~"0|1"})`, value: 2 },
                { expr: `${S.GPU_MEMORY_USED_RATIO}{gpu="0"}`, value: 0.75 },
                { expr: GUIDE_QUERIES.gpuMemory.replace("nvidia_gpu_memory_used_bytes ", 'nvidia_gpu_memory_used_bytes{gpu="0"} '), value: 75 },
                { expr: `${S.GPU_TEMPERATURE_CELSIUS}{gpu="1"}`, value: 41 },
                { expr: `${S.GPU_POWER_WATTS}{gpu="0"}`, value: 350 },
            ],
        });
    }
    // An older SGLang build's inter-token latency histogram (before the rename): 400 tokens/s, a quarter of them after more than 0.1 s.
    const older = { job: "sglang", instance: F.SGLANG_INSTANCE, model_name: F.MODEL };
    const tpot = (le: string, perMinute: number) => F.series("sglang:time_per_output_token_seconds_bucket", { ...older, le }, `0+${perMinute}x20`);
    out.push(
        {
            name: "an older SGLang build's time_per_output_token_seconds: the inter-token latency panel and objective read it",
            series: [
                tpot("0.05", 200 * 60),
                tpot("0.1", 300 * 60),
                tpot("+Inf", 400 * 60),
                F.series("sglang:time_per_output_token_seconds_count", older, `0+${400 * 60}x20`),
            ],
            checks: [
                { expr: `${S.latencyBucketRate(S.ITL)}{le="+Inf", ${M}}`, value: 400 },
                { expr: S.SGLANG_ITL_P50, value: 0.05 },
                { expr: S.sloItlErrorRatio("5m"), value: 0.25 },
                { expr: S.sloItlErrorRatio("1h"), value: 0.25 },
            ],
        },
        {
            name: "Ananke: the guide's names where a build writes them, beside the fork's names; recorded copies stand back",
            series: [
                ...F.sglang({ num_requests_total: { rate: 1 } }),
                ...F.sglang(
                    {
                        sglang_ananke_constraint_violations_total: { byLabel: { label: "domain", rates: { syntax: 1, types: 2 } } },
                        sglang_ananke_rollbacks_total: { rate: 0.5 },
                    },
                    { contract: SGLANG_GUIDE_ANANKE },
                ),
            ],
            checks: [
                { expr: `${S.ANANKE_VIOLATIONS_RATE}{domain="types"}`, value: 2 },
                { expr: `sum(rate(${S.GUIDE_ANANKE_VIOLATIONS_TOTAL}[5m]))`, value: 3 },
                { expr: `count(${S.GUIDE_ANANKE_VIOLATIONS_TOTAL}{${S.RECORDED_FROM_LABEL}!=""})`, value: 0, count: 0 },
                { expr: S.ANANKE_ROLLBACKS_RATE, value: 0.5 },
            ],
        },
        {
            name: `node exporter ${F.DEFAULT_NODE_CONTRACT.version}: CPU, memory, root filesystem (tmpfs ignored)`,
            series: F.nodeExporter(
                {
                    node_cpu_seconds_total: F.cpuBusy(0.75),
                    node_memory_MemTotal_bytes: { gauge: 64e9 },
                    node_memory_MemAvailable_bytes: { gauge: 16e9 },
                    node_filesystem_size_bytes: F.perFilesystem({ "/": 1e12, "/run": 1e9 }),
                    node_filesystem_avail_bytes: F.perFilesystem({ "/": 4e11, "/run": 1e8 }),
                },
                {
                    filesystems: [
                        { mountpoint: "/", fstype: "ext4", device: "/dev/nvme0n1p2" },
                        { mountpoint: "/run", fstype: "tmpfs", device: "tmpfs" },
                    ],
                },
            ),
            checks: [
                { expr: S.HOST_CPU_BUSY_RATIO, value: 0.75 },
                { expr: S.HOST_MEMORY_USED_RATIO, value: 0.75 },
                { expr: `${S.HOST_FILESYSTEM_USED_RATIO}{mountpoint="/", fstype="ext4"}`, value: 0.6 },
                { expr: `count(${S.HOST_FILESYSTEM_USED_RATIO})`, value: 1 },
            ],
        },
    );
    return out;
}

const allScenarios = (): Scenario[] => [...SGLANG_CONTRACTS.flatMap(scenarios), ...exporterScenarios()];

function promtoolChecks(checks: Check[]) {
    return checks.flatMap((c) => {
        const n = c.count ?? 1;
        return [
            { expr: `count(${c.expr}) or vector(0)`, eval_time: AT, exp_samples: [{ labels: "{}", value: n }] },
            { expr: `count(abs((${c.expr}) - ${c.value}) < 0.000001) or vector(0)`, eval_time: AT, exp_samples: [{ labels: "{}", value: n }] },
        ];
    });
}

describe("normalization (recording rules on real exporter output)", () => {
    it("produces the catalogue's series with the right labels and values, and the guide's queries return data", async () => {
        const settings = parseSettings("dev", {});
        const dir = new TempDir();
        try {
            dir.write("recording.yaml", toYaml({ groups: recordingRuleGroups(settings) }));
            const scenarios = allScenarios();
            const files = scenarios.map((s, i) =>
                dir.write(
                    `normalization-${i}.test.yaml`,
                    toYaml({
                        rule_files: ["recording.yaml"],
                        evaluation_interval: "1m",
                        tests: [{ name: s.name, interval: "1m", input_series: s.series, promql_expr_test: promtoolChecks(s.checks) }],
                    }),
                ),
            );
            const results = await runAll(files.map((f) => ({ cmd: "promtool", args: ["test", "rules", f], cwd: dir.path })));
            results.forEach((r, i) => expectSuccess(r, `promtool test rules: ${scenarios[i].name}`));
        } finally {
            dir.remove();
        }
    });
});
