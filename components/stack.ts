import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { defaultLinks, dockerTopology, renderAlertmanagerConfig, renderPrometheusConfig, renderRuleFiles, ALERTMANAGER_SECRET_FILES } from "../monitoring";
import type { Topology } from "../monitoring/types";
import type { Settings } from "../settings";
import { Alertmanager } from "./alertmanager/server";
import { GpuExporter } from "./gpuExporter/exporter";
import { gpuExporterSpec } from "./gpuExporter/spec";
import { GrafanaContent } from "./grafana/content";
import { Grafana } from "./grafana/server";
import { deployKubernetesAddons } from "./kubernetesAddons";
import { NodeExporter } from "./nodeExporter/exporter";
import { DockerHost } from "./platform/docker/host";
import { KubernetesCluster } from "./platform/kubernetes/cluster";
import { kubernetesTopology } from "./platform/kubernetes/topology";
import type { Platform } from "./platform/types";
import { Prometheus } from "./prometheus/server";
import { SglangServer } from "./sglang/server";
import { announceUpgradeGate } from "./upgradeGate";

/** What `pulumi up` prints: everything a user needs next. */
export interface StackOutputs {
    openaiBaseUrl: pulumi.Output<string> | undefined;
    sglangMetricsUrl: pulumi.Output<string> | undefined;
    prometheusUrl: pulumi.Input<string> | undefined;
    alertmanagerUrl: pulumi.Input<string> | undefined;
    grafanaUrl: pulumi.Input<string> | undefined;
    dashboardUrl: pulumi.Output<string> | undefined;
    grafanaAdminUser: string | undefined;
    /** Secret. */
    grafanaAdminPassword: pulumi.Output<string> | undefined;
    /** Where each severity of alert is delivered. */
    alertRouting: Record<string, string>;
}

/** Where alerts go, said at every preview so a missing secret is noticed. */
export function alertRouting(settings: Settings, alertmanagerUrl: string): Record<string, string> {
    const s = settings.secrets;
    const inAlertmanager = `stays visible in Alertmanager only (${alertmanagerUrl})`;
    return {
        critical: s.pagerdutyRoutingKey ? "PagerDuty (Events API v2)" : `no PagerDuty routing key: ${inAlertmanager}`,
        warning: s.slackWebhookUrl ? `Slack ${settings.alertmanager.slackChannel}` : `no Slack webhook: ${inAlertmanager}`,
        info: s.slackWebhookUrl ? `Slack ${settings.alertmanager.slackChannel}` : `no Slack webhook: ${inAlertmanager}`,
        watchdog: s.heartbeatUrl ? "heartbeat URL (dead man's switch)" : "null receiver (set heartbeatUrl to be told when alerting itself breaks)",
    };
}

/** Says at every preview where each severity goes. */
function announceRouting(routing: Record<string, string>): Record<string, string> {
    for (const [severity, where] of Object.entries(routing)) pulumi.log.info(`alerts ${severity}: ${where}`);
    return routing;
}

/** SGLang's URLs; on Kubernetes it has no public address, so the in-cluster one (README: port-forward or an ingress). */
function sglangUrls(sglang: SglangServer): Pick<StackOutputs, "openaiBaseUrl" | "sglangMetricsUrl"> {
    return {
        openaiBaseUrl: sglang.openaiBaseUrl ?? pulumi.output(`${sglang.internalUrl("http")}/v1`),
        sglangMetricsUrl: sglang.metricsUrl ?? pulumi.output(`${sglang.internalUrl("http")}/metrics`),
    };
}

function platformFor(config: StackConfig): { platform: Platform; topology: Topology; cluster?: KubernetesCluster } {
    const { settings } = config;
    if (settings.target === "docker") {
        return { platform: new DockerHost("docker", { settings }), topology: dockerTopology(settings) };
    }
    const cluster = new KubernetesCluster("kubernetes", { settings });
    return { platform: cluster, topology: kubernetesTopology(settings), cluster };
}

/** Creates every component of the stack from its validated configuration. */
export function deployStack(config: StackConfig): StackOutputs {
    const { settings, secrets } = config;
    const { platform, topology, cluster } = platformFor(config);
    const links = defaultLinks(settings);
    announceUpgradeGate(settings, links);

    const sglang = new SglangServer("sglang", {
        settings,
        platform,
        secrets: { huggingFaceToken: secrets.huggingFaceToken, apiKey: secrets.sglangApiKey },
    });
    // In operator mode the cluster's monitoring already runs node exporter on every node (same job, same host port).
    if (settings.monitoringMode === "bundled") new NodeExporter("node-exporter", { settings, platform });
    const gpuSpec = gpuExporterSpec(settings);
    if (gpuSpec) new GpuExporter("gpu-exporter", { spec: gpuSpec, platform });
    if (cluster) deployKubernetesAddons({ settings, cluster, links, secrets, sglangResources: sglang.service.readyResources });
    if (settings.monitoringMode === "operator") return operatorOutputs(config, sglang, links);

    const urls = publicUrls(settings);
    const ruleFiles = renderRuleFiles(settings, links);
    const prometheus = new Prometheus("prometheus", {
        settings,
        platform,
        content: {
            config: renderPrometheusConfig(settings, topology),
            ruleFiles,
            externalUrl: urls.prometheus,
        },
    });
    new Alertmanager("alertmanager", {
        settings,
        platform,
        content: {
            config: renderAlertmanagerConfig(settings, ALERTMANAGER_SECRET_FILES, links),
            secretFiles: ALERTMANAGER_SECRET_FILES,
            externalUrl: urls.alertmanager,
        },
        secrets: {
            slackWebhookUrl: secrets.slackWebhookUrl,
            pagerdutyRoutingKey: secrets.pagerdutyRoutingKey,
            heartbeatUrl: secrets.heartbeatUrl,
        },
    });
    const grafana = new Grafana("grafana", { settings, platform, rootUrl: urls.grafana });
    const providerUrl = settings.grafana.url || grafana.service.publicUrl("http") || urls.grafana;
    const content = new GrafanaContent("grafana-content", {
        settings,
        grafanaUrl: providerUrl,
        auth: pulumi.interpolate`${grafana.adminUser}:${grafana.adminPassword}`,
        prometheusUrl: prometheus.internalUrl("http"),
        publicGrafanaUrl: urls.grafana,
    }, { dependsOn: grafana.service.readyResources });

    return {
        ...sglangUrls(sglang),
        prometheusUrl: urls.prometheus,
        alertmanagerUrl: urls.alertmanager,
        // The address Grafana was given (a load balancer's on Kubernetes) unless a public URL is configured.
        grafanaUrl: settings.grafana.externalUrl || providerUrl,
        dashboardUrl: content.dashboardUrl,
        grafanaAdminUser: grafana.adminUser,
        grafanaAdminPassword: grafana.adminPassword,
        alertRouting: announceRouting(alertRouting(settings, urls.alertmanager)),
    };
}

/**
 * monitoringMode operator: no Prometheus, Alertmanager or Grafana of the
 * stack's own; the dashboard goes to the cluster's Grafana, its datasource
 * points at the cluster's Prometheus.
 */
function operatorOutputs(config: StackConfig, sglang: SglangServer, links: { grafanaUrl: string }): StackOutputs {
    const { settings, secrets } = config;
    const content = new GrafanaContent("grafana-content", {
        settings,
        grafanaUrl: settings.grafana.url,
        // Required with operator mode (settings/parse.ts).
        auth: secrets.grafanaAuth!,
        prometheusUrl: settings.kubernetes.operatorPrometheusUrl,
        publicGrafanaUrl: links.grafanaUrl,
    });
    return {
        ...sglangUrls(sglang),
        prometheusUrl: settings.prometheus.externalUrl || settings.kubernetes.operatorPrometheusUrl,
        alertmanagerUrl: settings.alertmanager.externalUrl || undefined,
        grafanaUrl: links.grafanaUrl,
        dashboardUrl: content.dashboardUrl,
        grafanaAdminUser: undefined,
        grafanaAdminPassword: undefined,
        alertRouting: announceRouting(alertRouting(settings, "the cluster's Alertmanager")),
    };
}

/** URLs people use, from explicit settings or the published ports. */
export function publicUrls(settings: Settings): { prometheus: string; alertmanager: string; grafana: string } {
    const { publicHost } = settings.docker;
    const local = (port: number) => `http://${publicHost}:${port}`;
    return {
        prometheus: settings.prometheus.externalUrl || local(settings.ports.prometheus),
        alertmanager: settings.alertmanager.externalUrl || local(settings.ports.alertmanager),
        grafana: defaultLinks(settings).grafanaUrl,
    };
}
