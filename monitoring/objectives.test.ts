/**
 * Each model's objectives in the rules: a `models` list of one writes its
 * own objectives as constants and selects no model; several models pass
 * promtool's checks with its duplicate-rules lint fatal, and a page states the
 * firing model's own objective and threshold (promtool renders the
 * annotations, `query` templates included).
 */
import { strict as assert } from "node:assert";
import { parseSettings } from "../settings";
import * as F from "../tests/support/monitoring/fixtures";
import { CHAT, CODER, twoModelSettings } from "../tests/support/monitoring/model-alert-cases";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { allAlerts } from "./alerts";
import { defaultLinks } from "./links";
import { objectiveRules } from "./objectives";
import { recordingRuleGroups } from "./recording";
import { renderRuleFiles } from "./render";
import type { RecordingRule } from "./types";
import { toYaml } from "./yaml";

const alert = (settings: ReturnType<typeof parseSettings>, name: string) =>
    allAlerts(settings, defaultLinks(settings)).find((a) => a.alert === name)!;
const recorded = (settings: ReturnType<typeof parseSettings>) => recordingRuleGroups(settings).flatMap((g) => g.rules as RecordingRule[]);

describe("each model's objectives in the rules", () => {
    it("with one model in `models`, writes its own objectives as constants and selects no model", () => {
        const one = parseSettings("dev", {
            models: JSON.stringify([{ name: "coder", model: CODER.served, availabilityObjective: "0.99", ttftThresholdSeconds: "4" }]),
        });
        assert.deepEqual(objectiveRules(one), []);
        // 14.4 × (1 − 0.99): the model's budget, not the stack's default 99.5%.
        assert.match(alert(one, "SGLangAvailabilityBudgetBurnFast").expr, /ratio_rate1h > 0\.144 and/);
        assert.doesNotMatch(alert(one, "SGLangLatencyBudgetBurnFast").expr, /model_name/);
        const latency = recorded(one).filter((r) => r.record === "instance_model:sglang_slo_latency_errors:ratio_rate1h");
        assert.equal(latency.length, 1);
        assert.match(latency[0].expr, /le=~"4\(\\\\\.0\+\)\?"\}/);
    });

    it("with several, records each model's objectives and TTFT rule, and passes promtool check rules with the duplicate-rules lint fatal", () => {
        const several = twoModelSettings();
        const objectives = objectiveRules(several);
        assert.deepEqual(
            objectives.map((r) => [r.record, r.expr, r.labels?.model_name]),
            [CODER, CHAT].flatMap((m) => [
                ["model:sglang_slo_availability_objective:ratio", `vector(${m.availability})`, m.served],
                ["model:sglang_slo_latency_objective:ratio", `vector(${m.latency})`, m.served],
                ["model:sglang_slo_ttft_threshold:seconds", `vector(${m.ttft})`, m.served],
            ]),
        );
        const latency = recorded(several).filter((r) => r.record === "instance_model:sglang_slo_latency_errors:ratio_rate1h");
        assert.deepEqual(
            latency.map((r) => r.labels?.model_name),
            [CODER.served, CHAT.served],
        );
        const dir = new TempDir();
        try {
            const paths = Object.entries(renderRuleFiles(several, defaultLinks(several))).map(([name, content]) => dir.write(name, content));
            expectSuccess(run("promtool", ["check", "rules", "--lint=all", "--lint-fatal", ...paths]), "promtool check rules --lint-fatal");
        } finally {
            dir.remove();
        }
    });

    it("states the firing model's own objective and TTFT threshold in the page (promtool exp_annotations)", () => {
        const several = twoModelSettings();
        const links = defaultLinks(several);
        const on = { job: "sglang", instance: CODER.instance, model_name: CODER.served };
        /** The annotations with the value, labels and the model's recorded objective filled in as Prometheus renders them. */
        const rendered = (name: string, value: string, objective: string) =>
            Object.fromEntries(
                Object.entries(alert(several, name).annotations).map(([k, v]) => [
                    k,
                    v
                        .replace(/\{\{ with printf .*?\| value \}\}\{\{ end \}\}/g, String(CODER.ttft))
                        .replace(/\{\{ with printf .*?humanizePercentage \}\}\{\{ end \}\}/g, objective)
                        .replace(/\{\{ \$value \| humanizePercentage \}\}/g, value)
                        .replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, l: string) => (on as Record<string, string>)[l] ?? ""),
                ]),
            );
        const availability = rendered("SGLangAvailabilityBudgetBurnFast", "2%", "99.9%");
        const latency = rendered("SGLangLatencyBudgetBurnFast", "20%", "99%");
        assert.match(availability.description, /of the 99\.9% objective/);
        assert.match(latency.description, /above the model's threshold \(1 s\)/);
        const sglang = (traffic: Parameters<typeof F.sglang>[0]) => F.sglang(traffic, { instance: CODER.instance, modelName: CODER.served });
        const tests = [
            {
                interval: "1m",
                input_series: sglang({
                    num_requests_total: { rate: 10 },
                    // 2% failed, whichever way the version counts failures (HTTP 5xx, else aborted requests).
                    http_responses_total: F.httpResponses({ "200": 9.8, "500": 0.2 }),
                    num_aborted_requests_total: { rate: 0.2 },
                    time_to_first_token_seconds: F.latency(10, { 0.1: 0.8, 2: 0.2 }),
                }),
                alert_rule_test: [
                    {
                        eval_time: "12m",
                        alertname: "SGLangAvailabilityBudgetBurnFast",
                        exp_alerts: [{ exp_labels: { severity: "critical", ...on }, exp_annotations: availability }],
                    },
                    {
                        eval_time: "12m",
                        alertname: "SGLangLatencyBudgetBurnFast",
                        exp_alerts: [{ exp_labels: { severity: "critical", ...on }, exp_annotations: latency }],
                    },
                ],
            },
        ];
        const dir = new TempDir();
        try {
            const files = renderRuleFiles(several, links);
            for (const [name, content] of Object.entries(files)) dir.write(name, content);
            dir.write("annotations.test.yaml", toYaml({ rule_files: Object.keys(files), evaluation_interval: "1m", tests }));
            expectSuccess(run("promtool", ["test", "rules", "annotations.test.yaml"], dir.path), "promtool test rules (per-model annotations)");
        } finally {
            dir.remove();
        }
    });
});
