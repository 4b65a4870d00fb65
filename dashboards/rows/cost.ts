/**
 * What serving costs (only with gpuHourlyPrice set) and how much more each
 * server can take at the TTFT objective.
 */

import { modelObjectives, severalModels } from "../../monitoring/objectives";
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { type RowSpec, statPanel, timeseriesPanel } from "../panels";
import { SGLANG_LEGEND, sglang } from "../selectors";

const PER_HOUR = "suffix: /h";
const PER_MILLION = "suffix: per 1M tokens";

function costPanels(settings: Settings, price: number) {
    const idle = settings.alerts.gpuUtilizationLow.threshold;
    const perToken = (title: string, kind: string, f: (w: s.CostWindow) => string) =>
        statPanel({
            title,
            description:
                `GPU cost of the last hour and the last day divided by the ${kind} tokens of the same window, per million ` +
                `(every GPU the GPU exporter reports at ${price} an hour, gpuHourlyPrice; all servers together).`,
            unit: PER_MILLION,
            decimals: 2,
            queries: s.COST_WINDOWS.map((w) => ({ expr: f(w), legend: `last ${w === "1h" ? "hour" : "day"}` })),
            width: 6,
            height: 6,
        });
    return [
        statPanel({
            title: "GPU cost per hour",
            description: `Every GPU the GPU exporter reports, at ${price} an hour each (gpuHourlyPrice), in the currency of that price.`,
            unit: PER_HOUR,
            decimals: 2,
            queries: [{ expr: s.COST_GPU_PER_HOUR, legend: "GPUs" }],
            width: 6,
            height: 6,
        }),
        statPanel({
            title: "Idle GPU cost per hour",
            description: `What the GPUs whose 10-minute average utilization is under ${idle} % (alertGpuUtilizationLowPercent, as GPUUtilizationLow) cost an hour.`,
            unit: PER_HOUR,
            decimals: 2,
            queries: [{ expr: s.COST_IDLE_GPU_PER_HOUR, legend: "idle GPUs" }],
            width: 6,
            height: 6,
        }),
        perToken("Cost per million generated tokens", "generated", s.costPerMillionGeneratedTokens),
        perToken("Cost per million prompt tokens", "prompt", s.costPerMillionPromptTokens),
    ];
}

export function costRow(settings: Settings): RowSpec {
    const price = settings.cost.gpuHourlyPrice;
    // Several models: each server's own model's threshold.
    const one = severalModels(settings) ? undefined : modelObjectives(settings)[0].latencyThresholdSeconds;
    const thr = one === undefined ? "its model's TTFT threshold" : `${one} s`;
    const key = one === undefined ? "ttftThresholdSeconds in models" : "sloTtftThresholdSeconds";
    return {
        title: price === undefined ? "Capacity" : "Cost and capacity",
        panels: [
            ...(price === undefined ? [] : costPanels(settings, price)),
            timeseriesPanel({
                title: "Spare capacity at the TTFT objective",
                description:
                    "1 − the request rate now / the highest 5-minute request rate the server sustained in the last 7 days while " +
                    `its TTFT P95 stayed under ${thr} (${key}). A lower bound: a server never pushed to its limit shows only what it has proven.`,
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: sglang(s.SPARE_CAPACITY_RATIO), legend: SGLANG_LEGEND }],
                width: 12,
                height: 8,
            }),
            timeseriesPanel({
                title: "Request rate against capacity at the TTFT objective",
                description: `The request rate now and the highest one sustained in 7 days with TTFT P95 under ${thr}, per server.`,
                unit: "reqps",
                min: 0,
                queries: [
                    { expr: sglang(s.SGLANG_REQUESTS_RATE), legend: `${SGLANG_LEGEND} now` },
                    { expr: sglang(s.CAPACITY_AT_TTFT_OBJECTIVE), legend: `${SGLANG_LEGEND} capacity` },
                ],
                width: 12,
                height: 8,
            }),
        ],
    };
}
