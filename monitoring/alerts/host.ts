/** Host alerts from node exporter. */
import type { Settings } from "../../settings";
import * as S from "../series";
import type { Links, RuleGroup } from "../types";
import { alertRule } from "./common";

export function hostAlerts(settings: Settings, links: Links): RuleGroup {
    const a = settings.alerts;
    return {
        name: "host.alerts",
        rules: [
            alertRule(links, {
                name: "HighCPUUsage",
                expr: `${S.HOST_CPU_BUSY_RATIO} * 100 > ${a.hostCpuHigh.threshold}`,
                for: a.hostCpuHigh.for,
                severity: "warning",
                summary: "Host CPU is saturated",
                description: `CPU is {{ $value | humanize }}% busy on instance {{ $labels.instance }}, above ${a.hostCpuHigh.threshold}% for ${a.hostCpuHigh.for}.`,
            }),
            alertRule(links, {
                name: "HighMemoryUsage",
                expr: `${S.HOST_MEMORY_USED_RATIO} * 100 > ${a.hostMemoryHigh.threshold}`,
                for: a.hostMemoryHigh.for,
                severity: "warning",
                summary: "Host memory is nearly full",
                description: `{{ $value | humanize }}% of memory is used on instance {{ $labels.instance }}, above ${a.hostMemoryHigh.threshold}% for ${a.hostMemoryHigh.for}.`,
            }),
            alertRule(links, {
                name: "DiskSpaceLow",
                expr: `${S.HOST_FILESYSTEM_USED_RATIO}{mountpoint="/"} * 100 > ${a.diskSpaceLow.threshold}`,
                for: a.diskSpaceLow.for,
                severity: "warning",
                summary: "Root filesystem is filling up",
                description: `The root filesystem ({{ $labels.device }}) is {{ $value | humanize }}% used on instance {{ $labels.instance }}, above ${a.diskSpaceLow.threshold}% for ${a.diskSpaceLow.for}.`,
            }),
        ],
    };
}
