/**
 * The dashboard of a stack serving several models: the model variable
 * chooses the model in every SGLang and router panel that has a model, the
 * TTFT panel draws each chosen model's threshold from its recorded series,
 * and every query still parses as PromQL.
 */
import { strict as assert } from "node:assert";
import { objectiveRules } from "../monitoring/objectives";
import * as s from "../monitoring/series";
import { parseSettings } from "../settings";
import { twoModelSettings } from "../tests/support/monitoring/model-alert-cases";
import { DATASOURCE_UID } from "./constants";
import { buildDashboard } from "./dashboard";
import { parsePromql, substituteVariables } from "./promql-check";
import { dashboardQueries } from "./queries";

const several = twoModelSettings();
const model = buildDashboard(several, { datasourceUid: DATASOURCE_UID });
const queries = dashboardQueries(model);

/** A panel of a built dashboard by title. */
function panel(m: ReturnType<typeof buildDashboard>, title: string): any {
    const found = (m.panels ?? []).find((p: any) => p.title === title);
    assert.ok(found, `no panel ${title}`);
    return found;
}

describe("the dashboard with several models", () => {
    it("parses every query as PromQL once Grafana's variables are filled in", () => {
        assert.ok(queries.length >= 30);
        for (const q of queries) assert.deepEqual(parsePromql(substituteVariables(q.expr)).errors, [], `${q.panelTitle}: ${q.expr}`);
    });

    it("filters every query of a per-model series by the model variable", () => {
        const perModel = queries.filter((q) => /\b(instance_model|model):/.test(q.expr));
        assert.ok(perModel.length >= 20, `only ${perModel.length} per-model queries`);
        for (const q of perModel) assert.match(q.expr, /model(_name)?=~"\$model"/, `${q.panelTitle}: ${q.expr}`);
    });

    it("draws each chosen model's TTFT threshold from the recorded series, where one model has a fixed line", () => {
        const ttft = panel(model, "Time to first token");
        const exprs = ttft.targets.map((t: any) => t.expr);
        assert.ok(exprs.includes(`${s.SLO_TTFT_THRESHOLD_SECONDS}{model_name=~"$model"}`), exprs.join("\n"));
        assert.ok(
            objectiveRules(several).some((r) => r.record === s.SLO_TTFT_THRESHOLD_SECONDS),
            "the series it reads is recorded for several models",
        );
        assert.deepEqual(
            ttft.fieldConfig.defaults.thresholds.steps.map((step: any) => step.value),
            [null],
            "no single threshold line for models with different thresholds",
        );

        const one = panel(
            buildDashboard(parseSettings("dev", { sloTtftThresholdSeconds: "4" }), { datasourceUid: DATASOURCE_UID }),
            "Time to first token",
        );
        assert.ok(!one.targets.some((t: any) => t.expr.includes(s.SLO_TTFT_THRESHOLD_SECONDS)));
        assert.deepEqual(
            one.fieldConfig.defaults.thresholds.steps.map((step: any) => step.value),
            [null, 4],
        );
    });
});
