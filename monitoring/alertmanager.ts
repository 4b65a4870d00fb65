/**
 * The Alertmanager configuration. Routing: critical → PagerDuty (Events v2),
 * everything else → Slack, Watchdog → the heartbeat (dead man's switch).
 * Credentials are never in this file: it names files (`api_url_file`,
 * `routing_key_file`, `url_file`) that the components mount from secrets.
 * With no Slack or PagerDuty, alerts go to a receiver without integrations:
 * the configuration stays valid and the alerts stay visible in Alertmanager.
 */
import type { Settings } from "../settings";
import type { AlertmanagerSecretFiles, Links } from "./types";
import { JOB } from "./types";
import { WATCHDOG } from "./alerts";
import { dashboardUrl } from "./links";
import { toYaml } from "./yaml";

/** Directory inside the Alertmanager container where credentials are mounted. */
export const ALERTMANAGER_SECRETS_DIR = "/etc/alertmanager/secrets";

/** Default paths of the credential files inside the Alertmanager container. */
export const ALERTMANAGER_SECRET_FILES: AlertmanagerSecretFiles = {
    slackWebhookUrl: `${ALERTMANAGER_SECRETS_DIR}/slack_webhook_url`,
    pagerdutyRoutingKey: `${ALERTMANAGER_SECRETS_DIR}/pagerduty_routing_key`,
    heartbeatUrl: `${ALERTMANAGER_SECRETS_DIR}/heartbeat_url`,
};

/** Receiver names. */
export const RECEIVER = {
    slack: "slack",
    pagerduty: "pagerduty",
    heartbeat: "heartbeat",
    /** No integrations: the Watchdog's sink when no heartbeat URL is set. */
    null: "null",
    /** No integrations: alerts are only visible in Alertmanager's UI and API. */
    alertmanagerOnly: "alertmanager-only",
} as const;

/**
 * One notification per alert name and instance: a second server or GPU host
 * failing is never hidden inside a notification already sent for the first,
 * and unrelated alerts on one instance stay separate (each with its runbook).
 */
export const GROUP_BY = ["alertname", "instance"];

/** Where each kind of alert is delivered, given which secrets are set. */
export function receiverFor(settings: Settings): { critical: string; other: string; watchdog: string } {
    const s = settings.secrets;
    const other = s.slackWebhookUrl ? RECEIVER.slack : RECEIVER.alertmanagerOnly;
    // Without PagerDuty a critical alert still reaches people on Slack when it can.
    const critical = s.pagerdutyRoutingKey ? RECEIVER.pagerduty : other;
    return { critical, other, watchdog: s.heartbeatUrl ? RECEIVER.heartbeat : RECEIVER.null };
}

const SLACK_TITLE =
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})';
const SLACK_TEXT = [
    "{{ range .Alerts }}",
    "*{{ .Annotations.summary }}*",
    "{{ .Annotations.description }}",
    "Runbook: {{ .Annotations.runbook_url }} | Dashboard: {{ .Annotations.dashboard_url }}",
    "{{ end }}",
].join("\n");

function receivers(settings: Settings, files: AlertmanagerSecretFiles, links: Links): object[] {
    const s = settings.secrets;
    const list: object[] = [{ name: RECEIVER.alertmanagerOnly }, { name: RECEIVER.null }];
    if (s.slackWebhookUrl) {
        list.push({
            name: RECEIVER.slack,
            slack_configs: [
                {
                    api_url_file: files.slackWebhookUrl,
                    channel: settings.alertmanager.slackChannel,
                    send_resolved: true,
                    title: SLACK_TITLE,
                    text: SLACK_TEXT,
                },
            ],
        });
    }
    if (s.pagerdutyRoutingKey) {
        list.push({
            name: RECEIVER.pagerduty,
            pagerduty_configs: [
                {
                    // Events API v2: routing_key (never the v1 service_key).
                    routing_key_file: files.pagerdutyRoutingKey,
                    send_resolved: true,
                    // PagerDuty's own severities (critical, error, warning, info) include ours;
                    // without this every event arrives as "error".
                    severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}',
                    description: "{{ .CommonLabels.alertname }} on {{ .CommonLabels.instance }}: {{ .CommonAnnotations.summary }}",
                    links: [
                        { href: "{{ .CommonAnnotations.runbook_url }}", text: "Runbook" },
                        { href: dashboardUrl(links), text: "Dashboard" },
                    ],
                },
            ],
        });
    }
    if (s.heartbeatUrl) {
        list.push({
            name: RECEIVER.heartbeat,
            // url_file needs Alertmanager 0.26 or newer (the image is newer); 0.25 cannot read it.
            webhook_configs: [{ url_file: files.heartbeatUrl, send_resolved: false }],
        });
    }
    return list;
}

/** The Alertmanager configuration as a plain object. */
export function alertmanagerConfig(settings: Settings, files: AlertmanagerSecretFiles, links: Links): object {
    const am = settings.alertmanager;
    const to = receiverFor(settings);
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: to.other,
            group_by: GROUP_BY,
            group_wait: am.groupWait,
            group_interval: am.groupInterval,
            repeat_interval: am.repeatInterval,
            routes: [
                {
                    // The heartbeat wants a steady pulse: send at once and repeat every minute.
                    matchers: [`alertname="${WATCHDOG}"`],
                    receiver: to.watchdog,
                    group_wait: "0s",
                    group_interval: "1m",
                    repeat_interval: "1m",
                },
                { matchers: ['severity="critical"'], receiver: to.critical },
            ],
        },
        inhibit_rules: [
            {
                source_matchers: ['severity="critical"'],
                target_matchers: ['severity=~"warning|info"'],
                equal: ["alertname", "instance"],
            },
            {
                // Every SGLang-derived alert keeps job="sglang": while the server is down they are noise.
                source_matchers: ['alertname="SGLangServerDown"'],
                target_matchers: [`job="${JOB.sglang}"`, 'alertname!="SGLangServerDown"'],
                equal: ["instance"],
            },
        ],
        receivers: receivers(settings, files, links),
    };
}

export function renderAlertmanagerConfig(settings: Settings, files: AlertmanagerSecretFiles, links: Links): string {
    return toYaml(
        alertmanagerConfig(settings, files, links),
        "Alertmanager configuration, generated by monitoring/alertmanager.ts: edit the code, not this file.",
    );
}
