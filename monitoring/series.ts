/**
 * The catalogue of normalized series: what the recording rules
 * (`recording.ts`) produce and what dashboards and alerts consume. Whatever
 * the source (SGLang under `sglang:` or `sglang_`, DCGM or
 * nvidia_gpu_exporter), these names and labels stay the same, so a metric
 * rename upstream is fixed in one rule instead of in every panel.
 *
 * Naming follows Prometheus' `level:metric:operations` convention. Levels:
 * - `instance_model` — one SGLang server and model: labels `job`, `instance`,
 *   `model_name` (plus `namespace`, `pod` on Kubernetes), rank labels
 *   (`tp_rank`, `pp_rank`, `dp_rank`, `engine_type`) aggregated away.
 * - `instance_gpu` / the guide's `nvidia_gpu_*` — one GPU: labels `job`,
 *   `instance`, `gpu` (index), `uuid`, `gpu_name`, `hostname` (when known).
 * - `instance` — one host (node exporter): labels `job`, `instance`.
 *
 * Guide names (`sglang_requests_total`, `nvidia_gpu_utilization`, …) are
 * recorded too so that the guide's example PromQL returns data. No program we
 * deploy emits them, so a recorded series can never collide with a scraped
 * one of the same name and labels. (The old mindprince
 * nvidia_gpu_prometheus_exporter used some of the `nvidia_gpu_*` names with
 * other labels: do not scrape it beside these rules, or GPUs count twice.) A recording rule must never write a name
 * a real exporter emits into the same series; the `level:` names cannot be
 * emitted by an exporter (colons are reserved for recording rules).
 */

/** Labels that identify one SGLang server and model after ranks are aggregated away. */
export const SGLANG_LABELS = ["job", "instance", "namespace", "pod", "model_name"] as const;
/**
 * Labels that identify one SGLang server. Its HTTP series carry no
 * `model_name`: they are computed per server, then attributed to the
 * server's models.
 */
export const SGLANG_SERVER_LABELS = ["job", "instance", "namespace", "pod"] as const;
/**
 * Labels that tell apart scheduler ranks which see the same batch: with
 * `--enable-metrics-for-all-schedulers` every TP rank (and its MoE expert
 * rank) of a data-parallel group writes the same counts, and gauges kept per
 * process carry a `pid`. Data-parallel ranks (`dp_rank`) are distinct
 * schedulers and add up.
 */
export const SGLANG_SAME_BATCH_RANK_LABELS = ["tp_rank", "moe_ep_rank", "pid"] as const;
/** Labels that identify one GPU after normalization. */
export const GPU_LABELS = ["job", "instance", "gpu", "uuid", "gpu_name", "hostname"] as const;
/** Labels that identify one host. */
export const HOST_LABELS = ["job", "instance"] as const;

/**
 * The quantiles precomputed for every latency histogram: those the dashboard
 * and alerts read (each costs a pass over the histogram's bucket rates every
 * evaluation; any other quantile is a query of the bucket rates away).
 */
export const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
export type QuantileName = keyof typeof QUANTILES;

/** The rate window of every `:rate5m` series. */
export const RATE_WINDOW = "5m";

// ---------------------------------------------------------------- SGLang requests

/** Requests received per second. Unit: req/s. Labels: SGLANG_LABELS. Source: `sglang:num_requests_total`. */
export const SGLANG_REQUESTS_RATE = "instance_model:sglang_requests:rate5m";
/**
 * Failed requests per second. Unit: req/s. Labels: SGLANG_LABELS.
 * Errors are HTTP 5xx responses of the API (`sglang:http_responses_total`,
 * health and metrics endpoints excluded) when the server exports HTTP
 * metrics: a 5xx is a failure the server itself reports. Those series carry
 * no `model_name`, so they are summed per server and attributed to the
 * models the server serves. Builds without HTTP metrics fall back to
 * `sglang:num_aborted_requests_total`, which also counts client disconnects
 * and timeouts, so it over- rather than under-reports. 0, not absent, while
 * requests flow and nothing failed yet.
 */
export const SGLANG_ERRORS_RATE = "instance_model:sglang_request_errors:rate5m";
/**
 * Share of requests that failed. Unit: ratio 0–1. Labels: SGLANG_LABELS.
 * With HTTP metrics: 5xx responses / API responses of the server; without:
 * aborted / received requests. 0 while requests flow with no error yet;
 * absent without traffic.
 */
export const SGLANG_ERROR_RATIO = "instance_model:sglang_request_errors:ratio_rate5m";

// ---------------------------------------------------------------- SGLang latency

/** A latency histogram the rules normalize: its real source name (without prefix) and normalized stem. */
export interface LatencyHistogram {
    /** Source name after `sglang:` / `sglang_`, without `_bucket`. */
    source: string;
    /** Older source name, if a rename happened upstream. */
    legacySource?: string;
    /** Stem of the normalized names, e.g. `sglang_e2e_latency_seconds`. */
    stem: string;
}

export const E2E_LATENCY: LatencyHistogram = { source: "e2e_request_latency_seconds", stem: "sglang_e2e_latency_seconds" };
export const TTFT: LatencyHistogram = { source: "time_to_first_token_seconds", stem: "sglang_ttft_seconds" };
export const ITL: LatencyHistogram = {
    source: "inter_token_latency_seconds",
    legacySource: "time_per_output_token_seconds",
    stem: "sglang_itl_seconds",
};
/** Time a request waits in the scheduler queue before its first forward batch: a direct cause of TTFT. */
export const QUEUE_TIME: LatencyHistogram = { source: "queue_time_seconds", stem: "sglang_queue_time_seconds" };
export const LATENCY_HISTOGRAMS = [E2E_LATENCY, TTFT, ITL, QUEUE_TIME] as const;

/** `instance_model:<stem>:p95_5m` — the quantile of a latency histogram over 5 minutes. Unit: seconds. Labels: SGLANG_LABELS. */
export function latencyQuantile(h: LatencyHistogram, q: QuantileName): string {
    return `instance_model:${h.stem}:${q}_5m`;
}
/** `instance_model:<stem>_bucket:rate5m` — bucket rates by `le` (for heatmaps and other quantiles). Unit: 1/s. Labels: SGLANG_LABELS + `le`. */
export function latencyBucketRate(h: LatencyHistogram): string {
    return `instance_model:${h.stem}_bucket:rate5m`;
}

/** End-to-end request latency quantiles. Unit: seconds. Labels: SGLANG_LABELS. Source: `sglang:e2e_request_latency_seconds`. */
export const SGLANG_E2E_LATENCY_P50 = latencyQuantile(E2E_LATENCY, "p50");
/** End-to-end P95 (SGLangHighLatency). Unit: seconds. Labels: SGLANG_LABELS. */
export const SGLANG_E2E_LATENCY_P95 = latencyQuantile(E2E_LATENCY, "p95");
/** End-to-end P99. Unit: seconds. Labels: SGLANG_LABELS. */
export const SGLANG_E2E_LATENCY_P99 = latencyQuantile(E2E_LATENCY, "p99");
/** End-to-end latency bucket rates. Unit: 1/s. Labels: SGLANG_LABELS + `le`. */
export const SGLANG_E2E_LATENCY_BUCKET_RATE = latencyBucketRate(E2E_LATENCY);

/** Time-to-first-token P50. Unit: seconds. Labels: SGLANG_LABELS. Source: `sglang:time_to_first_token_seconds`. */
export const SGLANG_TTFT_P50 = latencyQuantile(TTFT, "p50");
/** TTFT P95. Unit: seconds. Labels: SGLANG_LABELS. */
export const SGLANG_TTFT_P95 = latencyQuantile(TTFT, "p95");
/** TTFT P99. Unit: seconds. Labels: SGLANG_LABELS. */
export const SGLANG_TTFT_P99 = latencyQuantile(TTFT, "p99");
/** TTFT bucket rates. Unit: 1/s. Labels: SGLANG_LABELS + `le`. */
export const SGLANG_TTFT_BUCKET_RATE = latencyBucketRate(TTFT);

/** Inter-token latency P50. Unit: seconds. Labels: SGLANG_LABELS. Source: `sglang:inter_token_latency_seconds` (older: `time_per_output_token_seconds`). */
export const SGLANG_ITL_P50 = latencyQuantile(ITL, "p50");
/** ITL P95. Unit: seconds. Labels: SGLANG_LABELS. */
export const SGLANG_ITL_P95 = latencyQuantile(ITL, "p95");
/** ITL P99. Unit: seconds. Labels: SGLANG_LABELS. */
export const SGLANG_ITL_P99 = latencyQuantile(ITL, "p99");
/** ITL bucket rates. Unit: 1/s. Labels: SGLANG_LABELS + `le`. */
export const SGLANG_ITL_BUCKET_RATE = latencyBucketRate(ITL);

// ---------------------------------------------------------------- SGLang throughput and load

/** Prompt tokens processed per second. Unit: tokens/s. Labels: SGLANG_LABELS. Source: `sglang:prompt_tokens_total`. */
export const SGLANG_PROMPT_TOKENS_RATE = "instance_model:sglang_prompt_tokens:rate5m";
/** Tokens generated per second. Unit: tokens/s. Labels: SGLANG_LABELS. Source: `sglang:generation_tokens_total`. */
export const SGLANG_GENERATION_TOKENS_RATE = "instance_model:sglang_generation_tokens:rate5m";
/** Requests running, summed over ranks. Unit: requests. Labels: SGLANG_LABELS. Source: `sglang:num_running_reqs`. */
export const SGLANG_RUNNING_REQUESTS = "instance_model:sglang_running_requests:sum";
/** Requests waiting in the scheduler queue, summed over ranks. Unit: requests. Labels: SGLANG_LABELS. Source: `sglang:num_queue_reqs`. */
export const SGLANG_QUEUED_REQUESTS = "instance_model:sglang_queued_requests:sum";
/** Requests running or waiting (running + queued): the work the server holds. Unit: requests. Labels: SGLANG_LABELS. */
export const SGLANG_REQUESTS_IN_SYSTEM = "instance_model:sglang_requests_in_system:sum";
/** Requests waiting for grammar compilation, summed over ranks. Unit: requests. Labels: SGLANG_LABELS. Source: `sglang:num_grammar_queue_reqs`. */
export const SGLANG_GRAMMAR_QUEUE_REQUESTS = "instance_model:sglang_grammar_queue_requests:sum";
/**
 * KV-cache token usage of the fullest scheduler (max over ranks: the fullest
 * one retracts requests first). Unit: ratio 0–1. Labels: SGLANG_LABELS.
 * Source: `sglang:token_usage`.
 */
export const SGLANG_KV_CACHE_USAGE = "instance_model:sglang_kv_cache_usage:max";
/** Requests retracted under KV-cache pressure per second. Unit: req/s. Labels: SGLANG_LABELS. Source: `sglang:num_retracted_requests_total`. */
export const SGLANG_RETRACTED_RATE = "instance_model:sglang_retracted_requests:rate5m";
/**
 * Prefix-cache hit ratio: cached prompt tokens / prompt tokens over 5m (the
 * `sglang:cache_hit_rate` gauge when the counters are missing). Unit: ratio
 * 0–1. Labels: SGLANG_LABELS.
 */
export const SGLANG_PREFIX_CACHE_HIT_RATIO = "instance_model:sglang_prefix_cache_hit:ratio_rate5m";
/**
 * Grammar cache hit ratio: `sglang:num_grammar_cache_hit_total` /
 * `sglang:num_grammar_total` over 5m. May be absent: not every grammar
 * backend reports them. Unit: ratio 0–1. Labels: SGLANG_LABELS.
 */
export const SGLANG_GRAMMAR_CACHE_HIT_RATIO = "instance_model:sglang_grammar_cache_hit:ratio_rate5m";

// ---------------------------------------------------------------- Ananke

/**
 * Ananke constraint violations per second by domain. Unit: events/s. Labels:
 * SGLANG_LABELS + `domain`. Source: the fork's
 * `ananke_relaxation_events_by_domain_total` (the closest real equivalent of
 * the guide's violations; its optional exporter is not started by the server
 * today, so this is usually absent and the AnankeMetricsMissing alert says so).
 */
export const ANANKE_VIOLATIONS_RATE = "instance_model_domain:sglang_ananke_constraint_violations:rate5m";
/**
 * Ananke rollbacks per second. Unit: events/s. Labels: SGLANG_LABELS. Source:
 * the guide's `sglang_ananke_rollbacks_total`, which no build emits today
 * (there is no real equivalent): absent until one does.
 */
export const ANANKE_ROLLBACKS_RATE = "instance_model:sglang_ananke_rollbacks:rate5m";

// ---------------------------------------------------------------- GPU (per GPU)

/** GPU utilization. Unit: percent 0–100. Labels: GPU_LABELS. Guide name. Source: DCGM `DCGM_FI_DEV_GPU_UTIL` or nvidia_gpu_exporter `nvidia_smi_utilization_gpu_ratio` × 100. */
export const GPU_UTILIZATION = "nvidia_gpu_utilization";
/** GPU memory used. Unit: bytes. Labels: GPU_LABELS. Guide name. Source: DCGM `DCGM_FI_DEV_FB_USED` (MiB × 1048576) or `nvidia_smi_memory_used_bytes`. */
export const GPU_MEMORY_USED_BYTES = "nvidia_gpu_memory_used_bytes";
/** GPU memory total. Unit: bytes. Labels: GPU_LABELS. Guide name. Source: DCGM `FB_USED + FB_FREE` (MiB × 1048576) or `nvidia_smi_memory_total_bytes`. */
export const GPU_MEMORY_TOTAL_BYTES = "nvidia_gpu_memory_total_bytes";
/** GPU temperature. Unit: °C. Labels: GPU_LABELS. Guide name. Source: DCGM `DCGM_FI_DEV_GPU_TEMP` or `nvidia_smi_temperature_gpu`. */
export const GPU_TEMPERATURE_CELSIUS = "nvidia_gpu_temperature_celsius";
/** GPU power draw. Unit: watts. Labels: GPU_LABELS. Source: DCGM `DCGM_FI_DEV_POWER_USAGE` or `nvidia_smi_power_draw_watts`. */
export const GPU_POWER_WATTS = "nvidia_gpu_power_draw_watts";
/** GPU memory used / total. Unit: ratio 0–1. Labels: GPU_LABELS. */
export const GPU_MEMORY_USED_RATIO = "instance_gpu:nvidia_gpu_memory_used:ratio";

// ---------------------------------------------------------------- GPU health (DCGM's default fields)

/**
 * The last XID error code the GPU reported; 0 until the first. It never
 * resets: a new XID is a change of this value. Unit: XID code. Labels:
 * GPU_LABELS. Source: DCGM `DCGM_FI_DEV_XID_ERRORS` (nvidia_gpu_exporter has none).
 */
export const GPU_XID_LAST = "instance_gpu:nvidia_gpu_xid:last";
/** The window within which a change of GPU_XID_LAST is a new XID. */
export const NEW_XID_WINDOW = "10m";
/**
 * GPU_XID_LAST of the GPUs whose last XID changed within NEW_XID_WINDOW (a
 * new XID); no series otherwise, so the XID alerts read an empty selection
 * while no GPU reports one. Unit: XID code. Labels: GPU_LABELS. Source: GPU_XID_LAST.
 */
export const GPU_XID_NEW = "instance_gpu:nvidia_gpu_xid:last_changed10m";
/** 1 when row remapping failed (the memory can no longer be repaired). Labels: GPU_LABELS. Source: DCGM `DCGM_FI_DEV_ROW_REMAP_FAILURE`. */
export const GPU_ROW_REMAP_FAILURE = "instance_gpu:nvidia_gpu_row_remap_failure:value";
/** Rows remapped for uncorrectable errors over RATE_WINDOW. Unit: rows. Labels: GPU_LABELS. Source: DCGM `DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS`. */
export const GPU_UNCORRECTABLE_REMAPPED_ROWS_INCREASE = "instance_gpu:nvidia_gpu_uncorrectable_remapped_rows:increase5m";
/** PCIe replays per second. Unit: 1/s. Labels: GPU_LABELS. Source: DCGM `DCGM_FI_DEV_PCIE_REPLAY_COUNTER`. */
export const GPU_PCIE_REPLAYS_RATE = "instance_gpu:nvidia_gpu_pcie_replays:rate5m";
/** HBM temperature. Unit: °C. Labels: GPU_LABELS. Source: DCGM `DCGM_FI_DEV_MEMORY_TEMP`. */
export const GPU_MEMORY_TEMPERATURE_CELSIUS = "instance_gpu:nvidia_gpu_memory_temperature:celsius";
/**
 * Uncorrectable (double-bit) ECC errors over RATE_WINDOW, volatile count. Unit:
 * errors. Labels: GPU_LABELS. Source: DCGM `DCGM_FI_DEV_ECC_DBE_VOL_TOTAL` (the
 * project's counters file) or nvidia_gpu_exporter
 * `nvidia_smi_ecc_errors_uncorrected_volatile_total` (a gauge named _total).
 */
export const GPU_ECC_UNCORRECTABLE_INCREASE = "instance_gpu:nvidia_gpu_ecc_uncorrectable_errors:increase5m";
/**
 * Share of time the GPU's clocks are held down by temperature or the power
 * limit, over 5 minutes (the two causes added, at most 1). Unit: ratio 0–1.
 * Labels: GPU_LABELS. Source: DCGM `DCGM_FI_DEV_THERMAL_VIOLATION` +
 * `DCGM_FI_DEV_POWER_VIOLATION` (cumulative durations, µs or ns by version),
 * or nvidia_gpu_exporter's 0/1 reasons `nvidia_smi_clocks_event_reasons_hw_thermal_slowdown`,
 * `_sw_thermal_slowdown`, `_hw_power_brake_slowdown` averaged over the window.
 */
export const GPU_THROTTLED_RATIO = "instance_gpu:nvidia_gpu_throttled:ratio_rate5m";
/** GPUs reporting per exporter target. Unit: GPUs. Labels: `job`, `instance`, `hostname`. */
export const GPUS_REPORTING = "instance:nvidia_gpus_reporting:count";

// ---------------------------------------------------------------- Host (node exporter)

/** Host CPU busy share (1 − idle), averaged over CPUs. Unit: ratio 0–1. Labels: HOST_LABELS. Source: `node_cpu_seconds_total`. */
export const HOST_CPU_BUSY_RATIO = "instance:node_cpu_busy:ratio_rate5m";
/** Host memory used share (1 − MemAvailable/MemTotal). Unit: ratio 0–1. Labels: HOST_LABELS. */
export const HOST_MEMORY_USED_RATIO = "instance:node_memory_used:ratio";
/** Filesystem used share (1 − avail/size) of real filesystems. Unit: ratio 0–1. Labels: HOST_LABELS + `mountpoint`, `device`, `fstype`. */
export const HOST_FILESYSTEM_USED_RATIO = "instance_mountpoint:node_filesystem_used:ratio";

// ---------------------------------------------------------------- SLOs

/** The windows of the multi-window multi-burn-rate SLO alerts (Google SRE workbook). */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** `instance_model:sglang_slo_availability_errors:ratio_rate<w>` — error ratio (as SGLANG_ERROR_RATIO) over window w. Unit: ratio 0–1. Labels: SGLANG_LABELS. */
export function sloAvailabilityErrorRatio(w: SloWindow): string {
    return `instance_model:sglang_slo_availability_errors:ratio_rate${w}`;
}
/**
 * `instance_model:sglang_slo_itl_errors:ratio_rate<w>` — share of generated
 * tokens that came later than `slo.itlThresholdSeconds` after the previous one
 * over window w (1 − bucket{le=threshold}/count of the ITL histogram). Unit:
 * ratio 0–1. Labels: SGLANG_LABELS.
 */
export function sloItlErrorRatio(w: SloWindow): string {
    return `instance_model:sglang_slo_itl_errors:ratio_rate${w}`;
}
/**
 * `instance_model:sglang_slo_latency_errors:ratio_rate<w>` — share of requests
 * whose TTFT exceeded `slo.latencyThresholdSeconds` over window w
 * (1 − bucket{le=threshold}/count). Unit: ratio 0–1. Labels: SGLANG_LABELS.
 */
export function sloLatencyErrorRatio(w: SloWindow): string {
    return `instance_model:sglang_slo_latency_errors:ratio_rate${w}`;
}

/** The objectives whose error ratios are recorded: failed requests, slow first tokens, slow tokens. */
export const SLO_KINDS = ["availability", "latency", "itl"] as const;
export type SloKind = (typeof SLO_KINDS)[number];

/** Tiles: 5-minute rates recorded every 5 minutes, so consecutive tiles cover time once. */
export const SLO_TILE = "5m";

/**
 * `instance_model:sglang_slo_<kind>_errors:rate5m_tiled` — failed events per
 * second of an objective (requests failed, requests whose TTFT or tokens whose
 * ITL exceeded the threshold) over 5 minutes, recorded every 5 minutes. Read
 * by the long SLO windows (`sum_over_time` of the tiles). Unit: 1/s. Labels:
 * SGLANG_LABELS.
 */
export function sloErrorsTile(kind: SloKind): string {
    return `instance_model:sglang_slo_${kind}_errors:rate5m_tiled`;
}
/** `instance_model:sglang_slo_<kind>_events:rate5m_tiled` — all events per second of an objective (requests, first tokens, tokens), as sloErrorsTile. Unit: 1/s. Labels: SGLANG_LABELS. */
export function sloEventsTile(kind: SloKind): string {
    return `instance_model:sglang_slo_${kind}_events:rate5m_tiled`;
}

/**
 * `model:sglang_slo_availability_objective:ratio` — a model's availability
 * objective (`models[i].availabilityObjective`), recorded only when the stack
 * serves several models: the burn-rate alerts join on it by `model_name`.
 * Unit: ratio 0–1. Labels: `model_name` (the served name).
 */
export const SLO_AVAILABILITY_OBJECTIVE = "model:sglang_slo_availability_objective:ratio";
/** `model:sglang_slo_latency_objective:ratio` — a model's TTFT objective (several models only). Unit: ratio 0–1. Labels: `model_name`. */
export const SLO_LATENCY_OBJECTIVE = "model:sglang_slo_latency_objective:ratio";
/** `model:sglang_slo_ttft_threshold:seconds` — a model's TTFT threshold (several models only). Unit: seconds. Labels: `model_name`. */
export const SLO_TTFT_THRESHOLD_SECONDS = "model:sglang_slo_ttft_threshold:seconds";

// ---------------------------------------------------------------- The guide's SGLang names

/**
 * Guide name: requests as a counter with `status="success"|"error"`. Labels:
 * SGLANG_LABELS + `status`. `error` = the same errors as SGLANG_ERRORS_RATE
 * (summed counters), `success` = requests − errors (clamped at 0). Sums of
 * counters over ranks: a single rank restart reads as a reset to `rate()`.
 */
export const GUIDE_REQUESTS_TOTAL = "sglang_requests_total";
/** Guide name: E2E latency histogram buckets (`sglang:e2e_request_latency_seconds_bucket` summed over ranks). Labels: SGLANG_LABELS + `le`. */
export const GUIDE_REQUEST_DURATION_BUCKET = "sglang_request_duration_seconds_bucket";
/** Guide name: E2E latency histogram sum. Unit: seconds. Labels: SGLANG_LABELS. */
export const GUIDE_REQUEST_DURATION_SUM = "sglang_request_duration_seconds_sum";
/** Guide name: E2E latency histogram count. Labels: SGLANG_LABELS. */
export const GUIDE_REQUEST_DURATION_COUNT = "sglang_request_duration_seconds_count";
/** Guide name: generated tokens counter (`sglang:generation_tokens_total` summed over ranks). Labels: SGLANG_LABELS. */
export const GUIDE_TOKENS_GENERATED_TOTAL = "sglang_tokens_generated_total";
/** Guide name: queue depth gauge (`sglang:num_queue_reqs` summed over ranks). Labels: SGLANG_LABELS. */
export const GUIDE_REQUESTS_QUEUED = "sglang_requests_queued";
/** Guide name: grammar cache hits counter (`sglang:num_grammar_cache_hit_total`). Labels: SGLANG_LABELS. */
export const GUIDE_ANANKE_CACHE_HITS_TOTAL = "sglang_ananke_cache_hits_total";
/** Guide name: grammar cache misses counter (`sglang:num_grammar_total` − hits). Labels: SGLANG_LABELS. */
export const GUIDE_ANANKE_CACHE_MISSES_TOTAL = "sglang_ananke_cache_misses_total";
/**
 * Guide name: constraint violations counter by `domain`, recorded from
 * `ananke_relaxation_events_by_domain_total` when that exists. Labels:
 * SGLANG_LABELS + `domain`.
 */
export const GUIDE_ANANKE_VIOLATIONS_TOTAL = "sglang_ananke_constraint_violations_total";
/** Guide name: rollbacks counter. Not recorded (no real source); read if a build emits it. */
export const GUIDE_ANANKE_ROLLBACKS_TOTAL = "sglang_ananke_rollbacks_total";

/**
 * The label on guide names recorded from a real source, naming that source.
 * A build that emits a guide name itself writes no such label: rules read
 * `{recorded_from=""}` for the build's own series, and recording stops for a
 * target that has them.
 */
export const RECORDED_FROM_LABEL = "recorded_from";
/** The Ananke fork's optional exporter: relaxation events by constraint domain (closest to the guide's violations). */
export const FORK_ANANKE_RELAXATIONS_BY_DOMAIN_TOTAL = "ananke_relaxation_events_by_domain_total";

// ---------------------------------------------------------------- SGLang router (smg)

/** Labels that identify one router (its scrape target). */
export const ROUTER_LABELS = ["job", "instance", "namespace", "pod"] as const;
/**
 * The router's inference routes as its HTTP middleware writes `path` (the
 * matched route template; smg v1.9.0 `model_gateway/src/server.rs`): what
 * clients send model requests to. Probes
 * (`/health`, `/readiness`, `/liveness`), `/v1/models` and unmatched paths
 * (`other`) are not requests to a model.
 */
export const ROUTER_INFERENCE_PATHS = [
    "/v1/chat/completions",
    "/v1/completions",
    "/generate",
    "/v1/responses",
    "/v1/messages",
    "/v1/embeddings",
    "/v1/rerank",
    "/rerank",
    "/v1/classify",
    "/v1/interactions",
] as const;

/** Routed inference requests per second. Unit: req/s. Labels: ROUTER_LABELS + `model`, `endpoint`. Source: `smg_router_requests_total`. */
export const ROUTER_REQUESTS_RATE = "instance_model:sglang_router_requests:rate5m";
/** Responses to clients on the inference routes per second. Unit: 1/s. Labels: ROUTER_LABELS + `path`. Source: `smg_http_responses_total`. */
export const ROUTER_RESPONSES_RATE = "instance_path:sglang_router_responses:rate5m";
/**
 * 5xx responses to clients on the inference routes per second, retries
 * exhausted and `no_available_workers` included. Unit: 1/s. Labels:
 * ROUTER_LABELS + `path`. 0 while responses flow and none failed (the
 * series of a status code appears at its first response).
 */
export const ROUTER_ERRORS_RATE = "instance_path:sglang_router_errors:rate5m";
/** Share of the router's inference responses that were 5xx. Unit: ratio 0–1. Labels: ROUTER_LABELS. Absent without traffic. */
export const ROUTER_ERROR_RATIO = "instance:sglang_router_errors:ratio_rate5m";
/** Inference responses per second of one router, all routes together (the error alert's minimum rate). Unit: 1/s. Labels: ROUTER_LABELS. */
export const ROUTER_INFERENCE_RATE = "instance:sglang_router_responses:rate5m";
/** The router's request duration histogram (successful routed requests, headers ready). */
export const ROUTER_DURATION: LatencyHistogram = { source: "smg_router_request_duration_seconds", stem: "sglang_router_request_duration_seconds" };
/** Bucket rates of the router's request duration. Unit: 1/s. Labels: ROUTER_LABELS + `model`, `le`. */
export const ROUTER_DURATION_BUCKET_RATE = latencyBucketRate(ROUTER_DURATION);
/** Router request duration quantiles, per model. Unit: seconds. Labels: ROUTER_LABELS + `model`. */
export function routerDurationQuantile(q: QuantileName): string {
    return latencyQuantile(ROUTER_DURATION, q);
}
/** Workers the router holds Ready (`smg_worker_health` = 1). Unit: workers. Labels: ROUTER_LABELS. */
export const ROUTER_WORKERS_HEALTHY = "instance:sglang_router_workers_healthy:count";
/** Registered workers not Ready (`smg_worker_health` = 0; removed workers, -1, excluded). Unit: workers. Labels: ROUTER_LABELS. */
export const ROUTER_WORKERS_UNHEALTHY = "instance:sglang_router_workers_unhealthy:count";
/** Workers whose circuit breaker is open (`smg_worker_cb_state` = 1): out of rotation. Unit: workers. Labels: ROUTER_LABELS. */
export const ROUTER_WORKERS_EJECTED = "instance:sglang_router_workers_ejected:count";
/**
 * Share of prompt tokens served from the workers' prefix caches, over every
 * server of a model, weighted by prompt tokens: what cache-aware routing
 * aims to raise. The router itself reports no cache hits (smg v1.9.0).
 * Unit: ratio 0–1. Labels: `model_name`.
 */
export const FLEET_PREFIX_CACHE_HIT_RATIO = "model:sglang_prefix_cache_hit:ratio_rate5m";

// ---------------------------------------------------------------- Cost and capacity

/** GPUs reporting to the GPU exporter(s) of the stack. Unit: GPUs. No labels. */
export const COST_GPUS = ":sglang_gpus:count";
/** What the stack's GPUs cost per hour (GPUs × gpuHourlyPrice). Unit: currency/h. No labels. */
export const COST_GPU_PER_HOUR = ":sglang_gpu_cost:per_hour";
/** What the GPUs whose 10-minute utilization is under alertGpuUtilizationLowPercent cost per hour. Unit: currency/h. No labels. */
export const COST_IDLE_GPU_PER_HOUR = ":sglang_idle_gpu_cost:per_hour";
/** The windows cost per token is recorded over. */
export const COST_WINDOWS = ["1h", "1d"] as const;
export type CostWindow = (typeof COST_WINDOWS)[number];
/** GPU cost of the window divided by the generated tokens of the window, per million. Unit: currency per 10^6 tokens. No labels. */
export function costPerMillionGeneratedTokens(w: CostWindow): string {
    return `:sglang_generated_tokens_cost:per_million_${w}`;
}
/** GPU cost of the window divided by the prompt tokens of the window, per million. Unit: currency per 10^6 tokens. No labels. */
export function costPerMillionPromptTokens(w: CostWindow): string {
    return `:sglang_prompt_tokens_cost:per_million_${w}`;
}
/** The request rate of a server while its TTFT P95 is within the SLO threshold; absent otherwise. Unit: req/s. Labels: SGLANG_LABELS. */
export const REQUESTS_WITHIN_TTFT_OBJECTIVE_RATE = "instance_model:sglang_requests_within_ttft_objective:rate5m";
/** REQUESTS_WITHIN_TTFT_OBJECTIVE_RATE every 5 minutes (a tile, as the SLO tiles): what the 7-day maximum reads. Unit: req/s. Labels: SGLANG_LABELS. */
export const REQUESTS_WITHIN_TTFT_OBJECTIVE_TILE = "instance_model:sglang_requests_within_ttft_objective:rate5m_tiled";
/** The highest 5-minute request rate a server sustained with TTFT P95 within the threshold in the last 7 days. Unit: req/s. Labels: SGLANG_LABELS. */
export const CAPACITY_AT_TTFT_OBJECTIVE = "instance_model:sglang_capacity_at_ttft_objective:max7d";
/** Share of that capacity not in use now: 1 − current rate / capacity, at least 0. Unit: ratio 0–1. Labels: SGLANG_LABELS. */
export const SPARE_CAPACITY_RATIO = "instance_model:sglang_spare_capacity_at_ttft_objective:ratio";

/** Every series name the recording rules produce (for dashboard/alert checks). */
export function recordedSeriesNames(): string[] {
    const names = [
        SGLANG_REQUESTS_RATE,
        SGLANG_ERRORS_RATE,
        SGLANG_ERROR_RATIO,
        ...LATENCY_HISTOGRAMS.flatMap((h) => [...(Object.keys(QUANTILES) as QuantileName[]).map((q) => latencyQuantile(h, q)), latencyBucketRate(h)]),
        SGLANG_PROMPT_TOKENS_RATE,
        SGLANG_GENERATION_TOKENS_RATE,
        SGLANG_RUNNING_REQUESTS,
        SGLANG_QUEUED_REQUESTS,
        SGLANG_REQUESTS_IN_SYSTEM,
        SGLANG_GRAMMAR_QUEUE_REQUESTS,
        SGLANG_KV_CACHE_USAGE,
        SGLANG_RETRACTED_RATE,
        SGLANG_PREFIX_CACHE_HIT_RATIO,
        SGLANG_GRAMMAR_CACHE_HIT_RATIO,
        ANANKE_VIOLATIONS_RATE,
        ANANKE_ROLLBACKS_RATE,
        GPU_UTILIZATION,
        GPU_MEMORY_USED_BYTES,
        GPU_MEMORY_TOTAL_BYTES,
        GPU_TEMPERATURE_CELSIUS,
        GPU_POWER_WATTS,
        GPU_MEMORY_USED_RATIO,
        GPU_XID_LAST,
        GPU_XID_NEW,
        GPU_ROW_REMAP_FAILURE,
        GPU_UNCORRECTABLE_REMAPPED_ROWS_INCREASE,
        GPU_PCIE_REPLAYS_RATE,
        GPU_MEMORY_TEMPERATURE_CELSIUS,
        GPUS_REPORTING,
        HOST_CPU_BUSY_RATIO,
        HOST_MEMORY_USED_RATIO,
        HOST_FILESYSTEM_USED_RATIO,
        ...SLO_WINDOWS.flatMap((w) => [sloAvailabilityErrorRatio(w), sloLatencyErrorRatio(w), sloItlErrorRatio(w)]),
        ...SLO_KINDS.flatMap((k) => [sloErrorsTile(k), sloEventsTile(k)]),
        SLO_AVAILABILITY_OBJECTIVE,
        SLO_LATENCY_OBJECTIVE,
        SLO_TTFT_THRESHOLD_SECONDS,
        GUIDE_REQUESTS_TOTAL,
        GUIDE_REQUEST_DURATION_BUCKET,
        GUIDE_REQUEST_DURATION_SUM,
        GUIDE_REQUEST_DURATION_COUNT,
        GUIDE_TOKENS_GENERATED_TOTAL,
        GUIDE_REQUESTS_QUEUED,
        GUIDE_ANANKE_CACHE_HITS_TOTAL,
        GUIDE_ANANKE_CACHE_MISSES_TOTAL,
        GUIDE_ANANKE_VIOLATIONS_TOTAL,
        ROUTER_REQUESTS_RATE,
        ROUTER_RESPONSES_RATE,
        ROUTER_ERRORS_RATE,
        ROUTER_ERROR_RATIO,
        ROUTER_INFERENCE_RATE,
        ROUTER_DURATION_BUCKET_RATE,
        ...(Object.keys(QUANTILES) as QuantileName[]).map(routerDurationQuantile),
        ROUTER_WORKERS_HEALTHY,
        ROUTER_WORKERS_UNHEALTHY,
        ROUTER_WORKERS_EJECTED,
        FLEET_PREFIX_CACHE_HIT_RATIO,
        COST_GPUS,
        COST_GPU_PER_HOUR,
        COST_IDLE_GPU_PER_HOUR,
        ...COST_WINDOWS.flatMap((w) => [costPerMillionGeneratedTokens(w), costPerMillionPromptTokens(w)]),
        REQUESTS_WITHIN_TTFT_OBJECTIVE_RATE,
        REQUESTS_WITHIN_TTFT_OBJECTIVE_TILE,
        CAPACITY_AT_TTFT_OBJECTIVE,
        SPARE_CAPACITY_RATIO,
    ];
    return names;
}
