/** GPU alerts on the normalized per-GPU series (DCGM or nvidia_gpu_exporter). */
import type { Settings } from "../../settings";
import { byClause } from "../promql";
import * as S from "../series";
import type { AlertingRule, Links, RuleGroup } from "../types";
import { JOB } from "../types";
import { alertRule, ON_GPU } from "./common";
import { CRITICAL_XID_CODES, xidMeaningTemplate } from "./xid";

/**
 * How long a memory-error alert stays after the last error: long enough to be
 * seen and acted on, while its condition reads only the last few minutes.
 */
const MEMORY_ERROR_HOLD = "1h";

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
    rules.push(...gpuHealthAlerts(settings, links));
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

/**
 * Faults a GPU reports through DCGM's default health fields, a GPU that stops
 * reporting, and the NCCL-hang signature: busy GPUs at idle power.
 */
function gpuHealthAlerts(settings: Settings, links: Links): AlertingRule[] {
    const a = settings.alerts;
    // A new XID is a change of the last one (it never resets), recorded as GPU_XID_NEW.
    const critical = CRITICAL_XID_CODES.map((c) => `${S.GPU_XID_NEW} == ${c}`).join(" or ");
    const rules: AlertingRule[] = [
        alertRule(links, {
            name: "GPUXidCritical",
            expr: critical,
            for: a.gpuXid.for,
            severity: "critical",
            summary: "GPU reported a critical XID error",
            description: `${ON_GPU} reported XID {{ $value }}: ${xidMeaningTemplate()}. The GPU or its memory cannot be trusted until it is reset; the SGLang server on it will fail or hang.`,
        }),
        alertRule(links, {
            name: "GPUXidError",
            expr: `${S.GPU_XID_NEW} > 0 unless (${critical})`,
            for: a.gpuXid.for,
            severity: "warning",
            summary: "GPU reported an XID error",
            description: `${ON_GPU} reported XID {{ $value }}: ${xidMeaningTemplate()}.`,
        }),
        alertRule(links, {
            name: "GPURowRemapFailure",
            expr: `${S.GPU_ROW_REMAP_FAILURE} > 0`,
            for: a.gpuRowRemapFailure.for,
            severity: "critical",
            summary: "GPU memory row remapping failed",
            description: `${ON_GPU} failed to remap a faulty memory row (value {{ $value }}): its memory can no longer be repaired in the field. Drain it and have it replaced.`,
        }),
        alertRule(links, {
            name: "GPUUncorrectableRemappedRows",
            expr: `${S.GPU_UNCORRECTABLE_REMAPPED_ROWS_INCREASE} > 0`,
            keepFiringFor: MEMORY_ERROR_HOLD,
            severity: "warning",
            summary: "GPU remapped memory rows for uncorrectable errors",
            description: `${ON_GPU} remapped {{ $value }} memory rows for uncorrectable errors within ${S.RATE_WINDOW} (the alert stays ${MEMORY_ERROR_HOLD} after the last one): a reset applies the remapping; repeated ones mean failing memory.`,
        }),
        alertRule(links, {
            name: "GPUPcieReplaysHigh",
            expr: `${S.GPU_PCIE_REPLAYS_RATE} > ${a.gpuPcieReplays.threshold}`,
            for: a.gpuPcieReplays.for,
            severity: "warning",
            summary: "GPU PCIe link retries transfers",
            description: `${ON_GPU} replays {{ $value | humanize }} PCIe transfers per second, above ${a.gpuPcieReplays.threshold}/s for ${a.gpuPcieReplays.for}: a degrading link or riser, often before the GPU falls off the bus.`,
        }),
        alertRule(links, {
            name: "GPUMemoryTemperatureHigh",
            expr: `${S.GPU_MEMORY_TEMPERATURE_CELSIUS} > ${a.gpuMemoryTemperature.threshold}`,
            for: a.gpuMemoryTemperature.for,
            severity: "warning",
            summary: "GPU memory (HBM) temperature is high",
            description: `${ON_GPU} has its memory at {{ $value }} °C, above ${a.gpuMemoryTemperature.threshold} °C for ${a.gpuMemoryTemperature.for}: it will throttle, and memory errors become likely.`,
        }),
        alertRule(links, {
            name: "GPUEccUncorrectableErrors",
            expr: `${S.GPU_ECC_UNCORRECTABLE_INCREASE} > 0`,
            for: a.gpuEccUncorrectable.for,
            keepFiringFor: MEMORY_ERROR_HOLD,
            severity: "critical",
            summary: "GPU memory had uncorrectable ECC errors",
            description: `${ON_GPU} counted {{ $value | humanize }} uncorrectable (double-bit) ECC errors within ${S.RATE_WINDOW} (the alert stays ${MEMORY_ERROR_HOLD} after the last one): data in its memory was corrupted, and the process that touched it gets wrong results or dies. Drain it and reset it.`,
        }),
        alertRule(links, {
            name: "GPUThermalThrottling",
            expr: `${S.GPU_THROTTLED_RATIO} > ${a.gpuThrottling.threshold}`,
            for: a.gpuThrottling.for,
            severity: "warning",
            summary: "GPU clocks are held down by heat or power",
            description: `${ON_GPU} spent {{ $value | humanizePercentage }} of the last 5 minutes with its clocks held down by temperature or its power limit, above ${a.gpuThrottling.threshold} for ${a.gpuThrottling.for}: tokens per second drop and latency rises.`,
        }),
        alertRule(links, {
            name: "GPUMissing",
            expr: `${S.GPUS_REPORTING} < max_over_time(${S.GPUS_REPORTING}[1h])`,
            for: a.gpuMissing.for,
            severity: "critical",
            summary: "A GPU stopped reporting",
            description: `Only {{ $value }} GPUs report on instance {{ $labels.instance }} (host {{ $labels.hostname }}), fewer than in the hour before, for ${a.gpuMissing.for}: a GPU has fallen off the bus or its driver lost it.`,
        }),
        alertRule(links, {
            name: "GPUBusyAtIdlePower",
            // Two or more GPUs of a host spinning at full utilization without drawing power:
            // the signature of ranks waiting on each other in an NCCL collective.
            expr: `count by (job, instance, hostname) (${S.GPU_UTILIZATION} >= 95 and on (${byClause(S.GPU_LABELS)}) ${S.GPU_POWER_WATTS} < ${a.gpuBusyIdlePower.threshold}) >= 2`,
            for: a.gpuBusyIdlePower.for,
            severity: "critical",
            summary: "GPUs are busy at idle power (NCCL hang)",
            description: `{{ $value }} GPUs on instance {{ $labels.instance }} (host {{ $labels.hostname }}) show 95 % utilization or more while drawing under ${a.gpuBusyIdlePower.threshold} W, for ${a.gpuBusyIdlePower.for}: tensor-parallel ranks are stuck in a collective and no token is produced.`,
        }),
    ];
    if (settings.gpuExporter !== "none") {
        rules.push(
            alertRule(links, {
                name: "GPUExporterDown",
                expr: `up{job="${JOB.gpu}"} == 0`,
                for: a.gpuExporterDown.for,
                severity: "warning",
                summary: "The GPU exporter is down",
                description: `Prometheus cannot scrape the GPU exporter on instance {{ $labels.instance }} (up = {{ $value }}) for ${a.gpuExporterDown.for}: GPU faults (XID, remapping, a GPU lost) go unnoticed until it is back.`,
            }),
        );
    }
    return rules;
}
