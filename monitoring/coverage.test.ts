/**
 * Every recording rule and every dashboard and guide query, evaluated by
 * promtool on the series each supported version really writes (generated
 * from its contract, every metric moving), for every SGLang × GPU exporter
 * combination: each returns data exactly when the availability analysis
 * (monitoring/availability.ts, which the upgrade gate, the panels' notes and
 * the alerts' version notes are built from) says it can. A query that is
 * empty where the analysis promised data, or has data where it declared
 * "not emitted", fails here.
 */
import { strict as assert } from "node:assert";
import { DCGM_CONTRACTS, NODE_EXPORTER_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../contracts/gpu";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { SGLANG_GUIDE_ANANKE } from "../contracts/sglang/guide-ananke";
import { SGLANG_ROUTER_CONTRACTS } from "../contracts/sglang-router";
import type { ExporterContract } from "../contracts/types";
import { parseSettings } from "../settings";
import { dashboardPromQl, guidePromQl } from "../tests/e2e/queries";
import * as F from "../tests/support/monitoring/fixtures";
import { expectSuccess, runAll, TempDir } from "../tests/support/monitoring/tools";
import { alertRuleGroups } from "./alerts";
import { AvailabilityChecker } from "./availability";
import { defaultLinks } from "./links";
import { recordingRuleGroups } from "./recording";
import type { RecordingRule } from "./types";
import { toYaml } from "./yaml";

/** A GPU price turns on the cost rules and panels: they are covered too. The router's one version is in every combination. */
const WITH_COST = { gpuHourlyPrice: "2.5" };

interface Combination {
    name: string;
    sglang: ExporterContract[];
    gpu: ExporterContract;
    node: ExporterContract;
}

function combinations(): Combination[] {
    const node = NODE_EXPORTER_CONTRACTS[0];
    const sglangSets = [...SGLANG_CONTRACTS.map((c) => [c]), [SGLANG_CONTRACTS[0], SGLANG_GUIDE_ANANKE]];
    return sglangSets.flatMap((sglang) =>
        [...DCGM_CONTRACTS, ...NVIDIA_GPU_EXPORTER_CONTRACTS].map((gpu) => ({
            name: [...sglang, gpu].map((c) => c.id).join(" + "),
            sglang,
            gpu,
            node,
        })),
    );
}

/**
 * The GPU exporter busy, and (where the version reports XIDs) GPU 1 reporting
 * a new XID at minute 5: series of new XIDs exist only after such an event.
 */
function gpuWithNewXid(gpu: ExporterContract): F.InputSeries[] {
    const busy = F.busyTraffic(gpu);
    return F.gpuExporterPhases(gpu, [
        { minutes: 5, traffic: { traffic: busy } },
        { minutes: F.DEFAULT_SAMPLES - 5, traffic: { traffic: { ...busy, DCGM_FI_DEV_XID_ERRORS: F.perGpu([0, 79]) } } },
    ]);
}

/** One promtool test: every query expected to have data or to be empty. */
function coverageTest(c: Combination) {
    const settings = parseSettings("dev", { gpuExporter: c.gpu.exporter === "dcgm-exporter" ? "dcgm" : "nvidia-smi", ...WITH_COST });
    const groups = [...recordingRuleGroups(settings), ...alertRuleGroups(settings, defaultLinks(settings))];
    const checker = new AvailabilityChecker([...c.sglang, c.gpu, c.node, ...SGLANG_ROUTER_CONTRACTS], groups);
    const recorded = recordingRuleGroups(settings).flatMap((g) => g.rules as RecordingRule[]);
    const selectorOf = (r: RecordingRule) =>
        `${r.record}${
            r.labels
                ? `{${Object.entries(r.labels)
                      .map(([k, v]) => `${k}="${v}"`)
                      .join(", ")}}`
                : ""
        }`;
    const queries = [
        ...[...new Map(recorded.map((r) => [selectorOf(r), r])).keys()].map((expr) => ({ source: `recording rule ${expr}`, expr })),
        ...dashboardPromQl(settings),
        ...guidePromQl(),
    ];
    const input = [
        ...c.sglang.flatMap((contract) => F.sglang(F.busyTraffic(contract), { contract })),
        ...gpuWithNewXid(c.gpu),
        ...F.nodeExporter(F.busyTraffic(c.node)),
        F.up("sglang", F.SGLANG_INSTANCE, 1),
        ...SGLANG_ROUTER_CONTRACTS.flatMap((contract) => F.router(F.busyTraffic(contract), { contract })),
        ...F.canaryProbe(1, 0.5),
    ];
    const expectations = queries.map((q) => ({ ...q, data: checker.check(q.expr).ok }));
    return {
        expectations,
        test: {
            name: c.name,
            interval: "1m",
            input_series: input,
            promql_expr_test: expectations.map((q) => ({
                expr: `count(${q.expr}) > bool 0 or vector(0)`,
                eval_time: "10m",
                exp_samples: [{ labels: "{}", value: q.data ? 1 : 0 }],
            })),
        },
    };
}

describe("coverage of every supported version (promtool on each contract's series)", function () {
    this.timeout(300_000);

    it("every recording rule, dashboard query and guide example returns data exactly where the availability analysis says it can", async () => {
        const dir = new TempDir();
        try {
            const settings = parseSettings("dev", WITH_COST);
            dir.write("recording.yaml", toYaml({ groups: recordingRuleGroups(settings) }));
            const runs = combinations().map((c) => ({ c, ...coverageTest(c) }));
            const files = runs.map((r, i) =>
                dir.write(`coverage-${i}.test.yaml`, toYaml({ rule_files: ["recording.yaml"], evaluation_interval: "1m", tests: [r.test] })),
            );
            const results = await runAll(files.map((f) => ({ cmd: "promtool", args: ["test", "rules", f], cwd: dir.path })));
            results.forEach((r, i) => expectSuccess(r, `promtool test rules: ${runs[i].c.name}`));
            // The declaration is not vacuous: most queries have data on every version.
            for (const r of runs) {
                const empty = r.expectations.filter((q) => !q.data);
                assert.ok(
                    empty.length < r.expectations.length / 4,
                    `${r.c.name}: ${empty.length} of ${r.expectations.length} queries declared without data`,
                );
            }
        } finally {
            dir.remove();
        }
    });
});
