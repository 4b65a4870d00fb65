/**
 * The Prometheus Operator objects of `monitoringMode: operator`, as plain
 * data: one ServiceMonitor or PodMonitor per scrape job of the Kubernetes
 * topology, a PrometheusRule with the rules the bundled Prometheus loads, and
 * an AlertmanagerConfig translated from the bundled Alertmanager's routing.
 * Pure: every fact comes from monitoring/ and the topology, never retyped.
 */

import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor" with { "resolution-mode": "import" };
import type { IProbe } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe" with { "resolution-mode": "import" };
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule" with {
    "resolution-mode": "import",
};
// Types only (the packages are ES modules): field names are checked at compile time.
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor" with {
    "resolution-mode": "import",
};
import type { IAlertmanagerConfigSpec } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfigSpec" with {
    "resolution-mode": "import",
};
import type { IInhibitRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/InhibitRule" with {
    "resolution-mode": "import",
};
import type { IPagerDutyConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/PagerDutyConfig" with {
    "resolution-mode": "import",
};
import type { IReceiver } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Receiver" with { "resolution-mode": "import" };
import type { IRoute } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Route" with { "resolution-mode": "import" };
import type { ISlackConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/SlackConfig" with {
    "resolution-mode": "import",
};
import type { IWebhookConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/WebhookConfig" with {
    "resolution-mode": "import",
};
import { ALERTMANAGER_CREDENTIALS, alertRouting, alertRuleGroups, recordingRuleGroups } from "../../monitoring";
import { canaryTargets } from "../../monitoring/canary";
import type { AlertRouting, Integration, Matcher, Receiver, Route } from "../../monitoring/routing";
import { metricRelabels } from "../../monitoring/scrape-relabel";
import { type CredentialKey, JOB_CANARY, type Links, type RuleGroup, type ScrapeJob } from "../../monitoring/types";
import { openaiService, serviceUrls } from "../../monitoring/urls";
import type { Settings } from "../../settings";
import { BLACKBOX_EXPORTER, BLACKBOX_PORT } from "../blackboxExporter/service";
import { stackLabels } from "../platform/kubernetes/labels";
import { kubernetesTopology } from "../platform/kubernetes/topology";
import { SERVICE_BY_NAME } from "../services";

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

/** Whether a job's pods are the stack's own (with a Service) rather than a deployment the cluster already runs. */
function ownsPods(job: PodsJob, settings: Settings): boolean {
    return SERVICE_BY_NAME[job.job].kubernetes?.existing?.(settings) === undefined;
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
        // The same duplicates the bundled Prometheus drops (monitoring/scrape-relabel.ts).
        ...(metricRelabels(job.job).length ? { metricRelabelings: metricRelabels(job.job) } : {}),
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

/**
 * The synthetic canary for the cluster's Prometheus: a Probe per model (one
 * with one model) through the stack's blackbox exporter of SGLang's
 * chat-completions URL, with the job name, interval, module and labels the
 * bundled scrape job uses (the alerts match on them). None when the canary is
 * off.
 */
export function canaryProbes(settings: Settings): OperatorObject<IProbe["spec"]>[] {
    if (!BLACKBOX_EXPORTER.deployed(settings)) return [];
    const ns = settings.kubernetes.namespace;
    return canaryTargets(settings).map((target) => ({
        apiVersion: MONITORING_API,
        kind: "Probe",
        metadata: meta(settings, target.name ? `sglang-ananke-canary-${target.name}` : "sglang-ananke-canary"),
        spec: {
            jobName: JOB_CANARY,
            module: target.module,
            prober: { url: `blackbox-exporter.${ns}.svc:${BLACKBOX_PORT}`, path: "/probe" },
            interval: settings.canary.interval,
            scrapeTimeout: `${settings.canary.timeoutSeconds}s`,
            targets: {
                staticConfig: {
                    static: [`${serviceUrls(settings, openaiService(settings)).internal}/v1/chat/completions`],
                    labels: { model_name: target.servedModelName },
                },
            },
        },
    }));
}

/** The rule groups the bundled Prometheus loads, in the same order. */
export function ruleGroups(settings: Settings, links: Links): RuleGroup[] {
    return [...recordingRuleGroups(settings), ...alertRuleGroups(settings, links)];
}

export function prometheusRule(settings: Settings, links: Links): OperatorObject<IPrometheusRule["spec"] & { groups: RuleGroup[] }> {
    return {
        apiVersion: MONITORING_API,
        kind: "PrometheusRule",
        metadata: meta(settings, "sglang-ananke"),
        spec: { groups: ruleGroups(settings, links) },
    };
}

// ---------------------------------------------------------------- Alertmanager

export const CREDENTIALS_SECRET = "sglang-ananke-alertmanager";

/** The credentials Secret's key holding a credential (from the one credentials table). */
const secretRef = (key: CredentialKey): { name: string; key: string } => ({
    name: CREDENTIALS_SECRET,
    key: ALERTMANAGER_CREDENTIALS.find((c) => c.key === key)!.secretKey,
});

const matchers = (ms: Matcher[]) => ms.map((m) => ({ name: m.name, matchType: m.op, value: m.value }));

function receiver(r: Receiver): IReceiver {
    const of = <K extends Integration["kind"]>(kind: K) => r.integrations.filter((i): i is Extract<Integration, { kind: K }> => i.kind === kind);
    const slack: ISlackConfig[] = of("slack").map((i) => ({
        apiURL: secretRef(i.credential),
        channel: i.channel,
        sendResolved: i.sendResolved,
        title: i.title,
        text: i.text,
    }));
    const pagerduty: IPagerDutyConfig[] = of("pagerduty").map((i) => ({
        routingKey: secretRef(i.credential),
        sendResolved: i.sendResolved,
        severity: i.severity,
        description: i.description,
        pagerDutyLinkConfigs: i.links.map((l) => ({ href: l.href, alt: l.text })),
    }));
    const webhook: IWebhookConfig[] = of("webhook").map((i) => ({ urlSecret: secretRef(i.credential), sendResolved: i.sendResolved }));
    return {
        name: r.name,
        ...(slack.length > 0 ? { slackConfigs: slack } : {}),
        ...(pagerduty.length > 0 ? { pagerdutyConfigs: pagerduty } : {}),
        ...(webhook.length > 0 ? { webhookConfigs: webhook } : {}),
    };
}

function route(r: Route): IRoute {
    return {
        ...(r.matchers ? { matchers: matchers(r.matchers) } : {}),
        receiver: r.receiver,
        ...(r.groupBy ? { groupBy: r.groupBy } : {}),
        ...(r.groupWait ? { groupWait: r.groupWait } : {}),
        ...(r.groupInterval ? { groupInterval: r.groupInterval } : {}),
        ...(r.repeatInterval ? { repeatInterval: r.repeatInterval } : {}),
        ...(r.routes ? { routes: r.routes.map(route) } : {}),
    };
}

/**
 * The routing model as an AlertmanagerConfig spec: credentials come from keys
 * of one Secret instead of files. Global settings belong to the cluster's
 * Alertmanager and are left out.
 */
export function alertmanagerConfigSpec(routing: AlertRouting): IAlertmanagerConfigSpec {
    return {
        route: route(routing.route),
        receivers: routing.receivers.map(receiver),
        inhibitRules: routing.inhibitRules.map(
            (r): IInhibitRule => ({ sourceMatch: matchers(r.source), targetMatch: matchers(r.target), equal: r.equal }),
        ),
    };
}

/** The stack's AlertmanagerConfig: the bundled Alertmanager's routing, receivers and inhibitions. */
export function alertmanagerConfigObject(settings: Settings, links: Links): OperatorObject<IAlertmanagerConfigSpec> {
    return {
        apiVersion: ALERTMANAGER_CONFIG_API,
        kind: "AlertmanagerConfig",
        // In the stack's namespace: the operator only routes alerts whose
        // `namespace` label is the AlertmanagerConfig's own.
        metadata: meta(settings, "sglang-ananke", settings.kubernetes.namespace),
        spec: alertmanagerConfigSpec(alertRouting(settings, links)),
    };
}
