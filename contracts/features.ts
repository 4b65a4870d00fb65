/**
 * What a version gives you, in the words of the README's "Supported versions"
 * table: each feature is the metrics (and labels) that carry it, read from the
 * contracts, never asserted by hand.
 */
import { writtenEntry } from "./generate";
import type { ExporterContract } from "./types";

/** One way a version can provide a feature: every metric written, the labels on the first. */
export interface Provision {
    metrics: string[];
    labels?: string[];
}

export interface Feature {
    /** The contracts it is about: SGLang, GPU exporters or node exporter. */
    slot: "sglang" | "gpu" | "node";
    name: string;
    /** Why it matters here: which alerts, rules or panels use it. */
    use: string;
    /** Any one of these provides it (metric names without the SGLang spelling). */
    provisions: Provision[];
}

const GPU_CORE: Provision[] = [
    { metrics: ["DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE"] },
    {
        metrics: [
            "nvidia_smi_utilization_gpu_ratio",
            "nvidia_smi_memory_used_bytes",
            "nvidia_smi_memory_total_bytes",
            "nvidia_smi_temperature_gpu",
            "nvidia_smi_power_draw_watts",
        ],
    },
];

export const FEATURES: readonly Feature[] = [
    {
        slot: "sglang",
        name: "Request, token and queue series",
        use: "traffic, throughput and queue panels, RequestQueueBacklog",
        provisions: [{ metrics: ["num_requests_total", "prompt_tokens_total", "generation_tokens_total", "num_running_reqs", "num_queue_reqs"] }],
    },
    {
        slot: "sglang",
        name: "TTFT and end-to-end latency histograms",
        use: "latency panels, SGLangHighLatency, latency SLO",
        provisions: [{ metrics: ["time_to_first_token_seconds", "e2e_request_latency_seconds"] }],
    },
    {
        slot: "sglang",
        name: "Inter-token latency histogram",
        use: "inter-token latency panel",
        provisions: [{ metrics: ["inter_token_latency_seconds"] }],
    },
    {
        slot: "sglang",
        name: "HTTP responses by status code",
        use: "5xx error ratio; without it, aborted requests stand in",
        provisions: [{ metrics: ["http_responses_total"], labels: ["status_code"] }],
    },
    {
        slot: "sglang",
        name: "Aborted-request counter",
        use: "error ratio without HTTP series",
        provisions: [{ metrics: ["num_aborted_requests_total"] }],
    },
    { slot: "sglang", name: "Retraction counter", use: "Retracted requests panel", provisions: [{ metrics: ["num_retracted_requests_total"] }] },
    { slot: "sglang", name: "KV-cache usage gauge", use: "SGLangKVCacheHigh", provisions: [{ metrics: ["token_usage"] }] },
    { slot: "sglang", name: "Grammar queue gauge", use: "Grammar compilation queue panel", provisions: [{ metrics: ["num_grammar_queue_reqs"] }] },
    {
        slot: "sglang",
        name: "Grammar cache counters",
        use: "AnankeGrammarCacheMissHigh, grammar cache hit rate",
        provisions: [{ metrics: ["num_grammar_total", "num_grammar_cache_hit_total"] }],
    },
    {
        slot: "sglang",
        name: "Ananke exporter (relaxations by domain)",
        use: "AnankeConstraintViolationsHigh, violations panel",
        provisions: [{ metrics: ["ananke_relaxation_events_by_domain_total"], labels: ["domain"] }],
    },
    { slot: "gpu", name: "Utilization, memory, temperature, power", use: "GPU panels and alerts", provisions: GPU_CORE },
    {
        slot: "gpu",
        name: "Reserved memory",
        use: "exact total memory",
        provisions: [{ metrics: ["DCGM_FI_DEV_FB_RESERVED"] }, { metrics: ["nvidia_smi_memory_reserved_bytes"] }],
    },
    {
        slot: "gpu",
        name: "GPU index label",
        use: "GPUs named by index",
        provisions: [
            { metrics: ["DCGM_FI_DEV_GPU_UTIL"], labels: ["gpu"] },
            { metrics: ["nvidia_smi_gpu_info"], labels: ["index"] },
            { metrics: ["nvidia_smi_index"] },
        ],
    },
    {
        slot: "gpu",
        name: "GPU host label",
        use: "GPUs named by host",
        provisions: [
            { metrics: ["DCGM_FI_DEV_GPU_UTIL"], labels: ["Hostname"] },
            { metrics: ["DCGM_FI_DEV_GPU_UTIL"], labels: ["hostname"] },
        ],
    },
    { slot: "gpu", name: "XID errors", use: "GPU health", provisions: [{ metrics: ["DCGM_FI_DEV_XID_ERRORS"] }] },
    {
        slot: "gpu",
        name: "ECC / remapped rows",
        use: "GPU health",
        provisions: [
            { metrics: ["DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", "DCGM_FI_DEV_ROW_REMAP_FAILURE"] },
            { metrics: ["nvidia_smi_remapped_rows_uncorrectable", "nvidia_smi_remapped_rows_failure"] },
        ],
    },
    { slot: "gpu", name: "Thermal slowdown", use: "GPU health", provisions: [{ metrics: ["nvidia_smi_clocks_event_reasons_hw_thermal_slowdown"] }] },
    {
        slot: "node",
        name: "CPU, memory and filesystem series",
        use: "host panels and alerts",
        provisions: [
            {
                metrics: [
                    "node_cpu_seconds_total",
                    "node_memory_MemAvailable_bytes",
                    "node_memory_MemTotal_bytes",
                    "node_filesystem_avail_bytes",
                    "node_filesystem_size_bytes",
                ],
            },
        ],
    },
];

/** Whether a version provides a feature: one provision whose metrics it all writes, with the labels. */
export function provides(contract: ExporterContract, feature: Feature): boolean {
    return feature.provisions.some((p) => {
        const entries = p.metrics.map((m) => writtenEntry(contract, m));
        if (entries.some((e) => e === undefined)) return false;
        return (p.labels ?? []).every((l) => entries[0]!.labels.includes(l));
    });
}
