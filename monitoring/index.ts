/**
 * The monitoring content as plain data: what is scraped, recorded, alerted
 * and where notifications go. No Pulumi import: the components only place
 * this output, and tests check it with promtool and amtool.
 */

export { alertmanagerConfig, alertmanagerFile, matcherText, renderAlertmanagerConfig, renderAlertmanagerFile } from "./alertmanager";
export { alertRuleGroups, allAlerts, WATCHDOG } from "./alerts";
export { ALERTMANAGER_CREDENTIALS, ALERTMANAGER_SECRET_FILES, ALERTMANAGER_SECRETS_DIR, presentCredentials } from "./credentials";
export { DASHBOARD_UID, dashboardUrl, defaultLinks, runbookUrl } from "./links";
export { prometheusConfig, renderPrometheusConfig } from "./prometheus";
export { recordingRuleGroups } from "./recording";
export { COMMITTED_PATH, RULE_FILE, renderCommittedMonitoringFiles, renderRuleFiles } from "./render";
export type { AlertKind, AlertRouting, Destinations, Integration, Matcher, Receiver, ReceiverName, Route } from "./routing";
export { ALERT_KINDS, alertDestinations, alertRouting, describeRouting, GROUP_BY, RECEIVER } from "./routing";
export * as series from "./series";
export { dockerAddress, dockerTopology, PROMETHEUS_RULE_FILES_GLOB, PROMETHEUS_RULES_DIR } from "./topology";
export * from "./types";
export { containerPortOf, portForwardCommand, type ReachableService, type ServiceUrls, serviceUrls } from "./urls";
export { toYaml } from "./yaml";
