/**
 * The normalization layer on realistic exporter output: each scenario feeds
 * the series real programs emit into the rendered recording rules and checks
 * the normalized series' labels and values with `promtool test rules`,
 * including the guide's example PromQL queries verbatim.
 */
import { parseSettings } from "../settings";
import { recordingRuleGroups } from "./recording";
import * as S from "./series";
import { toYaml } from "./yaml";
import * as F from "./testing/fixtures";
import { TempDir, expectSuccess, runAll } from "./testing/tools";

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

const scenarios: Scenario[] = [
    {
        name: "SGLang counters over two tp ranks, sglang: prefix",
        series: [
            ...F.sglangCounter("num_requests_total", 10),
            ...F.sglangCounter("prompt_tokens_total", 2000),
            ...F.sglangCounter("cached_tokens_total", 500),
            ...F.sglangCounter("generation_tokens_total", 300),
            ...F.sglangCounter("num_aborted_requests_total", 1),
            ...F.sglangGauge("num_running_reqs", [3, 4]),
            ...F.sglangGauge("num_queue_reqs", [5, 6]),
            ...F.sglangGauge("token_usage", [0.5, 0.75]),
            ...F.sglangCounter("num_grammar_total", 4),
            ...F.sglangCounter("num_grammar_cache_hit_total", 3),
        ],
        checks: [
            { expr: `${S.SGLANG_REQUESTS_RATE}{job="sglang", instance="${F.SGLANG_INSTANCE}", ${M}}`, value: 10 },
            { expr: `${S.SGLANG_REQUESTS_RATE}{tp_rank!=""}`, value: 0, count: 0 },
            { expr: S.SGLANG_ERRORS_RATE, value: 1 },
            { expr: S.SGLANG_ERROR_RATIO, value: 0.1 },
            { expr: S.SGLANG_PROMPT_TOKENS_RATE, value: 2000 },
            { expr: S.SGLANG_GENERATION_TOKENS_RATE, value: 300 },
            { expr: S.SGLANG_PREFIX_CACHE_HIT_RATIO, value: 0.25 },
            { expr: S.SGLANG_RUNNING_REQUESTS, value: 7 },
            { expr: S.SGLANG_QUEUED_REQUESTS, value: 11 },
            { expr: S.SGLANG_KV_CACHE_USAGE, value: 0.75 },
            { expr: S.SGLANG_GRAMMAR_CACHE_HIT_RATIO, value: 0.75 },
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
            { expr: GUIDE_QUERIES.cacheHitRate, value: 0.75 },
        ],
    },
    {
        name: "sglang_ prefix, HTTP metrics: 5xx of the API count, aborts and health-check errors do not",
        series: [
            ...F.sglangCounter("num_requests_total", 20, { prefix: "sglang_" }),
            ...F.sglangCounter("num_aborted_requests_total", 5, { prefix: "sglang_" }),
            ...F.sglangCounter("http_responses_total", 19, { prefix: "sglang_", ranks: 1 }, { endpoint: "/v1/chat/completions", method: "POST", status_code: "200" }),
            ...F.sglangCounter("http_responses_total", 1, { prefix: "sglang_", ranks: 1 }, { endpoint: "/v1/chat/completions", method: "POST", status_code: "503" }),
            ...F.sglangCounter("http_responses_total", 2, { prefix: "sglang_", ranks: 1 }, { endpoint: "/health", method: "GET", status_code: "503" }),
        ],
        checks: [
            { expr: S.SGLANG_REQUESTS_RATE, value: 20 },
            { expr: S.SGLANG_ERRORS_RATE, value: 1 },
            { expr: S.SGLANG_ERROR_RATIO, value: 0.05 },
            { expr: `${S.GUIDE_REQUESTS_TOTAL}{status="error"}`, value: 1 * 60 * 10 },
        ],
    },
    {
        name: "both prefixes exported at once: the sglang: series wins, nothing is doubled",
        series: [...F.sglangCounter("num_requests_total", 10), ...F.sglangCounter("num_requests_total", 99, { prefix: "sglang_" })],
        checks: [{ expr: S.SGLANG_REQUESTS_RATE, value: 10 }],
    },
    {
        name: "histograms with buckets: quantiles, bucket rates, the guide's histogram and the legacy ITL name",
        series: [
            // Half the requests at 1 s, half at 3 s: buckets (1, 2] and (2, 4].
            ...F.sglangHistogram("e2e_request_latency_seconds", F.E2E_BUCKETS, 4, { 1: 0.5, 3: 0.5 }),
            ...F.sglangHistogram("time_to_first_token_seconds", F.TTFT_BUCKETS, 4, { 0.5: 0.9, 4: 0.1 }),
            ...F.sglangHistogram("time_per_output_token_seconds", [0.01, 0.02, 0.05, 0.1], 400, { 0.02: 1 }),
        ],
        checks: [
            // P50 = upper bound of the bucket holding the median: 1 s; P95 interpolates in (2, 4]: 2 + 0.9 × 2.
            { expr: S.SGLANG_E2E_LATENCY_P50, value: 1 },
            { expr: S.SGLANG_E2E_LATENCY_P95, value: 3.8 },
            { expr: `${S.SGLANG_E2E_LATENCY_BUCKET_RATE}{le="+Inf"}`, value: 4 },
            { expr: `count(${S.SGLANG_E2E_LATENCY_BUCKET_RATE})`, value: F.E2E_BUCKETS.length + 1 },
            // TTFT: 90 % at 0.5 s, in bucket (0.3, 0.5]: P50 = 0.3 + (0.5 / 0.9) × 0.2.
            { expr: S.SGLANG_TTFT_P50, value: 0.3 + (0.5 / 0.9) * 0.2 },
            // ITL from the older name, all in (0.01, 0.02]: P99 = 0.01 + 0.99 × 0.01.
            { expr: S.SGLANG_ITL_P99, value: 0.01 + 0.99 * 0.01 },
            { expr: GUIDE_QUERIES.p95, value: 3.8 },
            { expr: `${S.GUIDE_REQUEST_DURATION_COUNT}`, value: 4 * 60 * 10 },
            // SLO latency: TTFT above 2 s (le="2.0" as Python writes it) for 10 % of requests.
            { expr: S.sloLatencyErrorRatio("5m"), value: 0.1 },
            { expr: S.sloLatencyErrorRatio("3d"), value: 0.1 },
        ],
    },
    {
        name: "DCGM: MiB to bytes, UUID/Hostname/modelName renamed, per GPU",
        series: [
            ...F.dcgm("DCGM_FI_DEV_GPU_UTIL", [87, 12]),
            ...F.dcgm("DCGM_FI_DEV_FB_USED", [70000, 1000]),
            ...F.dcgm("DCGM_FI_DEV_FB_FREE", [11047, 80047]),
            ...F.dcgm("DCGM_FI_DEV_FB_RESERVED", [512, 512]),
            ...F.dcgm("DCGM_FI_DEV_GPU_TEMP", [71, 40]),
            ...F.dcgm("DCGM_FI_DEV_POWER_USAGE", [612.5, 80]),
        ],
        checks: [
            { expr: `${S.GPU_UTILIZATION}{gpu="0", uuid="${G0.uuid}", gpu_name="${G0.name}", hostname="gpu-host-1", job="gpu-exporter", instance="${F.GPU_INSTANCE}"}`, value: 87 },
            { expr: `count(${S.GPU_UTILIZATION})`, value: 2 },
            { expr: `${S.GPU_UTILIZATION}{UUID!=""}`, value: 0, count: 0 },
            { expr: `${S.GPU_MEMORY_USED_BYTES}{gpu="0"}`, value: 70000 * 1048576 },
            { expr: `${S.GPU_MEMORY_TOTAL_BYTES}{gpu="0"}`, value: 81559 * 1048576 },
            { expr: `${S.GPU_TEMPERATURE_CELSIUS}{gpu="1"}`, value: 40 },
            { expr: `${S.GPU_POWER_WATTS}{gpu="0"}`, value: 612.5 },
            { expr: `${GUIDE_QUERIES.gpuMemory.replace("nvidia_gpu_memory_used_bytes ", 'nvidia_gpu_memory_used_bytes{gpu="1"} ')}`, value: (1000 / 81559) * 100 },
        ],
    },
    {
        name: "newest DCGM with a lowercase hostname label",
        series: F.dcgm("DCGM_FI_DEV_GPU_TEMP", [66]).map((s) => ({ ...s, series: s.series.replace("Hostname=", "hostname=") })),
        checks: [{ expr: `${S.GPU_TEMPERATURE_CELSIUS}{gpu="0", hostname="gpu-host-1"}`, value: 66 }],
    },
    {
        name: "nvidia_gpu_exporter: ratio to percent, index and name from nvidia_smi_gpu_info",
        series: [
            ...F.nvidiaSmi("nvidia_smi_utilization_gpu_ratio", [0.87, 0.05]),
            ...F.nvidiaSmi("nvidia_smi_memory_used_bytes", [6e10, 1e9], false),
            ...F.nvidiaSmi("nvidia_smi_memory_total_bytes", [8e10, 8e10], false),
            ...F.nvidiaSmi("nvidia_smi_temperature_gpu", [70, 41], false),
            ...F.nvidiaSmi("nvidia_smi_power_draw_watts", [350, 60], false),
        ],
        checks: [
            { expr: `${S.GPU_UTILIZATION}{gpu="0", uuid="${G0.uuid}", gpu_name="${G0.name}", instance="${F.SMI_INSTANCE}"}`, value: 87 },
            { expr: `${S.GPU_MEMORY_USED_RATIO}{gpu="0"}`, value: 0.75 },
            { expr: GUIDE_QUERIES.gpuMemory.replace("nvidia_gpu_memory_used_bytes ", 'nvidia_gpu_memory_used_bytes{gpu="0"} '), value: 75 },
            { expr: `${S.GPU_TEMPERATURE_CELSIUS}{gpu="1"}`, value: 41 },
            { expr: `${S.GPU_POWER_WATTS}{gpu="0"}`, value: 350 },
        ],
    },
    {
        name: "nvidia_gpu_exporter without nvidia_smi_gpu_info: still one series per GPU, by uuid",
        series: F.nvidiaSmi("nvidia_smi_temperature_gpu", [70, 41], false),
        checks: [
            { expr: `${S.GPU_TEMPERATURE_CELSIUS}{uuid="${G0.uuid}"}`, value: 70 },
            { expr: `count(${S.GPU_TEMPERATURE_CELSIUS})`, value: 2 },
        ],
    },
    {
        name: "Ananke: the fork's relaxation events become the guide's violations by domain",
        series: ["syntax", "types"].map((domain, i) =>
            F.series("ananke_relaxation_events_by_domain_total", { job: "sglang", instance: F.SGLANG_INSTANCE, model_name: F.MODEL, domain }, F.counter(i + 1)),
        ),
        checks: [
            { expr: `${S.ANANKE_VIOLATIONS_RATE}{domain="types"}`, value: 2 },
            { expr: `sum(rate(${S.GUIDE_ANANKE_VIOLATIONS_TOTAL}[5m]))`, value: 3 },
        ],
    },
    {
        name: "node exporter: CPU, memory, root filesystem (tmpfs ignored)",
        series: [
            ...F.nodeCpu(4, 0.25),
            F.nodeGauge("node_memory_MemTotal_bytes", 64e9),
            F.nodeGauge("node_memory_MemAvailable_bytes", 16e9),
            ...F.nodeFilesystem("/", "ext4", "/dev/nvme0n1p2", 1e12, 4e11),
            ...F.nodeFilesystem("/run", "tmpfs", "tmpfs", 1e9, 1e8),
        ],
        checks: [
            { expr: S.HOST_CPU_BUSY_RATIO, value: 0.75 },
            { expr: S.HOST_MEMORY_USED_RATIO, value: 0.75 },
            { expr: `${S.HOST_FILESYSTEM_USED_RATIO}{mountpoint="/", fstype="ext4"}`, value: 0.6 },
            { expr: `count(${S.HOST_FILESYSTEM_USED_RATIO})`, value: 1 },
        ],
    },
];

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
