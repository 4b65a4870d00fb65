import { strict as assert } from "node:assert";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { recordingRuleGroups, slowRecordingInterval } from "../monitoring/recording";
import * as S from "../monitoring/series";
import type { RecordingRule } from "../monitoring/types";
import type { Settings } from "../settings";
import { parseSettings } from "../settings";
import { MAY_BE_ABSENT } from "./absence";
import { DASHBOARD_TITLE, DASHBOARD_UID, DATASOURCE_UID } from "./constants";
import { buildDashboard } from "./dashboard";
import { GRID_COLUMNS } from "./layout";
import { dashboardQueries } from "./queries";

const defaults = parseSettings("dev", {});
const model = buildDashboard(defaults, { datasourceUid: DATASOURCE_UID });
const allPanels = (model.panels ?? []) as (dashboard.Panel | dashboard.RowPanel)[];
const panels = allPanels.filter((p): p is dashboard.Panel => p.type !== "row");

function panel(m: dashboard.Dashboard, title: string): dashboard.Panel {
    const found = (m.panels ?? []).find((p) => p.title === title);
    assert.ok(found, `no panel "${title}"`);
    return found as dashboard.Panel;
}

function steps(p: dashboard.Panel): { value: number | null; color: string }[] {
    return p.fieldConfig?.defaults?.thresholds?.steps ?? [];
}

describe("dashboard model", () => {
    it("has the guide's uid, title and the agreed variables", () => {
        assert.equal(model.uid, "sglang-ananke");
        assert.equal(model.uid, DASHBOARD_UID);
        assert.equal(model.title, DASHBOARD_TITLE);
        assert.deepEqual(
            model.templating.list?.map((v) => [v.name, v.type]),
            [
                ["datasource", "datasource"],
                ["instance", "query"],
                ["model", "query"],
            ],
        );
        const ds = model.templating.list?.[0];
        assert.equal(ds?.query, "prometheus");
        assert.equal(ds?.current?.value, DATASOURCE_UID);
        assert.equal(buildDashboard(defaults, { datasourceUid: "other" }).templating.list?.[0].current?.value, "other");
    });

    it("is plain JSON (what Grafana stores)", () => {
        assert.deepEqual(JSON.parse(JSON.stringify(model)), model);
    });

    it("has the guide's panels and the rows of the layout", () => {
        const titles = new Set(allPanels.map((p) => p.title));
        for (const t of [
            "Server status",
            "Request rate",
            "Error rate",
            "P95 latency",
            "Constraint violations by domain",
            "Rollbacks",
            "Grammar cache hit rate",
            "GPU utilization",
            "GPU memory used",
            "Time to first token",
            "Inter-token latency",
            "Prompt tokens per second",
            "Generation tokens per second",
            "Running requests",
            "Queued requests",
            "KV-cache usage",
            "Prefix-cache hit rate",
            "GPU temperature",
            "GPU power draw",
            "CPU busy",
            "Memory used",
            "Disk used",
        ]) {
            assert.ok(titles.has(t), `missing panel "${t}"`);
        }
        assert.deepEqual(
            allPanels.filter((p) => p.type === "row").map((p) => p.title),
            ["Overview", "Canary", "Latency", "Throughput", "Cache", "Ananke", "GPU", "Host", "Router", "Capacity"],
        );
    });

    it("gives every panel and row a unique id", () => {
        const ids = allPanels.map((p) => p.id);
        assert.ok(ids.every((id) => typeof id === "number" && id > 0));
        assert.equal(new Set(ids).size, ids.length);
    });

    it("places every panel inside the 24 columns without overlaps", () => {
        const boxes = allPanels.map((p) => ({ title: p.title, ...(p.gridPos as dashboard.GridPos) }));
        for (const b of boxes) {
            assert.ok(b.x >= 0 && b.w > 0 && b.x + b.w <= GRID_COLUMNS, `${b.title} sticks out: ${JSON.stringify(b)}`);
            assert.ok(b.y >= 0 && b.h > 0, `${b.title} has a bad height or y`);
        }
        for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
                const [a, b] = [boxes[i], boxes[j]];
                const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
                assert.ok(!overlap, `"${a.title}" overlaps "${b.title}"`);
            }
        }
    });

    it("queries the ${datasource} variable from every panel, query and variable", () => {
        const ref = { type: "prometheus", uid: "${datasource}" };
        for (const p of panels) {
            assert.deepEqual(p.datasource, ref, `panel ${p.title}`);
            assert.ok((p.targets ?? []).length > 0, `panel ${p.title} has no query`);
            for (const t of p.targets ?? []) assert.deepEqual((t as { datasource?: unknown }).datasource, ref, `query of ${p.title}`);
        }
        for (const v of model.templating.list ?? []) {
            if (v.type === "query") assert.deepEqual(v.datasource, ref, `variable ${v.name}`);
        }
        assert.ok(!JSON.stringify(model.panels).includes(DATASOURCE_UID), "no panel hard-codes the datasource uid");
    });

    it("gives queries distinct refIds and shows legends on graphs", () => {
        for (const p of panels) {
            const refIds = (p.targets ?? []).map((t) => (t as { refId?: string }).refId);
            assert.equal(new Set(refIds).size, refIds.length, `panel ${p.title}`);
            assert.ok(refIds.every((r) => typeof r === "string" && r.length > 0));
            if (p.type === "timeseries") assert.equal(p.options?.legend?.showLegend, true, `legend of ${p.title}`);
        }
    });

    it("steps every query of a latency quantile recorded once a slow interval by that interval, and no other query", () => {
        // (The cards' memory size, also recorded slowly, is a constant: its line needs no step.)
        const quantiles = S.LATENCY_HISTOGRAMS.flatMap((h) => (Object.keys(S.QUANTILES) as S.QuantileName[]).map((q) => S.latencyQuantile(h, q)));
        const slowNames = recordingRuleGroups(defaults)
            .filter((g) => g.interval !== undefined && !g.name.endsWith(".tiles.recording"))
            .flatMap((g) => (g.rules as RecordingRule[]).map((r) => r.record))
            .filter((name) => quantiles.includes(name));
        const reads = (expr: string, name: string) =>
            new RegExp(`(^|[^A-Za-z0-9_:])${name}($|[^A-Za-z0-9_:{])`).test(expr) || expr.includes(`${name}{`);
        let stepped = 0;
        for (const p of panels) {
            for (const t of (p.targets ?? []) as { expr?: string; interval?: string }[]) {
                const slow = slowNames.some((n) => reads(t.expr ?? "", n));
                assert.equal(t.interval, slow ? slowRecordingInterval(defaults) : undefined, `${p.title}: ${t.expr}`);
                if (slow) stepped++;
            }
        }
        // Queue time's three quantiles, and P50 and P99 of E2E, TTFT and ITL.
        assert.equal(stepped, 9);
    });

    it("explains in the description of every panel whose series may be absent why, and says so instead of 'No data'", () => {
        let checked = 0;
        for (const p of panels) {
            assert.ok((p.description ?? "").length > 20, `panel ${p.title} has no description`);
            const optional = Object.keys(MAY_BE_ABSENT).filter((name) =>
                dashboardQueries({ panels: [p] }).some((q) => new RegExp(`(^|[^\\w:])${name.replace(/[:]/g, "\\:")}($|[^\\w:])`).test(q.expr)),
            );
            for (const name of optional) {
                checked++;
                assert.ok(p.description?.includes(MAY_BE_ABSENT[name]), `panel ${p.title} must say why ${name} may be absent`);
                assert.ok(p.fieldConfig?.defaults?.noValue, `panel ${p.title} must show a text instead of "No data"`);
            }
        }
        assert.ok(checked >= 8, `expected the Ananke, grammar-cache and GPU panels to be checked, got ${checked}`);
    });
});

describe("dashboard thresholds follow the alert settings", () => {
    /** Raw config values different from the defaults, and where each must show. */
    const cases: { key: string; raw: string; panel: string; step: (s: Settings) => number; color: string }[] = [
        { key: "alertGpuMemoryPercent", raw: "80", panel: "GPU memory used", step: (s) => s.alerts.gpuMemoryHigh.threshold / 100, color: "red" },
        { key: "alertLatencyP95Seconds", raw: "12.5", panel: "P95 latency", step: (s) => s.alerts.highLatency.threshold, color: "red" },
        { key: "alertLatencyP95Seconds", raw: "12.5", panel: "End-to-end latency", step: (s) => s.alerts.highLatency.threshold, color: "red" },
        { key: "alertErrorRatio", raw: "0.02", panel: "Error rate", step: (s) => s.alerts.errorRateHigh.threshold, color: "red" },
        {
            key: "alertConstraintViolationsPerSecond",
            raw: "3",
            panel: "Constraint violations by domain",
            step: (s) => s.alerts.constraintViolationsHigh.threshold,
            color: "red",
        },
        { key: "alertRollbacksPerSecond", raw: "7", panel: "Rollbacks", step: (s) => s.alerts.rollbacksHigh.threshold, color: "red" },
        {
            key: "alertGrammarCacheMissRatio",
            raw: "0.3",
            panel: "Grammar cache hit rate",
            step: (s) => 1 - s.alerts.grammarCacheMissHigh.threshold,
            color: "green",
        },
        { key: "alertGpuTemperatureCelsius", raw: "75", panel: "GPU temperature", step: (s) => s.alerts.gpuTemperatureHigh.threshold, color: "red" },
        {
            key: "alertGpuUtilizationLowPercent",
            raw: "25",
            panel: "GPU utilization",
            step: (s) => s.alerts.gpuUtilizationLow.threshold,
            color: "green",
        },
        { key: "alertHostCpuPercent", raw: "70", panel: "CPU busy", step: (s) => s.alerts.hostCpuHigh.threshold / 100, color: "red" },
        { key: "alertHostMemoryPercent", raw: "70", panel: "Memory used", step: (s) => s.alerts.hostMemoryHigh.threshold / 100, color: "red" },
        { key: "alertDiskUsedPercent", raw: "60", panel: "Disk used", step: (s) => s.alerts.diskSpaceLow.threshold / 100, color: "red" },
        { key: "alertQueueBacklog", raw: "40", panel: "Queued requests", step: (s) => s.alerts.queueBacklog.threshold, color: "red" },
        { key: "alertKvCacheUsageRatio", raw: "0.75", panel: "KV-cache usage", step: (s) => s.alerts.kvCacheHigh.threshold, color: "red" },
        { key: "sloTtftThresholdSeconds", raw: "4", panel: "Time to first token", step: (s) => s.slo.latencyThresholdSeconds, color: "red" },
    ];
    for (const c of cases) {
        it(`${c.key} moves the step of "${c.panel}"`, () => {
            const changed = parseSettings("dev", { [c.key]: c.raw });
            const expected = c.step(changed);
            assert.notEqual(expected, c.step(defaults), "the test value must differ from the default");
            const before = steps(panel(model, c.panel));
            const after = steps(panel(buildDashboard(changed, { datasourceUid: DATASOURCE_UID }), c.panel));
            assert.ok(
                before.some((st) => st.value === c.step(defaults) && st.color === c.color),
                JSON.stringify(before),
            );
            assert.ok(
                after.some((st) => st.value === expected && st.color === c.color),
                JSON.stringify(after),
            );
        });
    }

    it("states the alert's threshold in the panel description", () => {
        const changed = parseSettings("dev", { alertGpuMemoryPercent: "80", alertGpuMemoryFor: "7m" });
        const description = panel(buildDashboard(changed, { datasourceUid: DATASOURCE_UID }), "GPU memory used").description ?? "";
        assert.match(description, /GPUMemoryHigh threshold \(80 % for 7m\)/);
    });

    it("gives every panel a unit (heatmaps on their y axis)", () => {
        for (const p of panels) {
            const unit = p.type === "heatmap" ? p.options?.yAxis?.unit : p.fieldConfig?.defaults?.unit;
            assert.ok(typeof unit === "string" && unit.length > 0, `panel ${p.title} has no unit`);
        }
    });

    it("uses units that match the alert thresholds' units", () => {
        const units = Object.fromEntries(panels.map((p) => [p.title, p.fieldConfig?.defaults?.unit]));
        assert.equal(units["GPU memory used"], "percentunit");
        assert.equal(units["Error rate"], "percentunit");
        assert.equal(units["KV-cache usage"], "percentunit");
        assert.equal(units["P95 latency"], "s");
        assert.equal(units["GPU temperature"], "celsius");
        assert.equal(units["GPU power draw"], "watt");
        assert.equal(units["Request rate"], "reqps");
    });
});
