/**
 * The SGLang router, now the Shepherd Model Gateway (smg), release v1.9.0:
 * every Prometheus metric it registers, read from lightseekorg/smg at the
 * release commit. The router lived in sgl-project/sglang (`sgl-router/`, then
 * `sgl-model-gateway/`) up to `sglang-router` 0.3.2 and moved, with its
 * history, to lightseekorg/smg, where the Python package became `smg`.
 *
 * Series appear only for what the router does: a route it never serves, a
 * policy it does not run or a mode it is not in writes nothing. `appears`
 * says so for the image's entrypoint (`python3 -m smg.launch_router`), whose
 * flags are those of `bindings/python/src/smg/router_args.py`.
 */
import type { ExporterContract, MetricEntry, MetricType } from "../types";

const METRICS = "model_gateway/src/observability/metrics.rs";
const RUNTIME = "model_gateway/src/observability/runtime_metrics.rs";
const INFLIGHT = "model_gateway/src/observability/inflight_tracker.rs";
const SCHEDULER = "model_gateway/src/middleware/scheduler/metrics.rs";
const MESH = "crates/mesh/src/metrics.rs";

/**
 * Buckets of every histogram whose name ends in `duration_seconds`,
 * `ttft_seconds` or `tpot_seconds` (`start_prometheus`); `--prometheus-duration-buckets`
 * replaces them all.
 */
export const SMG_DURATION_BUCKETS = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0, 45.0, 60.0, 90.0, 120.0, 180.0, 240.0, 300.0, 480.0, 900.0,
    1200.0, 1800.0, 2700.0, 3600.0, 5400.0, 7200.0,
];

/** Buckets of the event-loop canary (`EVENT_LOOP_DELAY_BUCKETS`). */
export const SMG_EVENT_LOOP_DELAY_BUCKETS = [0.0, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/** Upper bounds, in seconds, of the in-flight request age gauge histogram (`INFLIGHT_AGE_BOUNDS`). */
export const SMG_INFLIGHT_AGE_BOUNDS = [30, 60, 180, 300, 600, 1200, 3600, 7200, 14400, 28800, 86400];

/** Labels of the per-request router counters and histograms (Layer 2). */
const ROUTED = ["router_type", "backend_type", "connection_mode", "model", "endpoint"];
/** Labels of the gRPC streaming metrics (no connection_mode). */
const STREAMED = ["router_type", "backend_type", "model", "endpoint"];
/** Labels of the PD-disaggregation histograms. */
const PD = ["backend_type", "model", "runtime"];
/** Labels of the engine-load gauges re-exported from the workers. */
const ENGINE = ["worker", "model", "dp_rank"];
const ENGINE_PD = ["worker", "role", "dp_rank"];

function entry(
    name: string,
    type: MetricType,
    labels: string[],
    appears: MetricEntry["appears"],
    source: string,
    note: string,
    buckets?: number[],
): MetricEntry {
    return { name, type, labels, ...(buckets ? { buckets } : {}), writers: "exporter", appears, source, note };
}

const ENGINE_NOTE =
    "Written by the worker monitor's load poll (GET <worker>/v1/loads?include=core,disagg,queues,memory for HTTP workers, GetLoads for gRPC) only with the Rust CLI's --engine-metrics: the Python launcher of the image has no such flag, so it never appears there. Set to -1 when the worker is removed.";

export const SGLANG_ROUTER_V1_9_0: ExporterContract = {
    exporter: "sglang-router",
    id: "sglang-router-v1.9.0",
    version: "v1.9.0",
    // The release workflow tags the image with pyproject.toml's version, which has no "v".
    images: ["lightseekorg/smg:1.9.0"],
    source: { repository: "https://github.com/lightseekorg/smg", commit: "106ffacd6228a67920a5db58628f61751c7c49e2", date: "2026-07-29" },
    labelValues: {
        method: ["GET", "POST", "DELETE"],
        path: ["/v1/chat/completions", "/v1/completions", "/generate", "/v1/models", "/health", "/readiness", "other"],
        status_code: ["200", "400", "404", "429", "500", "503"],
        error_code: ["no_available_workers", "model_not_found", "no_workers"],
        result: ["success", "failure", "allowed", "rejected", "duplicate", "failed"],
        router_type: ["http", "grpc", "openai"],
        backend_type: ["regular", "pd", "external", "harmony"],
        connection_mode: ["http", "grpc"],
        endpoint: ["chat", "completions", "generate", "embeddings", "responses", "messages"],
        streaming: ["true", "false"],
        error_type: ["no_workers", "timeout", "backend_error", "validation_error", "internal_error"],
        worker_type: ["regular", "prefill", "decode", "encode"],
        policy: ["cache_aware", "round_robin", "random", "power_of_two", "least_load", "prefix_hash", "consistent_hashing", "manual", "bucket"],
        worker: ["http://sglang-0:30000", "http://sglang-1:30000"],
        model: ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen3-8B"],
        dp_rank: ["0", "1"],
        role: ["prefill", "decode"],
        token_type: ["input", "output"],
        from: ["closed", "open", "half_open"],
        to: ["closed", "open", "half_open"],
        outcome: ["success", "failure"],
        source: ["kubernetes"],
        reason: ["pod_deleted", "reconciled"],
        attempt: ["1", "2", "3"],
        gt: ["0", ...SMG_INFLIGHT_AGE_BOUNDS.map(String)],
        le: [...SMG_INFLIGHT_AGE_BOUNDS.map(String), "+Inf"],
        class: ["system", "interactive", "default", "bulk"],
        mode: ["mooncake", "nixl", "passthrough"],
    },
    notes: [
        "Served by a separate listener: GET /metrics on --prometheus-host:--prometheus-port (launcher defaults 0.0.0.0 and 29000, router_args.py), not on the API port. The body is metrics-exporter-prometheus 0.18 text format (Content-Type text/plain; version=0.0.4).",
        "Metrics are always on: the Python launcher always passes a PrometheusConfig (bindings/python/src/lib.rs, Router.start); there is no flag to turn them off. Called from Python without the launcher, the Router binds 127.0.0.1 unless prometheus_host is given.",
        "Names are written as the source spells them; the exporter adds no _total suffix (smg_db_items_stored is a counter without it). A histogram is a Prometheus histogram only where start_prometheus sets buckets (names ending in duration_seconds, ttft_seconds or tpot_seconds, and smg_tokio_event_loop_delay_seconds); every other histogram (smg_worker_retry_backoff_seconds, smg_scheduler_queue_wait_seconds) is rendered as a summary with quantile lines.",
        "Labels are written in the order the source lists them. worker is the worker URL as registered: as given in --worker-urls (e.g. http://sglang-0:30000); a discovered pod starts as <podIP>:<port> (service_discovery.rs, worker_url), and whether connection detection then adds a scheme was not checked; model is the worker's model id: the configured one, else served_model_name, model_id or model_path from the worker's /server_info and /model_info (falling back to /get_server_info and /get_model_info).",
        "A removed worker's per-worker gauges are not deleted: smg_worker_health and smg_worker_cb_state are set to -1, smg_worker_requests_active and the consecutive-outcome gauges to 0 (remove_worker_metrics). A query for unhealthy workers must test == 0, not < 1.",
        "No metric counts cache-aware routing hits in this version: sgl_router_cache_hits_total and sgl_router_cache_misses_total were removed with the legacy RouterMetrics in sglang-router 0.3.0 (lightseekorg/smg history, commit 1be543b42, 2025-12-15). The engines' own prefix hit rate (sglang:cache_hit_rate, or smg_engine_cache_hit_rate with the Rust CLI's --engine-metrics) is the signal.",
        "Not reachable from the image's launcher (router_args.py has no flag): --engine-metrics (smg_engine_*) and --priority-scheduler-enabled (smg_scheduler_*). The Rust binary (cargo install smg) has both.",
    ],
    metrics: [
        // Layer 1: HTTP, for every route behind the middleware stack.
        entry(
            "smg_http_requests_total",
            "counter",
            ["method", "path"],
            "first-event",
            METRICS,
            'Incremented when a request arrives (middleware/logging.rs). path is the matched route template or "other"; probes of /health, /readiness, /liveness on the main port count too.',
        ),
        entry(
            "smg_http_request_duration_seconds",
            "histogram",
            ["method", "path"],
            "first-event",
            METRICS,
            "Observed when the response is produced (middleware/metrics.rs); for a streamed response that is when the headers are ready, not when the stream ends.",
            SMG_DURATION_BUCKETS,
        ),
        entry(
            "smg_http_responses_total",
            "counter",
            ["path", "status_code", "error_code"],
            "first-event",
            METRICS,
            'One per response to the client. error_code is the router\'s own error code of the response (e.g. no_available_workers, model_not_found), "" when it has none, so Prometheus stores no error_code label then.',
        ),
        entry(
            "smg_http_connections_active",
            "gauge",
            [],
            "first-event",
            METRICS,
            "In-flight requests (not TCP connections), set at the start and end of every request.",
        ),
        entry(
            "smg_http_inflight_request_age_count",
            "gauge",
            ["gt", "le"],
            "at-start",
            INFLIGHT,
            "A non-cumulative gauge histogram: requests in flight whose age in seconds is in (gt, le]. Sampled every 20 s from start-up; le is a label the router writes itself.",
        ),
        entry(
            "smg_http_rate_limit_total",
            "counter",
            ["result"],
            "first-event",
            METRICS,
            "allowed or rejected; only with a rate limiter (--max-concurrent-requests) or the priority scheduler.",
        ),

        // Layer 2: routed requests.
        entry(
            "smg_router_requests_total",
            "counter",
            [...ROUTED, "streaming"],
            "first-event",
            METRICS,
            "One per routed inference request, at arrival. router_type http for SGLang HTTP workers.",
        ),
        entry(
            "smg_router_request_duration_seconds",
            "histogram",
            ROUTED,
            "first-event",
            METRICS,
            "HTTP router: observed only when the final response is a success.",
            SMG_DURATION_BUCKETS,
        ),
        entry(
            "smg_router_request_errors_total",
            "counter",
            [...ROUTED, "error_type"],
            "first-event",
            METRICS,
            "HTTP router: counted when the final status is not retryable (retryable: 408, 429, 500, 502, 503, 504), and on a failed send of a streamed request; a 503 returned after the retries are exhausted is not counted here. error_type from the status: 400 validation_error, 404 no_workers, 408/504 timeout, other 5xx backend_error, else internal_error.",
        ),
        entry(
            "smg_router_stage_duration_seconds",
            "histogram",
            ["router_type", "stage"],
            "never",
            METRICS,
            "Registered; record_router_stage_duration has no caller in this version.",
            SMG_DURATION_BUCKETS,
        ),
        entry(
            "smg_router_upstream_responses_total",
            "counter",
            ["router_type", "status_code", "error_code"],
            "first-event",
            METRICS,
            "HTTP router only: one per attempt sent to a worker (retries included), with the attempt's status.",
        ),
        entry(
            "smg_router_ttft_seconds",
            "histogram",
            STREAMED,
            "first-event",
            METRICS,
            "gRPC workers only (record_streaming_metrics).",
            SMG_DURATION_BUCKETS,
        ),
        entry(
            "smg_router_tpot_seconds",
            "histogram",
            STREAMED,
            "first-event",
            METRICS,
            "gRPC workers only, requests with more than one output token.",
            SMG_DURATION_BUCKETS,
        ),
        entry(
            "smg_router_tokens_total",
            "counter",
            [...STREAMED, "token_type"],
            "first-event",
            METRICS,
            "gRPC streaming and the Anthropic router only.",
        ),
        entry("smg_router_generation_duration_seconds", "histogram", STREAMED, "first-event", METRICS, "gRPC workers only.", SMG_DURATION_BUCKETS),

        // Layer 2: prefill/decode disaggregation.
        entry("smg_pd_prefill_duration_seconds", "histogram", PD, "first-event", METRICS, "PD disaggregation only.", SMG_DURATION_BUCKETS),
        entry(
            "smg_pd_kv_transfer_duration_seconds",
            "histogram",
            PD,
            "first-event",
            METRICS,
            "gRPC PD only (vLLM sequential PD).",
            SMG_DURATION_BUCKETS,
        ),
        entry("smg_pd_ttft_seconds", "histogram", PD, "first-event", METRICS, "PD disaggregation only.", SMG_DURATION_BUCKETS),
        entry("smg_pd_kv_connector_mode_total", "counter", ["mode"], "first-event", METRICS, "gRPC PD only."),
        entry("smg_pd_bootstrap_failures_total", "counter", [], "first-event", METRICS, "HTTP PD router only."),
        entry("smg_pd_kv_transfer_failures_total", "counter", [], "first-event", METRICS, "gRPC PD only."),

        // Layer 3: workers.
        entry(
            "smg_worker_pool_size",
            "gauge",
            ["worker_type", "connection_mode", "model"],
            "at-start",
            METRICS,
            "Workers registered for the model, set when a worker is registered or removed (workflow steps register.rs, remove_from_worker_registry.rs); healthy or not.",
        ),
        entry(
            "smg_worker_connections_active",
            "gauge",
            ["worker_type", "connection_mode"],
            "never",
            METRICS,
            "Registered; set_worker_connections_active has no caller in this version.",
        ),
        entry(
            "smg_worker_requests_active",
            "gauge",
            ["worker"],
            "first-event",
            METRICS,
            "Requests the router has in flight on the worker; 0 after removal.",
        ),
        entry("smg_worker_routing_keys_active", "gauge", ["worker"], "first-event", METRICS, "Not described (no HELP line); manual policy only."),
        entry(
            "smg_worker_health",
            "gauge",
            ["worker"],
            "at-start",
            METRICS,
            "1 while the worker's status is Ready, 0 otherwise (Pending, NotReady, Failed; set when the worker is built and on every status change); -1 once removed. Ready turns NotReady after --health-failure-threshold (3) consecutive failed checks, so after about 3 x --health-check-interval-secs (60 s) by default (worker/manager.rs, compute_next_status).",
        ),
        entry(
            "smg_worker_health_checks_total",
            "counter",
            ["worker_type", "result"],
            "first-event",
            METRICS,
            "One per periodic health check (every --health-check-interval-secs, default 60; none with --disable-health-check); result success or failure. No worker label.",
        ),
        entry(
            "smg_worker_selection_total",
            "counter",
            ["worker_type", "connection_mode", "model", "policy"],
            "first-event",
            METRICS,
            "One per worker choice; policy is the policy's name. No worker label: the per-worker share is not exported.",
        ),
        entry(
            "smg_worker_errors_total",
            "counter",
            ["worker_type", "connection_mode", "error_type"],
            "first-event",
            METRICS,
            "Failed responses from workers, error_type from the status as for smg_router_request_errors_total.",
        ),
        entry(
            "smg_kv_event_subscription_failures_total",
            "counter",
            ["worker", "reason"],
            "first-event",
            METRICS,
            "gRPC workers' KV event subscription only; reason panic, join_error or intern_failed.",
        ),
        entry("smg_manual_policy_cache_entries", "gauge", [], "first-event", METRICS, "manual policy only."),
        entry("smg_manual_policy_branch_total", "counter", ["branch"], "first-event", METRICS, "Not described; manual policy only."),
        entry(
            "smg_consistent_hashing_policy_branch_total",
            "counter",
            ["branch"],
            "first-event",
            METRICS,
            "Not described; consistent_hashing policy only.",
        ),
        entry("smg_prefix_hash_policy_branch_total", "counter", ["branch"], "first-event", METRICS, "Not described; prefix_hash policy only."),

        // Layer 3: circuit breaker and retries.
        entry(
            "smg_worker_cb_state",
            "gauge",
            ["worker"],
            "at-start",
            METRICS,
            "0 closed, 1 open (worker ejected from selection), 2 half-open; set when the breaker is created and on each transition; -1 once removed. Opens after --cb-failure-threshold (10) consecutive failures (responses whose status is in the retryable set); none with --disable-circuit-breaker.",
        ),
        entry("smg_worker_cb_transitions_total", "counter", ["worker", "from", "to"], "first-event", METRICS, "from/to: closed, open, half_open."),
        entry(
            "smg_worker_cb_outcomes_total",
            "counter",
            ["worker", "outcome"],
            "first-event",
            METRICS,
            "success or failure of each request as the breaker counts it.",
        ),
        entry("smg_worker_cb_consecutive_failures", "gauge", ["worker"], "first-event", METRICS, "0 after removal."),
        entry("smg_worker_cb_consecutive_successes", "gauge", ["worker"], "first-event", METRICS, "0 after removal."),
        entry(
            "smg_worker_retries_total",
            "counter",
            ["worker_type", "endpoint"],
            "first-event",
            METRICS,
            "One per retry (not the first attempt); none with --disable-retries.",
        ),
        entry(
            "smg_worker_retries_exhausted_total",
            "counter",
            ["worker_type", "endpoint"],
            "first-event",
            METRICS,
            "Requests whose every attempt (--retry-max-retries, default 5) failed with a retryable status.",
        ),
        entry(
            "smg_worker_retry_backoff_seconds",
            "summary",
            ["attempt"],
            "first-event",
            METRICS,
            "No buckets are set for this name, so the exporter renders a summary (quantile lines, _sum, _count).",
        ),

        // Layer 3: engine load re-export.
        entry("smg_engine_running_requests", "gauge", ENGINE, "never", METRICS, ENGINE_NOTE),
        entry("smg_engine_waiting_requests", "gauge", ENGINE, "never", METRICS, ENGINE_NOTE),
        entry("smg_engine_token_usage", "gauge", ENGINE, "never", METRICS, ENGINE_NOTE),
        entry("smg_engine_gen_throughput", "gauge", ENGINE, "never", METRICS, ENGINE_NOTE),
        entry("smg_engine_cache_hit_rate", "gauge", ENGINE, "never", METRICS, ENGINE_NOTE),
        entry("smg_engine_pd_kv_transfer_latency_ms", "gauge", ENGINE_PD, "never", METRICS, `${ENGINE_NOTE} PD workers only.`),
        entry("smg_engine_pd_kv_transfer_speed_gb_s", "gauge", ENGINE_PD, "never", METRICS, `${ENGINE_NOTE} PD workers only.`),
        entry("smg_engine_pd_prefill_queue_reqs", "gauge", ENGINE_PD, "never", METRICS, `${ENGINE_NOTE} PD workers only.`),
        entry("smg_engine_pd_decode_queue_reqs", "gauge", ENGINE_PD, "never", METRICS, `${ENGINE_NOTE} PD workers only.`),

        // Layer 4: Kubernetes service discovery (service_discovery.rs).
        entry(
            "smg_discovery_registrations_total",
            "counter",
            ["source", "result"],
            "first-event",
            METRICS,
            "--service-discovery only; source kubernetes, result success, failed or duplicate.",
        ),
        entry(
            "smg_discovery_deregistrations_total",
            "counter",
            ["source", "reason"],
            "first-event",
            METRICS,
            "--service-discovery only; reason pod_deleted (watch event) or reconciled (the 60 s reconciliation found the pod gone).",
        ),
        entry(
            "smg_discovery_sync_duration_seconds",
            "histogram",
            ["source"],
            "first-event",
            METRICS,
            "--service-discovery only; one per reconciliation (every 60 s, the first 60 s after start).",
            SMG_DURATION_BUCKETS,
        ),
        entry("smg_discovery_workers_discovered", "gauge", ["source"], "first-event", METRICS, "--service-discovery only; pods tracked."),

        // Layer 5: MCP tools.
        entry(
            "smg_mcp_tool_calls_total",
            "counter",
            ["model", "tool_name", "result"],
            "first-event",
            METRICS,
            "MCP tool calls (--mcp-config-path) only.",
        ),
        entry("smg_mcp_tool_duration_seconds", "histogram", ["model", "tool_name"], "first-event", METRICS, "MCP only.", SMG_DURATION_BUCKETS),
        entry("smg_mcp_servers_active", "gauge", [], "first-event", METRICS, "Set when MCP servers are registered."),
        entry("smg_mcp_tool_iterations_total", "counter", ["model"], "first-event", METRICS, "MCP tool loops only."),

        // Layer 6: history storage.
        entry(
            "smg_db_operations_total",
            "counter",
            ["storage_type", "operation", "result"],
            "never",
            METRICS,
            "Registered; record_db_operation has no caller in this version.",
        ),
        entry(
            "smg_db_operation_duration_seconds",
            "histogram",
            ["storage_type", "operation"],
            "never",
            METRICS,
            "Registered; no caller.",
            SMG_DURATION_BUCKETS,
        ),
        entry("smg_db_connections_active", "gauge", ["storage_type"], "never", METRICS, "Registered; no caller."),
        entry("smg_db_items_stored", "counter", ["storage_type"], "never", METRICS, "Registered; no caller. A counter without _total."),

        // Multimodal tensor transport (gRPC).
        entry(
            "smg_mm_tensors_total",
            "counter",
            ["runtime", "path"],
            "first-event",
            METRICS,
            "gRPC multimodal requests only; path here is the transport: inline, shm or remote.",
        ),
        entry(
            "smg_mm_tensor_bytes_total",
            "counter",
            ["runtime", "path"],
            "first-event",
            METRICS,
            "gRPC multimodal requests only; path: inline, shm or remote.",
        ),
        entry("smg_mm_shm_write_failures_total", "counter", ["runtime"], "first-event", METRICS, "gRPC multimodal requests only."),

        // Layer 0: the tokio runtime, sampled from start-up.
        entry(
            "smg_tokio_event_loop_delay_seconds",
            "histogram",
            [],
            "at-start",
            RUNTIME,
            "Wake drift of a 10 ms sleep, observed continuously.",
            SMG_EVENT_LOOP_DELAY_BUCKETS,
        ),
        entry("smg_tokio_event_loop_stalls_total", "counter", [], "first-event", RUNTIME, "Wakes more than 5 ms late."),
        entry("smg_tokio_global_queue_depth", "gauge", [], "at-start", RUNTIME, "Sampled every second."),
        entry("smg_tokio_alive_tasks", "gauge", [], "at-start", RUNTIME, "Sampled every second."),
        entry("smg_tokio_workers", "gauge", [], "at-start", RUNTIME, "Worker threads of the runtime."),
        entry(
            "smg_tokio_worker_busy_ratio",
            "gauge",
            ["worker"],
            "at-start",
            RUNTIME,
            'worker is the tokio worker thread index ("0", "1", ...), not a model worker.',
        ),
        entry("smg_tokio_worker_parks_total", "counter", ["worker"], "at-start", RUNTIME, "worker is the tokio worker thread index."),

        // Priority scheduler: only with --priority-scheduler-enabled (Rust CLI).
        entry(
            "smg_scheduler_admit_total",
            "counter",
            ["class", "outcome"],
            "never",
            SCHEDULER,
            "Priority scheduler only; the image's launcher cannot enable it.",
        ),
        entry(
            "smg_scheduler_queue_wait_seconds",
            "summary",
            ["class"],
            "never",
            SCHEDULER,
            "Priority scheduler only; rendered as a summary (no buckets set).",
        ),
        entry("smg_scheduler_preemption_total", "counter", ["victim_class", "by_class"], "never", SCHEDULER, "Priority scheduler only."),
        entry(
            "smg_scheduler_clamp_total",
            "counter",
            ["tenant", "requested_class", "effective_class"],
            "never",
            SCHEDULER,
            "Priority scheduler only.",
        ),
        entry("smg_scheduler_unknown_priority_value_total", "counter", ["tenant"], "never", SCHEDULER, "Priority scheduler only."),
        entry("smg_scheduler_starvation_promotion_total", "counter", ["class"], "never", SCHEDULER, "Priority scheduler only."),
        entry("smg_scheduler_inflight", "gauge", ["class"], "never", SCHEDULER, "Priority scheduler only."),
        entry("smg_scheduler_queue_depth", "gauge", ["class"], "never", SCHEDULER, "Priority scheduler only."),
        entry("smg_scheduler_utilization", "gauge", [], "never", SCHEDULER, "Priority scheduler only."),
        entry("smg_scheduler_queue_size_limit", "gauge", ["class"], "never", SCHEDULER, "Priority scheduler only."),
        entry("smg_scheduler_class_capacity_pressure", "gauge", ["class"], "never", SCHEDULER, "Priority scheduler only."),

        // High-availability mesh (--enable-mesh), crate smg-mesh: the router_ prefix.
        entry("router_mesh_peer_connections", "gauge", ["peer"], "first-event", MESH, "--enable-mesh only; 1 connected, 0 not."),
        entry("router_mesh_peer_reconnects_total", "counter", ["peer"], "first-event", MESH, "--enable-mesh only."),
        entry("router_mesh_peer_ack_total", "counter", ["peer", "status"], "first-event", MESH, "--enable-mesh only; status success or failure."),
        entry("router_mesh_peer_nack_total", "counter", ["peer"], "first-event", MESH, "--enable-mesh only."),
        entry("router_mesh_sync_round_duration_seconds", "histogram", ["peer"], "first-event", MESH, "--enable-mesh only.", SMG_DURATION_BUCKETS),
        entry("router_mesh_store_cardinality", "gauge", ["store"], "never", MESH, "Its setter is dead code (#[expect(dead_code)])."),
        entry("router_mesh_store_hash", "gauge", ["store"], "never", MESH, "Its setter is dead code."),
        entry("router_rl_drift_ratio", "gauge", ["key"], "never", MESH, "Its setter is dead code."),
        entry("router_lb_drift_ratio", "gauge", ["model"], "never", MESH, "Its setter is dead code."),
    ],
};
