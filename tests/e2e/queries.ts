/**
 * The PromQL a person sees data from: every dashboard panel and variable
 * query, with Grafana's variables replaced the way Grafana does with "All"
 * selected, and the guide's examples.
 */
import { buildDashboard, DATASOURCE_UID, dashboardQueries, variableQueries } from "../../dashboards";
import type { Settings } from "../../settings";
import { GUIDE_QUERIES } from "./guide-queries";

export interface NamedQuery {
    /** Where the query comes from, for failure messages. */
    source: string;
    expr: string;
    /**
     * Whether "data" means a finite value (what a panel can plot). The guide's
     * examples only need to return series: its error-rate example divides
     * errors by errors (label matching without sum), which is NaN while
     * there are no errors, and it is quoted as users paste it.
     */
    finite: boolean;
}

/**
 * Grafana's substitutions: multi-value variables at "All" become their
 * allValue `.*`; rate windows become what Grafana picks for a 15 s scrape
 * interval (1m).
 */
const SUBSTITUTIONS: Record<string, string> = {
    instance: ".*",
    model: ".*",
    __rate_interval: "1m",
    __interval: "1m",
    __range: "1h",
};

export function substituteVariables(expr: string): string {
    return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_whole, braced: string | undefined, bare: string | undefined) => {
        const name = (braced ?? bare)!;
        const value = SUBSTITUTIONS[name];
        if (value === undefined) throw new Error(`dashboard query uses variable $${name}, which the end-to-end suite does not know: ${expr}`);
        return value;
    });
}

/** `label_values(expr, label)` → `expr` (the series the variable's values come from). */
function variableSeries(query: string): string {
    const m = /^label_values\((.*),\s*\w+\)$/s.exec(query.trim());
    if (!m) throw new Error(`unsupported variable query: ${query}`);
    return m[1];
}

export function dashboardPromQl(settings: Settings): NamedQuery[] {
    const model = buildDashboard(settings, { datasourceUid: DATASOURCE_UID }) as unknown as Parameters<typeof dashboardQueries>[0] &
        Parameters<typeof variableQueries>[0];
    const panels = dashboardQueries(model).map((q) => ({ source: `panel "${q.panelTitle}"`, expr: substituteVariables(q.expr), finite: true }));
    const variables = variableQueries(model).map((v) => ({
        source: `variable $${v.name}`,
        expr: substituteVariables(variableSeries(v.query)),
        finite: true,
    }));
    return [...panels, ...variables];
}

export function guidePromQl(): NamedQuery[] {
    return GUIDE_QUERIES.map((q) => ({ source: `guide example "${q.title}"`, expr: q.expr, finite: false }));
}
