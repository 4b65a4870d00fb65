/** Self-monitoring: the alerting pipeline itself (Watchdog, targets, Prometheus, Alertmanager). */
import type { Settings } from "../../settings";
import type { Links, RuleGroup } from "../types";
import { JOB, JOB_ROUTER } from "../types";
import { alertRule } from "./common";

export const WATCHDOG = "Watchdog";

export function metaAlerts(settings: Settings, links: Links): RuleGroup {
    return {
        name: "meta.alerts",
        rules: [
            alertRule(links, {
                name: WATCHDOG,
                expr: "vector(1)",
                severity: "none",
                summary: "The alerting pipeline works (always firing)",
                description:
                    "Always firing (value {{ $value }}){{ if $labels.instance }} on instance {{ $labels.instance }}{{ end }}. It reaches the heartbeat receiver when one is configured; if the heartbeat stops, Prometheus, Alertmanager or the path between them is broken.",
            }),
            alertRule(links, {
                name: "TargetDown",
                // SGLang (SGLangServerDown), the GPU exporter (GPUExporterDown) and the router (SGLangRouterDown) have their own.
                expr: `up{job!~"${JOB.sglang}|${JOB.gpu}|${JOB_ROUTER}"} == 0`,
                for: settings.alerts.targetDown.for,
                severity: "warning",
                summary: "A scrape target is down",
                description: `Prometheus cannot scrape instance {{ $labels.instance }} of job {{ $labels.job }} (up = {{ $value }}) for ${settings.alerts.targetDown.for}: its metrics, panels and alerts are missing.`,
            }),
            alertRule(links, {
                name: "PrometheusRuleFailures",
                expr: `sum by (job, instance, rule_group) (increase(prometheus_rule_evaluation_failures_total[5m])) > 0`,
                for: "15m",
                severity: "critical",
                summary: "Prometheus fails to evaluate rules",
                description: `Prometheus on instance {{ $labels.instance }} failed {{ $value | humanize }} rule evaluations in 5 minutes in group {{ $labels.rule_group }}: recorded series and alerts may be missing.`,
            }),
            alertRule(links, {
                name: "PrometheusNotConnectedToAlertmanagers",
                expr: `max_over_time(prometheus_notifications_alertmanagers_discovered{job="${JOB.prometheus}"}[5m]) < 1`,
                for: "10m",
                severity: "warning",
                summary: "Prometheus has no Alertmanager",
                description: `Prometheus on instance {{ $labels.instance }} is connected to {{ $value }} Alertmanagers: no alert can be delivered.`,
            }),
            alertRule(links, {
                name: "PrometheusNotificationsFailing",
                expr: `sum by (job, instance) (rate(prometheus_notifications_errors_total[5m])) / (sum by (job, instance) (rate(prometheus_notifications_sent_total[5m])) > 0) > 0.01`,
                for: "15m",
                severity: "warning",
                summary: "Prometheus fails to send alerts to Alertmanager",
                description: `{{ $value | humanizePercentage }} of the alerts Prometheus on instance {{ $labels.instance }} sends to Alertmanager fail.`,
            }),
            alertRule(links, {
                name: "PrometheusConfigReloadFailed",
                expr: `prometheus_config_last_reload_successful == 0`,
                for: "10m",
                severity: "warning",
                summary: "Prometheus configuration reload failed",
                description: `Prometheus on instance {{ $labels.instance }} could not load its configuration (last reload successful = {{ $value }}); it runs on the previous one.`,
            }),
            alertRule(links, {
                name: "AlertmanagerFailedToSendAlerts",
                expr: `sum by (job, instance, integration) (rate(alertmanager_notifications_failed_total[5m])) / (sum by (job, instance, integration) (rate(alertmanager_notifications_total[5m])) > 0) > 0.01`,
                for: "5m",
                severity: "warning",
                summary: "Alertmanager fails to deliver notifications",
                description: `{{ $value | humanizePercentage }} of Alertmanager's {{ $labels.integration }} notifications fail on instance {{ $labels.instance }}.`,
            }),
            alertRule(links, {
                name: "AlertmanagerConfigReloadFailed",
                expr: `alertmanager_config_last_reload_successful == 0`,
                for: "10m",
                severity: "warning",
                summary: "Alertmanager configuration reload failed",
                description: `Alertmanager on instance {{ $labels.instance }} could not load its configuration (last reload successful = {{ $value }}); it runs on the previous one.`,
            }),
        ],
    };
}
