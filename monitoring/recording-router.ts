/**
 * Recording rules for the SGLang router (smg): requests, errors, latency and
 * workers as its v1.9.0 metrics really carry them (contracts/sglang-router).
 * Selected by metric name only: the router is deployed only with several
 * workers, and without it these rules record nothing.
 */
import { byClause, sumBy } from "./promql";
import * as S from "./series";
import type { RecordingRule, RuleGroup } from "./types";

const R = S.ROUTER_LABELS;
const w = S.RATE_WINDOW;

function rec(record: string, expr: string): RecordingRule {
    return { record, expr };
}

/** `path=~"…"`: the inference routes, as the router writes the matched route. */
const INFERENCE = `path=~"${S.ROUTER_INFERENCE_PATHS.join("|")}"`;

/** Responses to clients on the inference routes, per router and path. */
function responses(matchers: string): string {
    return sumBy([...R, "path"], `rate(smg_http_responses_total{${matchers}}[${w}])`);
}

export function routerGroup(): RuleGroup {
    const rules: RecordingRule[] = [
        rec(S.ROUTER_REQUESTS_RATE, sumBy([...R, "model", "endpoint"], `rate(smg_router_requests_total[${w}])`)),
        rec(S.ROUTER_RESPONSES_RATE, responses(INFERENCE)),
        // A status code's series appears at its first response: 0 from the same source until then.
        rec(S.ROUTER_ERRORS_RATE, `${responses(`${INFERENCE}, status_code=~"5.."`)} or 0 * ${S.ROUTER_RESPONSES_RATE}`),
        rec(S.ROUTER_INFERENCE_RATE, sumBy(R, S.ROUTER_RESPONSES_RATE)),
        rec(S.ROUTER_ERROR_RATIO, `${sumBy(R, S.ROUTER_ERRORS_RATE)} / (${S.ROUTER_INFERENCE_RATE} > 0)`),
        rec(S.ROUTER_DURATION_BUCKET_RATE, sumBy([...R, "model", "le"], `rate(${S.ROUTER_DURATION.source}_bucket[${w}])`)),
        ...(Object.entries(S.QUANTILES) as [S.QuantileName, number][]).map(([q, value]) =>
            rec(S.routerDurationQuantile(q), `histogram_quantile(${value}, ${S.ROUTER_DURATION_BUCKET_RATE})`),
        ),
        // smg_worker_health: 1 Ready, 0 not Ready, -1 removed (the series stays): only 1 and 0 are registered workers.
        rec(S.ROUTER_WORKERS_HEALTHY, sumBy(R, "smg_worker_health == bool 1")),
        rec(S.ROUTER_WORKERS_UNHEALTHY, sumBy(R, "smg_worker_health == bool 0")),
        rec(S.ROUTER_WORKERS_EJECTED, sumBy(R, "smg_worker_cb_state == bool 1")),
        // The router reports no cache hits; the workers' prefix caches show what cache-aware routing achieves.
        rec(
            S.FLEET_PREFIX_CACHE_HIT_RATIO,
            `sum by (model_name) (${S.SGLANG_PREFIX_CACHE_HIT_RATIO} * on (${byClause(S.SGLANG_LABELS)}) ${S.SGLANG_PROMPT_TOKENS_RATE})` +
                ` / (sum by (model_name) (${S.SGLANG_PROMPT_TOKENS_RATE}) > 0)`,
        ),
    ];
    return { name: "sglang-router.recording", rules };
}
