/** Links placed in alert annotations, derived from settings. */
import { DASHBOARD_UID } from "../dashboards/constants";
import type { Settings } from "../settings";
import type { Links } from "./types";

export { DASHBOARD_UID };

function trimSlash(url: string): string {
    return url.replace(/\/+$/, "");
}

/**
 * Grafana's public URL (grafana.externalUrl, else grafana.url, else the
 * published port on the public host) and the runbooks' base URL.
 */
export function defaultLinks(settings: Settings): Links {
    const grafanaUrl =
        settings.grafana.externalUrl || settings.grafana.url || `http://${settings.docker.publicHost}:${settings.ports.grafana}`;
    return { grafanaUrl: trimSlash(grafanaUrl), runbookBaseUrl: trimSlash(settings.runbookBaseUrl) };
}

/** The dashboard's URL. */
export function dashboardUrl(links: Links): string {
    return `${links.grafanaUrl}/d/${DASHBOARD_UID}`;
}

/** The runbook of an alert: `<runbookBaseUrl>/<AlertName>.md`. */
export function runbookUrl(links: Links, alertName: string): string {
    return `${links.runbookBaseUrl}/${alertName}.md`;
}
