/**
 * A stand-in for the SGLang router (smg) in front of several workers. It
 * routes `/v1/chat/completions` (and `/v1/completions`, `/generate`) round
 * robin over the workers that serve the request's `model`, are Ready and
 * whose circuit breaker is not open, retrying a failed attempt on the next
 * one; probes each worker's `/health` on an interval; and serves `/metrics`
 * on its own listener with the series `routerSeries()` says smg v1.9.0
 * writes, their values driven by what it did: requests and responses
 * counted, worker health 1 or 0, breaker state, transitions and outcomes per
 * worker, workers registered per model. The state machines follow smg
 * v1.9.0's (`model_gateway/src/worker/manager.rs`: failure and success
 * thresholds of consecutive probes; `worker/circuit_breaker.rs`: opens after
 * consecutive failures, half-opens after a timeout, closes after consecutive
 * successes, reopens on a half-open failure), with short periods.
 *
 * Routing by model, as lightseekorg/smg v1.9.0 (commit 106ffacd) does it:
 * - a worker's model id is the configured one, else `served_model_name`,
 *   `model_id` or `model_path` from its `/server_info`, asked again as
 *   `/get_server_info` on a 404, else "unknown"
 *   (`workflow/steps/local/create_worker.rs`, `discover_metadata.rs`
 *   `get_json_with_fallback`; `crates/protocols/src/lib.rs` UNKNOWN_MODEL_ID);
 * - a request goes only to available workers of its model, any worker when
 *   it names none; with no worker registered for the model the answer is 404
 *   `model_not_found`, with workers registered but none available 503
 *   `no_available_workers`, the code in the `X-SMG-Error-Code` header and the
 *   body's `error.code` (`routers/http/router.rs` `select_worker_for_model`
 *   and `route_typed_request_once`; `routers/error.rs` `create_error`,
 *   `model_not_found`);
 * - `smg_worker_pool_size{model}` counts the workers registered for the
 *   model, healthy or not, set when one is registered or removed, so it
 *   drops to 0 only when the model's last worker is removed
 *   (`workflow/steps/shared/register.rs`,
 *   `workflow/steps/local/remove_from_worker_registry.rs`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { routerSeries } from "../../../contracts/generate";
import type { ExporterContract, MetricEntry } from "../../../contracts/types";
import { EXPOSITION_CONTENT_TYPE } from "./exposition";
import { StandInServer } from "./server";

export interface RouterStandInOptions {
    /** The OpenAI-compatible API. */
    port: number;
    /** The metrics listener (`--prometheus-port`). */
    metricsPort: number;
    /** Worker URLs as registered (`--worker-urls`): the `worker` label. */
    workers: string[];
    contract: ExporterContract;
    /**
     * A model id configured for every worker, which wins over what they
     * report (smg: `config.models` first); unset, each worker's model id is
     * read from its `/server_info` at start.
     */
    modelName?: string;
    /** `--health-check-interval-secs`, in milliseconds. */
    healthIntervalMs: number;
    /** `--health-failure-threshold`, `--health-success-threshold`. */
    healthFailureThreshold: number;
    healthSuccessThreshold: number;
    /** `--cb-failure-threshold`, `--cb-success-threshold`, `--cb-timeout-duration-secs` (milliseconds). */
    cbFailureThreshold: number;
    cbSuccessThreshold: number;
    cbTimeoutMs: number;
}

/** smg's breaker states and the values of `smg_worker_cb_state`. */
const CB_STATE = { closed: 0, open: 1, half_open: 2 } as const;
type CbState = keyof typeof CB_STATE;

/** The routes the stand-in proxies, and the `endpoint` label smg gives them. */
const ROUTES: Record<string, string> = { "/v1/chat/completions": "chat", "/v1/completions": "completions", "/generate": "generate" };

interface WorkerState {
    url: string;
    /** The model id it serves: what a request's `model` must name to reach it. */
    model: string;
    ready: boolean;
    probeFailures: number;
    probeSuccesses: number;
    cb: CbState;
    cbFailures: number;
    cbSuccesses: number;
    openedAt: number;
    /** Requests this router sent to the worker that it answered below 500. */
    served: number;
}

type Labels = Record<string, string>;

/** smg's model id of a worker whose metadata names none, and of a request that names no model. */
export const UNKNOWN_MODEL_ID = "unknown";

/** The router's error answer: status, `X-SMG-Error-Code` and the OpenAI-style body of `routers/error.rs` `create_error`. */
interface RouterError {
    status: number;
    errorCode: string;
    message: string;
}

const STATUS_TEXT: Record<number, string> = { 404: "Not Found", 503: "Service Unavailable" };

function errorBody(e: RouterError): string {
    return JSON.stringify({ error: { type: STATUS_TEXT[e.status] ?? "Unknown Status Code", code: e.errorCode, message: e.message, param: null } });
}

const PROBE_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 10_000;

export class RouterStandIn {
    readonly api: StandInServer;
    readonly metrics: StandInServer;
    readonly workers: WorkerState[];
    /** Samples by family name, then by label set (JSON of sorted entries). */
    private readonly samples = new Map<string, Map<string, { labels: Labels; value: number }>>();
    private readonly entries: Map<string, MetricEntry>;
    /** Round-robin position per model id. */
    private readonly next = new Map<string, number>();
    private timer: NodeJS.Timeout | undefined;

    constructor(readonly opts: RouterStandInOptions) {
        this.api = new StandInServer("router", opts.port, (req, res) => this.handleApi(req, res));
        this.metrics = new StandInServer("router metrics", opts.metricsPort, (req, res) => this.handleMetrics(req, res));
        this.entries = new Map(opts.contract.metrics.map((m) => [m.name, m]));
        this.workers = opts.workers.map((url) => ({
            url,
            model: opts.modelName ?? UNKNOWN_MODEL_ID,
            ready: true,
            probeFailures: 0,
            probeSuccesses: 0,
            cb: "closed",
            cbFailures: 0,
            cbSuccesses: 0,
            openedAt: 0,
            served: 0,
        }));
        // What smg writes from its start, as the contract says: every at-start series, at its start value
        // (the one with a `model` label, the pool size, is written per model once the workers' models are known).
        for (const i of routerSeries(opts.contract, { workers: opts.workers }, {})) {
            if (i.entry.labels.includes("model")) continue;
            this.set(i.name, i.labels, i.value.kind === "gauge" ? i.value.level : 0);
        }
        for (const w of this.workers) this.publishWorker(w);
    }

    /** The router's API base, `http://host:port`. */
    get url(): string {
        return this.api.url;
    }

    /** The metrics listener, host:port, as a scrape target. */
    get metricsAddress(): string {
        return this.metrics.address;
    }

    /** Registers the workers (their model ids read from them unless configured), then listens and probes. */
    async start(): Promise<void> {
        if (this.opts.modelName === undefined) {
            await Promise.all(this.workers.map(async (w) => (w.model = await discoverModelId(w.url))));
        }
        for (const model of new Set(this.workers.map((w) => w.model))) this.publishPoolSize(model);
        await Promise.all([this.api.start(), this.metrics.start()]);
        this.timer = setInterval(() => void this.probeAll(), this.opts.healthIntervalMs);
    }

    async stop(): Promise<void> {
        clearInterval(this.timer);
        await Promise.all([this.api.stop(), this.metrics.stop()]);
    }

    /**
     * Removes a worker from the registry, as `DELETE /workers/{worker_id}` (or
     * a removal of an unhealthy worker) does: no request reaches it any more,
     * and its model's pool size is set to the workers left.
     */
    removeWorker(url: string): void {
        const i = this.workers.findIndex((w) => w.url === url);
        if (i < 0) throw new Error(`${url} is not registered`);
        const [removed] = this.workers.splice(i, 1);
        this.publishPoolSize(removed.model);
    }

    /** smg_worker_pool_size of a model: its registered regular HTTP workers, healthy or not. */
    private publishPoolSize(model: string): void {
        const labels = this.labelsOf("smg_worker_pool_size", { worker_type: "regular", connection_mode: "http", model });
        this.set("smg_worker_pool_size", labels, this.workers.filter((w) => w.model === model).length);
    }

    /** A family's labels in the contract's order, from the values given; a label the contract does not list is an error. */
    private labelsOf(name: string, values: Labels): Labels {
        const entry = this.entries.get(name);
        if (!entry) throw new Error(`${name} is not in ${this.opts.contract.id}`);
        const extra = Object.keys(values).filter((l) => !entry.labels.includes(l));
        if (extra.length) throw new Error(`${name} has no label ${extra.join(", ")} in ${this.opts.contract.id}`);
        // smg writes a missing error code as "", which Prometheus does not store: left out, as routerSeries does.
        return Object.fromEntries(entry.labels.filter((l) => values[l] !== undefined && values[l] !== "").map((l) => [l, values[l]]));
    }

    private series(name: string, labels: Labels): { labels: Labels; value: number } {
        let family = this.samples.get(name);
        if (!family) {
            family = new Map();
            this.samples.set(name, family);
        }
        const key = JSON.stringify(Object.entries(labels).sort());
        let s = family.get(key);
        if (!s) {
            s = { labels, value: 0 };
            family.set(key, s);
        }
        return s;
    }

    private set(name: string, labels: Labels, value: number): void {
        this.series(name, labels).value = value;
    }

    private inc(name: string, values: Labels): void {
        this.series(name, this.labelsOf(name, values)).value += 1;
    }

    private publishWorker(w: WorkerState): void {
        this.set("smg_worker_health", this.labelsOf("smg_worker_health", { worker: w.url }), w.ready ? 1 : 0);
        this.set("smg_worker_cb_state", this.labelsOf("smg_worker_cb_state", { worker: w.url }), CB_STATE[w.cb]);
    }

    private transition(w: WorkerState, to: CbState): void {
        if (w.cb === to) return;
        this.inc("smg_worker_cb_transitions_total", { worker: w.url, from: w.cb, to });
        w.cb = to;
        if (to === "open") w.openedAt = Date.now();
        // As smg's transition_to: opening keeps the failure count, the other states start both counts afresh.
        if (to !== "open") w.cbFailures = 0;
        w.cbSuccesses = 0;
        this.publishWorker(w);
    }

    /** A request's outcome on a worker, as the breaker records it: a 5xx or no connection is a failure. */
    private recordOutcome(w: WorkerState, ok: boolean): void {
        this.inc("smg_worker_cb_outcomes_total", { worker: w.url, outcome: ok ? "success" : "failure" });
        if (ok) {
            w.cbFailures = 0;
            w.cbSuccesses += 1;
            if (w.cb === "half_open" && w.cbSuccesses >= this.opts.cbSuccessThreshold) this.transition(w, "closed");
        } else {
            w.cbSuccesses = 0;
            w.cbFailures += 1;
            if (w.cb === "half_open" || (w.cb === "closed" && w.cbFailures >= this.opts.cbFailureThreshold)) this.transition(w, "open");
        }
        this.set("smg_worker_cb_consecutive_failures", this.labelsOf("smg_worker_cb_consecutive_failures", { worker: w.url }), w.cbFailures);
        this.set("smg_worker_cb_consecutive_successes", this.labelsOf("smg_worker_cb_consecutive_successes", { worker: w.url }), w.cbSuccesses);
    }

    /** One health probe of every worker: Ready turns NotReady after the failure threshold, back after the success threshold. */
    private async probeAll(): Promise<void> {
        await Promise.all(
            this.workers.map(async (w) => {
                const ok = await fetch(`${w.url}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
                    (r) => r.ok,
                    () => false,
                );
                this.inc("smg_worker_health_checks_total", { worker_type: "regular", result: ok ? "success" : "failure" });
                w.probeFailures = ok ? 0 : w.probeFailures + 1;
                w.probeSuccesses = ok ? w.probeSuccesses + 1 : 0;
                if (w.ready && w.probeFailures >= this.opts.healthFailureThreshold) w.ready = false;
                if (!w.ready && w.probeSuccesses >= this.opts.healthSuccessThreshold) w.ready = true;
                this.publishWorker(w);
            }),
        );
    }

    /**
     * The workers that may take a request for `model` now, round robin from
     * the model's next one (an open breaker half-opens after its timeout), or
     * the error smg answers when there are none.
     */
    private candidates(model: string): WorkerState[] | RouterError {
        const registered = model === UNKNOWN_MODEL_ID ? this.workers : this.workers.filter((w) => w.model === model);
        if (registered.length === 0) return { status: 404, errorCode: "model_not_found", message: `No worker available for model '${model}'` };
        const n = registered.length;
        const start = (this.next.get(model) ?? 0) % n;
        this.next.set(model, (start + 1) % n);
        const order = Array.from({ length: n }, (_, k) => registered[(start + k) % n]);
        for (const w of order) if (w.cb === "open" && Date.now() - w.openedAt >= this.opts.cbTimeoutMs) this.transition(w, "half_open");
        const available = order.filter((w) => w.ready && w.cb !== "open");
        if (available.length === 0) {
            return { status: 503, errorCode: "no_available_workers", message: "All workers are unavailable (circuit breaker open or unhealthy)" };
        }
        return available;
    }

    private handleMetrics(req: IncomingMessage, res: ServerResponse): void {
        if ((req.url ?? "").split("?")[0] !== "/metrics") return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": EXPOSITION_CONTENT_TYPE }).end(this.exposition());
    }

    /** The text format, one family per contract metric (histogram parts under their metric's TYPE line). */
    exposition(): string {
        const byFamily = new Map<MetricEntry, string[]>();
        for (const [name, family] of this.samples) {
            const entry = this.entries.get(name) ?? this.entries.get(name.replace(/_(bucket|sum|count)$/, ""));
            if (!entry) throw new Error(`${name} belongs to no metric of ${this.opts.contract.id}`);
            const lines = byFamily.get(entry) ?? [];
            for (const { labels, value } of family.values()) {
                const text = Object.entries(labels)
                    .map(([k, v]) => `${k}="${v}"`)
                    .join(",");
                lines.push(`${name}${text ? `{${text}}` : ""} ${value}`);
            }
            byFamily.set(entry, lines);
        }
        return `${[...byFamily].map(([e, lines]) => [`# TYPE ${e.name} ${e.type}`, ...lines].join("\n")).join("\n")}\n`;
    }

    private handleApi(req: IncomingMessage, res: ServerResponse): void {
        const path = (req.url ?? "/").split("?")[0];
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const endpoint = ROUTES[path];
            const method = req.method ?? "GET";
            const pathLabel = this.opts.contract.labelValues?.path?.includes(path) ? path : "other";
            this.inc("smg_http_requests_total", { method, path: pathLabel });
            const answer = (status: number, body: string, errorCode = "", headers: Record<string, string> = {}) => {
                this.inc("smg_http_responses_total", { path: pathLabel, status_code: String(status), error_code: errorCode });
                res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
            };
            if (path === "/health" || path === "/liveness") return answer(200, "OK");
            if (!endpoint || method !== "POST") return answer(404, '{"error":"not found"}');
            const body = Buffer.concat(chunks);
            const streaming = /"stream"\s*:\s*true/.test(body.toString("utf8"));
            const model = requestedModel(body);
            this.inc("smg_router_requests_total", {
                router_type: "http",
                backend_type: "regular",
                connection_mode: "http",
                model,
                endpoint,
                streaming: String(streaming),
            });
            void this.forward(path, model, req, body).then(
                (r) => answer(r.status, r.body, r.errorCode, r.errorCode ? { "x-smg-error-code": r.errorCode } : {}),
                (err: Error) => answer(500, JSON.stringify({ error: err.message })),
            );
        });
    }

    /** Tries the candidates in turn until one answers below 500 (smg retries 5xx and failed connections). */
    private async forward(
        path: string,
        model: string,
        req: IncomingMessage,
        body: Buffer,
    ): Promise<{ status: number; body: string; errorCode: string }> {
        const candidates = this.candidates(model);
        if (!Array.isArray(candidates)) return { status: candidates.status, body: errorBody(candidates), errorCode: candidates.errorCode };
        let last = { status: 502, body: '{"error":"worker unreachable"}', errorCode: "" };
        for (const w of candidates) {
            try {
                const r = await fetch(`${w.url}${path}`, {
                    method: "POST",
                    body: new Uint8Array(body),
                    headers: { "content-type": req.headers["content-type"] ?? "application/json" },
                    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
                });
                const text = await r.text();
                this.recordOutcome(w, r.status < 500);
                if (r.status < 500) {
                    w.served += 1;
                    return { status: r.status, body: text, errorCode: "" };
                }
                last = { status: r.status, body: text, errorCode: "" };
            } catch {
                this.recordOutcome(w, false);
                last = { status: 502, body: '{"error":"worker unreachable"}', errorCode: "" };
            }
        }
        return last;
    }
}

/** The request's `model` field; a request without one (`/generate`) may go to any worker. */
function requestedModel(body: Buffer): string {
    try {
        const model = (JSON.parse(body.toString("utf8")) as { model?: unknown }).model;
        return typeof model === "string" && model !== "" ? model : UNKNOWN_MODEL_ID;
    } catch {
        return UNKNOWN_MODEL_ID;
    }
}

/** GET `<base>/<endpoint>`, asked again as `/get_<endpoint>` on a 404 (smg's `get_json_with_fallback`); undefined when neither answers. */
async function getJsonWithFallback(base: string, endpoint: string): Promise<Record<string, unknown> | undefined> {
    const get = (p: string) => fetch(`${base}/${p}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    let res = await get(endpoint).catch(() => undefined);
    if (res?.status === 404) res = await get(`get_${endpoint}`).catch(() => undefined);
    if (!res?.ok) return undefined;
    return (await res.json()) as Record<string, unknown>;
}

/** A worker's model id from its metadata: `served_model_name`, else `model_id`, else `model_path`, else "unknown". */
async function discoverModelId(url: string): Promise<string> {
    const info = (await getJsonWithFallback(url, "server_info")) ?? {};
    const named = [info.served_model_name, info.model_id, info.model_path].find((v) => typeof v === "string" && v !== "");
    return (named as string | undefined) ?? UNKNOWN_MODEL_ID;
}
