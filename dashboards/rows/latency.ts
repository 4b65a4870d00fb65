/** Latency: end-to-end, time to first token, inter-token latency and queue time quantiles, and the E2E/TTFT distributions. */

import { modelObjectives, severalModels } from "../../monitoring/objectives";
import { quantileRecordedSlowly, slowRecordingInterval } from "../../monitoring/recording";
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { heatmapPanel, type Query, type RowSpec, type ThresholdStep, timeseriesPanel } from "../panels";
import { MODEL_LABEL, SGLANG_LEGEND, sglang, VARIABLE } from "../selectors";
import { alertAbove } from "../thresholds";

/** The quantiles each latency panel draws. */
const SHOWN: s.QuantileName[] = ["p50", "p95", "p99"];

/** A histogram's quantiles, those recorded once a slow interval stepped by it. */
function quantileQueries(settings: Settings, h: s.LatencyHistogram): Query[] {
    return SHOWN.map((q) => ({
        expr: sglang(s.latencyQuantile(h, q)),
        legend: `${SGLANG_LEGEND} ${q}`,
        ...(quantileRecordedSlowly(h, q) ? { minStep: slowRecordingInterval(settings) } : {}),
    }));
}

/** Bucket rates summed by `le` across the selected servers: one heatmap row per bucket. */
function bucketQuery(h: s.LatencyHistogram): Query {
    return { expr: `sum by (le) (${sglang(s.latencyBucketRate(h))})`, legend: "{{le}}" };
}

/**
 * The TTFT panel's objective: one dashed threshold with one model; with
 * several, each chosen model's threshold drawn from its recorded series.
 */
function ttftObjective(settings: Settings): { queries: Query[]; thresholds?: ThresholdStep[]; text: string } {
    if (!severalModels(settings)) {
        const thr = modelObjectives(settings)[0].latencyThresholdSeconds;
        return { queries: [], thresholds: alertAbove(thr), text: `The dashed line is the latency SLO threshold (${thr} s)` };
    }
    return {
        queries: [{ expr: `${s.SLO_TTFT_THRESHOLD_SECONDS}{${MODEL_LABEL}=~"$${VARIABLE.model}"}`, legend: `{{${MODEL_LABEL}}} SLO threshold` }],
        text: "The flat lines are each chosen model's latency SLO threshold (its ttftThresholdSeconds in models)",
    };
}

export function latencyRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    const ttft = ttftObjective(settings);
    return {
        title: "Latency",
        panels: [
            timeseriesPanel({
                title: "End-to-end latency",
                description:
                    "Request latency from arrival to the last token (sglang:e2e_request_latency_seconds), P50/P95/P99 " +
                    `over 5 minutes. The dashed line is the SGLangHighLatency P95 threshold (${a.highLatency.threshold} s).`,
                unit: "s",
                min: 0,
                queries: quantileQueries(settings, s.E2E_LATENCY),
                thresholds: alertAbove(a.highLatency.threshold),
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "Time to first token",
                description:
                    "Time to first token (sglang:time_to_first_token_seconds), P50/P95/P99 over 5 minutes. " +
                    `${ttft.text}: requests slower than it spend the latency error budget.`,
                unit: "s",
                min: 0,
                queries: [...quantileQueries(settings, s.TTFT), ...ttft.queries],
                thresholds: ttft.thresholds,
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "Inter-token latency",
                description:
                    "Time between streamed tokens (sglang:inter_token_latency_seconds; older builds: " +
                    "sglang:time_per_output_token_seconds), P50/P95/P99 over 5 minutes. The dashed line is the " +
                    `inter-token latency SLO threshold (${settings.slo.itlThresholdSeconds} s).`,
                unit: "s",
                min: 0,
                queries: quantileQueries(settings, s.ITL),
                thresholds: alertAbove(settings.slo.itlThresholdSeconds),
                width: 8,
                height: 8,
            }),
            heatmapPanel({
                title: "End-to-end latency distribution",
                description: "Requests per second in each end-to-end latency bucket, all selected servers together.",
                unit: "s",
                queries: [bucketQuery(s.E2E_LATENCY)],
                width: 8,
                height: 8,
            }),
            heatmapPanel({
                title: "Time to first token distribution",
                description: "Requests per second in each time-to-first-token bucket, all selected servers together.",
                unit: "s",
                queries: [bucketQuery(s.TTFT)],
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "Queue time",
                description:
                    "Time a request waits in the scheduler queue before its first forward batch " +
                    "(sglang:queue_time_seconds), P50/P95/P99 over 5 minutes: when it grows, time to first token grows with it.",
                unit: "s",
                min: 0,
                queries: quantileQueries(settings, s.QUEUE_TIME),
                width: 8,
                height: 8,
            }),
        ],
    };
}
