/** Links placed in alert annotations, derived from settings. */
import { DASHBOARD_UID } from "../dashboards/constants";
import type { Settings } from "../settings";
import type { Links } from "./types";
import { serviceUrls } from "./urls";

export { DASHBOARD_UID };

function trimSlash(url: string): string {
    return url.replace(/\/+$/, "");
}

/** Grafana's link base (see `monitoring/urls.ts`) and the runbooks' base URL. */
export function defaultLinks(settings: Settings): Links {
    return { grafanaUrl: trimSlash(serviceUrls(settings, "grafana").link), runbookBaseUrl: trimSlash(settings.runbookBaseUrl) };
}

/** The dashboard's URL. */
export function dashboardUrl(links: Links): string {
    return `${links.grafanaUrl}/d/${DASHBOARD_UID}`;
}

/** The runbook of an alert: `<runbookBaseUrl>/<AlertName>.md`. */
export function runbookUrl(links: Links, alertName: string): string {
    return `${links.runbookBaseUrl}/${alertName}.md`;
}
