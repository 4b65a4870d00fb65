/**
 * The long SLO windows read from tiles (5-minute rates recorded every 5
 * minutes) give the same ratios as the counters over the window, checked
 * with `promtool test rules` on traffic whose error ratio changes halfway.
 */
import { strict as assert } from "node:assert";
import { parseSettings } from "../settings";
import * as F from "../tests/support/monitoring/fixtures";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { recordingRuleGroups, TILED_SLO_WINDOWS } from "./recording";
import * as S from "./series";
import { toYaml } from "./yaml";

const LABELS = { job: "sglang", instance: "10.0.0.1:30000", model_name: F.MODEL };
/** Six hours at one sample a minute: 2 requests/s; from 3 h on, 20 % of first tokens come late and 5 % of requests are aborted. */
const PER_MINUTE = 120;
const series = [
    F.series("sglang:num_requests_total", LABELS, `0+${PER_MINUTE}x360`),
    F.series("sglang:num_aborted_requests_total", LABELS, "0+0x180 6+6x179"),
    F.series("sglang:time_to_first_token_seconds_count", LABELS, `0+${PER_MINUTE}x360`),
    F.series("sglang:time_to_first_token_seconds_bucket", { ...LABELS, le: "2.0" }, `0+${PER_MINUTE}x180 ${180 * PER_MINUTE + 96}+96x179`),
    // prometheus_client writes the +Inf bucket with every histogram, equal to its count.
    F.series("sglang:time_to_first_token_seconds_bucket", { ...LABELS, le: "+Inf" }, `0+${PER_MINUTE}x360`),
];
/** The same ratios from the counters, as the windows under two hours are recorded. */
const fromCounters = {
    latency: (w: string) =>
        `1 - rate(sglang:time_to_first_token_seconds_bucket{le="2.0"}[${w}]) / ignoring (le) rate(sglang:time_to_first_token_seconds_count[${w}])`,
    availability: (w: string) => `rate(sglang:num_aborted_requests_total[${w}]) / rate(sglang:num_requests_total[${w}])`,
};

function within(expr: string, value: number, at: string) {
    return [
        { expr: `count(${expr}) or vector(0)`, eval_time: at, exp_samples: [{ labels: "{}", value: 1 }] },
        { expr: `count(abs((${expr}) - ${value}) < 0.000001) or vector(0)`, eval_time: at, exp_samples: [{ labels: "{}", value: 1 }] },
    ];
}

/** `a` and `b` both answer one series, with values within 1e-6 of each other. */
function same(a: string, b: string, at: string) {
    return [{ expr: `count(abs(${a} - on () (${b})) < 0.000001) or vector(0)`, eval_time: at, exp_samples: [{ labels: "{}", value: 1 }] }];
}

/** `a` answers one series, above 0 and not above `b` (within 1e-6). */
function aboveZeroUpTo(a: string, b: string, at: string) {
    return [{ expr: `count((${a} > 0) - on () (${b}) < 0.000001) or vector(0)`, eval_time: at, exp_samples: [{ labels: "{}", value: 1 }] }];
}

describe("SLO windows of two hours and more (tiles)", () => {
    it("are the windows from 2h on, and read only the tiles", () => {
        assert.deepEqual(TILED_SLO_WINDOWS, ["2h", "6h", "1d", "3d"]);
        const rules = recordingRuleGroups(parseSettings("dev", {})).flatMap((g) => g.rules);
        for (const w of TILED_SLO_WINDOWS) {
            const rule = rules.find((r) => "record" in r && r.record === S.sloLatencyErrorRatio(w));
            assert.ok(rule, `no rule records ${S.sloLatencyErrorRatio(w)}`);
            assert.doesNotMatch(rule.expr, /sglang[:_]time_to_first_token/);
            assert.match(rule.expr, new RegExp(`sum_over_time\\(${S.sloErrorsTile("latency")}\\[${w}\\]\\)`));
        }
        const tiles = recordingRuleGroups(parseSettings("dev", {})).find((g) => g.name === "slo.tiles.recording");
        assert.equal(tiles?.interval, S.SLO_TILE, "a tile every tile window: consecutive tiles cover time once");
    });

    it("give the counters' ratio over the window at tile boundaries, with the ratio changing inside it (promtool test rules)", () => {
        const dir = new TempDir();
        try {
            const groups = recordingRuleGroups(parseSettings("dev", {}));
            dir.write("recording.yaml", toYaml({ groups }));
            const checks = [
                // 6 h: 3 h all on time, 3 h with 20 % late; 2 h: all late-phase.
                ...within(S.sloLatencyErrorRatio("6h"), 0.1, "6h"),
                ...within(S.sloLatencyErrorRatio("2h"), 0.2, "6h"),
                ...within(S.sloLatencyErrorRatio("1d"), 0.1, "6h"),
                ...within(S.sloAvailabilityErrorRatio("6h"), 0.025, "6h"),
                ...within(S.sloAvailabilityErrorRatio("2h"), 0.05, "6h"),
                ...same(S.sloLatencyErrorRatio("6h"), fromCounters.latency("6h"), "6h"),
                ...same(S.sloAvailabilityErrorRatio("6h"), fromCounters.availability("6h"), "6h"),
                // Five minutes into the late phase, its first tile is in the 2-hour window. Before Prometheus 3.0 a range
                // includes its start, so the window also holds the tile ending there (on time): never above the counters.
                ...aboveZeroUpTo(S.sloLatencyErrorRatio("2h"), fromCounters.latency("2h"), "3h5m"),
                ...aboveZeroUpTo(S.sloAvailabilityErrorRatio("2h"), fromCounters.availability("2h"), "3h5m"),
            ];
            const file = dir.write(
                "tiles.test.yaml",
                toYaml({
                    rule_files: ["recording.yaml"],
                    // promtool evaluates every group at the test's interval, whatever the group's own: the tiles' here.
                    evaluation_interval: S.SLO_TILE,
                    // At one instant, the tiles first (promtool's order is otherwise random): the windows then end with the newest tile.
                    group_eval_order: groups.map((g) => g.name),
                    tests: [{ name: "tiles", interval: "1m", input_series: series, promql_expr_test: checks }],
                }),
            );
            expectSuccess(run("promtool", ["test", "rules", file], dir.path), "promtool test rules: SLO tiles");
        } finally {
            dir.remove();
        }
    });
});
