/** Every alert group, one per area. */
import type { Settings } from "../../settings";
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
    ];
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
