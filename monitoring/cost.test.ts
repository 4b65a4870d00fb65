/**
 * Cost and capacity rules on numbers checked by hand: promtool evaluates them
 * on generated SGLang and GPU exporter series and must find these values.
 */
import { strict as assert } from "node:assert";
import type { Gpu } from "../contracts/generate";
import { parseSettings } from "../settings";
import * as F from "../tests/support/monitoring/fixtures";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { recordingRuleGroups } from "./recording";
import * as S from "./series";
import { toYaml } from "./yaml";

/** Eight H100s of one host, indexes 0-7. */
const EIGHT_GPUS: Gpu[] = Array.from({ length: 8 }, (_, i) => ({
    index: i,
    uuid: `GPU-0000000${i}-0000-1111-2222-333344445555`,
    name: "NVIDIA H100 80GB HBM3",
    pciBusId: `00000000:${(0x18 + i).toString(16).toUpperCase()}:00.0`,
}));

/** The groups cost and capacity read from, and theirs (the others only slow promtool down). */
const GROUPS = ["sglang.recording", "gpu.recording", "cost.tiles.recording", "cost.recording"];

function promtool(settings: ReturnType<typeof parseSettings>, tests: object[], evaluationInterval = "1m"): void {
    const dir = new TempDir();
    try {
        dir.write("recording.yaml", toYaml({ groups: recordingRuleGroups(settings).filter((g) => GROUPS.includes(g.name)) }));
        dir.write("cost.test.yaml", toYaml({ rule_files: ["recording.yaml"], evaluation_interval: evaluationInterval, tests }));
        expectSuccess(run("promtool", ["test", "rules", "cost.test.yaml"], dir.path), "promtool test rules (cost)");
    } finally {
        dir.remove();
    }
}

/** The same series over `samples` minutes instead of the fixtures' default. */
const lasting = (series: F.InputSeries[], samples: number) =>
    series.map((x) => ({ ...x, values: x.values.replace(new RegExp(`x${F.DEFAULT_SAMPLES}$`), `x${samples}`) }));

/** `round(expr, 0.001)` at `at` equals `value` (no labels: the cost series are the stack's). */
const rounded = (expr: string, at: string, value: number) => ({
    expr: `round(${expr}, 0.001)`,
    eval_time: at,
    exp_samples: [{ labels: "{}", value }],
});

describe("cost and capacity rules (promtool, numbers checked by hand)", function () {
    this.timeout(120_000);

    it("are recorded only with gpuHourlyPrice set, capacity always", () => {
        const names = (raw: Record<string, string>) =>
            recordingRuleGroups(parseSettings("dev", raw))
                .find((g) => g.name === "cost.recording")!
                .rules.map((r) => ("record" in r ? r.record : r.alert));
        assert.deepEqual(names({}), [S.REQUESTS_WITHIN_TTFT_OBJECTIVE_RATE, S.CAPACITY_AT_TTFT_OBJECTIVE, S.SPARE_CAPACITY_RATIO]);
        assert.ok(names({ gpuHourlyPrice: "0" }).includes(S.COST_GPU_PER_HOUR), "a price of 0 is a price");
    });

    it("8 GPUs at 2.50/h producing 10M generated and 40M prompt tokens an hour cost 20.00/h, 2.00 and 0.50 per million; 2 idle GPUs cost 5.00/h", () => {
        const settings = parseSettings("dev", { gpuHourlyPrice: "2.50" });
        // 10,000,000 tokens / 3600 s; 40,000,000 / 3600 s.
        const sglang = F.sglang({
            num_requests_total: { rate: 5 },
            generation_tokens_total: { rate: 1e7 / 3600 },
            prompt_tokens_total: { rate: 4e7 / 3600 },
        });
        // Six GPUs busy at 80 %, two at 5 %: under alertGpuUtilizationLowPercent (10) for 10 minutes, so idle.
        const gpus = F.gpuExporter(F.DEFAULT_DCGM_CONTRACT, { DCGM_FI_DEV_GPU_UTIL: F.perGpu([80, 80, 80, 80, 80, 80, 5, 5]) }, EIGHT_GPUS);
        const input = [...sglang, ...gpus];
        const at = "80m";
        promtool(settings, [
            {
                interval: "1m",
                input_series: input,
                promql_expr_test: [
                    rounded(S.COST_GPUS, at, 8),
                    // 8 × 2.50
                    rounded(S.COST_GPU_PER_HOUR, at, 20),
                    // 2 × 2.50
                    rounded(S.COST_IDLE_GPU_PER_HOUR, at, 5),
                    // 20.00 an hour / 10 million tokens an hour
                    rounded(S.costPerMillionGeneratedTokens("1h"), at, 2),
                    // 20.00 an hour / 40 million tokens an hour
                    rounded(S.costPerMillionPromptTokens("1h"), at, 0.5),
                ],
            },
        ]);
        // A day at the same rates: 480.00 / 240 million and / 960 million tokens. At 24 h 30 min the
        // day's window starts after the counters do; rules every 5 minutes keep promtool quick.
        const day = "1470m";
        promtool(
            settings,
            [
                {
                    interval: "1m",
                    input_series: lasting(input, 1480),
                    promql_expr_test: [rounded(S.costPerMillionGeneratedTokens("1d"), day, 2), rounded(S.costPerMillionPromptTokens("1d"), day, 0.5)],
                },
            ],
            "5m",
        );
    });

    it("spare capacity: 10 req/s now against 20 req/s sustained within the TTFT objective is 0.5 (40 req/s above the objective does not count)", () => {
        const settings = parseSettings("dev", {});
        const threshold = settings.slo.latencyThresholdSeconds; // 2 s: a TTFT of 0.1 s is within, 4 s is not.
        assert.equal(threshold, 2);
        const serving = (rps: number, ttft: number) => ({
            num_requests_total: { rate: rps },
            time_to_first_token_seconds: F.latency(rps, { [ttft]: 1 }),
        });
        const sglang = F.sglangPhases([
            { minutes: 20, traffic: serving(40, 4) },
            { minutes: 25, traffic: serving(20, 0.1) },
            { minutes: 40, traffic: serving(10, 0.1) },
        ]);
        const labels = `{job="sglang", instance="${F.SGLANG_INSTANCE}", model_name="${F.MODEL}"}`;
        promtool(settings, [
            {
                interval: "1m",
                input_series: sglang,
                promql_expr_test: [
                    {
                        expr: S.CAPACITY_AT_TTFT_OBJECTIVE,
                        eval_time: "80m",
                        exp_samples: [{ labels: `${S.CAPACITY_AT_TTFT_OBJECTIVE}${labels}`, value: 20 }],
                    },
                    { expr: S.SPARE_CAPACITY_RATIO, eval_time: "80m", exp_samples: [{ labels: `${S.SPARE_CAPACITY_RATIO}${labels}`, value: 0.5 }] },
                    // While the server ran above the objective nothing within it was known yet.
                    { expr: S.CAPACITY_AT_TTFT_OBJECTIVE, eval_time: "15m", exp_samples: [] },
                ],
            },
        ]);
    });
});
