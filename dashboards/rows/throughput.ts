/** Throughput: tokens in and out per second, and how many requests run and wait. */
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { type RowSpec, timeseriesPanel } from "../panels";
import { SGLANG_LEGEND, sglang } from "../selectors";
import { alertAbove } from "../thresholds";

/** Grafana custom unit: the value followed by "tokens/s". */
export const TOKENS_PER_SECOND = "suffix: tokens/s";

export function throughputRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    return {
        title: "Throughput",
        panels: [
            timeseriesPanel({
                title: "Prompt tokens per second",
                description: "Prompt (input) tokens processed per second, per server and model (sglang:prompt_tokens_total).",
                unit: TOKENS_PER_SECOND,
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_PROMPT_TOKENS_RATE), legend: SGLANG_LEGEND }],
                width: 12,
                height: 8,
            }),
            timeseriesPanel({
                title: "Generation tokens per second",
                description: "Tokens generated per second, per server and model (sglang:generation_tokens_total).",
                unit: TOKENS_PER_SECOND,
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_GENERATION_TOKENS_RATE), legend: SGLANG_LEGEND }],
                width: 12,
                height: 8,
            }),
            timeseriesPanel({
                title: "Running requests",
                description: "Requests being decoded, summed over the scheduler ranks (sglang:num_running_reqs).",
                unit: "short",
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_RUNNING_REQUESTS), legend: SGLANG_LEGEND }],
                width: 12,
                height: 8,
            }),
            timeseriesPanel({
                title: "Queued requests",
                description:
                    "Requests waiting in the scheduler queue, summed over ranks (sglang:num_queue_reqs). The dashed " +
                    `line is the RequestQueueBacklog threshold (${a.queueBacklog.threshold} for ${a.queueBacklog.for}).`,
                unit: "short",
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_QUEUED_REQUESTS), legend: SGLANG_LEGEND }],
                thresholds: alertAbove(a.queueBacklog.threshold),
                width: 12,
                height: 8,
            }),
        ],
    };
}
