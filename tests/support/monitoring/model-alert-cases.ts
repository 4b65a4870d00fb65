/**
 * Alert cases for a stack serving two models with different objectives and
 * TTFT thresholds (the `models` key): each burn-rate alert pages for the model
 * whose budget burns and stays silent for the other on the same traffic, the
 * router names the model that lost its workers, and the canary's alerts name
 * the model whose probe fails or is slow, all probes sharing the router's URL.
 */
import type { Traffic } from "../../../contracts/generate";
import { writtenEntry } from "../../../contracts/generate";
import { durationSeconds, parseSettings, type Settings } from "../../../settings";
import type { AlertCase } from "./alert-cases";
import * as F from "./fixtures";

/** The strict model: a tight availability budget and a 1 s TTFT threshold. */
export const CODER = { name: "coder", served: F.MODEL, instance: "sglang-coder:30000", availability: 0.999, latency: 0.99, ttft: 1 };
/** The lenient model: ten times the availability budget, a 4 s TTFT threshold. */
export const CHAT = {
    name: "chat",
    served: "meta-llama/Llama-3.1-8B-Instruct",
    instance: "sglang-chat:30000",
    availability: 0.99,
    latency: 0.95,
    ttft: 4,
};

/** The dev stack serving both models, their objectives set per model. */
export function twoModelSettings(): Settings {
    const entry = (m: typeof CODER, gpu: number) => ({
        name: m.name,
        model: m.served,
        gpuDevices: [gpu],
        availabilityObjective: String(m.availability),
        latencyObjective: String(m.latency),
        ttftThresholdSeconds: String(m.ttft),
    });
    return parseSettings("dev", { models: JSON.stringify([entry(CODER, 0), entry(CHAT, 1)]) });
}

/** Minutes after which an alert with `for` = d has fired, rate windows (5m) warmed up. */
function after(d: string): number {
    return Math.ceil(durationSeconds(d) / 60) + 7;
}

export function modelAlertCases(s: Settings): AlertCase[] {
    const a = s.alerts;
    const hasHttp = writtenEntry(F.DEFAULT_SGLANG_CONTRACT, "http_responses_total") !== undefined;
    const server = (m: typeof CODER, traffic: Traffic) => F.sglang(traffic, { instance: m.instance, modelName: m.served });
    /** Requests of which `share` fail, as the default version reports failures. */
    const failing = (share: number, rps = 10): Traffic =>
        hasHttp
            ? { num_requests_total: { rate: rps }, http_responses_total: F.httpResponses({ "200": rps * (1 - share), "500": rps * share }) }
            : { num_requests_total: { rate: rps }, num_aborted_requests_total: { rate: rps * share } };
    /** A fifth of the requests wait 2 s for their first token: over CODER's threshold, within CHAT's. */
    const twoSecondTtft: Traffic = { num_requests_total: { rate: 10 }, time_to_first_token_seconds: F.latency(10, { 0.1: 0.8, 2: 0.2 }) };
    // 2% failures: 20× CODER's budget (fast burn at 14.4×), 2× CHAT's.
    const twoPercent = failing(0.02);
    const of = (m: typeof CODER) => ({ instance: m.instance, model_name: m.served });
    const router = F.up("sglang-router", F.ROUTER_INSTANCE, 1);
    const pools = (sizes: [number, number]): Traffic => ({
        smg_worker_pool_size: {
            bySeries: [
                { labels: { model: CODER.served }, rate: sizes[0] },
                { labels: { model: CHAT.served }, rate: sizes[1] },
            ],
        },
    });
    const viaRouter = "http://sglang-router:30000/v1/chat/completions";
    const probe = (m: typeof CODER, success: 0 | 1, seconds: number) => F.canaryProbe(success, seconds, m.served, viaRouter);
    return [
        {
            alert: "SGLangAvailabilityBudgetBurnFast",
            fire: [
                {
                    note: "both models fail 2% of requests: over the strict model's budget only",
                    series: [...server(CODER, twoPercent), ...server(CHAT, twoPercent)],
                    atMinutes: 12,
                    labels: of(CODER),
                },
                {
                    note: "the lenient model fails 20% of requests, the strict one none",
                    series: [...server(CODER, failing(0)), ...server(CHAT, failing(0.2))],
                    atMinutes: 12,
                    labels: of(CHAT),
                },
            ],
            silent: [
                {
                    note: "the lenient model alone fails 2% of requests",
                    series: [...server(CODER, failing(0)), ...server(CHAT, twoPercent)],
                    atMinutes: 12,
                    present: "instance_model:sglang_slo_availability_errors:ratio_rate5m",
                },
            ],
        },
        {
            alert: "SGLangLatencyBudgetBurnFast",
            fire: [
                {
                    note: "both models answer a fifth of requests after 2 s: over the strict model's 1 s threshold only",
                    series: [...server(CODER, twoSecondTtft), ...server(CHAT, twoSecondTtft)],
                    atMinutes: 12,
                    labels: of(CODER),
                },
            ],
            silent: [
                {
                    note: "the lenient model alone answers a fifth of requests after 2 s, within its 4 s threshold",
                    series: [...server(CHAT, twoSecondTtft)],
                    atMinutes: 12,
                    present: "instance_model:sglang_slo_latency_errors:ratio_rate5m",
                },
            ],
        },
        {
            alert: "SGLangRouterModelWithoutWorkers",
            fire: [
                {
                    note: "the lenient model's pool drops to 0",
                    series: [router, ...F.router(pools([1, 0]))],
                    atMinutes: after(a.routerModelWithoutWorkers.for),
                    labels: { model: CHAT.served },
                },
            ],
            silent: [
                {
                    note: "both models have a worker",
                    series: [router, ...F.router(pools([1, 1]))],
                    atMinutes: after(a.routerModelWithoutWorkers.for),
                    present: "smg_worker_pool_size",
                },
            ],
        },
        {
            alert: "SGLangCanaryFailing",
            fire: [
                {
                    note: "the strict model's probe fails, the other's succeeds",
                    series: [...probe(CODER, 0, 0.2), ...probe(CHAT, 1, 0.2)],
                    atMinutes: after(a.canaryFailing.for),
                    labels: { model_name: CODER.served },
                },
            ],
            silent: [
                {
                    note: "both probes succeed",
                    series: [...probe(CODER, 1, 0.2), ...probe(CHAT, 1, 0.2)],
                    atMinutes: after(a.canaryFailing.for),
                    present: "probe_success",
                },
            ],
        },
        {
            alert: "SGLangCanarySlow",
            fire: [
                {
                    note: "the lenient model's probe is slow and succeeds, the strict one's fails fast",
                    series: [...probe(CODER, 0, 0.2), ...probe(CHAT, 1, a.canarySlow.threshold * 1.5)],
                    atMinutes: after(a.canarySlow.for),
                    labels: { model_name: CHAT.served },
                },
            ],
            silent: [
                {
                    note: "the strict model's probe fails slowly (SGLangCanaryFailing's) while the other succeeds fast on the same URL",
                    series: [...probe(CODER, 0, a.canarySlow.threshold * 2), ...probe(CHAT, 1, 0.2)],
                    atMinutes: after(a.canarySlow.for),
                    present: "probe_duration_seconds",
                },
            ],
        },
    ];
}
