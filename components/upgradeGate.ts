import * as pulumi from "@pulumi/pulumi";
import { dashboardRows } from "../dashboards/dashboard";
import { allAlerts } from "../monitoring/alerts";
import type { Links } from "../monitoring/types";
import { gateFindings } from "../monitoring/upgrade-gate";
import type { Settings } from "../settings";

/**
 * Says at every preview, as warnings, which configured image has no verified
 * metric contract and which enabled alerts and dashboard panels cannot have
 * data on the contracts in use (name and missing metrics). Silent when
 * everything can. Returns the lines, for tests.
 */
export function announceUpgradeGate(settings: Settings, links: Links): string[] {
    const alerts = allAlerts(settings, links).map((a) => a.alert);
    const panels = dashboardRows(settings).flatMap((r) => r.panels.map((p) => p.title));
    const lines = gateFindings(settings, { alerts, panels });
    for (const line of lines) pulumi.log.warn(line);
    return lines;
}
