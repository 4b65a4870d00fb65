/**
 * What the SGLang stand-in's simulated traffic looks like in each fault mode,
 * by metric base name (contracts/generate.ts `Traffic`). Metrics a version
 * does not write are simply never looked up; metrics not named here keep
 * their start value. Errors are what the version really writes for them:
 * 5xx responses where it has HTTP series, aborted requests in every version.
 */
import type { Traffic } from "../../../contracts/generate";

/**
 * `hung`: the engine stopped (a stuck scheduler or collective) while the HTTP
 * server lives on: /health and /metrics still answer, every series stays
 * where the previous mode left it (counters flat, gauges frozen, requests
 * still running), and /health_generate fails.
 */
export type SglangMode = "healthy" | "slow" | "erroring" | "hung" | "down";
/** The modes with traffic of their own (in `hung` and `down` nothing moves). */
export type RunningMode = Exclude<SglangMode, "down" | "hung">;
export const RUNNING_MODES: readonly RunningMode[] = ["healthy", "slow", "erroring"];

/** How a gauge moves around its level: by ± `spread` of it at every tick, rounded when it counts things. */
export interface GaugeMotion {
    spread: number;
    integer: boolean;
}

export interface ModeTraffic {
    traffic: Traffic;
    gauges: Record<string, GaugeMotion>;
}

/** Shares of finished requests that hit a bucket range, in seconds: observation value → share. */
type Mix = Record<number, number>;

interface Profile {
    e2e: Mix;
    ttft: Mix;
    itl: Mix;
    queue: Mix;
    /** Share of requests that fail (aborted; 5xx where HTTP series exist). */
    errorShare: number;
    running: number;
    queued: number;
    tokenUsage: number;
    throughput: number;
    /** Retractions per finished request (KV-cache pressure; a busy healthy server retracts now and then). */
    retractions: number;
}

const PROFILES: Record<RunningMode, Profile> = {
    healthy: {
        e2e: { 0.5: 0.3, 2: 0.4, 5: 0.2, 10: 0.1 },
        ttft: { 0.1: 0.4, 0.3: 0.4, 0.7: 0.2 },
        itl: { 0.01: 0.5, 0.02: 0.3, 0.03: 0.2 },
        queue: { 0.05: 0.7, 0.3: 0.3 },
        errorShare: 0,
        running: 14,
        queued: 1,
        tokenUsage: 0.45,
        throughput: 1800,
        retractions: 0.025,
    },
    slow: {
        e2e: { 60: 0.3, 120: 0.5, 180: 0.2 },
        ttft: { 5: 0.3, 15: 0.4, 30: 0.3 },
        itl: { 0.2: 0.5, 0.6: 0.5 },
        queue: { 10: 0.5, 30: 0.5 },
        errorShare: 0,
        running: 56,
        queued: 40,
        tokenUsage: 0.92,
        throughput: 140,
        retractions: 0.25,
    },
    erroring: {
        e2e: { 0.2: 0.5, 1: 0.4, 3: 0.1 },
        ttft: { 0.1: 0.4, 0.3: 0.4, 0.7: 0.2 },
        itl: { 0.01: 0.5, 0.02: 0.3, 0.03: 0.2 },
        queue: { 0.05: 0.7, 0.3: 0.3 },
        errorShare: 0.4,
        running: 6,
        queued: 1,
        tokenUsage: 0.3,
        throughput: 900,
        retractions: 0,
    },
};

/** KV-cache capacity in tokens. */
const MAX_TOTAL_TOKENS = 262144;
/** Inter-token latency observations per request (SGLang observes once per streamed chunk). */
const ITL_OBSERVATIONS_PER_REQUEST = 4;
/** Share of requests that are constrained (structured output): what the grammar counters see. */
const STRUCTURED_SHARE = 0.6;
const GRAMMAR_CACHE_HIT_SHARE = 0.75;

const COUNT: GaugeMotion = { spread: 0.5, integer: true };
const LEVEL: GaugeMotion = { spread: 0.3, integer: false };
const STEADY: GaugeMotion = { spread: 0, integer: true };

/** The traffic of one mode at `requestsPerSecond` finished requests per second. */
export function sglangTraffic(mode: RunningMode, requestsPerSecond: number): ModeTraffic {
    const p = PROFILES[mode];
    const rps = requestsPerSecond;
    const failed = rps * p.errorShare;
    const structured = rps * STRUCTURED_SHARE;
    const traffic: Traffic = {
        num_requests_total: { rate: rps },
        prompt_tokens_total: { rate: rps * 1600 },
        generation_tokens_total: { rate: rps * 400 },
        cached_tokens_total: { rate: rps * 600 },
        num_so_requests_total: { rate: structured },
        num_aborted_requests_total: { rate: failed },
        time_to_first_token_seconds: { histogram: { rate: rps, mix: p.ttft } },
        e2e_request_latency_seconds: { histogram: { rate: rps, mix: p.e2e } },
        inter_token_latency_seconds: { histogram: { rate: rps * ITL_OBSERVATIONS_PER_REQUEST, mix: p.itl } },
        time_per_output_token_seconds: { histogram: { rate: rps * ITL_OBSERVATIONS_PER_REQUEST, mix: p.itl } },
        queue_time_seconds: { histogram: { rate: rps, mix: p.queue } },
        per_stage_req_latency_seconds: { histogram: { rate: rps, mix: p.queue } },
        num_running_reqs: { gauge: p.running },
        num_queue_reqs: { gauge: p.queued },
        num_grammar_queue_reqs: { gauge: 0 },
        token_usage: { gauge: p.tokenUsage },
        num_used_tokens: { gauge: Math.round(p.tokenUsage * MAX_TOTAL_TOKENS) },
        max_total_num_tokens: { gauge: MAX_TOTAL_TOKENS },
        gen_throughput: { gauge: p.throughput },
        cache_hit_rate: { gauge: 0.4 },
        num_retracted_reqs: { gauge: mode === "slow" ? 2 : 0 },
        num_retracted_requests_total: { rate: rps * p.retractions },
        num_grammar_total: { rate: structured },
        num_grammar_cache_hit_total: { rate: structured * GRAMMAR_CACHE_HIT_SHARE },
        grammar_compilation_time_seconds: { histogram: { rate: structured * (1 - GRAMMAR_CACHE_HIT_SHARE), mix: { 0.05: 0.8, 0.5: 0.2 } } },
        http_requests_total: { rate: rps },
        http_responses_total: { byLabel: { label: "status_code", rates: { "200": rps - failed, "500": failed * 0.8, "503": failed * 0.2 } } },
        http_requests_active: { gauge: p.running },
    };
    const gauges: Record<string, GaugeMotion> = {
        num_running_reqs: COUNT,
        num_queue_reqs: COUNT,
        num_grammar_queue_reqs: STEADY,
        http_requests_active: COUNT,
        num_used_tokens: { spread: 0.3, integer: true },
        max_total_num_tokens: STEADY,
        num_retracted_reqs: STEADY,
        token_usage: { spread: mode === "slow" ? 0.04 : 0.3, integer: false },
        gen_throughput: LEVEL,
        cache_hit_rate: LEVEL,
    };
    return { traffic, gauges };
}

/** Gauges not named in the motion table hold their level. */
export function gaugeMotion(t: ModeTraffic, base: string): GaugeMotion {
    return t.gauges[base] ?? STEADY;
}
