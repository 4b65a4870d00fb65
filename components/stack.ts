import * as pulumi from "@pulumi/pulumi";
import { alertmanagerCredentials, prometheusCredentials, type StackConfig } from "../config";
import {
    ALERTMANAGER_SECRET_FILES,
    type AlertRouting,
    alertRouting,
    defaultLinks,
    describeRouting,
    dockerTopology,
    renderAlertmanagerFile,
    renderPrometheusConfig,
    renderRuleFiles,
    serviceUrls,
} from "../monitoring";
import type { Links, Topology } from "../monitoring/types";
import { WEB_USERNAME } from "../monitoring/web-auth";
import type { Settings } from "../settings";
import { Alertmanager } from "./alertmanager/server";
import { BlackboxExporter } from "./blackboxExporter/exporter";
import { BLACKBOX_EXPORTER } from "./blackboxExporter/service";
import { GpuExporter } from "./gpuExporter/exporter";
import { GPU_EXPORTER } from "./gpuExporter/service";
import { gpuExporterSpec } from "./gpuExporter/spec";
import { GrafanaContent } from "./grafana/content";
import { Grafana } from "./grafana/server";
import { deployKubernetesAddons } from "./kubernetesAddons";
import { NodeExporter } from "./nodeExporter/exporter";
import { NODE_EXPORTER } from "./nodeExporter/service";
import { DockerHost } from "./platform/docker/host";
import { KubernetesCluster } from "./platform/kubernetes/cluster";
import { kubernetesTopology } from "./platform/kubernetes/topology";
import type { Platform } from "./platform/types";
import { Prometheus } from "./prometheus/server";
import { SglangServer } from "./sglang/server";
import { SglangRouter } from "./sglangRouter/router";
import { SGLANG_ROUTER } from "./sglangRouter/service";
import { announceUpgradeGate } from "./upgradeGate";
import { announceInClusterLinks, grafanaProviderUrl, peopleUrl, sglangUrls, whereToSee } from "./urls";
import { WebPasswords } from "./webAuth";

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
    /** The user Prometheus and Alertmanager require (basic auth). */
    monitoringWebUser: string | undefined;
    /** Secret: Prometheus' basic-auth password. */
    prometheusPassword: pulumi.Output<string> | undefined;
    /** Secret: Alertmanager's basic-auth password. */
    alertmanagerPassword: pulumi.Output<string> | undefined;
    /** Where each severity of alert is delivered. */
    alertRouting: Record<string, string>;
    /** The served model names: what a request's `model` picks (plain: names, never secrets). */
    models: string[];
}

/** The names clients send as `model`, one per model, in the models' order. */
function servedModels(settings: Settings): string[] {
    return settings.models.map((m) => m.servedModelName);
}

/**
 * Where alerts go, from the routing the Alertmanager configuration is
 * rendered from; said at every preview so a missing secret is noticed.
 */
function announceRouting(settings: Settings, routing: AlertRouting, alertmanager: string): Record<string, string> {
    const said = describeRouting(settings, routing.destinations, alertmanager);
    for (const [kind, where] of Object.entries(said)) pulumi.log.info(`alerts ${kind}: ${where}`);
    return said;
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

    // One component per model, named after its service: the short form's keeps the name "sglang".
    const servers = settings.models.map(
        (model) =>
            new SglangServer(model.serviceName, {
                settings,
                platform,
                model,
                secrets: { huggingFaceToken: secrets.huggingFaceToken, apiKey: secrets.sglangApiKey },
            }),
    );
    const sglangResources = servers.flatMap((s) => s.service.readyResources);
    if (SGLANG_ROUTER.deployed(settings)) {
        // After the servers are healthy: a static worker that stays unreachable too long is dropped for good.
        new SglangRouter("sglang-router", { settings, platform, apiKey: secrets.sglangApiKey }, { dependsOn: sglangResources });
    }
    if (NODE_EXPORTER.deployed(settings)) new NodeExporter("node-exporter", { settings, platform });
    if (GPU_EXPORTER.deployed(settings)) new GpuExporter("gpu-exporter", { spec: gpuExporterSpec(settings)!, platform });
    if (BLACKBOX_EXPORTER.deployed(settings)) new BlackboxExporter("blackbox-exporter", { settings, platform, apiKey: secrets.sglangApiKey });
    // Passwords of the stack's own Prometheus and Alertmanager (operator mode has neither).
    const web = settings.monitoringMode === "bundled" ? new WebPasswords("web-passwords") : undefined;
    if (cluster) {
        deployKubernetesAddons({
            settings,
            cluster,
            links,
            secrets,
            sglangServers: servers.map((server, i) => ({ model: settings.models[i], resources: server.service.readyResources })),
            ...(web ? { prometheusAuth: { username: WEB_USERNAME, password: web.passwords.prometheus } } : {}),
        });
    }
    if (!web) return operatorOutputs(config, links);

    const routing = alertRouting(settings, links);
    const ruleFiles = renderRuleFiles(settings, links);
    const prometheus = new Prometheus("prometheus", {
        settings,
        platform,
        content: {
            config: renderPrometheusConfig(settings, topology),
            ruleFiles,
            externalUrl: serviceUrls(settings, "prometheus").link,
        },
        web: web.secretsFor("prometheus", ["alertmanager"]),
        secrets: prometheusCredentials(secrets),
    });
    const alertmanager = new Alertmanager("alertmanager", {
        settings,
        platform,
        content: {
            config: renderAlertmanagerFile(routing, ALERTMANAGER_SECRET_FILES),
            secretFiles: ALERTMANAGER_SECRET_FILES,
            externalUrl: serviceUrls(settings, "alertmanager").link,
        },
        web: web.secretsFor("alertmanager"),
        secrets: alertmanagerCredentials(secrets),
    });
    const grafana = new Grafana("grafana", { settings, platform, rootUrl: links.grafanaUrl });
    const grafanaUrl = peopleUrl(settings, "grafana", grafana.service)!;
    const providerUrl = grafanaProviderUrl(settings);
    const content = new GrafanaContent(
        "grafana-content",
        {
            settings,
            grafanaUrl: providerUrl,
            auth: pulumi.interpolate`${grafana.adminUser}:${grafana.adminPassword}`,
            prometheusUrl: serviceUrls(settings, "prometheus").internal,
            prometheusAuth: { username: WEB_USERNAME, password: web.passwords.prometheus },
            datasourcePassword: secrets.grafanaDatasourcePassword,
            // Reached through a port-forward (the grafanaUrl output), the dashboard opens on its local end.
            publicGrafanaUrl: serviceUrls(settings, "grafana").portForward ? providerUrl : grafanaUrl,
        },
        { dependsOn: grafana.service.readyResources },
    );
    const alertmanagerUrl = peopleUrl(settings, "alertmanager", alertmanager.service);
    announceInClusterLinks(settings);

    return {
        ...sglangUrls(settings),
        prometheusUrl: peopleUrl(settings, "prometheus", prometheus.service),
        alertmanagerUrl,
        grafanaUrl,
        dashboardUrl: content.dashboardUrl,
        grafanaAdminUser: grafana.adminUser,
        grafanaAdminPassword: grafana.adminPassword,
        monitoringWebUser: WEB_USERNAME,
        prometheusPassword: web.passwords.prometheus,
        alertmanagerPassword: web.passwords.alertmanager,
        alertRouting: announceRouting(settings, routing, whereToSee(settings, "alertmanager")),
        models: servedModels(settings),
    };
}

/**
 * monitoringMode operator: no Prometheus, Alertmanager or Grafana of the
 * stack's own; the dashboard goes to the cluster's Grafana, its datasource
 * points at the cluster's Prometheus.
 */
function operatorOutputs(config: StackConfig, links: Links): StackOutputs {
    const { settings, secrets } = config;
    const content = new GrafanaContent("grafana-content", {
        settings,
        grafanaUrl: settings.grafana.url,
        // Required with operator mode (settings/parse.ts).
        auth: secrets.grafanaAuth!,
        prometheusUrl: serviceUrls(settings, "prometheus").internal,
        datasourcePassword: secrets.grafanaDatasourcePassword,
        publicGrafanaUrl: links.grafanaUrl,
    });
    return {
        ...sglangUrls(settings),
        prometheusUrl: peopleUrl(settings, "prometheus"),
        alertmanagerUrl: peopleUrl(settings, "alertmanager"),
        grafanaUrl: peopleUrl(settings, "grafana"),
        dashboardUrl: content.dashboardUrl,
        grafanaAdminUser: undefined,
        grafanaAdminPassword: undefined,
        monitoringWebUser: undefined,
        prometheusPassword: undefined,
        alertmanagerPassword: undefined,
        alertRouting: announceRouting(settings, alertRouting(settings, links), "the cluster's Alertmanager"),
        models: servedModels(settings),
    };
}
