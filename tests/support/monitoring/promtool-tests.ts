/** Turns the alert cases into a `promtool test rules` file. */

import type { AlertingRule, RecordingRule, RuleGroup } from "../../../monitoring/types";
import type { AlertCase } from "./alert-cases";
import type { InputSeries } from "./fixtures";

function labelsText(labels: Record<string, string>): string {
    return `{${Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(", ")}}`;
}

export interface PromtoolTest {
    name: string;
    interval: string;
    input_series: InputSeries[];
    promql_expr_test: { expr: string; eval_time: string; exp_samples: { labels: string; value: number }[] }[];
}

/** One promtool test per scenario: firing ones expect one firing alert with the given labels, silent ones none at all. */
export function promtoolTests(cases: AlertCase[]): PromtoolTest[] {
    const tests: PromtoolTest[] = [];
    for (const c of cases) {
        for (const f of c.fire) {
            const keys = Object.keys(f.labels);
            tests.push({
                name: `${c.alert} fires: ${f.note}`,
                interval: "1m",
                input_series: f.series,
                promql_expr_test: [
                    {
                        expr: `count by (${["alertname", ...keys].join(", ")}) (ALERTS{alertname="${c.alert}", alertstate="firing"})`,
                        eval_time: `${f.atMinutes}m`,
                        exp_samples: [{ labels: labelsText({ alertname: c.alert, ...f.labels }), value: 1 }],
                    },
                ],
            });
        }
        for (const s of c.silent) {
            tests.push({
                name: `${c.alert} stays silent: ${s.note}`,
                interval: "1m",
                input_series: s.series,
                promql_expr_test: [
                    // Neither pending nor firing, unless the scenario is about the `for` duration.
                    {
                        expr: `ALERTS{alertname="${c.alert}"${s.pendingAllowed ? ', alertstate="firing"' : ""}}`,
                        eval_time: `${s.atMinutes}m`,
                        exp_samples: [],
                    },
                    ...(s.present
                        ? [{ expr: `count(${s.present}) > bool 0`, eval_time: `${s.atMinutes}m`, exp_samples: [{ labels: "{}", value: 1 }] }]
                        : []),
                ],
            });
        }
    }
    return tests;
}

/** The whole test file: rule files relative to it. */
export function promtoolTestFile(ruleFiles: string[], tests: PromtoolTest[]): object {
    return { rule_files: ruleFiles, evaluation_interval: "1m", tests };
}

/** A rule file to write and the rule names it records or alerts on. */
export interface SplitRuleFile {
    file: string;
    group: RuleGroup;
}

/**
 * Splits the groups one file per group and, for every alert, finds the
 * recording groups its expression needs (transitively). Evaluating only those
 * keeps `promtool test rules` fast: the long SLO windows are not evaluated in
 * the GPU tests, and so on. The rules are the rendered ones, only split.
 */
export function splitByDependencies(
    recording: RuleGroup[],
    alerting: RuleGroup[],
    cases: AlertCase[],
): { files: SplitRuleFile[]; testFiles: { name: string; ruleFiles: string[]; tests: PromtoolTest[] }[] } {
    const fileOf = (prefix: string, g: RuleGroup) => `${prefix}-${g.name.replace(/[^A-Za-z0-9_.-]/g, "_")}.yaml`;
    const files: SplitRuleFile[] = [
        ...recording.map((g) => ({ file: fileOf("recording", g), group: g })),
        ...alerting.map((g) => ({ file: fileOf("alerts", g), group: g })),
    ];
    const recordedBy = new Map<string, string>();
    for (const g of recording) for (const r of g.rules as RecordingRule[]) recordedBy.set(r.record, fileOf("recording", g));
    const uses = (expr: string) =>
        [...recordedBy.keys()].filter((name) =>
            new RegExp(`(^|[^A-Za-z0-9_:])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9_:])`).test(expr),
        );
    const exprOf = new Map<string, string>();
    for (const g of recording) for (const r of g.rules as RecordingRule[]) exprOf.set(r.record, `${exprOf.get(r.record) ?? ""} ${r.expr}`);
    const needed = (expr: string): Set<string> => {
        const out = new Set<string>();
        const stack = uses(expr);
        const seen = new Set<string>();
        while (stack.length) {
            const name = stack.pop()!;
            if (seen.has(name)) continue;
            seen.add(name);
            out.add(recordedBy.get(name)!);
            stack.push(...uses(exprOf.get(name) ?? ""));
        }
        return out;
    };
    const buckets = new Map<string, { ruleFiles: string[]; tests: PromtoolTest[] }>();
    for (const c of cases) {
        const group = alerting.find((g) => (g.rules as AlertingRule[]).some((r) => r.alert === c.alert));
        if (!group) throw new Error(`no alert ${c.alert}`);
        const rule = (group.rules as AlertingRule[]).find((r) => r.alert === c.alert)!;
        const ruleFiles = [...needed(rule.expr)].sort().concat(fileOf("alerts", group));
        const key = ruleFiles.join(",");
        if (!buckets.has(key)) buckets.set(key, { ruleFiles, tests: [] });
        buckets.get(key)!.tests.push(...promtoolTests([c]));
    }
    return { files, testFiles: [...buckets.values()].map((b, i) => ({ name: `alerts-${i}.test.yaml`, ...b })) };
}
