/**
 * The Ananke fork of SGLang (`rand/ananke-sglang`) at 29925551c: every metric
 * it registers, read from the sources at that commit. Its upstream part is
 * SGLang main of 2026-02-28.
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

const COLLECTOR = "python/sglang/srt/observability/metrics_collector.py";
const HTTP = "python/sglang/srt/utils/common.py";
const CPU_MONITOR = "python/sglang/srt/observability/cpu_monitor.py";
const FUNC_TIMER = "python/sglang/srt/observability/func_timer.py";
const GAUGE_HISTOGRAM = "python/sglang/srt/utils/gauge_histogram.py";
const ANANKE_EXPORTER = "python/sglang/srt/constrained/ananke/observability/exporter.py";

/** Tokenizer labels: `model_name` (plus `--tokenizer-metrics-allowed-custom-labels` and `--extra-metric-labels`). */
const TOKENIZER = ["model_name"];
/** Scheduler labels by default (`observability/scheduler_metrics_mixin.init_metrics`); `dp_rank` is appended only with data parallelism. */
const SCHEDULER = ["model_name", "engine_type", "tp_rank", "pp_rank", "moe_ep_rank"];
/** Radix-cache labels (`mem_cache/base_prefix_cache.init_metrics_collector`): no rank at all. */
const RADIX_CACHE = ["cache_type"];
/** HiCache storage labels (`mem_cache/hiradix_cache.py`). */
const STORAGE = ["storage_backend", "tp_rank", "dp_rank", "pp_rank", "pp_size"];

/** Upper bounds of the routing-key gauge histograms (`ROUTING_KEY_REQ_COUNT_BUCKET_BOUNDS`), written as `le` labels of a gauge. */
const ROUTING_KEY_BOUNDS = "1, 2, 3, 5, 7, 10, 20, 50, 100, 200";

/** Radix caches that register the eviction metrics (`type(self).__name__`). */
const CACHE_TYPES = ["RadixCache", "HiRadixCache", "SWARadixCache", "MambaRadixCache", "RadixCacheCpp"];

/** A scheduler gauge written by `log_stats` (first attention-TP rank, at each prefill batch, every `--decode-log-interval` decode batches, and every 30 s when idle). */
function schedulerGauge(name: string, note?: string): MetricEntry {
    return { name, type: "gauge", labels: SCHEDULER, writers: "scheduler-rank0", appears: "at-start", source: COLLECTOR, ...(note ? { note } : {}) };
}

/** A grammar metric: `log_grammar_stats` exists but nothing calls it at this commit. */
function grammarNever(name: string, type: "counter" | "histogram", buckets?: number[]): MetricEntry {
    return {
        name, type, labels: SCHEDULER, ...(buckets ? { buckets } : {}), writers: "scheduler-rank0", appears: "never", source: COLLECTOR,
        note: "Registered; SchedulerMetricsCollector.log_grammar_stats writes it but has no caller at this commit (the Ananke backend does not call it either).",
    };
}

/** A metric of the fork's optional Prometheus exporter, which nothing starts. */
function ananke(name: string, type: "counter" | "gauge", labels: string[] = []): MetricEntry {
    return {
        name, type, labels, writers: "exporter", appears: "never", source: ANANKE_EXPORTER,
        note: "PrometheusExporter of the Ananke backend: its own CollectorRegistry, served by nothing; no code outside its unit tests creates it.",
    };
}

export const SGLANG_ANANKE_29925551C: ExporterContract = {
    exporter: "sglang",
    id: "sglang-ananke-29925551c",
    version: "ananke-29925551c",
    images: ["ananke-sglang:29925551c"],
    source: { repository: "rand/ananke-sglang", commit: "29925551c55f705c1ac8b2584296fb0fed26a66d", date: "2026-02-28" },
    spellings: ["sglang:", "sglang_"],
    labelValues: {
        engine_type: ["unified", "prefill", "decode"],
        endpoint: [
            "/v1/chat/completions", "/v1/completions", "/generate", "/health", "/health_generate", "/metrics", "/model_info", "/get_model_info",
            "/v1/models", "/v1/embeddings", "/v1/messages", "/v1/responses", "/encode", "/get_server_info", "/abort_request",
        ],
        method: ["POST", "GET", "PUT"],
        status_code: ["200", "400", "404", "500", "503"],
        cache_source: ["total", "device", "host", "storage_file", "storage_mooncake"],
        stage: [
            "request_process", "prefill_forward", "chunked_prefill",
            "prefill_bootstrap", "prefill_transfer_kv_cache",
            "decode_prepare", "decode_bootstrap", "decode_waiting", "decode_transferred", "fake_output", "quick_finish",
        ],
        mode: ["decode_cuda_graph", "decode_none", "prefill_compute", "prefill_cache", "decode"],
        component: ["tokenizer", "detokenizer", "data_parallel_controller"],
        cache_type: CACHE_TYPES,
        storage_backend: ["file", "mooncake", "hf3fs", "nixl", "aibrix", "dynamic", "eic"],
        gt: ["0", "1", "2", "3", "5", "7", "10", "20", "50", "100", "200"],
        input_estimation: ["all", "none", "mixed"],
        output_allow: ["true", "false"],
        output_reason: ["", "wait_success", "no_wait", "delay", "token_watermark", "wait_timeout"],
        actual_execution: ["true", "false"],
    },
    notes: [
        "No published image is known for the fork: ananke-sglang:29925551c is the name of an image built from a checkout of this commit with docker/Dockerfile and --build-arg BRANCH_TYPE=local (the default BRANCH_TYPE=remote clones upstream SGLang instead). The fork's deploy/docker/Dockerfile.ananke does not carry this contract: it starts FROM lmsysorg/sglang:latest and adds only Ananke's optional dependencies, not the fork's Python package. Its workflow release-docker-ananke.yml names docker.io/lmsysorg/sglang-ananke, which needs that organisation's Docker Hub credentials.",
        "Upstream part: the fork merged SGLang main up to 2026-02-28 (last upstream commit a0d8a7ae6); HEAD 29925551c is a fork commit of the same day.",
        "/metrics exists only with --enable-metrics; it is mounted on the API port by add_prometheus_middleware (python/sglang/srt/utils/common.py) from a MultiProcessCollector over a temporary PROMETHEUS_MULTIPROC_DIR. The HTTP middleware (add_prometheus_track_response_middleware) is added by launch_server in entrypoints/http_server.py when --enable-metrics is set.",
        "prometheus_client is not pinned: python/pyproject.toml asks for prometheus-client>=0.20.0 (an image built from this commit gets the newest release, >= 0.23.0). From 0.23.0 on, prometheus_client answers a scrape that negotiates OpenMetrics without escaping=allow-utf-8 with sample names whose colon is replaced by an underscore (sglang_num_requests_total), while # TYPE and # HELP keep sglang:. Rules must accept both spellings.",
        "HTTP series carry no model_name: endpoint is the matched route's path (the raw URL path for an unmatched one), method the HTTP method, status_code the response code as a string. They count every request the API server answers, /metrics scrapes and health checks included; an exception raised before a response counts the request but no response.",
        "Scheduler labels: model_name, engine_type (\"unified\", or \"prefill\"/\"decode\" with --disaggregation-mode), tp_rank, pp_rank, moe_ep_rank; dp_rank is appended when the scheduler has a data-parallel rank (--dp-size > 1, or SGLANG_DP_RANK); --extra-metric-labels (a JSON object) appends its keys to the scheduler, tokenizer, radix-cache and storage labels.",
        "Rank gating: current_scheduler_metrics_enabled is attn_tp_rank == 0 or --enable-metrics-for-all-schedulers. The log_stats gauges and sglang:realtime_tokens_total are written only where it holds; with the flag every TP rank of a group writes the same batch. sglang:queue_time_seconds, sglang:per_stage_req_latency_seconds, sglang:cuda_graph_passes_total, the sglang:num_retracted_*_total counters and the disaggregation failure counters are written by every scheduler whenever --enable-metrics is set.",
        "Start-up: the server's warmup (GET /model_info, then one /generate request with 8 new tokens, or /v1/chat/completions for a vision model; log_metrics on) gives samples to the request counters, TTFT, end-to-end latency, sglang:num_retractions, queue time and the scheduler gauges once the server is ready; with --skip-server-warmup they appear at the first request, and the scheduler gauges after 30 s idle at the latest.",
        "Multiprocess modes: scheduler gauges use \"mostrecent\" (no pid label) except sglang:num_retracted_reqs and sglang:num_paused_reqs (default \"all\": a trailing pid label); sglang:http_requests_active and sglang:routing_keys_active use \"livesum\" (summed over live processes, no pid).",
        "Radix-cache metrics (sglang:evicted_tokens_total, sglang:eviction_duration_seconds, sglang:load_back_*) carry only cache_type (and --extra-metric-labels): every TP rank's scheduler writes the same label set, so the multiprocess collector sums the ranks into one series.",
        "Registered only under conditions, so absent by default and not listed as metrics: sglang:eplb_balancedness (a Summary, labels + forward_mode, only on moe_ep_rank 0 with SGLANG_ENABLE_EPLB_BALANCEDNESS_METRIC) and sglang:eplb_gpu_physical_count (histogram, label layer, buckets 0..ep_size-1, only with the expert distribution recorder).",
        "Not registered in a server: sglang:startup_latency_breakdown_seconds_max (observability/startup_func_log_and_timer.py; enable_startup_timer() has no caller).",
        "Grammar metrics (sglang:num_grammar_cache_hit_total, sglang:num_grammar_total, sglang:num_grammar_timeout_total, sglang:num_grammar_aborted_total, sglang:grammar_*): registered, never written at this commit.",
        "Ananke exporter (constrained/ananke/observability/exporter.py, PrometheusExporter): metric names under ananke_ with only a domain label and no model_name, in a registry of its own that nothing serves or pushes. Its entries are listed with appears \"never\". Flags of the Ananke backend (--grammar-backend ananke, --ananke-language, --ananke-max-rollback-tokens, --ananke-enabled-domains) add no metric.",
        "Environment switches that add series when set: SGLANG_ENABLE_METRICS_DEVICE_TIMER (sglang:gpu_execution_seconds_total), SGLANG_ENABLE_METRICS_DP_ATTENTION (sglang:dp_cooperation_*_total, with DP attention).",
    ],
    metrics: [
        // Tokenizer manager (TokenizerMetricsCollector).
        { name: "sglang:prompt_tokens_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Incremented when a request finishes." },
        { name: "sglang:generation_tokens_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "at-start", source: COLLECTOR },
        { name: "sglang:num_requests_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Incremented when a request finishes." },
        { name: "sglang:cached_tokens_total", type: "counter", labels: [...TOKENIZER, "cache_source"], writers: "tokenizer", appears: "first-event", source: COLLECTOR, note: "Incremented only when a finished request had cached tokens. cache_source is \"total\" without HiCache; with --enable-hierarchical-cache it is \"device\" and \"host\" (and \"storage_<backend>\" with an L3 storage backend), each series appearing at its first non-zero value." },
        { name: "sglang:num_so_requests_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "first-event", source: COLLECTOR, note: "Finished requests whose sampling params carry json_schema, regex, ebnf or structural_tag." },
        { name: "sglang:num_aborted_requests_total", type: "counter", labels: TOKENIZER, writers: "tokenizer", appears: "first-event", source: COLLECTOR, note: "Counted only where the tokenizer aborts: a client disconnect (non-streaming wait, or the streaming disconnect task), /abort_request, pause_generation, or update_weights with abort_all_requests (an abort of all requests counts once per call). Requests the scheduler finishes with an error (invalid grammar, prompt too long) are not counted. No reason label; always the default custom-label values." },
        { name: "sglang:time_to_first_token_seconds", type: "histogram", labels: TOKENIZER, buckets: TTFT_BUCKETS, writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Buckets replaced by --bucket-time-to-first-token. Not observed on a prefill disaggregation server." },
        { name: "sglang:inter_token_latency_seconds", type: "histogram", labels: TOKENIZER, buckets: ITL_BUCKETS, writers: "tokenizer", appears: "first-event", source: COLLECTOR, note: "Buckets replaced by --bucket-inter-token-latency. Observed when a later output chunk brings new tokens (streaming); the bucket count grows by the number of new tokens, _sum by the interval." },
        { name: "sglang:e2e_request_latency_seconds", type: "histogram", labels: TOKENIZER, buckets: E2E_BUCKETS, writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Buckets replaced by --bucket-e2e-request-latency." },
        { name: "sglang:num_retractions", type: "histogram", labels: TOKENIZER, buckets: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 75, 100], writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Retractions per finished request (observed for every finished request, 0 included)." },
        { name: "sglang:prompt_tokens_histogram", type: "histogram", labels: TOKENIZER, buckets: TOKENS_BUCKETS, writers: "tokenizer", appears: "never", source: COLLECTOR, note: "Registered and written only with --collect-tokens-histogram (then at-start); buckets replaced by --prompt-tokens-buckets." },
        { name: "sglang:generation_tokens_histogram", type: "histogram", labels: TOKENIZER, buckets: TOKENS_BUCKETS, writers: "tokenizer", appears: "never", source: COLLECTOR, note: "Registered and written only with --collect-tokens-histogram (then at-start); buckets replaced by --generation-tokens-buckets." },
        { name: "sglang:process_cpu_seconds_total", type: "counter", labels: ["component"], writers: "tokenizer", appears: "at-start", source: CPU_MONITOR, note: "CPU seconds (user + system) of the tokenizer and detokenizer processes (and the data-parallel controller with --dp-size > 1), added every 5 s by start_cpu_monitor_thread: first sample 5 s after start. Scheduler processes have none." },
        { name: "sglang:func_latency_seconds", type: "histogram", labels: ["name"], buckets: FUNC_LATENCY_BUCKETS, writers: "tokenizer", appears: "never", source: FUNC_TIMER, note: "Registered by enable_func_timer() in the HTTP server; no function is decorated with time_func_latency at this commit." },

        // HTTP layer (add_prometheus_track_response_middleware).
        { name: "sglang:http_requests_total", type: "counter", labels: ["endpoint", "method"], writers: "tokenizer", appears: "first-event", source: HTTP, note: "One series per endpoint and method, from its first request; no model_name." },
        { name: "sglang:http_responses_total", type: "counter", labels: ["endpoint", "status_code", "method"], writers: "tokenizer", appears: "first-event", source: HTTP, note: "One series per endpoint, status code and method, from the first response with that code; 5xx = server errors; no model_name." },
        { name: "sglang:http_requests_active", type: "gauge", labels: ["endpoint", "method"], writers: "tokenizer", appears: "first-event", source: HTTP, note: "Requests in flight per endpoint; multiprocess mode livesum. The series stays (at 0) after its first request." },
        { name: "sglang:routing_keys_active", type: "gauge", labels: [], writers: "tokenizer", appears: "at-start", source: HTTP, note: "Distinct x-smg-routing-key header values with requests in flight; unlabelled, so it reads 0 from start; multiprocess mode livesum." },

        // Scheduler gauges (SchedulerMetricsCollector.log_stats).
        schedulerGauge("sglang:num_running_reqs"),
        schedulerGauge("sglang:num_used_tokens"),
        schedulerGauge("sglang:token_usage", "KV-cache token usage, 0-1 (the larger of full and SWA pools on hybrid SWA models)."),
        schedulerGauge("sglang:pending_prealloc_token_usage", "Never assigned at this commit: reads 0."),
        schedulerGauge("sglang:swa_token_usage", "Non-zero only on hybrid sliding-window models."),
        schedulerGauge("sglang:mamba_usage", "Non-zero only on hybrid SSM (Mamba) models."),
        schedulerGauge("sglang:decode_sum_seq_lens", "Sum of sequence lengths of the last logged decode batch."),
        schedulerGauge("sglang:gen_throughput", "Tokens/s over the last decode log interval; set to 0 by the idle log."),
        schedulerGauge("sglang:num_queue_reqs"),
        schedulerGauge("sglang:num_grammar_queue_reqs"),
        schedulerGauge("sglang:num_running_reqs_offline_batch", "Always 0: both log paths set 0."),
        schedulerGauge("sglang:cache_hit_rate", "Hit rate of the last prefill batch; every decode log sets it to 0."),
        schedulerGauge("sglang:max_total_num_tokens", "KV-cache capacity in tokens; 0 until the first batch log (the idle log does not set it)."),
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
        schedulerGauge("sglang:kv_transfer_bootstrap_ms", "Prefill disaggregation only; 0 otherwise."),
        schedulerGauge("sglang:kv_transfer_alloc_ms", "Prefill disaggregation only; 0 otherwise."),
        schedulerGauge("sglang:kv_transfer_total_mb", "Prefill disaggregation only; 0 otherwise."),
        schedulerGauge("sglang:utilization", "0 unless max_running_requests_under_SLO is set (nothing sets it); -1 on a prefill disaggregation server."),
        { name: "sglang:max_running_requests_under_SLO", type: "gauge", labels: SCHEDULER, writers: "scheduler-rank0", appears: "never", source: COLLECTOR, note: "Written only when stats.max_running_requests_under_SLO is not None; nothing sets it." },
        schedulerGauge("sglang:engine_startup_time", "Never assigned: always 0."),
        schedulerGauge("sglang:engine_load_weights_time", "Never assigned: always 0."),
        schedulerGauge("sglang:new_token_ratio", "Set from each prefill batch."),
        schedulerGauge("sglang:is_cuda_graph", "Never assigned: always 0."),
        { name: "sglang:lora_pool_slots_used", type: "gauge", labels: SCHEDULER, writers: "scheduler-rank0", appears: "never", source: COLLECTOR, note: "Registered and written only with --enable-lora (then at-start)." },
        { name: "sglang:lora_pool_slots_total", type: "gauge", labels: SCHEDULER, writers: "scheduler-rank0", appears: "never", source: COLLECTOR, note: "Registered and written only with --enable-lora (then at-start)." },
        { name: "sglang:lora_pool_utilization", type: "gauge", labels: SCHEDULER, writers: "scheduler-rank0", appears: "never", source: COLLECTOR, note: "Registered and written only with --enable-lora (then at-start)." },
        schedulerGauge("sglang:num_unique_running_routing_keys", "Set from decode logs; 0 otherwise."),
        { name: "sglang:routing_key_running_req_count", type: "gauge", labels: [...SCHEDULER, "gt", "le"], writers: "scheduler-rank0", appears: "at-start", source: GAUGE_HISTOGRAM, note: `GaugeHistogram: one gauge per bucket (gt < count <= le, not cumulative) with le in ${ROUTING_KEY_BOUNDS}, +Inf; every bucket series is written at each log_stats.` },
        { name: "sglang:routing_key_all_req_count", type: "gauge", labels: [...SCHEDULER, "gt", "le"], writers: "scheduler-rank0", appears: "at-start", source: GAUGE_HISTOGRAM, note: `GaugeHistogram over running and waiting requests, buckets as sglang:routing_key_running_req_count (le in ${ROUTING_KEY_BOUNDS}, +Inf).` },
        { name: "sglang:cache_config_info", type: "gauge", labels: ["page_size", "num_pages"], writers: "tokenizer", appears: "at-start", source: COLLECTOR, note: "Info-style gauge set to 1 by every scheduler at start-up (emit_cache_config_info). It has no model or rank label and multiprocess mode mostrecent, so a scrape shows one series per server." },

        // Scheduler counters and histograms.
        { name: "sglang:realtime_tokens_total", type: "counter", labels: [...SCHEDULER, "mode"], writers: "scheduler-rank0", appears: "first-event", source: COLLECTOR, note: "mode = prefill_compute, prefill_cache (at each prefill log) or decode (every decode batch); each mode's series appears at its first non-zero increment." },
        { name: "sglang:cuda_graph_passes_total", type: "counter", labels: [...SCHEDULER, "mode"], writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "Decode forward passes, mode = decode_cuda_graph or decode_none; every TP rank counts its own passes." },
        { name: "sglang:num_retracted_requests_total", type: "counter", labels: SCHEDULER, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "Incremented in update_running_batch on every TP rank (only enable_metrics is checked), at the first retraction: sum one rank, or divide by the TP size." },
        { name: "sglang:num_retracted_input_tokens_total", type: "counter", labels: SCHEDULER, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "As sglang:num_retracted_requests_total." },
        { name: "sglang:num_retracted_output_tokens_total", type: "counter", labels: SCHEDULER, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "As sglang:num_retracted_requests_total." },
        { name: "sglang:num_bootstrap_failed_reqs_total", type: "counter", labels: SCHEDULER, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "PD disaggregation only (disaggregation/prefill.py, decode.py)." },
        { name: "sglang:num_transfer_failed_reqs_total", type: "counter", labels: SCHEDULER, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "PD disaggregation only (disaggregation/prefill.py, decode.py)." },
        { name: "sglang:num_prefill_retries_total", type: "counter", labels: SCHEDULER, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "increment_prefill_retries has no caller at this commit." },
        { name: "sglang:queue_time_seconds", type: "histogram", labels: SCHEDULER, buckets: QUEUE_TIME_BUCKETS, writers: "scheduler-every-rank", appears: "at-start", source: COLLECTOR, note: "Observed by SchedulerReqTimeStats.set_forward_entry_time when a request first enters a forward batch, on every TP rank." },
        { name: "sglang:per_stage_req_latency_seconds", type: "histogram", labels: [...SCHEDULER, "stage"], buckets: PER_STAGE_BUCKETS, writers: "scheduler-every-rank", appears: "at-start", source: COLLECTOR, note: "observability/req_time_stats.py, stages with metrics_is_observed. Without disaggregation: request_process, prefill_forward, and chunked_prefill for chunked prompts; the others need PD disaggregation. prefill_waiting is not observed here (it is sglang:queue_time_seconds)." },
        { name: "sglang:gpu_execution_seconds_total", type: "counter", labels: [...SCHEDULER, "category"], writers: "scheduler-rank0", appears: "never", source: COLLECTOR, note: "Written only with SGLANG_ENABLE_METRICS_DEVICE_TIMER set (category = forward mode)." },
        { name: "sglang:dp_cooperation_realtime_tokens_total", type: "counter", labels: [...SCHEDULER, "mode", "num_prefill_ranks"], writers: "scheduler-rank0", appears: "never", source: COLLECTOR, note: "Written only with SGLANG_ENABLE_METRICS_DP_ATTENTION set and DP attention." },
        { name: "sglang:dp_cooperation_gpu_execution_seconds_total", type: "counter", labels: [...SCHEDULER, "category", "num_prefill_ranks"], writers: "scheduler-rank0", appears: "never", source: COLLECTOR, note: "Written only with SGLANG_ENABLE_METRICS_DEVICE_TIMER and SGLANG_ENABLE_METRICS_DP_ATTENTION set." },
        { name: "sglang:prefill_delayer_wait_forward_passes", type: "histogram", labels: SCHEDULER, buckets: [0, 5, 20, 29], writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Written only with --enable-prefill-delayer. Buckets: --prefill-delayer-forward-passes-buckets (default 5, 20, 50, 100, 200) below --prefill-delayer-max-delay-passes (default 30), plus 0 and max-1." },
        { name: "sglang:prefill_delayer_wait_seconds", type: "histogram", labels: SCHEDULER, buckets: [0, 1, 2, 5, 10, 20, 50, 100, 200, 500], writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Written only with --enable-prefill-delayer; buckets from --prefill-delayer-wait-seconds-buckets, plus 0." },
        { name: "sglang:prefill_delayer_outcomes_total", type: "counter", labels: [...SCHEDULER, "input_estimation", "output_allow", "output_reason", "actual_execution"], writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Written only with --enable-prefill-delayer." },

        // Grammar: registered, never written.
        grammarNever("sglang:grammar_compilation_time_seconds", "histogram", GRAMMAR_COMPILATION_BUCKETS),
        grammarNever("sglang:num_grammar_cache_hit_total", "counter"),
        grammarNever("sglang:num_grammar_aborted_total", "counter"),
        grammarNever("sglang:num_grammar_timeout_total", "counter"),
        grammarNever("sglang:num_grammar_total", "counter"),
        grammarNever("sglang:grammar_schema_count", "histogram", GRAMMAR_SCHEMA_COUNT_BUCKETS),
        grammarNever("sglang:grammar_ebnf_size", "histogram", GRAMMAR_EBNF_SIZE_BUCKETS),
        grammarNever("sglang:grammar_tree_traversal_time_avg", "histogram", GRAMMAR_TREE_TRAVERSAL_BUCKETS),
        grammarNever("sglang:grammar_tree_traversal_time_max", "histogram", GRAMMAR_TREE_TRAVERSAL_BUCKETS),

        // Radix cache (RadixCacheMetricsCollector): registered with --enable-metrics; every TP rank writes the same label set.
        { name: "sglang:evicted_tokens_total", type: "counter", labels: RADIX_CACHE, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "Tokens evicted from the device cache, at the first eviction; no rank label, so the scrape shows the sum over all TP ranks (and DP groups) in one series." },
        { name: "sglang:eviction_duration_seconds", type: "histogram", labels: RADIX_CACHE, buckets: [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.01, 0.02, 0.03, 0.04, 0.05, 0.1, 0.2, 0.5, 1], writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "Buckets replaced by SGLANG_BUCKET_EVICTION_DURATION (comma-separated); ranks summed into one series." },
        { name: "sglang:load_back_tokens_total", type: "counter", labels: RADIX_CACHE, writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "HiRadixCache only (--enable-hierarchical-cache): tokens loaded back from host to device; ranks summed into one series." },
        { name: "sglang:load_back_duration_seconds", type: "histogram", labels: RADIX_CACHE, buckets: [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.01, 0.02, 0.03, 0.04, 0.05, 0.1, 0.2, 0.5, 1], writers: "scheduler-every-rank", appears: "first-event", source: COLLECTOR, note: "HiRadixCache only; buckets replaced by SGLANG_BUCKET_LOAD_BACK_DURATION; ranks summed into one series." },

        // HiCache storage (StorageMetricsCollector): only with a HiCache storage backend.
        { name: "sglang:prefetched_tokens_total", type: "counter", labels: STORAGE, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with --enable-hierarchical-cache and --hicache-storage-backend (then first-event)." },
        { name: "sglang:backuped_tokens_total", type: "counter", labels: STORAGE, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend (then first-event)." },
        { name: "sglang:prefetch_pgs", type: "histogram", labels: STORAGE, buckets: STORAGE_PAGES_BUCKETS, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend." },
        { name: "sglang:backup_pgs", type: "histogram", labels: STORAGE, buckets: STORAGE_PAGES_BUCKETS, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend." },
        { name: "sglang:prefetch_bandwidth", type: "histogram", labels: STORAGE, buckets: STORAGE_BANDWIDTH_BUCKETS, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend (GB/s)." },
        { name: "sglang:backup_bandwidth", type: "histogram", labels: STORAGE, buckets: STORAGE_BANDWIDTH_BUCKETS, writers: "scheduler-every-rank", appears: "never", source: COLLECTOR, note: "Registered only with a HiCache storage backend (GB/s)." },

        // The Ananke backend's optional exporter: nothing starts it.
        ananke("ananke_mask_applications_total", "counter"),
        ananke("ananke_mask_popcount_mean", "gauge"),
        ananke("ananke_mask_selectivity", "gauge"),
        ananke("ananke_mask_popcount_p99", "gauge"),
        ananke("ananke_domain_latency_mean_ms", "gauge", ["domain"]),
        ananke("ananke_domain_latency_p99_ms", "gauge", ["domain"]),
        ananke("ananke_relaxation_events_total", "counter"),
        ananke("ananke_relaxation_events_by_domain_total", "counter", ["domain"]),
        ananke("ananke_active_requests", "gauge"),
        ananke("ananke_completed_requests_total", "counter"),
    ],
};
