/**
 * The URLs of the deployed stack: `monitoring/urls.ts` decides them from the
 * settings; this adds what is known only once a service exists (a load
 * balancer's address) and the URL the Grafana provider calls.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    grafanaProviderPortForward,
    openaiService,
    grafanaProviderUrl as providerUrlOf,
    type ReachableService,
    serviceUrls,
} from "../monitoring/urls";
import type { Settings } from "../settings";
import type { DeployedService } from "./platform/types";
import { listsModels } from "./sglang/workers";

/** What people use, or, where nothing reaches the service, the command that makes it reachable. */
export function peopleUrl(settings: Settings, service: ReachableService, deployed?: DeployedService): pulumi.Output<string> | undefined {
    const urls = serviceUrls(settings, service);
    if (urls.people) return pulumi.output(urls.people);
    if (urls.viaLoadBalancer && deployed) {
        const address = deployed.loadBalancerUrl?.("http");
        if (address) return address;
    }
    return urls.portForward === undefined ? undefined : pulumi.output(urls.portForward);
}

/**
 * The URL the Grafana provider calls during `pulumi up` (monitoring/urls.ts);
 * through a port-forward, says which command must run meanwhile.
 */
export function grafanaProviderUrl(settings: Settings): string {
    const portForward = grafanaProviderPortForward(settings);
    if (portForward) {
        pulumi.log.info(
            `the Grafana provider reaches Grafana at ${providerUrlOf(settings)}: keep \`${portForward}\` running during \`pulumi up\` (README: Reaching the services)`,
        );
    }
    return providerUrlOf(settings);
}

/**
 * The OpenAI endpoint (the router's when it runs, else SGLang's) and SGLang's
 * metrics: the published port on Docker; on Kubernetes nothing has a public
 * address, so the in-cluster one (README: port-forward or an ingress). SGLang
 * servers behind the router on Docker are not published, and on Kubernetes
 * each model's servers have their own Service: no metrics URL then
 * (Prometheus scrapes each of them).
 */
export function sglangUrls(settings: Settings): { openaiBaseUrl: pulumi.Output<string>; sglangMetricsUrl: pulumi.Output<string> | undefined } {
    const api = serviceUrls(settings, openaiService(settings));
    const metrics = serviceUrls(settings, "sglang");
    // On Kubernetes each model of the `models` key has its own Service (`sglang-<name>`): no one URL has every model's metrics.
    const metricsBase = settings.target === "docker" ? metrics.people : listsModels(settings) ? undefined : (metrics.people ?? metrics.internal);
    return {
        openaiBaseUrl: pulumi.output(`${api.people ?? api.internal}/v1`),
        sglangMetricsUrl: metricsBase === undefined ? undefined : pulumi.output(`${metricsBase}/metrics`),
    };
}

/** Where people open a service: its URL, or the command that makes it reachable. */
export function whereToSee(settings: Settings, service: ReachableService): string {
    const urls = serviceUrls(settings, service);
    return urls.people ?? urls.portForward ?? urls.internal;
}

/** On Kubernetes, says where links written into alerts lead when no external URL is set. */
export function announceInClusterLinks(settings: Settings): void {
    if (settings.target !== "kubernetes") return;
    for (const service of ["grafana", "prometheus", "alertmanager"] as const) {
        const urls = serviceUrls(settings, service);
        if (urls.link === urls.internal && settings.monitoringMode === "bundled") {
            pulumi.log.info(
                `links to ${service} in alerts use its in-cluster URL ${urls.link}: set ${service}ExternalUrl for links that open from outside the cluster`,
            );
        }
    }
}
