/** Every alert group, one per area. */
import { durationSeconds, type Settings } from "../../settings";
import { slowRecordingInterval } from "../recording";
import type { AlertingRule, Links, RuleGroup } from "../types";
import { anankeAlerts } from "./ananke";
import { canaryAlerts } from "./canary";
import { gpuAlerts } from "./gpu";
import { hostAlerts } from "./host";
import { metaAlerts } from "./meta";
import { routerAlerts } from "./router";
import { sglangAlerts } from "./sglang";
import { sloAlerts } from "./slo";

export { WATCHDOG } from "./meta";

/**
 * Alerts evaluated in a slow group of their area (`<area>.slow.alerts`,
 * every four evaluation intervals up to a minute, as the slow recording
 * groups) when their `for` is at least ten of those intervals, so they fire
 * at most one slow interval later within a long `for`. Each costs more than
 * it needs to be fresh, or reads series that change once a slow interval:
 * - `AnankeMetricsMissing` is active for every server of a build without
 *   Ananke series (Prometheus renders its annotations for each at every
 *   evaluation); `GPUMetricsMissing` joins every GPU's series and
 *   `GPUUtilizationLow` averages ten minutes of them;
 * - the slow-burn SLO alerts read the 1-day and 3-day ratios of
 *   `slo.slow.recording`, and hold for 15 minutes;
 * - `GPUPcieReplaysHigh` and `GPUThermalThrottling` read the rates of
 *   `gpu.slow.recording`, recorded there under the same condition.
 */
export const SLOW_ALERTS: readonly string[] = [
    "AnankeMetricsMissing",
    "GPUMetricsMissing",
    "GPUUtilizationLow",
    "GPUPcieReplaysHigh",
    "GPUThermalThrottling",
    "SGLangAvailabilityBudgetBurnSlow",
    "SGLangLatencyBudgetBurnSlow",
    "SGLangItlBudgetBurnSlow",
];

/** The shortest `for` an alert evaluated every `interval` may have: ten of those intervals. */
export function slowAlertMinimumFor(interval: string): number {
    return 10 * durationSeconds(interval);
}

/** An area's group split in two: the alerts of SLOW_ALERTS whose `for` allows it move to `<area>.slow.alerts`. */
function withSlowAlerts(group: RuleGroup, settings: Settings): RuleGroup[] {
    const interval = slowRecordingInterval(settings);
    if (durationSeconds(interval) <= durationSeconds(settings.prometheus.evaluationInterval)) return [group];
    const isSlow = (r: RuleGroup["rules"][number]) =>
        "alert" in r && SLOW_ALERTS.includes(r.alert) && durationSeconds(r.for ?? "0s") >= slowAlertMinimumFor(interval);
    const slow = group.rules.filter(isSlow);
    if (slow.length === 0) return [group];
    return [
        { ...group, rules: group.rules.filter((r) => !isSlow(r)) },
        { name: group.name.replace(/\.alerts$/, ".slow.alerts"), interval, rules: slow },
    ];
}

export function alertRuleGroups(settings: Settings, links: Links): RuleGroup[] {
    const groups = [
        sglangAlerts(settings, links),
        anankeAlerts(settings, links),
        gpuAlerts(settings, links),
        hostAlerts(settings, links),
        sloAlerts(settings, links),
        canaryAlerts(settings, links),
        routerAlerts(settings, links),
        metaAlerts(settings, links),
    ].flatMap((g) => withSlowAlerts(g, settings));
    return settings.monitoringMode === "operator" ? groups.map((g) => routedByNamespace(g, settings.kubernetes.namespace)) : groups;
}

/**
 * The operator's Alertmanager hands an AlertmanagerConfig only the alerts
 * whose `namespace` label is the config's own. The Watchdog, host and GPU
 * alerts (the GPU Operator's exporter lives elsewhere) and absent() branches
 * have no such label, or another one: every alert carries the stack's.
 */
function routedByNamespace(group: RuleGroup, namespace: string): RuleGroup {
    return {
        ...group,
        rules: group.rules.map((r) => ("alert" in r ? { ...r, labels: { ...r.labels, namespace } } : r)),
    };
}

/** Every alerting rule, flattened. */
export function allAlerts(settings: Settings, links: Links): AlertingRule[] {
    return alertRuleGroups(settings, links).flatMap((g) => g.rules.filter((r): r is AlertingRule => "alert" in r));
}
