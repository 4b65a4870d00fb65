import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { SGLANG_GUIDE_ANANKE } from "../contracts/sglang/guide-ananke";
import { parseSettings } from "../settings";
import { CATALOG_BY_KEY } from "../settings/catalog";
import * as F from "../tests/support/monitoring/fixtures";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { allAlerts } from "./alerts";
import { AvailabilityChecker } from "./availability";
import { defaultLinks } from "./links";
import { recordingRuleGroups } from "./recording";
import { toYaml } from "./yaml";

const runbooks = path.resolve(__dirname, "..", "docs", "runbooks");

describe("runbooks", () => {
    const settings = parseSettings("dev", {});
    const alerts = allAlerts(settings, defaultLinks(settings)).map((a) => a.alert);

    for (const alert of alerts) {
        it(`${alert} has docs/runbooks/${alert}.md saying what it means, what to check and how to fix`, () => {
            const file = path.join(runbooks, `${alert}.md`);
            assert.ok(fs.existsSync(file), `missing ${file}`);
            const text = fs.readFileSync(file, "utf8");
            assert.match(text, new RegExp(`^# ${alert}\\n`));
            for (const section of ["## What it means", "## What to check", "## How to fix"])
                assert.ok(text.includes(section), `${alert}: ${section}`);
            // Configuration keys named in a runbook must exist (they are what a reader will set).
            for (const [, word] of text.matchAll(/`([a-z]+[A-Z][A-Za-z0-9]*)`/g))
                assert.ok(CATALOG_BY_KEY.has(word), `${alert}.md names unknown config key ${word}`);
        });
    }

    it("exist only for alerts that exist", () => {
        const files = fs.readdirSync(runbooks).filter((f) => f.endsWith(".md") && f !== "README.md");
        assert.deepEqual(files.map((f) => f.replace(/\.md$/, "")).sort(), [...alerts].sort());
    });
});

/** The PromQL blocks of a runbook: what it tells a person to paste into Prometheus. */
function pasteableQueries(text: string): string[] {
    return [...text.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1].trim());
}

describe("runbook queries", () => {
    const queries = fs
        .readdirSync(runbooks)
        .filter((f) => f.endsWith(".md"))
        .flatMap((f) => pasteableQueries(fs.readFileSync(path.join(runbooks, f), "utf8")).map((q) => ({ runbook: f, query: q })));

    it("name SGLang and Ananke metrics by a pattern that matches both spellings", () => {
        assert.ok(queries.length >= 4, "the runbooks carry their queries in ```promql blocks");
        for (const { runbook, query } of queries) {
            const outsideStrings = query.replace(/"[^"]*"/g, '""');
            for (const [, name] of outsideStrings.matchAll(/(?:^|[^A-Za-z0-9_:])((?:sglang|ananke)[A-Za-z0-9_:]+)/g)) {
                assert.fail(`${runbook}: \`${name}\` names one spelling; use {__name__=~"sglang[:_]…"}`);
            }
        }
    });

    it("return data on every version that writes their metric, in both spellings, and parse as PromQL (promtool)", async () => {
        const dir = new TempDir();
        try {
            const settings = parseSettings("dev", {});
            dir.write("recording.yaml", toYaml({ groups: recordingRuleGroups(settings) }));
            const answered = new Set<string>();
            const tests = [];
            for (const contract of SGLANG_CONTRACTS) {
                const exporters = [F.DEFAULT_DCGM_CONTRACT, F.DEFAULT_NODE_CONTRACT];
                const inputOf = (spelling: "sglang:" | "sglang_") => [
                    ...F.sglang(F.busyTraffic(contract), { contract, spelling }),
                    ...F.sglang(F.busyTraffic(SGLANG_GUIDE_ANANKE), { contract: SGLANG_GUIDE_ANANKE }),
                    ...F.gpuExporter(F.DEFAULT_DCGM_CONTRACT, F.busyTraffic(F.DEFAULT_DCGM_CONTRACT)),
                    ...F.nodeExporter(F.busyTraffic(F.DEFAULT_NODE_CONTRACT)),
                    ...F.canaryProbe(1, 0.5),
                    ...F.router(F.busyTraffic(F.DEFAULT_ROUTER_CONTRACT)),
                ];
                const checker = new AvailabilityChecker(
                    [contract, SGLANG_GUIDE_ANANKE, ...exporters, F.DEFAULT_ROUTER_CONTRACT],
                    [...recordingRuleGroups(settings)],
                );
                // A query must answer in either spelling whenever the version writes its metric in one.
                const names = new Set([...inputOf("sglang:"), ...inputOf("sglang_")].map((s) => s.series.slice(0, s.series.indexOf("{"))));
                for (const spelling of ["sglang:", "sglang_"] as const) {
                    const input = inputOf(spelling);
                    const expr_tests = queries.map(({ query }) => {
                        const patterns = [...query.matchAll(/__name__=~"([^"]+)"/g)].map((m) => new RegExp(`^(?:${m[1]})$`));
                        // Queries by name pattern: data where a name matches; the others as the analysis says.
                        const expected = patterns.length > 0 ? patterns.every((p) => [...names].some((n) => p.test(n))) : checker.check(query).ok;
                        if (expected) answered.add(query);
                        return {
                            expr: `count(${query}) > bool 0 or vector(0)`,
                            eval_time: "10m",
                            exp_samples: [{ labels: "{}", value: expected ? 1 : 0 }],
                        };
                    });
                    tests.push({ name: `${contract.id}, ${spelling}`, interval: "1m", input_series: input, promql_expr_test: expr_tests });
                }
            }
            dir.write("queries.test.yaml", toYaml({ rule_files: ["recording.yaml"], evaluation_interval: "1m", tests }));
            expectSuccess(run("promtool", ["test", "rules", "queries.test.yaml"], dir.path), "promtool test rules (runbook queries)");
            for (const { runbook, query } of queries)
                assert.ok(answered.has(query), `${runbook}: no supported version writes what \`${query}\` reads`);
        } finally {
            dir.remove();
        }
    });
});
