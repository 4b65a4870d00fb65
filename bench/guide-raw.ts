/**
 * The guide's example queries ("Create Custom Panels") as a user without our
 * recording rules would have to run them: the same expressions on the
 * metrics the exporters really emit (guide name → real source as in the
 * project's metrics reference), computed from raw series at query time. Each
 * is paired with the dashboard panel that shows the same thing.
 */
import { parsePromql } from "../dashboards/promql-check";
import { GUIDE_QUERIES } from "../tests/e2e/guide-queries";

export interface RawGuideQuery {
    /** Title of the guide's example (tests/e2e/guide-queries.ts). */
    guideTitle: string;
    /** The guide's expression, verbatim. */
    guideExpr: string;
    /** The same expression on real exporter names. */
    rawExpr: string;
    /** The dashboard panel that shows the same quantity from recorded series. */
    panelTitle: string;
}

/** Guide title → [the real-name expression, the dashboard panel]. */
const RAW: Record<string, [string, string]> = {
    "Request rate": ["rate(sglang:num_requests_total[5m])", "Request rate by server"],
    // The guide's form (no `sum by (le)`) is kept: that is what users paste.
    "P95 latency": ["histogram_quantile(0.95, rate(sglang:e2e_request_latency_seconds_bucket[5m]))", "P95 latency by server"],
    // status="error" has no real label; aborted requests carry the same labels as all requests, so the guide's division still matches.
    "Error rate": ["rate(sglang:num_aborted_requests_total[5m]) / rate(sglang:num_requests_total[5m])", "Error rate by server"],
    // misses = grammars compiled − cache hits.
    "Ananke cache hit rate": [
        "rate(sglang:num_grammar_cache_hit_total[5m]) / (rate(sglang:num_grammar_cache_hit_total[5m]) + (rate(sglang:num_grammar_total[5m]) - rate(sglang:num_grammar_cache_hit_total[5m])))",
        "Grammar cache hit rate",
    ],
    // DCGM reports MiB; used / (used + free) is the same ratio as the guide's bytes.
    "GPU memory utilization": ["DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) * 100", "GPU memory used"],
};

/** Every guide example with its raw form; throws if the guide's list and this table disagree. */
export function rawGuideQueries(): RawGuideQuery[] {
    const missing = GUIDE_QUERIES.filter((q) => !(q.title in RAW)).map((q) => q.title);
    if (missing.length > 0) throw new Error(`no raw form for the guide's queries: ${missing.join(", ")}`);
    return GUIDE_QUERIES.map((q) => ({ guideTitle: q.title, guideExpr: q.expr, rawExpr: RAW[q.title][0], panelTitle: RAW[q.title][1] }));
}

/** The metric names `expr` selects that are not in `written` (what the fleet's exporter versions write), in order of appearance. */
export function unwrittenNames(expr: string, written: ReadonlySet<string>): string[] {
    const parsed = parsePromql(expr);
    if (parsed.errors.length > 0) throw new Error(`${expr}: ${parsed.errors.join("; ")}`);
    return [...new Set(parsed.selectors.map((s) => s.metric).filter((name) => name !== "" && !written.has(name)))];
}
