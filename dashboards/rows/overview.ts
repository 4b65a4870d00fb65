/** Overview: is the server up, how busy, how often it fails, how slow. */
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { type RowSpec, statPanel, timeseriesPanel } from "../panels";
import { SGLANG_LEGEND, SGLANG_UP, sglang } from "../selectors";
import { alertAbove, alertBelow, asPercent, COLOR } from "../thresholds";

/** What the ratio and quantile stats show while no request has arrived in the last 5 minutes. */
const NO_REQUESTS = "No requests";

export function overviewRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    return {
        title: "Overview",
        panels: [
            statPanel({
                title: "Server status",
                description:
                    "Whether Prometheus could scrape each SGLang server's /metrics (the server must run with " +
                    `--enable-metrics). SGLangServerDown fires after ${a.serverDown.for} DOWN.`,
                unit: "none",
                queries: [{ expr: SGLANG_UP, legend: "{{instance}}" }],
                valueText: [
                    { value: 1, text: "UP", color: COLOR.ok },
                    { value: 0, text: "DOWN", color: COLOR.alert },
                ],
                thresholds: alertBelow(1),
                noValue: "No SGLang target",
                width: 6,
                height: 4,
            }),
            statPanel({
                title: "Request rate",
                description: "Requests received per second by the selected servers and models (sglang:num_requests_total).",
                unit: "reqps",
                queries: [{ expr: `sum(${sglang(s.SGLANG_REQUESTS_RATE)})`, legend: "requests/s" }],
                sparkline: true,
                width: 6,
                height: 4,
            }),
            statPanel({
                title: "Error rate",
                description:
                    "Share of requests that failed: errors summed, divided by requests summed. Errors are API 5xx " +
                    "responses, or aborted requests on builds without HTTP metrics. " +
                    `SGLangErrorRateHigh fires above ${asPercent(a.errorRateHigh.threshold)} % for ${a.errorRateHigh.for}.`,
                unit: "percentunit",
                decimals: 2,
                queries: [
                    {
                        // No requests: no value rather than NaN.
                        expr: `sum(${sglang(s.SGLANG_ERRORS_RATE)}) / (sum(${sglang(s.SGLANG_REQUESTS_RATE)}) > 0)`,
                        legend: "errors",
                    },
                ],
                thresholds: alertAbove(a.errorRateHigh.threshold),
                noValue: NO_REQUESTS,
                sparkline: true,
                width: 6,
                height: 4,
            }),
            statPanel({
                title: "P95 latency",
                description:
                    "End-to-end request latency, 95th percentile over 5 minutes, of the slowest selected server. " +
                    `SGLangHighLatency fires above ${a.highLatency.threshold} s for ${a.highLatency.for}.`,
                unit: "s",
                // A quantile over no requests is NaN; `>= 0` drops it so the panel says "No requests".
                queries: [{ expr: `max(${sglang(s.SGLANG_E2E_LATENCY_P95)} >= 0)`, legend: "p95" }],
                noValue: NO_REQUESTS,
                thresholds: alertAbove(a.highLatency.threshold),
                sparkline: true,
                width: 6,
                height: 4,
            }),
            timeseriesPanel({
                title: "Request rate by server",
                description: "Requests received per second, per server and model.",
                unit: "reqps",
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_REQUESTS_RATE), legend: SGLANG_LEGEND }],
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "Error rate by server",
                description: "Share of failed requests per server and model; the dashed line is the SGLangErrorRateHigh threshold.",
                unit: "percentunit",
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_ERROR_RATIO), legend: SGLANG_LEGEND }],
                thresholds: alertAbove(a.errorRateHigh.threshold),
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "P95 latency by server",
                description: "End-to-end P95 latency per server and model; the dashed line is the SGLangHighLatency threshold.",
                unit: "s",
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_E2E_LATENCY_P95), legend: SGLANG_LEGEND }],
                thresholds: alertAbove(a.highLatency.threshold),
                width: 8,
                height: 8,
            }),
        ],
    };
}
