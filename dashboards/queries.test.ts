import { strict as assert } from "node:assert";
import { recordingRuleGroups } from "../monitoring/recording";
import * as s from "../monitoring/series";
import type { RecordingRule } from "../monitoring/types";
import { parseSettings } from "../settings";
import { DATASOURCE_UID } from "./constants";
import { buildDashboard } from "./dashboard";
import { exportForImport } from "./export";
import { parsePromql, substituteVariables } from "./promql-check";
import { dashboardQueries, variableQueries } from "./queries";

// With a GPU price, so that the cost panels it turns on are checked too.
const settings = parseSettings("dev", { gpuHourlyPrice: "2.5" });
const model = buildDashboard(settings, { datasourceUid: DATASOURCE_UID });
const queries = dashboardQueries(model);

/** Series Prometheus writes itself for every scrape target, with the target's `job` and `instance`. */
/** Series Prometheus writes itself, or the blackbox exporter's canary probes it scrapes. */
const PROMETHEUS_SERIES = new Set(["up", "probe_success", "probe_duration_seconds"]);

/** What the recording rules produce, by name: the rule expressions (a name may be recorded by several rules). */
function recordedSeries(): Map<string, RecordingRule[]> {
    const out = new Map<string, RecordingRule[]>();
    for (const group of recordingRuleGroups(settings)) {
        for (const rule of group.rules) {
            if ("record" in rule) out.set(rule.record, [...(out.get(rule.record) ?? []), rule]);
        }
    }
    return out;
}
const recorded = recordedSeries();

/** The selector part of `label_values(<selector>, <label>)`. */
function labelValuesSelector(query: string): string {
    const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
    assert.ok(m, `not a label_values() query: ${query}`);
    return m[1];
}

describe("dashboard queries", () => {
    it("finds the queries of every panel", () => {
        assert.ok(queries.length >= 30, `only ${queries.length} queries`);
        assert.equal(new Set(queries.map((q) => q.panelTitle)).size, model.panels!.filter((p) => p.type !== "row").length);
        assert.deepEqual(dashboardQueries(exportForImport(model)), queries, "the importable file has the same queries");
    });

    it("every query parses as PromQL once Grafana's variables are filled in", () => {
        for (const q of queries) {
            const parsed = parsePromql(substituteVariables(q.expr));
            assert.deepEqual(parsed.errors, [], `${q.panelTitle}: ${q.expr}`);
        }
    });

    it("the parser check catches broken PromQL and unknown variables", () => {
        assert.notDeepEqual(parsePromql("sum(rate(x[5m])").errors, []);
        assert.notDeepEqual(parsePromql('x{instance=~"a"').errors, []);
        assert.throws(() => substituteVariables('x{pod=~"$pod"}'), /unknown variable \$pod/);
    });

    it("every series a query reads is produced by a recording rule, by Prometheus itself or by the canary's prober", () => {
        const names = new Set<string>();
        for (const q of queries) {
            for (const sel of parsePromql(substituteVariables(q.expr)).selectors) {
                assert.ok(sel.metric, `${q.panelTitle}: selector without a metric name in ${q.expr}`);
                assert.ok(recorded.has(sel.metric) || PROMETHEUS_SERIES.has(sel.metric), `${q.panelTitle}: nothing produces ${sel.metric}`);
                names.add(sel.metric);
            }
        }
        // Panels read the normalized layer, never a raw exporter name that a rename could break.
        for (const n of names) assert.ok(n.includes(":") || n.startsWith("nvidia_gpu_") || PROMETHEUS_SERIES.has(n), n);
    });

    /**
     * Whether every rule recording `metric` keeps `label`: it names the label
     * (in its `by (…)` clause or its labels), or it reads only recorded series
     * that keep it (e.g. a quantile of bucket rates).
     */
    function keepsLabel(metric: string, label: string): boolean {
        return (recorded.get(metric) ?? []).every((r) => {
            if (r.expr.includes(label) || (r.labels && label in r.labels)) return true;
            const inputs = parsePromql(r.expr).selectors.map((sel) => sel.metric);
            return inputs.length > 0 && inputs.every((m) => recorded.has(m) && keepsLabel(m, label));
        });
    }

    it("filters only on labels the producing rule keeps", () => {
        assert.ok(!keepsLabel(s.GPU_UTILIZATION, "model_name"), "the check must fail on a label a rule drops");
        for (const q of queries) {
            for (const sel of parsePromql(substituteVariables(q.expr)).selectors) {
                if (!recorded.has(sel.metric)) continue; // `up`: Prometheus' target labels job and instance
                for (const label of sel.labels) {
                    assert.ok(
                        keepsLabel(sel.metric, label),
                        `${q.panelTitle}: ${sel.metric} is recorded without the "${label}" label it is filtered on`,
                    );
                }
            }
        }
    });

    it("variable queries read series that exist and parse", () => {
        const vars = variableQueries(model);
        assert.deepEqual(
            vars.map((v) => v.name),
            ["instance", "model"],
        );
        for (const v of vars) {
            const parsed = parsePromql(substituteVariables(labelValuesSelector(v.query)));
            assert.deepEqual(parsed.errors, [], v.query);
            for (const sel of parsed.selectors) {
                assert.ok(recorded.has(sel.metric) || PROMETHEUS_SERIES.has(sel.metric), `${v.name}: nothing produces ${sel.metric}`);
            }
        }
    });

    it("never divides unaggregated series nor takes quantiles of raw buckets (the guide's defects)", () => {
        for (const q of queries) {
            assert.ok(!/histogram_quantile/.test(q.expr) || /sum by \([^)]*\ble\b/.test(q.expr), q.expr);
            if (q.expr.includes(" / ")) assert.match(q.expr, /^sum\(.+\) \/ \(sum\(.+\) > 0\)$/, `${q.panelTitle}: ${q.expr}`);
        }
    });
});
