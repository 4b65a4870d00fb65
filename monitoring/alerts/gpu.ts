/** GPU alerts on the normalized per-GPU series (DCGM or nvidia_gpu_exporter). */
import type { Settings } from "../../settings";
import type { AlertingRule, Links, RuleGroup } from "../types";
import { JOB } from "../types";
import * as S from "../series";
import { alertRule, ON_GPU } from "./common";

export function gpuAlerts(settings: Settings, links: Links): RuleGroup {
    const a = settings.alerts;
    const rules: AlertingRule[] = [
        alertRule(links, {
            name: "GPUMemoryHigh",
            expr: `${S.GPU_MEMORY_USED_RATIO} * 100 > ${a.gpuMemoryHigh.threshold}`,
            for: a.gpuMemoryHigh.for,
            severity: "critical",
            summary: "GPU memory is nearly full",
            description: `${ON_GPU} uses {{ $value | humanize }}% of its memory, above ${a.gpuMemoryHigh.threshold}% for ${a.gpuMemoryHigh.for}: risk of out-of-memory errors.`,
        }),
        alertRule(links, {
            name: "GPUTemperatureHigh",
            expr: `${S.GPU_TEMPERATURE_CELSIUS} > ${a.gpuTemperatureHigh.threshold}`,
            for: a.gpuTemperatureHigh.for,
            severity: "warning",
            summary: "GPU temperature is high",
            description: `${ON_GPU} is at {{ $value }} °C, above ${a.gpuTemperatureHigh.threshold} °C for ${a.gpuTemperatureHigh.for}; it may throttle.`,
        }),
        alertRule(links, {
            name: "GPUUtilizationLow",
            expr: `avg_over_time(${S.GPU_UTILIZATION}[10m]) < ${a.gpuUtilizationLow.threshold}`,
            for: a.gpuUtilizationLow.for,
            severity: "info",
            summary: "GPU is mostly idle",
            description: `${ON_GPU} averaged {{ $value | humanize }}% utilization over 10 minutes, below ${a.gpuUtilizationLow.threshold}% for ${a.gpuUtilizationLow.for}. The capacity may be oversized for the traffic.`,
        }),
    ];
    // With no GPU exporter chosen, missing GPU series are expected: no notice.
    if (settings.gpuExporter !== "none") {
        rules.push(
            alertRule(links, {
                name: "GPUMetricsMissing",
                expr: `up{job="${JOB.sglang}"} == 1 unless on () count(${S.GPU_UTILIZATION} or ${S.GPU_MEMORY_USED_BYTES})`,
                for: "15m",
                severity: "info",
                summary: "SGLang is up but no GPU metrics exist",
                description: `SGLang on instance {{ $labels.instance }} is up (up = {{ $value }}) but no GPU series exist: the GPU exporter (${settings.gpuExporter}) is not scraped or exports nothing, so GPU panels are empty and GPU alerts cannot fire.`,
            }),
        );
    }
    return { name: "gpu.alerts", rules };
}
