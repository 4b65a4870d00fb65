/**
 * The parts of the benchmarks that decide what is measured (no timing here):
 * the order rules are backfilled in, the synthetic fleet's series, and the
 * pairing of the guide's raw queries with dashboard panels.
 */
import { strict as assert } from "assert";
import { rawGuideQueries } from "../bench/guide-raw";
import { type FleetSpec, replicaFamilies } from "../bench/fleet";
import { mentions, planRules } from "../bench/rule-plan";
import { buildDashboard, dashboardQueries, DATASOURCE_UID } from "../dashboards";
import { recordingRuleGroups } from "../monitoring/recording";
import * as S from "../monitoring/series";
import type { RecordingRule } from "../monitoring/types";
import { parseSettings } from "../settings";

const settings = parseSettings("dev", {});
const HOUR = 3600;

describe("benchmarks: what bench/queries measures", () => {
    it("backfills a recording rule only after every recorded series it reads", () => {
        const plan = planRules(recordingRuleGroups(settings), [`sum(${S.SGLANG_ERROR_RATIO})`, S.SGLANG_E2E_LATENCY_P95]);
        const levelOf = new Map<string, number>();
        plan.levels.forEach((l, i) => [...l.read, ...l.unread].flatMap((g) => g.rules as RecordingRule[]).forEach((r) => levelOf.set(r.record, i)));
        assert.equal(levelOf.get(S.SGLANG_REQUESTS_RATE), 0);
        assert.equal(levelOf.get(S.SGLANG_ERROR_RATIO), 1);
        assert.equal(levelOf.get(S.SGLANG_E2E_LATENCY_P95), 1, "the quantile reads the recorded bucket rates");
        for (const [name, level] of levelOf) {
            const exprs = recordingRuleGroups(settings).flatMap((g) => g.rules as RecordingRule[]).filter((r) => r.record === name).map((r) => r.expr);
            for (const [dep, depLevel] of levelOf) if (dep !== name && exprs.some((e) => mentions(e, dep))) assert.ok(depLevel < level, `${name} reads ${dep}`);
        }
        // What the two queries need, and nothing else, is backfilled over the whole range.
        assert.deepEqual([...plan.readNames].sort(), [S.SGLANG_ERRORS_RATE, S.SGLANG_REQUESTS_RATE, S.SGLANG_ERROR_RATIO, S.SGLANG_E2E_LATENCY_BUCKET_RATE, S.SGLANG_E2E_LATENCY_P95].sort());
    });

    it("tells a series name from a longer name that contains it", () => {
        assert.ok(mentions('up{job="sglang"} == 0', "up"));
        assert.ok(!mentions("sglang:num_requests_total", "num_requests_total"));
        assert.ok(mentions("rate(sglang:num_requests_total[5m])", "sglang:num_requests_total"));
    });

    describe("the synthetic fleet", () => {
        const spec: FleetSpec = { replicas: 2, gpusPerReplica: 8, cpusPerHost: 2, startSeconds: 0, durationSeconds: 2 * HOUR, intervalSeconds: 15, unreadTailSeconds: HOUR };
        const families = replicaFamilies(spec, 1);
        const series = families.flatMap((f) => f.series);
        const byName = (name: string) => series.filter((s) => s.name === name);

        it("uses the exporters' real names and labels: SGLang with model_name (rank labels on scheduler metrics), DCGM with UUID/Hostname in MiB", () => {
            const requests = byName("sglang:num_requests_total");
            assert.equal(requests.length, 1);
            assert.deepEqual(Object.keys(requests[0].labels).sort(), ["instance", "job", "model_name"]);
            assert.equal(byName("sglang:num_queue_reqs")[0].labels.tp_rank, "0");
            const fbUsed = byName("DCGM_FI_DEV_FB_USED");
            assert.equal(fbUsed.length, 8);
            assert.equal(new Set(fbUsed.map((s) => s.labels.UUID)).size, 8);
            assert.ok(fbUsed.every((s) => s.labels.Hostname === "gpu-node-02" && s.values.every((v) => v > 1000 && v < 81559)), "MiB of an 80 GB card");
        });

        it("writes counters that never decrease and histograms whose buckets are cumulative", () => {
            for (const s of series.filter((x) => /(_total|_bucket|_count|_sum)$/.test(x.name))) {
                for (let i = 1; i < s.values.length; i++) assert.ok(s.values[i] >= s.values[i - 1], `${s.name} decreases at ${i}`);
            }
            const buckets = byName("sglang:e2e_request_latency_seconds_bucket");
            const last = buckets.map((b) => ({ le: b.labels.le === "+Inf" ? Infinity : Number(b.labels.le), v: b.values[b.values.length - 1] })).sort((a, b) => a.le - b.le);
            for (let i = 1; i < last.length; i++) assert.ok(last[i].v >= last[i - 1].v - 1e-9, `bucket le=${last[i].le} below le=${last[i - 1].le}`);
            assert.equal(last[last.length - 1].v, byName("sglang:e2e_request_latency_seconds_count")[0].values.at(-1));
        });

        it("has one sample per interval over the whole duration", () => {
            assert.ok(series.every((s) => s.values.length === spec.durationSeconds / spec.intervalSeconds + 1));
        });
    });

    it("pairs each of the guide's examples with a dashboard panel, on raw exporter names only", () => {
        const titles = new Set(dashboardQueries(buildDashboard(settings, { datasourceUid: DATASOURCE_UID }) as never).map((q) => q.panelTitle));
        const recorded = new Set(recordingRuleGroups(settings).flatMap((g) => g.rules as RecordingRule[]).map((r) => r.record));
        const raw = rawGuideQueries();
        assert.equal(raw.length, 5);
        for (const q of raw) {
            assert.ok(titles.has(q.panelTitle), `no panel "${q.panelTitle}"`);
            for (const name of recorded) assert.ok(!mentions(q.rawExpr, name), `${q.guideTitle} reads the recorded ${name}`);
        }
    });
});
