/**
 * The SGLang router's alert cases, on the series its contract says it writes
 * (contracts/sglang-router), with the two workers of F.ROUTER_WORKERS. Each
 * alert fires when it should and stays silent when idle, at a cold start,
 * with one healthy worker of two where that is not its condition, and where
 * no router is deployed.
 */
import type { Traffic, ValueSpec } from "../../../contracts/generate";
import type { ExporterContract } from "../../../contracts/types";
import { durationSeconds, type Settings } from "../../../settings";
import type { AlertCase } from "./alert-cases";
import * as F from "./fixtures";

const [W0, W1] = F.ROUTER_WORKERS;
const ROUTER = { job: "sglang-router", instance: F.ROUTER_INSTANCE };
/** A second model the router serves beside F.MODEL. */
const OTHER_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

/** Minutes after which an alert with `for` = d has fired, rate windows (5m) warmed up. */
function after(d: string, extraMinutes = 0): number {
    return Math.ceil(durationSeconds(d) / 60) + 7 + extraMinutes;
}

export function routerAlertCases(s: Settings, contract: ExporterContract, sglangOnly: F.InputSeries[]): AlertCase[] {
    const a = s.alerts;
    const rt = (traffic: Traffic, workers = F.ROUTER_WORKERS) => F.router(traffic, { contract, workers });
    const up = F.up("sglang-router", F.ROUTER_INSTANCE, 1);
    /** Workers with these health values, breakers closed, no traffic. */
    const workers = (health: Record<string, number>, breaker: Record<string, number> = { [W0]: 0, [W1]: 0 }): Traffic => ({
        smg_worker_health: F.perWorker(health),
        smg_worker_cb_state: F.perWorker(breaker),
        smg_worker_pool_size: { gauge: Object.values(health).filter((h) => h >= 0).length },
    });
    const bothHealthy = workers({ [W0]: 1, [W1]: 1 });
    /** Registered workers per model (`smg_worker_pool_size{model}`). */
    const pools = (byModel: Record<string, number>): ValueSpec => ({
        bySeries: Object.entries(byModel).map(([model, size]) => ({ labels: { model }, rate: size })),
    });
    /** `rps` inference responses per second, `share` of them 503 without an available worker. */
    const serving = (rps: number, share: number): Traffic => ({
        smg_router_requests_total: { rate: rps },
        smg_http_responses_total: F.routerResponses([
            { status_code: "200", rate: rps * (1 - share) },
            { status_code: "503", error_code: "no_available_workers", rate: rps * share },
        ]),
        smg_router_request_duration_seconds: F.latency(rps * (1 - share), { 0.5: 1 }),
    });
    /** Health (or breaker) at `before` for `minutes`, then `afterwards`: a cold start or a recovery. */
    const phases = (minutes: number, before: Traffic, afterwards: Traffic) =>
        F.routerPhases(
            [
                { minutes, traffic: before },
                { minutes: F.DEFAULT_SAMPLES - minutes, traffic: afterwards },
            ],
            { contract },
        );
    const minutesOf = (d: string) => Math.ceil(durationSeconds(d) / 60);
    const errorShare = Math.min(a.routerErrors.threshold * 2, 0.9);
    const busy = Math.max(10, a.routerErrors.minRequestsPerSecond * 10);
    const notDeployed = { note: "no router deployed (one SGLang server)", series: sglangOnly, present: "up" };

    return [
        {
            alert: "SGLangRouterDown",
            fire: [
                {
                    note: "its metrics listener does not answer",
                    series: [F.up("sglang-router", F.ROUTER_INSTANCE, 0)],
                    atMinutes: after(a.routerDown.for),
                    labels: ROUTER,
                },
            ],
            silent: [
                {
                    note: "up, two healthy workers",
                    series: [up, ...rt(bothHealthy)],
                    atMinutes: after(a.routerDown.for),
                    present: "smg_worker_health",
                },
                { ...notDeployed, atMinutes: after(a.routerDown.for) },
            ],
        },
        {
            alert: "SGLangRouterNoHealthyWorker",
            fire: [
                {
                    note: "both workers not Ready",
                    series: [up, ...rt(workers({ [W0]: 0, [W1]: 0 }))],
                    atMinutes: after(a.routerNoHealthyWorker.for),
                    labels: { instance: F.ROUTER_INSTANCE },
                },
                {
                    note: "both workers removed (-1)",
                    series: [up, ...rt(workers({ [W0]: -1, [W1]: -1 }))],
                    atMinutes: after(a.routerNoHealthyWorker.for),
                    labels: { instance: F.ROUTER_INSTANCE },
                },
                {
                    note: "the router answers with no worker registered",
                    series: [up, ...rt({}, [])],
                    atMinutes: after(a.routerNoHealthyWorker.for),
                    labels: ROUTER,
                },
            ],
            silent: [
                {
                    note: "one healthy worker of two",
                    series: [up, ...rt({ ...workers({ [W0]: 1, [W1]: 0 }), ...serving(10, 0) })],
                    atMinutes: after(a.routerNoHealthyWorker.for),
                    present: "smg_worker_health",
                },
                {
                    note: "idle, both healthy",
                    series: [up, ...rt(bothHealthy)],
                    atMinutes: after(a.routerNoHealthyWorker.for),
                    present: "smg_worker_health",
                },
                {
                    note: "cold start: workers become Ready a minute before the alert would fire",
                    series: [up, ...phases(minutesOf(a.routerNoHealthyWorker.for) - 1, workers({ [W0]: 0, [W1]: 0 }), bothHealthy)],
                    atMinutes: after(a.routerNoHealthyWorker.for),
                    present: "smg_worker_health",
                },
                { ...notDeployed, atMinutes: after(a.routerNoHealthyWorker.for) },
            ],
        },
        {
            alert: "SGLangRouterWorkerUnhealthy",
            fire: [
                {
                    note: "one worker of two not Ready",
                    series: [up, ...rt({ ...workers({ [W0]: 1, [W1]: 0 }), ...serving(10, 0) })],
                    atMinutes: after(a.routerWorkerUnhealthy.for),
                    labels: { worker: W1 },
                },
            ],
            silent: [
                {
                    note: "idle, both healthy",
                    series: [up, ...rt(bothHealthy)],
                    atMinutes: after(a.routerWorkerUnhealthy.for),
                    present: "smg_worker_health",
                },
                {
                    note: "a removed worker (-1) beside a healthy one",
                    series: [up, ...rt(workers({ [W0]: 1, [W1]: -1 }, { [W0]: 0, [W1]: -1 }))],
                    atMinutes: after(a.routerWorkerUnhealthy.for),
                    present: "smg_worker_health",
                },
                {
                    note: "cold start: Ready a minute before the alert would fire",
                    series: [up, ...phases(minutesOf(a.routerWorkerUnhealthy.for) - 1, workers({ [W0]: 0, [W1]: 0 }), bothHealthy)],
                    atMinutes: after(a.routerWorkerUnhealthy.for),
                    present: "smg_worker_health",
                },
                { ...notDeployed, atMinutes: after(a.routerWorkerUnhealthy.for) },
            ],
        },
        {
            alert: "SGLangRouterWorkerEjected",
            fire: [
                {
                    note: "a worker's breaker is open",
                    series: [up, ...rt({ ...workers({ [W0]: 1, [W1]: 1 }, { [W0]: 0, [W1]: 1 }), ...serving(10, 0) })],
                    atMinutes: after(a.routerWorkerEjected.for),
                    labels: { worker: W1 },
                },
                {
                    note: "a worker's breaker keeps opening again from half-open",
                    series: [
                        up,
                        ...rt({
                            ...workers({ [W0]: 1, [W1]: 1 }, { [W0]: 0, [W1]: 2 }),
                            smg_worker_cb_transitions_total: { bySeries: [{ labels: { worker: W1, from: "half_open", to: "open" }, rate: 1 / 300 }] },
                        }),
                    ],
                    atMinutes: after(a.routerWorkerEjected.for),
                    labels: { worker: W1 },
                },
            ],
            silent: [
                {
                    note: "one healthy worker of two, breakers closed",
                    series: [up, ...rt({ ...workers({ [W0]: 1, [W1]: 0 }), ...serving(10, 0) })],
                    atMinutes: after(a.routerWorkerEjected.for),
                    present: "smg_worker_cb_state",
                },
                {
                    note: "a removed worker (-1)",
                    series: [up, ...rt(workers({ [W0]: 1, [W1]: -1 }, { [W0]: 0, [W1]: -1 }))],
                    atMinutes: after(a.routerWorkerEjected.for),
                    present: "smg_worker_cb_state",
                },
                {
                    note: "breakers closing again: the last opening is over 10 minutes old",
                    series: [
                        up,
                        ...phases(
                            5,
                            {
                                ...bothHealthy,
                                smg_worker_cb_transitions_total: {
                                    bySeries: [{ labels: { worker: W1, from: "closed", to: "open" }, rate: 1 / 300 }],
                                },
                            },
                            {
                                ...bothHealthy,
                                smg_worker_cb_transitions_total: { bySeries: [{ labels: { worker: W1, from: "closed", to: "open" }, rate: 0 }] },
                            },
                        ),
                    ],
                    atMinutes: 25,
                    present: "smg_worker_cb_state",
                },
                { ...notDeployed, atMinutes: after(a.routerWorkerEjected.for) },
            ],
        },
        {
            alert: "SGLangRouterErrors",
            fire: [
                {
                    note: `${errorShare * 100}% of responses are 503 no_available_workers`,
                    series: [up, ...rt({ ...bothHealthy, ...serving(busy, errorShare) })],
                    atMinutes: after(a.routerErrors.for),
                    labels: ROUTER,
                },
            ],
            silent: [
                {
                    note: "errors just under the threshold",
                    series: [up, ...rt({ ...bothHealthy, ...serving(busy, a.routerErrors.threshold * 0.8) })],
                    atMinutes: after(a.routerErrors.for),
                    present: "smg_http_responses_total",
                },
                ...(a.routerErrors.minRequestsPerSecond > 0
                    ? [
                          {
                              note: "nearly idle: half of a trickle under the minimum rate fails",
                              series: [up, ...rt({ ...bothHealthy, ...serving(a.routerErrors.minRequestsPerSecond / 2, 0.5) })],
                              atMinutes: after(a.routerErrors.for),
                              present: "smg_http_responses_total",
                          },
                      ]
                    : []),
                {
                    note: "idle: no request at all",
                    series: [up, ...rt(bothHealthy)],
                    atMinutes: after(a.routerErrors.for),
                    present: "smg_worker_health",
                },
                {
                    note: "503s of the readiness probe are not client errors",
                    series: [
                        up,
                        ...rt({
                            ...workers({ [W0]: 1, [W1]: 0 }),
                            smg_http_responses_total: {
                                bySeries: [
                                    { labels: { path: "/v1/chat/completions", status_code: "200", error_code: "" }, rate: busy },
                                    { labels: { path: "/readiness", status_code: "503", error_code: "" }, rate: busy },
                                ],
                            },
                        }),
                    ],
                    atMinutes: after(a.routerErrors.for),
                    present: "smg_http_responses_total",
                },
                { ...notDeployed, atMinutes: after(a.routerErrors.for) },
            ],
        },
        {
            alert: "SGLangRouterModelWithoutWorkers",
            fire: [
                {
                    note: "the last worker of one model removed, the other model still served",
                    series: [up, ...rt({ ...bothHealthy, smg_worker_pool_size: pools({ [F.MODEL]: 0, [OTHER_MODEL]: 1 }) })],
                    atMinutes: after(a.routerModelWithoutWorkers.for),
                    labels: { ...ROUTER, model: F.MODEL },
                },
            ],
            silent: [
                {
                    note: "every model has a worker",
                    series: [up, ...rt({ ...bothHealthy, smg_worker_pool_size: pools({ [F.MODEL]: 1, [OTHER_MODEL]: 1 }) })],
                    atMinutes: after(a.routerModelWithoutWorkers.for),
                    present: "smg_worker_pool_size",
                },
                {
                    note: "a model's workers registered but not Ready (SGLangRouterNoHealthyWorker's)",
                    series: [up, ...rt({ ...workers({ [W0]: 0, [W1]: 0 }), smg_worker_pool_size: pools({ [F.MODEL]: 2 }) })],
                    atMinutes: after(a.routerModelWithoutWorkers.for),
                    present: "smg_worker_pool_size",
                },
                {
                    note: "workers back a minute before the alert would fire",
                    series: [
                        up,
                        ...phases(
                            minutesOf(a.routerModelWithoutWorkers.for) - 1,
                            { ...bothHealthy, smg_worker_pool_size: pools({ [F.MODEL]: 0 }) },
                            { ...bothHealthy, smg_worker_pool_size: pools({ [F.MODEL]: 2 }) },
                        ),
                    ],
                    atMinutes: after(a.routerModelWithoutWorkers.for),
                    present: "smg_worker_pool_size",
                },
                { ...notDeployed, atMinutes: after(a.routerModelWithoutWorkers.for) },
            ],
        },
        {
            alert: "SGLangRouterModelNotFound",
            fire: [
                {
                    note: "a client keeps asking for a model nobody serves",
                    series: [
                        up,
                        ...rt({
                            ...bothHealthy,
                            smg_http_responses_total: F.routerResponses([
                                { status_code: "200", rate: busy },
                                { status_code: "404", error_code: "model_not_found", rate: 0.05 },
                            ]),
                        }),
                    ],
                    atMinutes: 10,
                    labels: ROUTER,
                },
            ],
            silent: [
                {
                    note: "every request names a served model, some get 503 no_available_workers",
                    series: [up, ...rt({ ...bothHealthy, ...serving(busy, 0.5) })],
                    atMinutes: 10,
                    present: "smg_http_responses_total",
                },
                { ...notDeployed, atMinutes: 10 },
            ],
        },
    ];
}
