/**
 * The parts of the benchmarks that decide what is measured (no timing here):
 * the order rules are backfilled in, the synthetic fleet's series (those the
 * metric contracts say each exporter version shows), and the pairing of the
 * guide's raw queries with dashboard panels, and the history bench/rules
 * writes before its live run.
 */
import { strict as assert } from "node:assert";
import { chooseContract } from "../bench/contract-choice";
import {
    type FleetSpec,
    gpuIdentity,
    gpuUuid,
    hostTopology,
    PER_TARGET_NAMES,
    replicaFamilies,
    type SeriesDef,
    sglangTopology,
    whyUnwritten,
    writtenNames,
} from "../bench/fleet";
import { rawGuideQueries, unwrittenNames } from "../bench/guide-raw";
import { historySeconds, rangeReads } from "../bench/history";
import { mentions, planRules } from "../bench/rule-plan";
import { gpuTraffic, nodeTraffic, sglangTraffic } from "../bench/traffic";
import { gpuSeries, nodeSeries, sglangSeries } from "../contracts/generate";
import { DCGM_CONTRACTS, NODE_EXPORTER_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../contracts/gpu";
import { DEFAULT_SGLANG_CONTRACT, SGLANG_CONTRACTS } from "../contracts/sglang";
import { buildDashboard, DATASOURCE_UID, dashboardQueries } from "../dashboards";
import { defaultLinks, renderRuleFiles } from "../monitoring";
import { recordingRuleGroups, TILED_SLO_WINDOWS } from "../monitoring/recording";
import * as S from "../monitoring/series";
import { JOB, type RecordingRule } from "../monitoring/types";
import { durationSeconds, parseSettings } from "../settings";

const settings = parseSettings("dev", {});
const HOUR = 3600;

describe("benchmarks: what bench/queries measures", () => {
    it("backfills a recording rule only after every recorded series it reads", () => {
        const plan = planRules(recordingRuleGroups(settings), [S.SGLANG_E2E_LATENCY_P95]);
        const levelOf = new Map<string, number>();
        plan.levels.forEach((l, i) => [...l.read, ...l.unread].flatMap((g) => g.rules as RecordingRule[]).forEach((r) => levelOf.set(r.record, i)));
        assert.equal(levelOf.get(S.SGLANG_REQUESTS_RATE), 0);
        assert.equal(levelOf.get(S.SGLANG_E2E_LATENCY_BUCKET_RATE), 0);
        assert.equal(levelOf.get(S.SGLANG_E2E_LATENCY_P95), 1, "the quantile reads the recorded bucket rates");
        for (const [name, level] of levelOf) {
            const exprs = recordingRuleGroups(settings)
                .flatMap((g) => g.rules as RecordingRule[])
                .filter((r) => r.record === name)
                .map((r) => r.expr);
            for (const [dep, depLevel] of levelOf)
                if (dep !== name && exprs.some((e) => mentions(e, dep))) assert.ok(depLevel < level, `${name} reads ${dep}`);
        }
        // What the query needs, and nothing else, is backfilled over the whole range.
        assert.deepEqual([...plan.readNames].sort(), [S.SGLANG_E2E_LATENCY_BUCKET_RATE, S.SGLANG_E2E_LATENCY_P95].sort());
    });

    it("tells a series name from a longer name that contains it", () => {
        assert.ok(mentions('up{job="sglang"} == 0', "up"));
        assert.ok(!mentions("sglang:num_requests_total", "num_requests_total"));
        assert.ok(mentions("rate(sglang:num_requests_total[5m])", "sglang:num_requests_total"));
    });

    describe("the synthetic fleet", () => {
        const spec: FleetSpec = {
            contracts: { sglang: DEFAULT_SGLANG_CONTRACT, gpu: DCGM_CONTRACTS[0], node: NODE_EXPORTER_CONTRACTS[0] },
            replicas: 2,
            gpusPerReplica: 2,
            server: { modelName: "org/model", dpSize: 1, allSchedulers: false, spelling: "sglang:" },
            cpusPerHost: 2,
            startSeconds: 0,
            durationSeconds: 2 * HOUR,
            intervalSeconds: 15,
            unreadTailSeconds: HOUR,
        };
        const families = replicaFamilies(spec, 1);
        const series = families.flatMap((f) => f.series);
        const byName = (name: string) => series.filter((s) => s.name === name);
        /** A series as `name{labels}` without the target labels Prometheus adds, empty values dropped. */
        const shape = (name: string, labels: Record<string, string>) =>
            `${name}${JSON.stringify(
                Object.fromEntries(
                    Object.entries(labels)
                        .filter(([k, v]) => k !== "job" && k !== "instance" && v !== "")
                        .sort(),
                ),
            )}`;
        /** The series an exporter's scrape shows (not those Prometheus adds per target). */
        const exporterSeries = (all: SeriesDef[], job: string) =>
            all.filter((x) => x.labels.job === job && !(PER_TARGET_NAMES as readonly string[]).includes(x.name));
        const fleetShapes = (s: FleetSpec, job: string) =>
            exporterSeries(
                replicaFamilies(s, 0).flatMap((f) => f.series),
                job,
            )
                .map((x) => shape(x.name, x.labels))
                .sort();

        for (const contract of SGLANG_CONTRACTS) {
            for (const allSchedulers of [false, true]) {
                it(`writes exactly the SGLang series ${contract.id} shows${allSchedulers ? " with metrics on every scheduler" : ""}`, () => {
                    const s: FleetSpec = { ...spec, contracts: { ...spec.contracts, sglang: contract }, server: { ...spec.server, allSchedulers } };
                    const expected = sglangSeries(contract, sglangTopology(s), sglangTraffic(contract, 1))
                        .map((x) => shape(x.name, x.labels))
                        .sort();
                    assert.deepEqual(fleetShapes(s, "sglang"), expected);
                });
            }
        }

        it("follows v0.5.4.post1's writers: scheduler gauges on TP rank 0 only, queue time on every rank, first-event series present, never-written ones absent", () => {
            assert.deepEqual(
                byName("sglang:num_queue_reqs").map((s) => s.labels.tp_rank),
                ["0"],
            );
            assert.deepEqual(
                byName("sglang:queue_time_seconds_count")
                    .map((s) => s.labels.tp_rank)
                    .sort(),
                ["0", "1"],
            );
            assert.deepEqual(Object.keys(byName("sglang:num_requests_total")[0].labels).sort(), ["instance", "job", "model_name"]);
            assert.equal(byName("sglang:num_aborted_requests_total").length, 1, "aborts happen, so the first-event series exists");
            for (const never of [
                "sglang:num_grammar_total",
                "sglang:num_grammar_cache_hit_total",
                "sglang:grammar_compilation_time_seconds_count",
                "sglang:http_requests_total",
            ]) {
                assert.equal(byName(never).length, 0, never);
            }
            const all = replicaFamilies({ ...spec, server: { ...spec.server, allSchedulers: true } }, 1).flatMap((f) => f.series);
            assert.deepEqual(
                all
                    .filter((s) => s.name === "sglang:num_queue_reqs")
                    .map((s) => s.labels.tp_rank)
                    .sort(),
                ["0", "1"],
            );
        });

        it("writes the GPU and node exporter series their contracts show: DCGM in MiB with UUID/Hostname, CPU modes per CPU", () => {
            const host = hostTopology(spec, 1);
            const shapesOf = (job: string) =>
                exporterSeries(series, job)
                    .map((s) => shape(s.name, s.labels))
                    .sort();
            assert.deepEqual(
                shapesOf(JOB.gpu),
                gpuSeries(spec.contracts.gpu, host, gpuTraffic(1))
                    .map((x) => shape(x.name, x.labels))
                    .sort(),
            );
            const fbUsed = byName("DCGM_FI_DEV_FB_USED");
            assert.equal(fbUsed.length, 2);
            assert.equal(new Set(fbUsed.map((s) => s.labels.UUID)).size, 2);
            assert.ok(
                fbUsed.every((s) => s.labels.Hostname === "gpu-node-02" && s.values.every((v) => v > 1000 && v < 81559)),
                "MiB of an 80 GB card",
            );
            assert.deepEqual(
                shapesOf(JOB.node),
                nodeSeries(spec.contracts.node, host, nodeTraffic(spec.contracts.node, host, 1))
                    .map((x) => shape(x.name, x.labels))
                    .sort(),
            );
            assert.equal(byName("node_cpu_seconds_total").length, 2 * 8, "2 CPUs × 8 Linux modes");
        });

        for (const gpu of [...DCGM_CONTRACTS, ...NVIDIA_GPU_EXPORTER_CONTRACTS]) {
            it(`writes exactly the GPU series ${gpu.id} shows, and finds each GPU by its UUID`, () => {
                const s: FleetSpec = { ...spec, contracts: { ...spec.contracts, gpu } };
                const expected = gpuSeries(gpu, hostTopology(s, 0), gpuTraffic(1))
                    .map((x) => shape(x.name, x.labels))
                    .sort();
                assert.deepEqual(fleetShapes(s, JOB.gpu), expected);
                const id = gpuIdentity(s, 0, 1);
                assert.ok(id.value.toLowerCase().includes(gpuUuid(0, 1).replace(/^GPU-/, "")), `${id.label}=${id.value}`);
            });
        }

        it("adds Prometheus' per-target series, a scrape's sample count being its exporter's series count", () => {
            assert.equal(byName("up").length, 3);
            for (const job of [JOB.sglang, JOB.gpu, JOB.node]) {
                const scraped = byName("scrape_samples_scraped").find((s) => s.labels.job === job)!;
                assert.equal(scraped.values[0], exporterSeries(series, job).length, job);
            }
        });

        it("moves values with the daily load: gauges between their quiet and peak levels, counters never decrease, histogram buckets cumulative", () => {
            const usage = byName("sglang:token_usage")[0].values;
            assert.ok(Math.max(...usage) - Math.min(...usage) > 0.05, "token usage follows the load");
            assert.ok(usage.every((v) => v >= 0.25 && v <= 0.99));
            for (const s of series.filter((x) => /(_total|_bucket|_count|_sum)$/.test(x.name))) {
                for (let i = 1; i < s.values.length; i++) assert.ok(s.values[i] >= s.values[i - 1], `${s.name} decreases at ${i}`);
            }
            const buckets = byName("sglang:e2e_request_latency_seconds_bucket");
            const last = buckets
                .map((b) => ({ le: b.labels.le === "+Inf" ? Infinity : Number(b.labels.le), v: b.values[b.values.length - 1] }))
                .sort((a, b) => a.le - b.le);
            for (let i = 1; i < last.length; i++) assert.ok(last[i].v >= last[i - 1].v - 1e-9, `bucket le=${last[i].le} below le=${last[i - 1].le}`);
            assert.equal(last[last.length - 1].v, byName("sglang:e2e_request_latency_seconds_count")[0].values.at(-1));
        });

        it("has one sample per interval over the whole duration", () => {
            assert.ok(series.every((s) => s.values.length === spec.durationSeconds / spec.intervalSeconds + 1));
        });

        it("reports the guide queries that need series the versions do not write", () => {
            const written = writtenNames(spec);
            const unwritten = new Map(rawGuideQueries().map((q) => [q.guideTitle, unwrittenNames(q.rawExpr, written)]));
            assert.deepEqual(unwritten.get("Ananke cache hit rate"), ["sglang:num_grammar_cache_hit_total", "sglang:num_grammar_total"]);
            for (const title of ["Request rate", "P95 latency", "Error rate", "GPU memory utilization"])
                assert.deepEqual(unwritten.get(title), [], title);
            assert.match(whyUnwritten(["sglang:num_grammar_total"], spec), /registered but never written by sglang-v0\.5\.4\.post1/);
            assert.match(whyUnwritten(["made_up_total"], spec), /written by none of sglang-v0\.5\.4\.post1, dcgm-exporter-/);
        });
    });

    it("chooses an exporter version by id or version, the pinned default when none is asked, and names the allowed ones otherwise", () => {
        assert.equal(chooseContract("sglang", SGLANG_CONTRACTS, undefined), DEFAULT_SGLANG_CONTRACT);
        assert.equal(chooseContract("sglang", SGLANG_CONTRACTS, "v0.5.4.post1"), DEFAULT_SGLANG_CONTRACT);
        assert.equal(chooseContract("sglang", SGLANG_CONTRACTS, DEFAULT_SGLANG_CONTRACT.id), DEFAULT_SGLANG_CONTRACT);
        assert.throws(() => chooseContract("sglang", SGLANG_CONTRACTS, "v9"), /--sglang "v9" is no known version; allowed: sglang-v0\.5\.4\.post1/);
    });

    it("pairs each of the guide's examples with a dashboard panel, on raw exporter names only", () => {
        const titles = new Set(dashboardQueries(buildDashboard(settings, { datasourceUid: DATASOURCE_UID }) as never).map((q) => q.panelTitle));
        const recorded = new Set(
            recordingRuleGroups(settings)
                .flatMap((g) => g.rules as RecordingRule[])
                .map((r) => r.record),
        );
        const raw = rawGuideQueries();
        assert.equal(raw.length, 5);
        for (const q of raw) {
            assert.ok(titles.has(q.panelTitle), `no panel "${q.panelTitle}"`);
            for (const name of recorded) assert.ok(!mentions(q.rawExpr, name), `${q.guideTitle} reads the recorded ${name}`);
        }
    });
});

describe("benchmarks: the history bench/rules writes", () => {
    const written = new Set(["x_bucket", "x_count", "y_total"]);
    const reads = rangeReads(
        [
            'rate(x_bucket{le=~"2(\\\\.0+)?", job="s"}[3d]) / rate(x_count[3d])',
            "sum by (le) (rate(x_bucket[5m]))",
            "increase(y_total[1h])",
            "rate(z_total[1d])",
        ],
        written,
    );
    const series = (name: string, le?: string) => ({ name, labels: { job: "s", ...(le ? { le } : {}) } });

    it("gives each series the longest range that selects it, a threshold bucket its own", () => {
        assert.equal(historySeconds(reads, series("x_bucket", "2")), 3 * 24 * HOUR);
        assert.equal(historySeconds(reads, series("x_bucket", "2.0")), 3 * 24 * HOUR);
        assert.equal(historySeconds(reads, series("x_bucket", "20")), 300, "other buckets: the 5-minute rate only");
        assert.equal(historySeconds(reads, series("x_count")), 3 * 24 * HOUR);
        assert.equal(historySeconds(reads, series("y_total")), HOUR);
        assert.equal(historySeconds(reads, series("z_total")), -1, "a name the fleet does not write");
        assert.equal(historySeconds(reads, series("w")), -1, "a name read at an instant only");
    });

    it("finds the SLO windows of the program's rules on the TTFT threshold bucket only", () => {
        const rules = renderRuleFiles(settings, defaultLinks(settings));
        const exprs = Object.values(rules).flatMap((text) => [...text.matchAll(/expr: (.*)/g)].map((m) => m[1]));
        const fleetReads = rangeReads(exprs, new Set(["sglang:time_to_first_token_seconds_bucket"]));
        const threshold = String(settings.slo.latencyThresholdSeconds);
        // The longest window read from the counters; longer ones read the recorded tiles.
        const longest = Math.max(...S.SLO_WINDOWS.filter((w) => !TILED_SLO_WINDOWS.includes(w)).map((w) => durationSeconds(w)));
        assert.equal(longest, HOUR);
        assert.equal(historySeconds(fleetReads, series("sglang:time_to_first_token_seconds_bucket", threshold)), longest);
        assert.equal(historySeconds(fleetReads, series("sglang:time_to_first_token_seconds_bucket", "+Inf")), 300);
    });
});
