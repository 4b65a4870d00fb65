/** The SGLang router (smg) in front of several workers: requests, errors, latency, workers and prefix-cache reuse. */
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { type RowSpec, statPanel, timeseriesPanel } from "../panels";
import { MODEL_LABEL, VARIABLE } from "../selectors";
import { alertAbove, asPercent } from "../thresholds";

/** What an empty router panel means: a stack with one SGLang server deploys no router. */
export const NO_ROUTER = "No router (one SGLang server)";
const NO_ROUTER_NOTE = "Empty without a router: only stacks with several SGLang workers deploy one.";
/** The router's `model` is the workers' served model name: the same values as SGLang's `model_name`, chosen by the model variable. */
const CHOSEN_MODELS = `{model=~"$${VARIABLE.model}"}`;

export function routerRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    const workers = [
        { expr: `sum(${s.ROUTER_WORKERS_HEALTHY})`, legend: "Ready" },
        { expr: `sum(${s.ROUTER_WORKERS_UNHEALTHY})`, legend: "not Ready" },
        { expr: `sum(${s.ROUTER_WORKERS_EJECTED})`, legend: "breaker open" },
    ];
    return {
        title: "Router",
        panels: [
            statPanel({
                title: "Router workers",
                description:
                    "Workers the router holds Ready, registered but not Ready (failed health checks; SGLangRouterWorkerUnhealthy " +
                    `after ${a.routerWorkerUnhealthy.for}), and with their circuit breaker open (out of rotation; SGLangRouterWorkerEjected). ` +
                    `No Ready worker pages after ${a.routerNoHealthyWorker.for} (SGLangRouterNoHealthyWorker). ${NO_ROUTER_NOTE}`,
                unit: "none",
                queries: workers,
                noValue: NO_ROUTER,
                width: 6,
                height: 8,
            }),
            timeseriesPanel({
                title: "Router requests",
                description: `Inference requests the router routed per second, by model (smg_router_requests_total). ${NO_ROUTER_NOTE}`,
                unit: "reqps",
                min: 0,
                queries: [{ expr: `sum by (model) (${s.ROUTER_REQUESTS_RATE}${CHOSEN_MODELS})`, legend: "{{model}}" }],
                noValue: NO_ROUTER,
                width: 6,
                height: 8,
            }),
            timeseriesPanel({
                title: "Router error ratio",
                description:
                    "Share of the router's answers on inference routes that were 5xx: what clients got, after retries " +
                    "(no_available_workers included; probes excluded). The dashed line is the SGLangRouterErrors threshold " +
                    `(${asPercent(a.routerErrors.threshold)} % for ${a.routerErrors.for}, from ${a.routerErrors.minRequestsPerSecond} responses/s). ${NO_ROUTER_NOTE}`,
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: s.ROUTER_ERROR_RATIO, legend: "{{instance}}" }],
                thresholds: alertAbove(a.routerErrors.threshold),
                noValue: NO_ROUTER,
                width: 6,
                height: 8,
            }),
            timeseriesPanel({
                title: "Router latency",
                description:
                    "Time from a request's arrival at the router to the worker's response headers, for successful requests " +
                    `(smg_router_request_duration_seconds; for a streamed answer, not until its end). ${NO_ROUTER_NOTE}`,
                unit: "s",
                min: 0,
                queries: (["p50", "p95", "p99"] as const).map((q) => ({
                    expr: `${s.routerDurationQuantile(q)}${CHOSEN_MODELS}`,
                    legend: `{{model}} ${q}`,
                })),
                noValue: NO_ROUTER,
                width: 6,
                height: 8,
            }),
            timeseriesPanel({
                title: "Router workers over time",
                description: `Ready, not Ready and ejected workers of each router. ${NO_ROUTER_NOTE}`,
                unit: "none",
                min: 0,
                decimals: 0,
                queries: [
                    { expr: s.ROUTER_WORKERS_HEALTHY, legend: "{{instance}} Ready" },
                    { expr: s.ROUTER_WORKERS_UNHEALTHY, legend: "{{instance}} not Ready" },
                    { expr: s.ROUTER_WORKERS_EJECTED, legend: "{{instance}} breaker open" },
                ],
                noValue: NO_ROUTER,
                width: 12,
                height: 8,
            }),
            timeseriesPanel({
                title: "Prefix-cache hit rate across workers",
                description:
                    "Share of prompt tokens served from the workers' prefix caches, over every SGLang server of a model, " +
                    "weighted by prompt tokens: what cache-aware routing aims to raise. The router reports no cache hits " +
                    "itself (smg v1.9.0 has no such metric); this reads the workers' own counters, so it has data with one server too.",
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: `${s.FLEET_PREFIX_CACHE_HIT_RATIO}{${MODEL_LABEL}=~"$${VARIABLE.model}"}`, legend: `{{${MODEL_LABEL}}}` }],
                width: 12,
                height: 8,
            }),
        ],
    };
}
