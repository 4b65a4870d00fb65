/**
 * What serving costs and how much more it can take: GPU cost per hour and per
 * million tokens from `gpuHourlyPrice` (only when it is set), and the spare
 * request capacity of each server at the TTFT objective. Reads only
 * normalized series of a few labels each, so the day- and week-long windows
 * stay cheap at the global evaluation interval.
 */
import type { Settings } from "../settings";
import { MODEL_NAME_LABEL, modelObjectives, severalModels } from "./objectives";
import { byClause } from "./promql";
import * as S from "./series";
import type { RecordingRule, RuleGroup } from "./types";

const SECONDS: Record<S.CostWindow, number> = { "1h": 3600, "1d": 86400 };

function rec(record: string, expr: string): RecordingRule {
    return { record, expr };
}

/**
 * Cost per million tokens over a window: the GPUs' average cost per hour
 * times the window's hours, divided by the tokens the window produced
 * (the 5-minute token rates averaged over the window, times its seconds).
 */
function perMillion(tokensRate: string, window: S.CostWindow): string {
    const cost = `avg_over_time(${S.COST_GPU_PER_HOUR}[${window}]) * ${SECONDS[window] / 3600}`;
    const tokens = `sum(avg_over_time(${tokensRate}[${window}])) * ${SECONDS[window]}`;
    return `${cost} / (${tokens} > 0) * 1e6`;
}

function priceRules(price: number, idlePercent: number): RecordingRule[] {
    return [
        rec(S.COST_GPUS, `count(${S.GPU_UTILIZATION})`),
        rec(S.COST_GPU_PER_HOUR, `${S.COST_GPUS} * ${price}`),
        // Idle as GPUUtilizationLow sees it: the 10-minute average under its threshold.
        rec(S.COST_IDLE_GPU_PER_HOUR, `(count(avg_over_time(${S.GPU_UTILIZATION}[10m]) < ${idlePercent}) or 0 * ${S.COST_GPUS}) * ${price}`),
        ...S.COST_WINDOWS.flatMap((window) => [
            rec(S.costPerMillionGeneratedTokens(window), perMillion(S.SGLANG_GENERATION_TOKENS_RATE, window)),
            rec(S.costPerMillionPromptTokens(window), perMillion(S.SGLANG_PROMPT_TOKENS_RATE, window)),
        ]),
    ];
}

/**
 * Spare capacity at the TTFT objective, per server and model: 1 − current
 * request rate / the highest 5-minute request rate the server sustained in
 * the last 7 days while its TTFT P95 stayed within the SLO threshold. A lower
 * bound of what it can take: a server never pushed to its limit shows only
 * what it has proven. The threshold is each model's.
 */
function capacityRules(settings: Settings): RecordingRule[] {
    const on = `on (${byClause(S.SGLANG_LABELS)})`;
    // Several models: each model's threshold, from its recorded series.
    const threshold = severalModels(settings)
        ? `on (${MODEL_NAME_LABEL}) group_left () ${S.SLO_TTFT_THRESHOLD_SECONDS}`
        : String(modelObjectives(settings)[0].latencyThresholdSeconds);
    return [
        rec(S.REQUESTS_WITHIN_TTFT_OBJECTIVE_RATE, `${S.SGLANG_REQUESTS_RATE} and ${on} ${S.SGLANG_TTFT_P95} <= ${threshold}`),
        // A server without a tile yet (the first 5 minutes) gets the last 5 minutes' maximum.
        rec(
            S.CAPACITY_AT_TTFT_OBJECTIVE,
            `max_over_time(${S.REQUESTS_WITHIN_TTFT_OBJECTIVE_TILE}[7d]) or max_over_time(${S.REQUESTS_WITHIN_TTFT_OBJECTIVE_RATE}[${S.SLO_TILE}])`,
        ),
        rec(S.SPARE_CAPACITY_RATIO, `clamp_min(1 - ${S.SGLANG_REQUESTS_RATE} / ${on} (${S.CAPACITY_AT_TTFT_OBJECTIVE} > 0), 0)`),
    ];
}

/**
 * The rate within the objective every 5 minutes: the 7-day maximum reads
 * 2 016 samples of each server instead of 40 320, the maximum over
 * non-overlapping 5-minute rates instead of over every 15 s.
 */
export function costTileGroup(): RuleGroup {
    return {
        name: "cost.tiles.recording",
        interval: S.SLO_TILE,
        rules: [rec(S.REQUESTS_WITHIN_TTFT_OBJECTIVE_TILE, S.REQUESTS_WITHIN_TTFT_OBJECTIVE_RATE)],
    };
}

export function costGroup(settings: Settings): RuleGroup {
    const price = settings.cost.gpuHourlyPrice;
    return {
        name: "cost.recording",
        rules: [...capacityRules(settings), ...(price === undefined ? [] : priceRules(price, settings.alerts.gpuUtilizationLow.threshold))],
    };
}
