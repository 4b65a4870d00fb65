/**
 * What only the Kubernetes target has, beside the services every target
 * deploys: the Prometheus Operator objects (monitoringMode operator), KEDA
 * autoscaling and NetworkPolicies (both optional), Grafana's Ingress.
 */
import type * as pulumi from "@pulumi/pulumi";
import { alertmanagerCredentials, type Secrets } from "../config";
import type { Links } from "../monitoring/types";
import type { Settings } from "../settings";
import { QueueAutoscaler, type ScaledModel } from "./autoscaling/scaledObject";
import { deployGrafanaIngress } from "./grafana/ingress";
import { NetworkPolicies } from "./networkPolicy/policies";
import { OperatorMonitoring } from "./operator/monitoring";
import type { KubernetesCluster } from "./platform/kubernetes/cluster";

export interface KubernetesAddonsArgs {
    settings: Settings;
    cluster: KubernetesCluster;
    links: Links;
    secrets: Secrets;
    /** Each model's SGLang Deployment, which the autoscaler targets. */
    sglangServers: ScaledModel[];
    /** The stack's Prometheus' basic auth, when it runs one (the autoscaler queries it). */
    prometheusAuth?: { username: string; password: pulumi.Output<string> };
}

export function deployKubernetesAddons(args: KubernetesAddonsArgs): void {
    const { settings, cluster, links, secrets } = args;
    const k = settings.kubernetes;
    if (settings.monitoringMode === "operator") {
        new OperatorMonitoring("operator-monitoring", {
            settings,
            cluster,
            links,
            credentials: alertmanagerCredentials(secrets),
        });
    }
    if (k.autoscaling.enabled) {
        new QueueAutoscaler("sglang-autoscaler", {
            settings,
            cluster,
            servers: args.sglangServers,
            ...(args.prometheusAuth ? { prometheusAuth: args.prometheusAuth } : {}),
        });
    }
    if (k.networkPolicy.enabled) new NetworkPolicies("network-policies", { settings, cluster });
    deployGrafanaIngress(settings, cluster);
}
