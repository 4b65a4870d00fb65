/** Host: CPU, memory and disk of the machines node exporter runs on. */
import * as s from "../../monitoring/series";
import type { AlertTuning, Settings } from "../../settings";
import { type RowSpec, timeseriesPanel } from "../panels";
import { alertAbove } from "../thresholds";

/** Node exporters have their own scrape addresses: the instance variable does not filter these panels. */
const SCOPE = "Every host node exporter runs on.";

/**
 * A recorded 0–1 ratio shown as a percentage by Grafana (percentunit), so
 * PromQL does no per-point arithmetic; the alert's percent threshold is drawn.
 */
function usedRatioPanel(title: string, what: string, series: string, legend: string, alert: string, tuning: AlertTuning) {
    return timeseriesPanel({
        title,
        description: `${what} ${SCOPE} The dashed line is the ${alert} threshold (${tuning.threshold} % for ${tuning.for}).`,
        unit: "percentunit",
        min: 0,
        max: 1,
        queries: [{ expr: series, legend }],
        thresholds: alertAbove(tuning.threshold / 100),
        width: 8,
        height: 8,
    });
}

export function hostRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    return {
        title: "Host",
        panels: [
            usedRatioPanel(
                "CPU busy",
                "Share of CPU time not idle, averaged over all CPUs of the host (node_cpu_seconds_total).",
                s.HOST_CPU_BUSY_RATIO,
                "{{instance}}",
                "HighCPUUsage",
                a.hostCpuHigh,
            ),
            usedRatioPanel(
                "Memory used",
                "Share of host memory in use (1 - MemAvailable / MemTotal).",
                s.HOST_MEMORY_USED_RATIO,
                "{{instance}}",
                "HighMemoryUsage",
                a.hostMemoryHigh,
            ),
            usedRatioPanel(
                "Disk used",
                "Share of each real filesystem in use (1 - avail / size); the alert watches the root filesystem.",
                s.HOST_FILESYSTEM_USED_RATIO,
                "{{instance}} {{mountpoint}}",
                "DiskSpaceLow",
                a.diskSpaceLow,
            ),
        ],
    };
}
