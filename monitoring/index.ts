/**
 * The monitoring content as plain data: what is scraped, recorded, alerted
 * and where notifications go. No Pulumi import: the components only place
 * this output, and tests check it with promtool and amtool.
 */
export * from "./types";
export * as series from "./series";
export { recordingRuleGroups } from "./recording";
export { alertRuleGroups, allAlerts, WATCHDOG } from "./alerts";
export { alertmanagerConfig, alertmanagerFile, matcherText, renderAlertmanagerConfig, renderAlertmanagerFile } from "./alertmanager";
export { ALERTMANAGER_CREDENTIALS, ALERTMANAGER_SECRET_FILES, ALERTMANAGER_SECRETS_DIR, presentCredentials } from "./credentials";
export { alertDestinations, alertRouting, describeRouting, ALERT_KINDS, GROUP_BY, RECEIVER } from "./routing";
export type { AlertKind, AlertRouting, Destinations, Integration, Matcher, Receiver, ReceiverName, Route } from "./routing";
export { prometheusConfig, renderPrometheusConfig } from "./prometheus";
export { dockerAddress, dockerTopology, PROMETHEUS_RULES_DIR, PROMETHEUS_RULE_FILES_GLOB } from "./topology";
export { containerPortOf, portForwardCommand, serviceUrls, type ReachableService, type ServiceUrls } from "./urls";
export { defaultLinks, dashboardUrl, runbookUrl, DASHBOARD_UID } from "./links";
export { renderRuleFiles, renderCommittedMonitoringFiles, COMMITTED_PATH, RULE_FILE } from "./render";
export { toYaml } from "./yaml";
