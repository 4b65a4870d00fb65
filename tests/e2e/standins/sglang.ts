/**
 * A stand-in for the SGLang server's `/metrics` and `/health`: the metric
 * names, labels and histogram buckets of what SGLang really exports
 * (../shared/reference/metrics.md), driven by simulated traffic so counters
 * grow and gauges move. Its mode models the faults the alerts exist for:
 * healthy, slow (latency shifts far above the P95 threshold), erroring
 * (aborted requests and 5xx responses) and down (the port refuses
 * connections; coming back is a restart, so counters start again at zero).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { TTFT_BUCKETS } from "../../../settings/catalog";
import { ExpositionWriter, EXPOSITION_CONTENT_TYPE, HistogramSeries, type Labels } from "./exposition";
import { Random } from "./random";
import { StandInServer } from "./server";

export type SglangMode = "healthy" | "slow" | "erroring" | "down";

/** Bucket boundaries of SGLang's tokenizer-side histograms (ttft: settings' TTFT_BUCKETS). */
export const SGLANG_BUCKETS = {
    e2eRequestLatency: [0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400, 600, 1200, 1800, 2400],
    timeToFirstToken: TTFT_BUCKETS,
    interTokenLatency: [0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8],
    queueTime: [0, 0.1, 0.2, 0.5, 1, 2, 3, 4, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1200, 1400, 1600, 1800, 2000, 2500, 3000],
} as const;

export interface SglangStandInOptions {
    port: number;
    /** The `model_name` label (the served model name). */
    modelName: string;
    /** Tensor-parallel size: scheduler series are exported once per `tp_rank`. */
    tpSize: number;
    /** Metric prefix: current builds use "sglang:", some builds "sglang_". */
    prefix?: "sglang:" | "sglang_";
    /** Older builds name the inter-token latency histogram time_per_output_token_seconds. */
    legacyInterTokenName?: boolean;
    /** Also export Ananke series: what the rules can read when a build provides them. */
    ananke?: AnankeSeriesOptions;
    /** Simulated completed requests per second. */
    requestsPerSecond?: number;
    seed?: number;
}

/**
 * Ananke series: the fork's optional exporter (ananke_*, by constraint
 * domain), and the guide's rollback counter, which no build emits today but
 * the rules read when one does.
 */
export interface AnankeSeriesOptions {
    domains: readonly string[];
    guideRollbackCounter: boolean;
}

type Range = readonly [number, number];

/** What the simulated traffic looks like in each mode that serves metrics. */
interface TrafficProfile {
    e2eSeconds: Range;
    ttftSeconds: Range;
    interTokenSeconds: Range;
    queueSeconds: Range;
    /** Share of requests aborted (errors, timeouts). */
    abortRatio: number;
    running: Range;
    queued: Range;
    tokenUsage: Range;
    /** Ananke relaxation events per second and domain. */
    relaxationsPerSecond: number;
}

const PROFILES: Record<Exclude<SglangMode, "down">, TrafficProfile> = {
    healthy: {
        e2eSeconds: [0.5, 12], ttftSeconds: [0.05, 0.8], interTokenSeconds: [0.008, 0.035], queueSeconds: [0, 0.4],
        abortRatio: 0.001, running: [4, 24], queued: [0, 3], tokenUsage: [0.3, 0.6], relaxationsPerSecond: 0.4,
    },
    slow: {
        e2eSeconds: [45, 180], ttftSeconds: [4, 35], interTokenSeconds: [0.15, 0.9], queueSeconds: [5, 40],
        abortRatio: 0.001, running: [48, 64], queued: [20, 60], tokenUsage: [0.85, 0.97], relaxationsPerSecond: 0.4,
    },
    erroring: {
        e2eSeconds: [0.1, 3], ttftSeconds: [0.05, 0.8], interTokenSeconds: [0.008, 0.035], queueSeconds: [0, 0.4],
        abortRatio: 0.4, running: [2, 10], queued: [0, 3], tokenUsage: [0.2, 0.5], relaxationsPerSecond: 0.4,
    },
};

const MAX_TOTAL_TOKENS = 262144;
const ENDPOINT = "/v1/chat/completions";

/** Everything that grows; a restart starts it again from zero. */
class Counters {
    requests = 0;
    aborted = 0;
    structuredOutput = 0;
    promptTokens = 0;
    generationTokens = 0;
    cachedTokens = 0;
    /** Scheduler counters, one slot per rank. */
    readonly retracted: number[];
    readonly grammarTotal: number[];
    readonly grammarCacheHits: number[];
    readonly grammarTimeouts: number[];
    responses = new Map<string, number>();
    relaxationsByDomain = new Map<string, number>();
    rollbacks = 0;
    maskApplications = 0;
    anankeCompleted = 0;
    readonly e2e = new HistogramSeries(SGLANG_BUCKETS.e2eRequestLatency);
    readonly ttft = new HistogramSeries(SGLANG_BUCKETS.timeToFirstToken);
    readonly interToken = new HistogramSeries(SGLANG_BUCKETS.interTokenLatency);
    readonly queue = new HistogramSeries(SGLANG_BUCKETS.queueTime);

    constructor(ranks: number) {
        const perRank = () => Array.from({ length: ranks }, () => 0);
        this.retracted = perRank();
        this.grammarTotal = perRank();
        this.grammarCacheHits = perRank();
        this.grammarTimeouts = perRank();
    }
}

/** `total` split into `parts` non-negative integers, unevenly. */
function split(total: number, parts: number, r: Random): number[] {
    const weights = Array.from({ length: parts }, () => r.between(0.5, 1.5));
    const sum = weights.reduce((a, b) => a + b, 0);
    const shares = weights.map((w) => Math.floor((total * w) / sum));
    shares[0] += total - shares.reduce((a, b) => a + b, 0);
    return shares;
}

export class SglangStandIn {
    readonly server: StandInServer;
    private modeNow: SglangMode = "healthy";
    private counters: Counters;
    private lastAdvance = Date.now();
    private pendingRequests = 0;
    private readonly random: Random;
    private readonly prefix: string;
    /** Simulated completed requests per second. */
    readonly requestsPerSecond: number;

    constructor(private readonly opts: SglangStandInOptions) {
        this.server = new StandInServer("sglang", opts.port, (req, res) => this.handle(req, res));
        this.random = new Random(opts.seed ?? 42);
        this.prefix = opts.prefix ?? "sglang:";
        this.requestsPerSecond = opts.requestsPerSecond ?? 8;
        this.counters = new Counters(opts.tpSize);
    }

    get mode(): SglangMode {
        return this.modeNow;
    }

    get address(): string {
        return this.server.address;
    }

    async start(): Promise<void> {
        this.lastAdvance = Date.now();
        await this.server.start();
    }

    async stop(): Promise<void> {
        await this.server.stop();
    }

    /** Switches the fault mode; "down" closes the port, leaving "down" restarts with fresh counters. */
    async setMode(mode: SglangMode): Promise<void> {
        this.advance();
        const previous = this.modeNow;
        this.modeNow = mode;
        if (mode === "down") {
            await this.server.stop();
        } else if (previous === "down") {
            this.counters = new Counters(this.opts.tpSize);
            this.lastAdvance = Date.now();
            await this.server.start();
        }
    }

    /** Simulates the requests completed since the last call, in the current mode. */
    private advance(): void {
        const now = Date.now();
        const elapsed = (now - this.lastAdvance) / 1000;
        this.lastAdvance = now;
        if (this.modeNow === "down") return;
        const profile = PROFILES[this.modeNow];
        this.pendingRequests += this.requestsPerSecond * elapsed;
        const n = Math.floor(this.pendingRequests);
        this.pendingRequests -= n;
        const r = this.random;
        const c = this.counters;
        for (let i = 0; i < n; i++) {
            const aborted = r.chance(profile.abortRatio);
            const prompt = r.int(200, 3000);
            const generated = aborted ? r.int(0, 20) : r.int(50, 800);
            c.requests += 1;
            c.promptTokens += prompt;
            c.generationTokens += generated;
            c.cachedTokens += Math.floor(prompt * r.between(0.2, 0.6));
            const status = aborted ? (r.chance(0.8) ? "500" : "503") : "200";
            c.responses.set(status, (c.responses.get(status) ?? 0) + 1);
            if (aborted) c.aborted += 1;
            c.e2e.observe(r.between(...profile.e2eSeconds));
            c.ttft.observe(r.between(...profile.ttftSeconds));
            c.queue.observe(r.between(...profile.queueSeconds));
            c.interToken.observe(r.between(...profile.interTokenSeconds), Math.max(generated - 1, 0));
            const rank = c.requests % this.opts.tpSize;
            if (r.chance(0.6)) {
                // Structured-output (constrained) request: a grammar is compiled or reused.
                c.structuredOutput += 1;
                c.grammarTotal[rank] += 1;
                if (r.chance(0.75)) c.grammarCacheHits[rank] += 1;
                c.maskApplications += generated;
                if (!aborted) c.anankeCompleted += 1;
            }
        }
        if (this.modeNow === "slow" && n > 0 && r.chance(0.3)) c.retracted[r.int(0, this.opts.tpSize - 1)] += 1;
        for (const domain of this.opts.ananke?.domains ?? []) {
            const events = Math.round(profile.relaxationsPerSecond * elapsed * r.between(0.5, 1.5));
            c.relaxationsByDomain.set(domain, (c.relaxationsByDomain.get(domain) ?? 0) + events);
            // A relaxation often ends in tokens rolled back.
            c.rollbacks += Math.round(events * r.between(0.5, 2));
        }
    }

    /** The exposition text of one scrape. */
    metricsText(): string {
        this.advance();
        const c = this.counters;
        const r = this.random;
        const profile = this.modeNow === "down" ? PROFILES.healthy : PROFILES[this.modeNow];
        const p = this.prefix;
        const w = new ExpositionWriter();
        const model: Labels = { model_name: this.opts.modelName };

        // Tokenizer-manager series: model_name only.
        w.sample(`${p}num_requests_total`, "counter", "Number of requests processed.", model, c.requests);
        w.sample(`${p}num_aborted_requests_total`, "counter", "Number of requests aborted.", model, c.aborted);
        w.sample(`${p}num_so_requests_total`, "counter", "Number of structured output requests processed.", model, c.structuredOutput);
        w.sample(`${p}prompt_tokens_total`, "counter", "Number of prefill tokens processed.", model, c.promptTokens);
        w.sample(`${p}generation_tokens_total`, "counter", "Number of generation tokens processed.", model, c.generationTokens);
        w.sample(`${p}cached_tokens_total`, "counter", "Number of cached prompt tokens.", model, c.cachedTokens);
        w.histogram(`${p}time_to_first_token_seconds`, "Histogram of time to first token in seconds.", model, c.ttft);
        const itlName = this.opts.legacyInterTokenName ? "time_per_output_token_seconds" : "inter_token_latency_seconds";
        w.histogram(`${p}${itlName}`, "Histogram of inter-token latency in seconds.", model, c.interToken);
        w.histogram(`${p}e2e_request_latency_seconds`, "Histogram of End-to-end request latency in seconds", model, c.e2e);
        w.histogram(`${p}queue_time_seconds`, "Histogram of queueing time in seconds.", model, c.queue);

        // Scheduler series, one per rank. By default only tp_rank 0 reports;
        // with --enable-metrics-for-all-schedulers (and data-parallel
        // attention) every rank reports its own share, which is what the rules
        // must aggregate: counts add up, usage is per rank.
        const ranks = this.opts.tpSize;
        const running = split(r.int(...(profile.running as [number, number])), ranks, r);
        const queued = split(r.int(...(profile.queued as [number, number])), ranks, r);
        const throughput = this.modeNow === "slow" ? r.between(80, 200) : r.between(900, 2400);
        for (let rank = 0; rank < ranks; rank++) {
            const s: Labels = { ...model, engine_type: "unified", tp_rank: String(rank), pp_rank: "0" };
            const usage = r.between(...profile.tokenUsage);
            w.sample(`${p}num_running_reqs`, "gauge", "The number of running requests.", s, running[rank]);
            w.sample(`${p}num_queue_reqs`, "gauge", "The number of requests in the waiting queue.", s, queued[rank]);
            w.sample(`${p}num_grammar_queue_reqs`, "gauge", "The number of requests in the grammar waiting queue.", s, r.int(0, 1));
            w.sample(`${p}token_usage`, "gauge", "The token usage.", s, usage);
            w.sample(`${p}num_used_tokens`, "gauge", "The number of used tokens.", s, Math.round(usage * MAX_TOTAL_TOKENS));
            w.sample(`${p}max_total_num_tokens`, "gauge", "Maximum total number of tokens in the KV cache.", s, MAX_TOTAL_TOKENS);
            w.sample(`${p}gen_throughput`, "gauge", "The generation throughput (token/s).", s, throughput / ranks);
            w.sample(`${p}cache_hit_rate`, "gauge", "The prefix cache hit rate.", s, r.between(0.2, 0.6));
            w.sample(`${p}num_retracted_requests_total`, "counter", "Total number of retracted requests.", s, c.retracted[rank]);
            w.sample(`${p}num_grammar_cache_hit_total`, "counter", "Number of grammar cache hits.", s, c.grammarCacheHits[rank]);
            w.sample(`${p}num_grammar_total`, "counter", "Number of the total grammar requests.", s, c.grammarTotal[rank]);
            w.sample(`${p}num_grammar_timeout_total`, "counter", "Number of grammar timeouts.", s, c.grammarTimeouts[rank]);
        }

        // HTTP middleware series.
        w.sample(`${p}http_requests_total`, "counter", "Total number of HTTP requests.", { ...model, endpoint: ENDPOINT, method: "POST" }, c.requests);
        for (const [status, count] of [...c.responses.entries()].sort()) {
            w.sample(`${p}http_responses_total`, "counter", "Total number of HTTP responses by status code.", { ...model, endpoint: ENDPOINT, status_code: status, method: "POST" }, count);
        }

        if (this.opts.ananke) this.anankeSeries(w, this.opts.ananke, model);
        return w.render();
    }

    /** The fork exporter's series, and the guide's rollback counter when asked for. */
    private anankeSeries(w: ExpositionWriter, opts: AnankeSeriesOptions, model: Labels): void {
        const c = this.counters;
        const r = this.random;
        let total = 0;
        for (const domain of opts.domains) {
            const events = c.relaxationsByDomain.get(domain) ?? 0;
            total += events;
            w.sample("ananke_relaxation_events_by_domain_total", "counter", "Constraint relaxation events by domain.", { domain }, events);
            w.sample("ananke_domain_latency_p99_ms", "gauge", "P99 latency of a domain's mask computation in milliseconds.", { domain }, r.between(0.2, 4));
        }
        w.sample("ananke_relaxation_events_total", "counter", "Constraint relaxation events.", {}, total);
        w.sample("ananke_mask_applications_total", "counter", "Token masks applied.", {}, c.maskApplications);
        w.sample("ananke_active_requests", "gauge", "Requests being decoded under Ananke constraints.", {}, r.int(0, 12));
        w.sample("ananke_completed_requests_total", "counter", "Constrained requests completed.", {}, c.anankeCompleted);
        if (opts.guideRollbackCounter) {
            w.sample("sglang_ananke_rollbacks_total", "counter", "Ananke rollback operations.", model, c.rollbacks);
        }
    }

    private handle(req: IncomingMessage, res: ServerResponse): void {
        const path = (req.url ?? "/").split("?")[0];
        if (path === "/metrics") {
            res.writeHead(200, { "content-type": EXPOSITION_CONTENT_TYPE }).end(this.metricsText());
        } else if (path === "/health") {
            res.writeHead(200).end();
        } else if (path === "/health_generate") {
            res.writeHead(this.modeNow === "erroring" ? 503 : 200).end();
        } else {
            res.writeHead(404).end("not found");
        }
    }
}
