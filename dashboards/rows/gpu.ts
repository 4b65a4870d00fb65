/** GPU: per-GPU utilization, memory, temperature and power, whichever exporter (DCGM or nvidia-smi) feeds them. */
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { ABSENT_TEXT, GPU_ABSENCE } from "../absence";
import { type RowSpec, timeseriesPanel } from "../panels";
import { GPU_LEGEND } from "../selectors";
import { alertAbove, alertBelow, COLOR } from "../thresholds";

/**
 * GPU exporters have their own scrape addresses, so the instance variable
 * (which selects SGLang servers) does not filter these panels.
 */
const SCOPE = "Every GPU Prometheus scrapes, whichever exporter reports it (DCGM or nvidia_gpu_exporter).";

export function gpuRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    return {
        title: "GPU",
        panels: [
            timeseriesPanel({
                title: "GPU utilization",
                description:
                    `Share of time the GPU was busy (the guide's nvidia_gpu_utilization). ${SCOPE} Orange below the ` +
                    `GPUUtilizationLow level (${a.gpuUtilizationLow.threshold} % averaged over 10 minutes, for ` +
                    `${a.gpuUtilizationLow.for}). ${GPU_ABSENCE}`,
                unit: "percent",
                min: 0,
                max: 100,
                queries: [{ expr: s.GPU_UTILIZATION, legend: GPU_LEGEND }],
                thresholds: alertBelow(a.gpuUtilizationLow.threshold, COLOR.notice),
                noValue: ABSENT_TEXT,
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "GPU memory used",
                description:
                    `GPU memory used as a share of the total (nvidia_gpu_memory_used_bytes / nvidia_gpu_memory_total_bytes). ${SCOPE} ` +
                    "SGLang pre-allocates most memory for the KV cache, so a high steady value is normal. " +
                    `The dashed line is the GPUMemoryHigh threshold (${a.gpuMemoryHigh.threshold} % for ${a.gpuMemoryHigh.for}). ` +
                    GPU_ABSENCE,
                // The recorded ratio shown as a percentage by Grafana: multiplying by 100 in
                // PromQL would cost an evaluation per point on a panel of every GPU.
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: s.GPU_MEMORY_USED_RATIO, legend: GPU_LEGEND }],
                thresholds: alertAbove(a.gpuMemoryHigh.threshold / 100),
                noValue: ABSENT_TEXT,
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "GPU memory used / total",
                description: `GPU memory used and the total per GPU, in bytes (DCGM reports MiB; the rules convert). ${SCOPE} ${GPU_ABSENCE}`,
                unit: "bytes",
                min: 0,
                queries: [
                    { expr: s.GPU_MEMORY_USED_BYTES, legend: `${GPU_LEGEND} used` },
                    { expr: s.GPU_MEMORY_TOTAL_BYTES, legend: `${GPU_LEGEND} total` },
                ],
                noValue: ABSENT_TEXT,
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "GPU temperature",
                description:
                    `GPU core temperature. ${SCOPE} The dashed line is the GPUTemperatureHigh threshold ` +
                    `(${a.gpuTemperatureHigh.threshold} °C for ${a.gpuTemperatureHigh.for}). ${GPU_ABSENCE}`,
                unit: "celsius",
                queries: [{ expr: s.GPU_TEMPERATURE_CELSIUS, legend: GPU_LEGEND }],
                thresholds: alertAbove(a.gpuTemperatureHigh.threshold),
                noValue: ABSENT_TEXT,
                width: 12,
                height: 8,
            }),
            timeseriesPanel({
                title: "GPU power draw",
                description: `Power drawn by each GPU, in watts. ${SCOPE} ${GPU_ABSENCE}`,
                unit: "watt",
                min: 0,
                queries: [{ expr: s.GPU_POWER_WATTS, legend: GPU_LEGEND }],
                noValue: ABSENT_TEXT,
                width: 12,
                height: 8,
            }),
        ],
    };
}
