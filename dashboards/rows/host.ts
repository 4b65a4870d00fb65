/** Host: CPU, memory and disk of the machines node exporter runs on. */
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { type RowSpec, timeseriesPanel } from "../panels";
import { alertAbove } from "../thresholds";

/** Node exporters have their own scrape addresses: the instance variable does not filter these panels. */
const SCOPE = "Every host node exporter runs on.";

export function hostRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    return {
        title: "Host",
        panels: [
            // Recorded ratios shown as percentages by Grafana (percentunit): no
            // per-point arithmetic in PromQL.
            timeseriesPanel({
                title: "CPU busy",
                description:
                    `Share of CPU time not idle, averaged over all CPUs of the host (node_cpu_seconds_total). ${SCOPE} ` +
                    `The dashed line is the HighCPUUsage threshold (${a.hostCpuHigh.threshold} % for ${a.hostCpuHigh.for}).`,
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: s.HOST_CPU_BUSY_RATIO, legend: "{{instance}}" }],
                thresholds: alertAbove(a.hostCpuHigh.threshold / 100),
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "Memory used",
                description:
                    `Share of host memory in use (1 - MemAvailable / MemTotal). ${SCOPE} The dashed line is the ` +
                    `HighMemoryUsage threshold (${a.hostMemoryHigh.threshold} % for ${a.hostMemoryHigh.for}).`,
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: s.HOST_MEMORY_USED_RATIO, legend: "{{instance}}" }],
                thresholds: alertAbove(a.hostMemoryHigh.threshold / 100),
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "Disk used",
                description:
                    `Share of each real filesystem in use (1 - avail / size). ${SCOPE} The dashed line is the DiskSpaceLow ` +
                    `threshold for the root filesystem (${a.diskSpaceLow.threshold} % for ${a.diskSpaceLow.for}).`,
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: s.HOST_FILESYSTEM_USED_RATIO, legend: "{{instance}} {{mountpoint}}" }],
                thresholds: alertAbove(a.diskSpaceLow.threshold / 100),
                width: 8,
                height: 8,
            }),
        ],
    };
}
