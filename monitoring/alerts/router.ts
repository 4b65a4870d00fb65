/**
 * The SGLang router (smg) in front of several workers: it is down, it has no
 * Ready worker, a worker is not Ready or ejected by its circuit breaker,
 * clients get errors, a model has no worker left, or clients ask for a model
 * nobody serves. Nothing fires where no router is deployed: every
 * expression needs the router's own series or its scrape target.
 */
import type { Settings } from "../../settings";
import { scalesToZero } from "../../settings/types";
import { byClause } from "../promql";
import * as S from "../series";
import type { Links, RuleGroup } from "../types";
import { JOB_ROUTER } from "../types";
import { alertRule } from "./common";

const R = byClause(S.ROUTER_LABELS);
const ON_ROUTER = "router {{ $labels.instance }} (job {{ $labels.job }})";
const ON_WORKER = "worker {{ $labels.worker }} of router {{ $labels.instance }}";

export function routerAlerts(settings: Settings, links: Links): RuleGroup {
    const a = settings.alerts;
    return {
        name: "sglang-router.alerts",
        rules: [
            alertRule(links, {
                name: "SGLangRouterDown",
                expr: `up{job="${JOB_ROUTER}"} == 0`,
                for: a.routerDown.for,
                severity: "critical",
                summary: "The SGLang router is down",
                description: `Prometheus cannot scrape the router's metrics listener on ${ON_ROUTER}: up = {{ $value }} for ${a.routerDown.for}. Clients reach the workers only through it.`,
            }),
            alertRule(links, {
                name: "SGLangRouterNoHealthyWorker",
                // Every registered worker not Ready (0) or removed (-1); or a router answering scrapes with no worker at all.
                // Scaled to zero, no worker (none registered, all removed) is the idle state: only registered workers none of which is Ready.
                expr: scalesToZero(settings)
                    ? `max by (${R}) (smg_worker_health) == 0`
                    : `max by (${R}) (smg_worker_health) < 1 or (up{job="${JOB_ROUTER}"} == 1 unless on (job, instance) smg_worker_health)`,
                for: a.routerNoHealthyWorker.for,
                severity: "critical",
                summary: "The SGLang router has no healthy worker",
                description: `No worker of ${ON_ROUTER} is Ready (highest worker health {{ $value }}; 0 not Ready, -1 removed, 1 from up = router without workers) for ${a.routerNoHealthyWorker.for}: every request gets 503 no_available_workers.`,
            }),
            alertRule(links, {
                name: "SGLangRouterWorkerUnhealthy",
                // -1 is a removed worker: not a failing one.
                expr: "smg_worker_health == 0",
                for: a.routerWorkerUnhealthy.for,
                severity: "warning",
                summary: "A worker behind the SGLang router is not Ready",
                description: `The router holds ${ON_WORKER} not Ready (health {{ $value }}) for ${a.routerWorkerUnhealthy.for}: it failed its health checks, and requests go to the other workers.`,
            }),
            alertRule(links, {
                name: "SGLangRouterWorkerEjected",
                // Open now, or opened in the last 10 minutes (a breaker that flaps open and half-open).
                expr: `max by (${R}, worker) (smg_worker_cb_state) == 1 or sum by (${R}, worker) (increase(smg_worker_cb_transitions_total{to="open"}[10m])) > 0`,
                for: a.routerWorkerEjected.for,
                severity: "warning",
                summary: "The SGLang router's circuit breaker ejected a worker",
                description: `The circuit breaker of ${ON_WORKER} is or was open (value {{ $value }}: 1 open now, else breaker openings in 10 minutes) for ${a.routerWorkerEjected.for}: the worker failed consecutive requests and gets no traffic while open.`,
            }),
            alertRule(links, {
                name: "SGLangRouterErrors",
                expr:
                    `${S.ROUTER_ERROR_RATIO} > ${a.routerErrors.threshold}` +
                    ` and on (${R}) ${S.ROUTER_INFERENCE_RATE} >= ${a.routerErrors.minRequestsPerSecond}`,
                for: a.routerErrors.for,
                severity: "critical",
                summary: "Clients get errors from the SGLang router",
                description: `{{ $value | humanizePercentage }} of the inference responses of ${ON_ROUTER} are 5xx (retries exhausted, no available worker, worker errors), above ${a.routerErrors.threshold * 100}% for ${a.routerErrors.for} with at least ${a.routerErrors.minRequestsPerSecond} responses per second.`,
            }),
            // Scaled to zero, a model without workers is its idle state.
            ...(scalesToZero(settings)
                ? []
                : [
                      alertRule(links, {
                          name: "SGLangRouterModelWithoutWorkers",
                          // smg sets a model's pool size to 0 when its last worker is removed; the series stays.
                          expr: `sum by (${R}, model) (smg_worker_pool_size) == 0`,
                          for: a.routerModelWithoutWorkers.for,
                          severity: "critical",
                          summary: "A model has no worker left behind the SGLang router",
                          description: `Model {{ $labels.model }} has {{ $value }} workers registered on ${ON_ROUTER} for ${a.routerModelWithoutWorkers.for}: every worker serving it was removed, and its requests get 404 model_not_found while the other models are served.`,
                      }),
                  ]),
            alertRule(links, {
                name: "SGLangRouterModelNotFound",
                expr: `sum by (${R}) (increase(smg_http_responses_total{error_code="model_not_found"}[10m])) > 0`,
                severity: "info",
                summary: "Clients ask the SGLang router for a model nobody serves",
                description: `${ON_ROUTER} answered {{ $value | humanize }} requests in 10 minutes with 404 model_not_found: their \`model\` is no served model name of this stack, or that model has no worker left.`,
            }),
        ],
    };
}
