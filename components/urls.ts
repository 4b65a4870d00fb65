/**
 * The URLs of the deployed stack: `monitoring/urls.ts` decides them from the
 * settings; this adds what is known only once a service exists (a load
 * balancer's address) and the URL the Grafana provider calls.
 */
import * as pulumi from "@pulumi/pulumi";
import { serviceUrls, type ReachableService } from "../monitoring/urls";
import type { Settings } from "../settings";
import type { DeployedService } from "./platform/types";

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
 * The base of links to a service written into configuration that exists
 * after the service (alerts, notifications): a configured URL, else the
 * load balancer's address, else the link `monitoring/urls.ts` gives.
 */
export function linkUrl(settings: Settings, service: ReachableService, deployed: DeployedService): pulumi.Output<string> {
    const urls = serviceUrls(settings, service);
    // Nothing configured (the link is the in-cluster URL), but a load balancer gives an address.
    if (urls.link === urls.internal && urls.viaLoadBalancer) {
        const address = deployed.loadBalancerUrl?.("http");
        if (address) return address;
    }
    return pulumi.output(urls.link);
}

/**
 * The URL the Grafana provider calls during `pulumi up`: `grafanaUrl`, else
 * the published port (Docker) or the load balancer (Kubernetes). Settings
 * refuse a Kubernetes Grafana with neither (settings/parse.ts).
 */
export function grafanaProviderUrl(settings: Settings, grafana: DeployedService): pulumi.Output<string> {
    if (settings.grafana.url) return pulumi.output(settings.grafana.url);
    const urls = serviceUrls(settings, "grafana");
    const url = urls.published ? pulumi.output(urls.published) : urls.viaLoadBalancer ? grafana.loadBalancerUrl?.("http") : undefined;
    if (!url) throw new Error("Grafana has no address the provider can reach: set grafanaUrl");
    return url;
}
