/** Every alert group, one per area. */
import type { Settings } from "../../settings";
import type { AlertingRule, Links, RuleGroup } from "../types";
import { anankeAlerts } from "./ananke";
import { gpuAlerts } from "./gpu";
import { hostAlerts } from "./host";
import { metaAlerts } from "./meta";
import { sglangAlerts } from "./sglang";
import { sloAlerts } from "./slo";

export { WATCHDOG } from "./meta";

export function alertRuleGroups(settings: Settings, links: Links): RuleGroup[] {
    return [
        sglangAlerts(settings, links),
        anankeAlerts(settings, links),
        gpuAlerts(settings, links),
        hostAlerts(settings, links),
        sloAlerts(settings, links),
        metaAlerts(settings, links),
    ];
}

/** Every alerting rule, flattened. */
export function allAlerts(settings: Settings, links: Links): AlertingRule[] {
    return alertRuleGroups(settings, links).flatMap((g) => g.rules.filter((r): r is AlertingRule => "alert" in r));
}
