/**
 * The Prometheus Operator objects of `monitoringMode: operator`, as plain
 * data: one ServiceMonitor or PodMonitor per scrape job of the Kubernetes
 * topology, a PrometheusRule with the rules the bundled Prometheus loads, and
 * an AlertmanagerConfig translated from the bundled Alertmanager's routing.
 * Pure: every fact comes from monitoring/ and the topology, never retyped.
 */
import type { Settings } from "../../settings";
import { alertmanagerConfig, alertRuleGroups, recordingRuleGroups, ALERTMANAGER_SECRET_FILES } from "../../monitoring";
import { JOB, type AlertmanagerSecretFiles, type Links, type RuleGroup, type ScrapeJob } from "../../monitoring/types";
import { stackLabels } from "../platform/kubernetes/labels";
import { kubernetesTopology } from "../platform/kubernetes/topology";
// Types only (the packages are ES modules): field names are checked at compile time.
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor" with { "resolution-mode": "import" };
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor" with { "resolution-mode": "import" };
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule" with { "resolution-mode": "import" };
import type { IAlertmanagerConfigSpec } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfigSpec" with { "resolution-mode": "import" };
import type { IInhibitRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/InhibitRule" with { "resolution-mode": "import" };
import type { IPagerDutyConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/PagerDutyConfig" with { "resolution-mode": "import" };
import type { IReceiver } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Receiver" with { "resolution-mode": "import" };
import type { IRoute } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Route" with { "resolution-mode": "import" };
import type { ISlackConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/SlackConfig" with { "resolution-mode": "import" };
import type { IWebhookConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/WebhookConfig" with { "resolution-mode": "import" };

export const MONITORING_API = "monitoring.coreos.com/v1";
export const ALERTMANAGER_CONFIG_API = "monitoring.coreos.com/v1alpha1";

export interface ObjectMeta {
    name: string;
    namespace: string;
    labels: Record<string, string>;
}

/** A Prometheus Operator object: apiVersion, kind, metadata and spec. */
export interface OperatorObject<Spec = object> {
    apiVersion: string;
    kind: string;
    metadata: ObjectMeta;
    spec: Spec;
}

/** Labels of every operator object: the stack's, plus those the cluster's Prometheus selects by. */
export function operatorLabels(settings: Settings): Record<string, string> {
    return { ...stackLabels(settings.stack, "monitoring"), ...settings.kubernetes.monitorLabels };
}

const meta = (settings: Settings, name: string, namespace = settings.kubernetes.monitorNamespace): ObjectMeta => ({
    name,
    namespace,
    labels: operatorLabels(settings),
});

type PodsJob = ScrapeJob & { discovery: Extract<ScrapeJob["discovery"], { kind: "kubernetes-pods" }> };

/**
 * Relabelings that give series the labels the rules and dashboards expect:
 * `job` as the topology names it (a PodMonitor would otherwise call it
 * namespace/monitor-name) and `node` as the bundled Prometheus sets it.
 */
function relabelings(job: PodsJob): NonNullable<IServiceMonitor["spec"]["endpoints"][number]["relabelings"]> {
    return [
        { action: "replace", targetLabel: "job", replacement: job.job },
        { action: "replace", sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node" },
    ];
}

/** Whether a job's pods are the stack's own (with a Service) rather than another installation's. */
function ownsPods(job: PodsJob, settings: Settings): boolean {
    return !(job.job === JOB.gpu && settings.gpuExporter === "existing");
}

/**
 * The monitor of one job. With `monitorKind: servicemonitor` the stack's own
 * services are scraped through their Service (same labels, port of the same
 * name); the GPU Operator's exporter, whose Service the stack does not know,
 * always through a PodMonitor.
 */
export function monitorFor(job: PodsJob, settings: Settings): OperatorObject<IServiceMonitor["spec"] | IPodMonitor["spec"]> {
    const d = job.discovery;
    const endpoint: IServiceMonitor["spec"]["endpoints"][number] & NonNullable<IPodMonitor["spec"]["podMetricsEndpoints"]>[number] = {
        port: d.portName,
        path: job.metricsPath ?? "/metrics",
        interval: job.scrapeInterval ?? settings.kubernetes.monitorInterval,
        relabelings: relabelings(job),
    };
    const common = {
        selector: { matchLabels: { ...d.podLabels } },
        namespaceSelector: { matchNames: [...d.namespaces] },
    };
    const name = `sglang-ananke-${job.job}`;
    if (settings.kubernetes.monitorKind === "servicemonitor" && ownsPods(job, settings)) {
        const spec: IServiceMonitor["spec"] = { ...common, endpoints: [endpoint] };
        return { apiVersion: MONITORING_API, kind: "ServiceMonitor", metadata: meta(settings, name), spec };
    }
    const spec: IPodMonitor["spec"] = { ...common, podMetricsEndpoints: [endpoint] };
    return { apiVersion: MONITORING_API, kind: "PodMonitor", metadata: meta(settings, name), spec };
}

/** One monitor per job the topology discovers through Kubernetes. */
export function monitors(settings: Settings): OperatorObject<IServiceMonitor["spec"] | IPodMonitor["spec"]>[] {
    return kubernetesTopology(settings)
        .jobs.filter((j): j is PodsJob => j.discovery.kind === "kubernetes-pods")
        .map((j) => monitorFor(j, settings));
}

/** The rule groups the bundled Prometheus loads, in the same order. */
export function ruleGroups(settings: Settings, links: Links): RuleGroup[] {
    return [...recordingRuleGroups(settings), ...alertRuleGroups(settings, links)];
}

export function prometheusRule(settings: Settings, links: Links): OperatorObject<IPrometheusRule["spec"] & { groups: RuleGroup[] }> {
    return { apiVersion: MONITORING_API, kind: "PrometheusRule", metadata: meta(settings, "sglang-ananke"), spec: { groups: ruleGroups(settings, links) } };
}

// ---------------------------------------------------------------- Alertmanager

/** Keys of the credentials Secret the AlertmanagerConfig refers to. */
export const CREDENTIAL_KEY: Record<keyof AlertmanagerSecretFiles, string> = {
    slackWebhookUrl: "slack-webhook-url",
    pagerdutyRoutingKey: "pagerduty-routing-key",
    heartbeatUrl: "heartbeat-url",
};
export const CREDENTIALS_SECRET = "sglang-ananke-alertmanager";

interface Matcher {
    name: string;
    value: string;
    matchType: "=" | "!=" | "=~" | "!~";
}

/** `severity=~"warning|info"` → { name, matchType, value }. */
export function parseMatcher(text: string): Matcher {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"(.*)"$/.exec(text);
    if (!m) throw new Error(`unsupported matcher ${text}`);
    return { name: m[1], matchType: m[2] as Matcher["matchType"], value: m[3] };
}

type Plain = Record<string, unknown>;

/** How each field of the Alertmanager file maps to a field of the custom resource's type `T`. */
type FieldMap<T> = Record<string, (keyof T & string) | ((v: unknown) => [keyof T & string, unknown])>;

/** Copies `from` into camelCase fields by `names`; a field the mapping does not know is an error, never dropped. */
function mapFields<T>(from: Plain, names: FieldMap<T>, what: string): T {
    const out: Plain = {};
    for (const [key, value] of Object.entries(from)) {
        const to = names[key];
        if (to === undefined) throw new Error(`${what}: no AlertmanagerConfig equivalent for "${key}"`);
        if (typeof to === "string") out[to] = value;
        else {
            const [k, v] = to(value);
            out[k] = v;
        }
    }
    return out as T;
}

/** A credential file of the bundled configuration → a key of the credentials Secret. */
function secretRef(files: AlertmanagerSecretFiles, path: unknown): { name: string; key: string } {
    const which = (Object.keys(files) as (keyof AlertmanagerSecretFiles)[]).find((k) => files[k] === path);
    if (!which) throw new Error(`no credential is mounted at ${String(path)}`);
    return { name: CREDENTIALS_SECRET, key: CREDENTIAL_KEY[which] };
}

function receiver(r: Plain, files: AlertmanagerSecretFiles): IReceiver {
    const each = <T>(configs: unknown, names: FieldMap<T>, what: string): T[] =>
        (configs as Plain[]).map((c) => mapFields<T>(c, names, what));
    return mapFields<IReceiver>(r, {
        name: "name",
        slack_configs: (v) => ["slackConfigs", each<ISlackConfig>(v, {
            api_url_file: (p) => ["apiURL", secretRef(files, p)],
            channel: "channel", send_resolved: "sendResolved", title: "title", text: "text",
        }, "slack_configs")],
        pagerduty_configs: (v) => ["pagerdutyConfigs", each<IPagerDutyConfig>(v, {
            routing_key_file: (p) => ["routingKey", secretRef(files, p)],
            send_resolved: "sendResolved", severity: "severity", description: "description",
            links: (l) => ["pagerDutyLinkConfigs", (l as { href: string; text: string }[]).map((x) => ({ href: x.href, alt: x.text }))],
        }, "pagerduty_configs")],
        webhook_configs: (v) => ["webhookConfigs", each<IWebhookConfig>(v, {
            url_file: (p) => ["urlSecret", secretRef(files, p)],
            send_resolved: "sendResolved",
        }, "webhook_configs")],
    }, `receiver ${String(r.name)}`);
}

function route(r: Plain): IRoute {
    return mapFields<IRoute>(r, {
        receiver: "receiver", group_by: "groupBy", group_wait: "groupWait", group_interval: "groupInterval",
        repeat_interval: "repeatInterval", continue: "continue",
        matchers: (m) => ["matchers", (m as string[]).map(parseMatcher)],
        routes: (rs) => ["routes", (rs as Plain[]).map(route)],
    }, "route");
}

function inhibitRule(r: Plain): IInhibitRule {
    return mapFields<IInhibitRule>(r, {
        source_matchers: (m) => ["sourceMatch", (m as string[]).map(parseMatcher)],
        target_matchers: (m) => ["targetMatch", (m as string[]).map(parseMatcher)],
        equal: "equal",
    }, "inhibit rule");
}

/**
 * The bundled Alertmanager's routing, receivers and inhibitions as an
 * AlertmanagerConfig: credentials come from keys of one Secret instead of
 * files. Global settings belong to the cluster's Alertmanager and are left out.
 */
export function alertmanagerConfigObject(settings: Settings, links: Links): OperatorObject<IAlertmanagerConfigSpec> {
    const files = ALERTMANAGER_SECRET_FILES;
    const { route: top, receivers, inhibit_rules } = alertmanagerConfig(settings, files, links) as {
        route: Plain;
        receivers: Plain[];
        inhibit_rules?: Plain[];
    };
    return {
        apiVersion: ALERTMANAGER_CONFIG_API,
        kind: "AlertmanagerConfig",
        // In the stack's namespace: the operator only routes alerts whose
        // `namespace` label is the AlertmanagerConfig's own.
        metadata: meta(settings, "sglang-ananke", settings.kubernetes.namespace),
        spec: {
            route: route(top),
            receivers: receivers.map((r) => receiver(r, files)),
            inhibitRules: (inhibit_rules ?? []).map(inhibitRule),
        },
    };
}
