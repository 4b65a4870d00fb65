/**
 * SGLang v0.5.4.post1, the default image: every metric it registers, read
 * from the sources at the release commit.
 */
import type { ExporterContract, MetricEntry } from "../types";
import {
    E2E_BUCKETS,
    FUNC_LATENCY_BUCKETS,
    GRAMMAR_COMPILATION_BUCKETS,
    GRAMMAR_EBNF_SIZE_BUCKETS,
    GRAMMAR_SCHEMA_COUNT_BUCKETS,
    GRAMMAR_TREE_TRAVERSAL_BUCKETS,
    ITL_BUCKETS,
    PER_STAGE_BUCKETS,
    QUEUE_TIME_BUCKETS,
    STORAGE_BANDWIDTH_BUCKETS,
    STORAGE_PAGES_BUCKETS,
    TOKENS_BUCKETS,
    TTFT_BUCKETS,
} from "./buckets";

const COLLECTOR = "python/sglang/srt/metrics/collector.py";
const FUNC_TIMER = "python/sglang/srt/metrics/func_timer.py";

/** Tokenizer labels: `model_name` only (plus any `--tokenizer-metrics-allowed-custom-labels`). */
const TOKENIZER = ["model_name"];
/** Scheduler labels by default (`scheduler_metrics_mixin.init_metrics`); `dp_rank` is appended only with data parallelism. */
const SCHEDULER = ["model_name", "engine_type", "tp_rank", "pp_rank"];
/** HiCache storage labels (`hiradix_cache.py`). */
const STORAGE = ["storage_backend", "tp_rank", "dp_rank"];

/** A scheduler gauge written by `log_stats` (first attention-TP rank, at each prefill batch, every `--decode-log-interval` decode batches, and every 30 s when idle). */
function schedulerGauge(name: string, note?: string): MetricEntry {
    return { name, type: "gauge", labels: SCHEDULER, writers: "scheduler-rank0", appears: "at-start", source: COLLECTOR, ...(note ? { note } : {}) };
}

/** A grammar metric: `log_grammar_stats` exists but nothing calls it in this version. */
function grammarNever(name: string, type: "counter" | "histogram", buckets?: number[]): MetricEntry {
    return {
        name, type, labels: SCHEDULER, ...(buckets ? { buckets } : {}), writers: "scheduler-rank0", appears: "never", source: COLLECTOR,
        note: "Registered; SchedulerMetricsCollector.log_grammar_stats writes it but has no caller in this version.",
    };
}

export const SGLANG_V0_5_4_POST1: ExporterContract = {
    exporter: "sglang",
    id: "sglang-v0.5.4.post1",
    version: "v0.5.4.post1",
    images: ["lmsysorg/sglang:v0.5.4.post1"],
    source: { repository: "sgl-project/sglang", commit: "55d75e11bd32b6cabd03065afaa140fc3d969c69", date: "2025-10-27" },
    spellings: ["sglang:", "sglang_"],
    labelValues: {
        engine_type: ["unified"],
        stage: [
            "prefill_waiting",
            "prefill_prepare", "prefill_bootstrap", "prefill_forward", "prefill_transfer_kv_cache",
            "decode_prepare", "decode_bootstrap", "decode_waiting", "decode_transferred",
        ],
        storage_backend: ["file", "mooncake", "hf3fs", "nixl", "aibrix", "dynamic", "eic"],
    },
    notes: [
        "/metrics exists only with --enable-metrics (no environment variable turns it on); it is mounted on the API port by add_prometheus_middleware (python/sglang/srt/utils/common.py) and answers in the Prometheus text format from a fresh CollectorRegistry with a MultiProcessCollector.",
        "Multiprocess registry: set_prometheus_multiproc_dir() creates a temporary PROMETHEUS_MULTIPROC_DIR (under the one the user sets, if any). Counters and histograms are summed over processes; gauges use multiprocess_mode=\"mostrecent\" (no pid label) except sglang:num_retracted_reqs and sglang:num_paused_reqs, which keep the default mode \"all\" and so carry a trailing pid label.",
        "prometheus_client is not pinned: python/pyproject.toml asks for prometheus-client>=0.20.0, so the image carries whatever release pip chose when it was built (not checked inside the image; a build after 2025-09-11 without another pin gets >= 0.23.0). From 0.23.0 on, prometheus_client answers a scrape that negotiates OpenMetrics without escaping=allow-utf-8 with sample names whose colon is replaced by an underscore (sglang_num_requests_total; openmetrics/exposition.py escapes sample names with the label-name character set), while # TYPE and # HELP keep sglang:. Rules must accept both spellings.",
        "No HTTP metrics (sglang:http_*) and no counter of retracted requests (only the gauge sglang:num_retracted_reqs, the count since the previous log_stats) exist in this version.",
        "Scheduler labels: model_name, engine_type (always \"unified\"), tp_rank, pp_rank; dp_rank is appended when the scheduler has a data-parallel rank (--dp-size > 1 through the data-parallel controller, or SGLANG_DP_RANK set). There is no moe_ep_rank label in this version.",
        "Rank gating: current_scheduler_metrics_enabled() is attn_tp_rank == 0 or --enable-metrics-for-all-schedulers. Gauges (log_stats) are written only where it holds; with the flag every TP rank of a group writes the same batch. sglang:queue_time_seconds, sglang:per_stage_req_latency_seconds and the disaggregation failure counters are written by every scheduler whenever --enable-metrics is set, without that gate.",
        "Start-up: the server's own warmup (one /generate request, 8 new tokens, log_metrics on) goes through tokenizer and scheduler, so request counters, TTFT, end-to-end latency, queue time and the scheduler gauges have samples once the server is ready; with --skip-server-warmup they appear at the first request, and the scheduler gauges after 30 s idle at the latest.",
        "Pipeline parallelism: pp_rank is the scheduler's pipeline stage; each stage runs its own scheduler loop (scheduler_pp_mixin.py, through get_next_batch_to_run) under the same gate (attn_tp_rank == 0), so each stage writes its own scheduler series, distinguished by pp_rank.",
        "Tokenizer custom labels: --tokenizer-metrics-allowed-custom-labels appends each allowed label (default value \"\") to every tokenizer metric; values come from the header named by --tokenizer-metrics-custom-labels-header. sglang:num_aborted_requests_total always uses the default (empty) custom values.",
        "sglang:engine_startup_time and sglang:engine_load_weights_time are written by every log_stats but nothing assigns them: they always read 0. sglang:is_cuda_graph likewise always reads 0, and sglang:utilization is 0 (or -1 on a prefill disaggregation server) because max_running_requests_under_SLO is never set.",
        "Not registered in a server: sglang:startup_latency_breakdown_seconds_max (metrics/startup_func_log_and_timer.py; enable_startup_timer() has no caller).",
        "Grammar metrics (sglang:num_grammar_cache_hit_total, sglang:num_grammar_total, sglang:num_grammar_aborted_total, sglang:grammar_*): registered, never written. There is no sglang:num_grammar_timeout_total in this version.",
    ],
    metrics: [
        // Tokenizer manager (TokenizerMetricsCollector).
        { name: "sglang:prompt_tokens_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Incremented when a request finishes." },
        { name: "sglang:generation_tokens_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "at-start", source: COLLECTOR },
        { name: "sglang:num_requests_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Incremented when a request finishes." },
        { name: "sglang:cached_tokens_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "first-event", source: COLLECTOR, note: "Incremented only when a finished request had cached_tokens > 0; no cache_source label in this version." },
        { name: "sglang:num_so_requests_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "first-event", source: COLLECTOR, note: "Finished requests whose sampling params carry json_schema, regex, ebnf or structural_tag." },
        { name: "sglang:num_aborted_requests_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "first-event", source: COLLECTOR, note: "Counted only where the tokenizer aborts: a client disconnect (non-streaming wait, or the streaming disconnect task), /abort_request, pause_generation, or update_weights with abort_all_requests (an abort of all requests counts once per call). Requests the scheduler finishes with an error (invalid grammar, prompt too long) are not counted. No reason label; always the default custom-label values." },
        { name: "sglang:time_to_first_token_seconds", type: "histogram", labels: TOKENIZER, buckets: TTFT_BUCKETS, writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Buckets replaced by --bucket-time-to-first-token. Not observed on a prefill disaggregation server." },
        { name: "sglang:inter_token_latency_seconds", type: "histogram", labels: TOKENIZER, buckets: ITL_BUCKETS, writers: "tokenizer", appears: "first-event", source: COLLECTOR, note: "Buckets replaced by --bucket-inter-token-latency. Observed when a later output chunk brings new tokens (streaming); the bucket count grows by the number of new tokens, _sum by the interval." },
        { name: "sglang:e2e_request_latency_seconds", type: "histogram", labels: TOKENIZER, buckets: E2E_BUCKETS, writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Buckets replaced by --bucket-e2e-request-latency." },
        { name: "sglang:prompt_tokens_histogram", type: "histogram", labels: TOKENIZER, buckets: TOKENS_BUCKETS, writers: "tokenizer", appears: "never", source: COLLECTOR, note: "Registered and written only with --collect-tokens-histogram (then at-start); buckets replaced by --prompt-tokens-buckets." },
        { name: "sglang:generation_tokens_histogram", type: "histogram", labels: TOKENIZER, buckets: TOKENS_BUCKETS, writers: "tokenizer", appears: "never", source: COLLECTOR, note: "Registered and written only with --collect-tokens-histogram (then at-start); buckets replaced by --generation-tokens-buckets." },
        { name: "sglang:func_latency_seconds", type: "histogram", labels: ["name"], buckets: FUNC_LATENCY_BUCKETS, writers: "tokenizer", appears: "never", source: FUNC_TIMER, note: "Registered by enable_func_timer() in the HTTP server; no function is decorated with time_func_latency in this version." },

        // Scheduler gauges (SchedulerMetricsCollector.log_stats).
        schedulerGauge("sglang:num_running_reqs"),
        schedulerGauge("sglang:num_used_tokens"),
        schedulerGauge("sglang:token_usage", "KV-cache token usage, 0-1 (the larger of full and SWA/Mamba pools on hybrid models)."),
        schedulerGauge("sglang:pending_prealloc_token_usage", "Never assigned in this version: reads 0."),
        schedulerGauge("sglang:swa_token_usage", "Non-zero only on hybrid sliding-window models."),
        schedulerGauge("sglang:gen_throughput", "Tokens/s over the last decode log interval; set to 0 by the idle log."),
        schedulerGauge("sglang:num_queue_reqs"),
        schedulerGauge("sglang:num_grammar_queue_reqs"),
        schedulerGauge("sglang:num_running_reqs_offline_batch", "Always 0: both log paths pass 0."),
        schedulerGauge("sglang:cache_hit_rate", "Hit rate of the last prefill batch; every decode log sets it to 0."),
        schedulerGauge("sglang:spec_accept_length", "0 unless speculative decoding is on."),
        schedulerGauge("sglang:spec_accept_rate", "0 unless speculative decoding is on."),
        { name: "sglang:num_retracted_reqs", type: "gauge", labels: [...SCHEDULER, "pid"], writers: "scheduler-rank0", appears: "at-start", source: COLLECTOR, note: "Requests retracted since the previous log (reset after each log). Default multiprocess mode \"all\": a pid label is added." },
        { name: "sglang:num_paused_reqs", type: "gauge", labels: [...SCHEDULER, "pid"], writers: "scheduler-rank0", appears: "at-start", source: COLLECTOR, note: "Default multiprocess mode \"all\": a pid label is added." },
        schedulerGauge("sglang:num_prefill_prealloc_queue_reqs", "Meaningful on a prefill disaggregation server; 0 otherwise."),
        schedulerGauge("sglang:num_prefill_inflight_queue_reqs", "Meaningful on a prefill disaggregation server; 0 otherwise."),
        schedulerGauge("sglang:num_decode_prealloc_queue_reqs", "Meaningful on a decode disaggregation server; 0 otherwise."),
        schedulerGauge("sglang:num_decode_transfer_queue_reqs", "Meaningful on a decode disaggregation server; 0 otherwise."),
        schedulerGauge("sglang:kv_transfer_speed_gb_s", "Prefill disaggregation only; 0 otherwise."),
        schedulerGauge("sglang:kv_transfer_latency_ms", "Prefill disaggregation only; 0 otherwise."),
        schedulerGauge("sglang:utilization", "0 unless max_running_requests_under_SLO is set (nothing sets it); -1 on a prefill disaggregation server."),
        { name: "sglang:max_running_requests_under_SLO", type: "gauge", labels: SCHEDULER, writers: "scheduler-rank0", appears: "never", source: COLLECTOR, note: "Written only when stats.max_running_requests_under_SLO is not None; nothing sets it." },
        schedulerGauge("sglang:engine_startup_time", "Never assigned: always 0."),
        schedulerGauge("sglang:engine_load_weights_time", "Never assigned: always 0."),
        schedulerGauge("sglang:is_cuda_graph", "Never assigned: always 0."),

        // Scheduler histograms and counters written outside the rank gate.
        { name: "sglang:queue_time_seconds", type: "histogram", labels: SCHEDULER, buckets: QUEUE_TIME_BUCKETS, writers: "scheduler-every-rank", appears: "at-start", source: COLLECTOR, note: "Observed in get_new_batch_prefill when a request first enters a forward batch, on every TP rank (only enable_metrics is checked)." },
        { name: "sglang:per_stage_req_latency_seconds", type: "histogram", labels: [...SCHEDULER, "stage"], buckets: PER_STAGE_BUCKETS, writers: "scheduler-every-rank", appears: "at-start", source: COLLECTOR, note: "Req.add_latency on every scheduler. Without disaggregation only stage=\"prefill_waiting\" is written; the prefill_*/decode_* stages need PD disaggregation." },
        { name: "sglang:num_bootstrap_failed_reqs_total", type: "counter", labels: SCHEDULER, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "PD disaggregation only (disaggregation/prefill.py, decode.py)." },
        { name: "sglang:num_transfer_failed_reqs_total", type: "counter", labels: SCHEDULER, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "PD disaggregation only (disaggregation/prefill.py, decode.py)." },

        // Grammar: registered, never written.
        grammarNever("sglang:grammar_compilation_time_seconds", "histogram", GRAMMAR_COMPILATION_BUCKETS),
        grammarNever("sglang:num_grammar_cache_hit_total", "counter"),
        grammarNever("sglang:num_grammar_aborted_total", "counter"),
        grammarNever("sglang:num_grammar_total", "counter"),
        grammarNever("sglang:grammar_schema_count", "histogram", GRAMMAR_SCHEMA_COUNT_BUCKETS),
        grammarNever("sglang:grammar_ebnf_size", "histogram", GRAMMAR_EBNF_SIZE_BUCKETS),
        grammarNever("sglang:grammar_tree_traversal_time_avg", "histogram", GRAMMAR_TREE_TRAVERSAL_BUCKETS),
        grammarNever("sglang:grammar_tree_traversal_time_max", "histogram", GRAMMAR_TREE_TRAVERSAL_BUCKETS),

        // HiCache storage (StorageMetricsCollector): only with --enable-hierarchical-cache and --hicache-storage-backend.
        { name: "sglang:prefetched_tokens_total", type: "counter", labels: STORAGE, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend (then first-event, on every TP rank)." },
        { name: "sglang:backuped_tokens_total", type: "counter", labels: STORAGE, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend (then first-event, on every TP rank)." },
        { name: "sglang:prefetch_pgs", type: "histogram", labels: STORAGE, buckets: STORAGE_PAGES_BUCKETS, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend." },
        { name: "sglang:backup_pgs", type: "histogram", labels: STORAGE, buckets: STORAGE_PAGES_BUCKETS, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend." },
        { name: "sglang:prefetch_bandwidth", type: "histogram", labels: STORAGE, buckets: STORAGE_BANDWIDTH_BUCKETS, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend (GB/s)." },
        { name: "sglang:backup_bandwidth", type: "histogram", labels: STORAGE, buckets: STORAGE_BANDWIDTH_BUCKETS, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend (GB/s)." },
    ],
};
