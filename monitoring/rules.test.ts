import { strict as assert } from "node:assert";
import { DCGM_CONTRACTS, NODE_EXPORTER_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../contracts/gpu";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { SGLANG_GUIDE_ANANKE } from "../contracts/sglang/guide-ananke";
import { durationSeconds, parseSettings, type Settings } from "../settings";
import { type AlertCase, alertCases, defaultVersions, type Versions } from "../tests/support/monitoring/alert-cases";
import * as F from "../tests/support/monitoring/fixtures";
import { modelAlertCases, twoModelSettings } from "../tests/support/monitoring/model-alert-cases";
import { promtoolTestFile, splitByDependencies } from "../tests/support/monitoring/promtool-tests";
import { expectSuccess, run, runAll, TempDir } from "../tests/support/monitoring/tools";
import { alertRuleGroups, allAlerts, SLOW_ALERTS } from "./alerts";
import { AvailabilityChecker } from "./availability";
import { defaultLinks } from "./links";
import { PANEL_ONLY_QUANTILES, recordingRuleGroups, SLOW_LATENCY_HISTOGRAMS, SLOW_SLO_WINDOWS } from "./recording";
import { RULE_FILE, renderRuleFiles } from "./render";
import * as S from "./series";
import type { AlertingRule, RecordingRule } from "./types";
import { toYaml } from "./yaml";

const defaults = parseSettings("dev", {});

/**
 * The version sets the cases run on: every SGLang version with a GPU
 * exporter version each (all of them covered), and the default image with
 * the guide's Ananke names written beside it.
 */
function versionSets(): { name: string; versions: Versions }[] {
    const at = <T>(list: readonly T[], i: number) => list[i % list.length];
    const sets = SGLANG_CONTRACTS.map((sglang, i) => ({
        name: `${sglang.id}, ${at(DCGM_CONTRACTS, i).id}, ${at(NVIDIA_GPU_EXPORTER_CONTRACTS, i).id}`,
        versions: { sglang, dcgm: at(DCGM_CONTRACTS, i), smi: at(NVIDIA_GPU_EXPORTER_CONTRACTS, i), node: NODE_EXPORTER_CONTRACTS[0] },
    }));
    const guide = { ...defaultVersions(), ananke: SGLANG_GUIDE_ANANKE };
    return [...sets, { name: `${guide.sglang.id} with the guide's Ananke names`, versions: guide }];
}

/**
 * The cases as they must hold on these versions: an alert that cannot have
 * data there (its inputs are not written, see monitoring/availability.ts)
 * must stay silent even on its firing input, which proves the declaration.
 */
function casesOn(settings: Settings, versions: Versions): AlertCase[] {
    const contracts = [
        versions.sglang,
        ...(versions.ananke ? [versions.ananke] : []),
        versions.dcgm,
        versions.smi,
        versions.node,
        versions.router ?? F.DEFAULT_ROUTER_CONTRACT,
    ];
    const groups = [...recordingRuleGroups(settings), ...alertRuleGroups(settings, defaultLinks(settings))];
    const checker = new AvailabilityChecker(contracts, groups);
    const rules = new Map(allAlerts(settings, defaultLinks(settings)).map((r) => [r.alert, r]));
    return alertCases(settings, versions).map((c) => {
        if (checker.check(rules.get(c.alert)!.expr).ok) return c;
        const quiet = [...c.fire, ...c.silent].map(({ series, atMinutes, note }) => ({
            series,
            atMinutes,
            note: `not emitted here, stays silent: ${note}`,
        }));
        return { alert: c.alert, fire: [], silent: quiet };
    });
}

/**
 * Runs `promtool test rules` for the alert cases on the rules rendered for
 * `settings` (split one file per group so each test evaluates only what it
 * needs); throws with promtool's output on failure.
 */
async function promtoolTestRules(
    settings: Settings,
    versions: Versions,
    only?: (alert: string) => boolean,
    given: AlertCase[] = casesOn(settings, versions),
): Promise<void> {
    const dir = new TempDir();
    try {
        const links = defaultLinks(settings);
        const cases = given.filter((c) => !only || only(c.alert));
        const split = splitByDependencies(recordingRuleGroups(settings), alertRuleGroups(settings, links), cases);
        for (const f of split.files) dir.write(f.file, toYaml({ groups: [f.group] }));
        for (const t of split.testFiles) dir.write(t.name, toYaml(promtoolTestFile(t.ruleFiles, t.tests)));
        const results = await runAll(split.testFiles.map((t) => ({ cmd: "promtool", args: ["test", "rules", t.name], cwd: dir.path })));
        results.forEach((r, i) => expectSuccess(r, `promtool test rules (${split.testFiles[i].tests.map((t) => t.name).join("; ")})`));
    } finally {
        dir.remove();
    }
}

describe("monitoring rules", () => {
    it("pass promtool check rules", () => {
        const dir = new TempDir();
        try {
            const files = renderRuleFiles(defaults, defaultLinks(defaults));
            assert.deepEqual(Object.keys(files).sort(), [RULE_FILE.alerts, RULE_FILE.recording].sort());
            const paths = Object.entries(files).map(([name, content]) => dir.write(name, content));
            expectSuccess(run("promtool", ["check", "rules", ...paths]), "promtool check rules");
        } finally {
            dir.remove();
        }
    });

    it("have a firing and a silent promtool case for every alert, and no case for a missing alert", () => {
        const alerts = allAlerts(defaults, defaultLinks(defaults)).map((a) => a.alert);
        const cases = alertCases(defaults, { ...defaultVersions(), ananke: SGLANG_GUIDE_ANANKE });
        assert.deepEqual(cases.map((c) => c.alert).sort(), [...alerts].sort());
        for (const c of cases) {
            assert.ok(c.fire.length > 0, `${c.alert} has no firing case`);
            if (c.alert !== "Watchdog") assert.ok(c.silent.length > 0, `${c.alert} has no silent case`);
        }
    });

    for (const set of versionSets()) {
        it(`fire on each version's real series and stay silent just under the threshold, or stay silent where the version cannot feed them (promtool test rules, default settings; ${set.name})`, async () => {
            // The rules read DCGM's throttle durations in the unit of the configured image's version.
            const settings = parseSettings("dev", { dcgmExporterImage: set.versions.dcgm.images[0] });
            await promtoolTestRules(settings, set.versions);
        });
    }

    it("follow the thresholds, for durations and objectives in settings (promtool test rules, changed settings)", async () => {
        const changed = parseSettings("dev", {
            alertGpuTemperatureCelsius: 75,
            alertLatencyP95Seconds: "12",
            alertErrorRatio: "0.2",
            alertQueueBacklog: 20,
            alertKvCacheUsageRatio: "0.8",
            alertServerDownFor: "3m",
            alertDiskUsedPercent: 70,
            sloAvailabilityObjective: "0.99",
            sloLatencyObjective: "0.95",
            sloTtftThresholdSeconds: "1",
            gpuExporter: "nvidia-smi",
            alertRouterErrorRatio: "0.2",
            alertRouterErrorMinRequestsPerSecond: "1",
            alertRouterNoHealthyWorkerFor: "5m",
        });
        // Only the alerts whose settings changed: the others are covered by the default run.
        const changedAlerts =
            /^(SGLangServerDown|GPUTemperatureHigh|SGLangHighLatency|SGLangErrorRateHigh|RequestQueueBacklog|SGLangKVCacheHigh|DiskSpaceLow|GPUMetricsMissing|SGLang(Availability|Latency)BudgetBurn(Fast|Slow)|SGLangRouter(Errors|NoHealthyWorker))$/;
        await promtoolTestRules(changed, defaultVersions(), (alert) => changedAlerts.test(alert));
    });

    it("page per model with each model's objectives and TTFT threshold, and name the model a router or canary alert is about (promtool test rules, two models)", async () => {
        const settings = twoModelSettings();
        const cases = modelAlertCases(settings);
        // Each firing case must differ from one model's objectives: the same traffic stays silent for the other model.
        assert.ok(cases.every((c) => c.fire.length > 0 && c.silent.length > 0));
        await promtoolTestRules(settings, defaultVersions(), undefined, cases);
    });

    it("record in the slow groups, every four evaluation intervals up to a minute, only series that no alert reads or alerts holding 10 of those intervals", () => {
        const reads = (expr: string, name: string) => new RegExp(`(^|[^A-Za-z0-9_:])${name}($|[^A-Za-z0-9_:])`).test(expr);
        const slower = parseSettings("dev", { prometheusScrapeInterval: "1m", prometheusEvaluationInterval: "2m" });
        const faster = parseSettings("dev", { prometheusScrapeInterval: "1s", prometheusEvaluationInterval: "1s" });
        const shortThrottling = parseSettings("dev", { alertGpuThrottledFor: "5m" });
        for (const [settings, interval, gpuSlow] of [
            [defaults, "1m", [S.GPU_MEMORY_TOTAL_BYTES, S.GPU_PCIE_REPLAYS_RATE, S.GPU_THROTTLED_RATIO]],
            [slower, "2m", []],
            [faster, "4s", [S.GPU_MEMORY_TOTAL_BYTES, S.GPU_PCIE_REPLAYS_RATE, S.GPU_THROTTLED_RATIO]],
            // Its alert's for under ten slow intervals keeps the throttle ratio at the evaluation interval.
            [shortThrottling, "1m", [S.GPU_MEMORY_TOTAL_BYTES, S.GPU_PCIE_REPLAYS_RATE]],
        ] as const) {
            // Tiles have their own interval, the tile window (monitoring/slo-tiles.test.ts).
            const slow = recordingRuleGroups(settings).filter((g) => g.interval !== undefined && !g.name.endsWith(".tiles.recording"));
            assert.deepEqual(
                slow.map((g) => [g.name, g.interval]),
                [
                    ["sglang.slow.recording", interval],
                    ["sglang.guide-names.recording", interval],
                    ...(gpuSlow.length ? [["gpu.slow.recording", interval]] : []),
                    ["slo.slow.recording", interval],
                ],
            );
            const recorded = (name: string) => (slow.find((g) => g.name === name)?.rules ?? []) as RecordingRule[];
            assert.deepEqual(
                recorded("gpu.slow.recording").map((r) => r.record),
                gpuSlow,
            );
            // Every rule is recorded exactly once, in one group or the other.
            const everyRecord = (s: Settings) =>
                recordingRuleGroups(s)
                    .flatMap((g) => (g.rules as RecordingRule[]).map((r) => `${r.record}${JSON.stringify(r.labels ?? {})}`))
                    .sort();
            assert.deepEqual(everyRecord(settings), everyRecord(slower));
            const names = slow.flatMap((g) => (g.rules as RecordingRule[]).map((r) => r.record));
            assert.equal(
                names.length - recorded("sglang.guide-names.recording").length - gpuSlow.length,
                SLOW_LATENCY_HISTOGRAMS.length * (1 + Object.keys(S.QUANTILES).length) +
                    (S.LATENCY_HISTOGRAMS.length - SLOW_LATENCY_HISTOGRAMS.length) * PANEL_ONLY_QUANTILES.length +
                    SLOW_SLO_WINDOWS.length * 3,
                "per slow histogram a bucket rate and its quantiles, per other histogram its panel-only quantiles, per window three ratios",
            );
            // P95 stays fresh: alerts, autoscaling and the cost rules read it.
            assert.ok(!names.includes(S.SGLANG_TTFT_P95) && !names.includes(S.SGLANG_E2E_LATENCY_P95) && names.includes(S.SGLANG_TTFT_P99));
            // The guide's counters and histogram only: its queue-depth gauge is evaluated at the evaluation interval.
            assert.ok(!names.includes(S.GUIDE_REQUESTS_QUEUED) && names.includes(S.GUIDE_REQUEST_DURATION_BUCKET));
            const lagging = durationSeconds(interval) > durationSeconds(settings.prometheus.evaluationInterval);
            for (const alert of allAlerts(settings, defaultLinks(settings)))
                for (const name of names.filter((n) => reads(alert.expr, n)))
                    assert.ok(
                        !lagging || durationSeconds(alert.for ?? "0s") >= 10 * durationSeconds(interval),
                        `${alert.alert} (for ${alert.for ?? "0s"}) reads ${name}, recorded only every ${interval}`,
                    );
        }
        // The slow-burn SLO alerts do read the slow windows, so the check above is not vacuous.
        assert.ok(allAlerts(defaults, defaultLinks(defaults)).some((a) => SLOW_SLO_WINDOWS.some((w) => reads(a.expr, S.sloLatencyErrorRatio(w)))));
    });

    it("evaluate in a slow alert group only the alerts named slow, and only while their for holds ten of its intervals", () => {
        const slower = parseSettings("dev", { prometheusScrapeInterval: "1m", prometheusEvaluationInterval: "2m" });
        const faster = parseSettings("dev", { prometheusScrapeInterval: "1s", prometheusEvaluationInterval: "1s" });
        const shortIdle = parseSettings("dev", { alertGpuUtilizationLowFor: "5m" });
        const slowAlerts = (settings: Settings) =>
            alertRuleGroups(settings, defaultLinks(settings))
                .filter((g) => g.interval !== undefined)
                .flatMap((g) =>
                    (g.rules as AlertingRule[]).map((r) => ({ group: g.name, interval: g.interval!, alert: r.alert, for: r.for ?? "0s" })),
                );
        for (const settings of [defaults, faster, shortIdle]) {
            const slow = slowAlerts(settings);
            assert.ok(slow.length > 0);
            for (const a of slow) {
                assert.ok(SLOW_ALERTS.includes(a.alert), `${a.alert} is not one of SLOW_ALERTS`);
                assert.match(a.group, /\.slow\.alerts$/);
                assert.ok(durationSeconds(a.for) >= 10 * durationSeconds(a.interval), `${a.alert} (for ${a.for}) evaluated every ${a.interval}`);
            }
            // Every alert stays evaluated exactly once.
            assert.deepEqual(
                allAlerts(settings, defaultLinks(settings))
                    .map((a) => a.alert)
                    .sort(),
                allAlerts(slower, defaultLinks(slower))
                    .map((a) => a.alert)
                    .sort(),
            );
        }
        assert.deepEqual(
            slowAlerts(defaults).map((a) => [a.group, a.interval, a.alert]),
            [
                ["ananke.slow.alerts", "1m", "AnankeMetricsMissing"],
                ["gpu.slow.alerts", "1m", "GPUUtilizationLow"],
                ["gpu.slow.alerts", "1m", "GPUPcieReplaysHigh"],
                ["gpu.slow.alerts", "1m", "GPUThermalThrottling"],
                ["gpu.slow.alerts", "1m", "GPUMetricsMissing"],
                ["slo.slow.alerts", "1m", "SGLangAvailabilityBudgetBurnSlow"],
                ["slo.slow.alerts", "1m", "SGLangLatencyBudgetBurnSlow"],
                ["slo.slow.alerts", "1m", "SGLangItlBudgetBurnSlow"],
            ],
        );
        // A for shorter than ten slow intervals keeps the alert at the evaluation interval; so does an evaluation interval of a minute or more.
        assert.ok(!slowAlerts(shortIdle).some((a) => a.alert === "GPUUtilizationLow"));
        assert.deepEqual(slowAlerts(slower), []);
    });

    it("change the rule when a threshold changes in settings", () => {
        const expr = (s: Settings, name: string) => allAlerts(s, defaultLinks(s)).find((a) => a.alert === name)!;
        const hot = parseSettings("dev", { alertGpuTemperatureCelsius: 70, alertGpuTemperatureFor: "2m" });
        assert.match(expr(defaults, "GPUTemperatureHigh").expr, / > 85$/);
        assert.match(expr(hot, "GPUTemperatureHigh").expr, / > 70$/);
        assert.equal(expr(hot, "GPUTemperatureHigh").for, "2m");
        const slo = parseSettings("dev", { sloTtftThresholdSeconds: "0.4" });
        const latency = (s: Settings) =>
            recordingRuleGroups(s)
                .flatMap((g) => g.rules as RecordingRule[])
                .find((r) => r.record === "instance_model:sglang_slo_latency_errors:ratio_rate1h")!.expr;
        assert.match(latency(defaults), /le=~"2\(\\\\\.0\+\)\?"/);
        assert.match(latency(slo), /le=~"0\\\\\.40\*"/);
    });

    it("give every alert a severity, summary, description with value and instance, runbook and dashboard links", () => {
        const links = { grafanaUrl: "https://grafana.example.org", runbookBaseUrl: "https://example.org/runbooks" };
        for (const group of alertRuleGroups(defaults, links)) {
            for (const rule of group.rules as AlertingRule[]) {
                assert.ok(["critical", "warning", "info", "none"].includes(rule.labels.severity), rule.alert);
                assert.ok(rule.annotations.summary, `${rule.alert} summary`);
                assert.match(rule.annotations.description, /\{\{ \$value[ |}]/, `${rule.alert} description lacks $value`);
                assert.match(rule.annotations.description, /\{\{ \$labels\.instance \}\}/, `${rule.alert} description lacks the instance`);
                assert.equal(rule.annotations.runbook_url, `https://example.org/runbooks/${rule.alert}.md`);
                assert.equal(rule.annotations.dashboard_url, "https://grafana.example.org/d/sglang-ananke");
            }
        }
    });

    it("render annotations with the alert's value and labels (promtool exp_alerts)", () => {
        const links = defaultLinks(defaults);
        const rules = new Map(allAlerts(defaults, links).map((a) => [a.alert, a]));
        /** The annotations as Prometheus renders them for plain `{{ $value }}` / `{{ $labels.x }}` templates. */
        const rendered = (alert: string, value: string, labels: Record<string, string>) =>
            Object.fromEntries(
                Object.entries(rules.get(alert)!.annotations).map(([k, v]) => [
                    k,
                    v.replace(/\{\{ \$value \}\}/g, value).replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, l: string) => labels[l] ?? ""),
                ]),
            );
        const gpu = {
            job: "gpu-exporter",
            instance: F.GPU_INSTANCE,
            gpu: "1",
            uuid: F.GPUS[1].uuid,
            gpu_name: F.GPUS[1].name,
            hostname: "gpu-host-1",
        };
        const tests = [
            {
                interval: "1m",
                input_series: [F.up("sglang", F.SGLANG_INSTANCE, 0)],
                alert_rule_test: [
                    {
                        eval_time: "5m",
                        alertname: "SGLangServerDown",
                        exp_alerts: [
                            {
                                exp_labels: { severity: "critical", job: "sglang", instance: F.SGLANG_INSTANCE },
                                exp_annotations: rendered("SGLangServerDown", "0", { job: "sglang", instance: F.SGLANG_INSTANCE }),
                            },
                        ],
                    },
                ],
            },
            {
                interval: "1m",
                input_series: F.gpuExporter(F.DEFAULT_DCGM_CONTRACT, { DCGM_FI_DEV_GPU_TEMP: F.perGpu([50, 91]) }),
                alert_rule_test: [
                    {
                        eval_time: "12m",
                        alertname: "GPUTemperatureHigh",
                        exp_alerts: [{ exp_labels: { severity: "warning", ...gpu }, exp_annotations: rendered("GPUTemperatureHigh", "91", gpu) }],
                    },
                ],
            },
        ];
        const dir = new TempDir();
        try {
            const files = renderRuleFiles(defaults, links);
            for (const [name, content] of Object.entries(files)) dir.write(name, content);
            dir.write("annotations.test.yaml", toYaml({ rule_files: Object.keys(files), evaluation_interval: "1m", tests }));
            const description = rendered("GPUTemperatureHigh", "91", gpu).description;
            assert.match(description, /GPU 1 \(NVIDIA H100 80GB HBM3, GPU-9f8e.*\) on instance gpu-exporter:9400 is at 91 °C/);
            expectSuccess(run("promtool", ["test", "rules", "annotations.test.yaml"], dir.path), "promtool test rules (annotations)");
        } finally {
            dir.remove();
        }
    });

    it("keep the guide's six alerts with their severities and default thresholds", () => {
        const byName = new Map(allAlerts(defaults, defaultLinks(defaults)).map((a) => [a.alert, a]));
        const guide: [string, string, RegExp, string | undefined][] = [
            ["SGLangServerDown", "critical", /up\{job="sglang"\} == 0/, "1m"],
            ["GPUMemoryHigh", "critical", / > 95$/, "5m"],
            ["SGLangHighLatency", "warning", /p95_5m > 30$/, "5m"],
            ["SGLangErrorRateHigh", "warning", / > 0\.05$/, "5m"],
            ["AnankeConstraintViolationsHigh", "warning", / > 10$/, "5m"],
            ["AnankeRollbacksHigh", "warning", / > 20$/, "5m"],
        ];
        for (const [name, severity, expr, forDuration] of guide) {
            const rule = byName.get(name);
            assert.ok(rule, `${name} missing`);
            assert.equal(rule.labels.severity, severity, name);
            assert.match(rule.expr, expr, name);
            assert.equal(rule.for, forDuration, name);
        }
    });
});
