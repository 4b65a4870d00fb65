/**
 * Where alerts go, decided once from which credentials are set, as a typed
 * model. `monitoring/alertmanager.ts` renders it to alertmanager.yml, the
 * Prometheus Operator objects to an AlertmanagerConfig, and the stack to the
 * `alertRouting` output and the preview's `alerts …` lines: none of them
 * decides anything again.
 */
import type { Settings } from "../settings";
import { WATCHDOG } from "./alerts";
import type { CredentialKey } from "./credentials";
import { dashboardUrl } from "./links";
import { JOB, type Links } from "./types";

/** Receiver names; each is also what a destination is called in the model. */
export const RECEIVER = {
    slack: "slack",
    pagerduty: "pagerduty",
    heartbeat: "heartbeat",
    /** No integrations: the Watchdog's sink when no heartbeat URL is set. */
    null: "null",
    /** No integrations: alerts are only visible in Alertmanager's UI and API. */
    alertmanagerOnly: "alertmanager-only",
} as const;
export type ReceiverName = (typeof RECEIVER)[keyof typeof RECEIVER];

/** The kinds of alert routed separately. */
export const ALERT_KINDS = ["critical", "warning", "info", "watchdog"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The receiver each kind of alert reaches. */
export type Destinations = Record<AlertKind, ReceiverName>;

export interface Matcher {
    name: string;
    op: "=" | "!=" | "=~" | "!~";
    value: string;
}

/** One notification integration; its credential is named by key, never held. */
export type Integration =
    | { kind: "slack"; credential: "slackWebhookUrl"; channel: string; title: string; text: string; sendResolved: boolean }
    | {
          kind: "pagerduty";
          credential: "pagerdutyRoutingKey";
          severity: string;
          description: string;
          links: { href: string; text: string }[];
          sendResolved: boolean;
      }
    | { kind: "webhook"; credential: "heartbeatUrl"; sendResolved: boolean };

export interface Receiver {
    name: ReceiverName;
    integrations: Integration[];
}

export interface Route {
    receiver: ReceiverName;
    matchers?: Matcher[];
    groupBy?: string[];
    groupWait?: string;
    groupInterval?: string;
    repeatInterval?: string;
    routes?: Route[];
}

export interface InhibitRule {
    source: Matcher[];
    target: Matcher[];
    equal: string[];
}

export interface AlertRouting {
    destinations: Destinations;
    route: Route;
    receivers: Receiver[];
    inhibitRules: InhibitRule[];
}

/** Which Alertmanager credentials the stack sets. */
export type CredentialPresence = Record<CredentialKey, boolean>;

/**
 * The decision: critical alerts page through PagerDuty, or reach Slack when
 * there is no PagerDuty; warning and info go to Slack; Watchdog goes to the
 * heartbeat. Whatever has no integration stays visible in Alertmanager.
 */
export function alertDestinations(set: CredentialPresence): Destinations {
    const other = set.slackWebhookUrl ? RECEIVER.slack : RECEIVER.alertmanagerOnly;
    return {
        critical: set.pagerdutyRoutingKey ? RECEIVER.pagerduty : other,
        warning: other,
        info: other,
        watchdog: set.heartbeatUrl ? RECEIVER.heartbeat : RECEIVER.null,
    };
}

/**
 * One notification per alert name, instance and model: a second server, GPU
 * host or model failing is never hidden inside a notification already sent
 * for the first (the canary probes every model at the router's one URL, and
 * the router's alerts name a model by `model`), and unrelated alerts on one
 * instance stay separate (each with its runbook). Alerts without a model
 * label group by name and instance alone.
 */
export const GROUP_BY = ["alertname", "instance", "model_name", "model"];

const SLACK_TITLE =
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})';
const SLACK_TEXT = [
    "{{ range .Alerts }}",
    "*{{ .Annotations.summary }}*",
    "{{ .Annotations.description }}",
    "Runbook: {{ .Annotations.runbook_url }} | Dashboard: {{ .Annotations.dashboard_url }}",
    "{{ end }}",
].join("\n");

/** What routing reads: which credentials are set and the Alertmanager keys. */
export type RoutingSlice = Pick<Settings, "secrets" | "alertmanager">;

const integrationsOf = (settings: RoutingSlice, links: Links): Record<ReceiverName, Integration[]> => ({
    [RECEIVER.slack]: [
        {
            kind: "slack",
            credential: "slackWebhookUrl",
            channel: settings.alertmanager.slackChannel,
            sendResolved: true,
            title: SLACK_TITLE,
            text: SLACK_TEXT,
        },
    ],
    [RECEIVER.pagerduty]: [
        {
            // Events API v2: a routing key (never the v1 service key).
            kind: "pagerduty",
            credential: "pagerdutyRoutingKey",
            sendResolved: true,
            // PagerDuty's own severities (critical, error, warning, info) include ours;
            // without this every event arrives as "error".
            severity: "{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}",
            description: "{{ .CommonLabels.alertname }} on {{ .CommonLabels.instance }}: {{ .CommonAnnotations.summary }}",
            links: [
                { href: "{{ .CommonAnnotations.runbook_url }}", text: "Runbook" },
                { href: dashboardUrl(links), text: "Dashboard" },
            ],
        },
    ],
    [RECEIVER.heartbeat]: [{ kind: "webhook", credential: "heartbeatUrl", sendResolved: false }],
    [RECEIVER.null]: [],
    [RECEIVER.alertmanagerOnly]: [],
});

/** The routing of the stack's alerts, from its settings. */
export function alertRouting(settings: RoutingSlice, links: Links): AlertRouting {
    const am = settings.alertmanager;
    const destinations = alertDestinations(settings.secrets);
    const integrations = integrationsOf(settings, links);
    // Receivers without integrations always exist; the others only when a route reaches them.
    const used = new Set<ReceiverName>([RECEIVER.alertmanagerOnly, RECEIVER.null, ...Object.values(destinations)]);
    const order: ReceiverName[] = [RECEIVER.alertmanagerOnly, RECEIVER.null, RECEIVER.slack, RECEIVER.pagerduty, RECEIVER.heartbeat];
    return {
        destinations,
        route: {
            receiver: destinations.warning,
            groupBy: GROUP_BY,
            groupWait: am.groupWait,
            groupInterval: am.groupInterval,
            repeatInterval: am.repeatInterval,
            routes: [
                {
                    // The heartbeat wants a steady pulse: send at once and repeat every minute.
                    matchers: [{ name: "alertname", op: "=", value: WATCHDOG }],
                    receiver: destinations.watchdog,
                    groupWait: "0s",
                    groupInterval: "1m",
                    repeatInterval: "1m",
                },
                { matchers: [{ name: "severity", op: "=", value: "critical" }], receiver: destinations.critical },
            ],
        },
        receivers: order.filter((name) => used.has(name)).map((name) => ({ name, integrations: integrations[name] })),
        inhibitRules: [
            {
                source: [{ name: "severity", op: "=", value: "critical" }],
                target: [{ name: "severity", op: "=~", value: "warning|info" }],
                equal: ["alertname", "instance"],
            },
            {
                // Every SGLang-derived alert keeps job="sglang": while the server is down they are noise.
                source: [{ name: "alertname", op: "=", value: "SGLangServerDown" }],
                target: [
                    { name: "job", op: "=", value: JOB.sglang },
                    { name: "alertname", op: "!=", value: "SGLangServerDown" },
                ],
                equal: ["instance"],
            },
            {
                // A router without a Ready worker answers every request 503: its errors and its workers' alerts say nothing more.
                source: [{ name: "alertname", op: "=", value: "SGLangRouterNoHealthyWorker" }],
                target: [{ name: "alertname", op: "=~", value: "SGLangRouterErrors|SGLangRouterWorkerUnhealthy|SGLangRouterWorkerEjected" }],
                equal: ["instance"],
            },
            {
                // A model that lost every server is answered 404 model_not_found, which the page already says; the
                // response counter names no model, so the router's other unserved-model answers wait for the page to resolve.
                source: [{ name: "alertname", op: "=", value: "SGLangRouterModelWithoutWorkers" }],
                target: [{ name: "alertname", op: "=", value: "SGLangRouterModelNotFound" }],
                equal: ["instance"],
            },
        ],
    };
}

/**
 * What people are told about each kind of alert (the `alertRouting` output
 * and the preview's lines), from the same destinations the configuration
 * routes by. `alertmanager` says where undelivered alerts can be seen.
 */
export function describeRouting(settings: RoutingSlice, destinations: Destinations, alertmanager: string): Record<AlertKind, string> {
    const set = settings.secrets;
    const slack = `Slack ${settings.alertmanager.slackChannel}`;
    const visible = `stays visible in Alertmanager only (${alertmanager})`;
    const say = (kind: AlertKind): string => {
        const to = destinations[kind];
        switch (to) {
            case RECEIVER.pagerduty:
                return "PagerDuty (Events API v2)";
            case RECEIVER.slack:
                return kind === "critical" && !set.pagerdutyRoutingKey ? `${slack} (no PagerDuty routing key)` : slack;
            case RECEIVER.heartbeat:
                return "heartbeat URL (dead man's switch)";
            case RECEIVER.null:
                return "null receiver (set heartbeatUrl to be told when alerting itself breaks)";
            case RECEIVER.alertmanagerOnly:
                return kind === "critical" ? `no PagerDuty routing key or Slack webhook: ${visible}` : `no Slack webhook: ${visible}`;
        }
    };
    return Object.fromEntries(ALERT_KINDS.map((kind) => [kind, say(kind)])) as Record<AlertKind, string>;
}
