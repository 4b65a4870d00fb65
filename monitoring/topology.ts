/**
 * Where the services live on Docker: one user-defined network, each service
 * reached by its name on its container port. The scrape jobs are derived
 * from the services the stack deploys (components/services.ts): each one
 * with a metrics port is scraped there, under its name.
 */

import { ALERTMANAGER } from "../components/alertmanager/service";
import { BLACKBOX_EXPORTER } from "../components/blackboxExporter/service";
import { metricsPortOf, type ServiceDefinition } from "../components/platform/definition";
import { PROMETHEUS_RULES_DIR } from "../components/prometheus/service";
import { deployedServices } from "../components/services";
import type { Settings } from "../settings";
import type { ScrapeJob, Topology } from "./types";
import { openaiService, serviceUrls } from "./urls";
import { type AuthenticatedService, prometheusClientAuth } from "./web-auth";

export { PROMETHEUS_RULES_DIR };
/** Glob Prometheus loads rule files by. */
export const PROMETHEUS_RULE_FILES_GLOB = `${PROMETHEUS_RULES_DIR}/*.yaml`;

/** "name:port" of a service's port on the Docker network. */
export function dockerAddress(service: Pick<ServiceDefinition, "name" | "ports">, port: string, settings: Settings): string {
    const p = service.ports.find((x) => x.name === port);
    if (!p) throw new Error(`service ${service.name} has no port named ${port}`);
    return `${service.name}:${p.containerPort(settings)}`;
}

/** The basic auth a scrape of the service needs, when its web server requires it. */
export function scrapeAuth(service: Pick<ServiceDefinition, "name" | "webAuth">): Pick<ScrapeJob, "basicAuth"> {
    return service.webAuth ? { basicAuth: prometheusClientAuth(service.name as AuthenticatedService) } : {};
}

/** How Prometheus authenticates to the stack's Alertmanager, when it runs one. */
export function alertingAuth(settings: Settings): Pick<Topology, "alertmanagerAuth"> {
    return ALERTMANAGER.deployed(settings) && ALERTMANAGER.webAuth ? { alertmanagerAuth: prometheusClientAuth(ALERTMANAGER.name) } : {};
}

/** The Docker stack's topology: every scrape target, Alertmanager and the rule files. */
export function dockerTopology(settings: Settings): Topology {
    const jobs: ScrapeJob[] = deployedServices(settings).flatMap((service) => {
        const metrics = metricsPortOf(service);
        if (!metrics) return [];
        // Several containers of one service (SGLang workers) are one job, a target each: `instance` tells them apart.
        const port = metrics.containerPort(settings);
        const targets = service.docker?.instances
            ? service.docker.instances(settings).map((name) => `${name}:${port}`)
            : [dockerAddress(service, metrics.name, settings)];
        const job: ScrapeJob = { job: service.name, discovery: { kind: "static", targets }, ...scrapeAuth(service) };
        // Its `node` label names the Docker host, as Kubernetes jobs name their node: exporters
        // that write no host name of their own (nvidia_gpu_exporter) take it from there.
        return [settings.docker.hostName ? { ...job, labels: { node: settings.docker.hostName } } : job];
    });
    return {
        jobs,
        ...(BLACKBOX_EXPORTER.deployed(settings)
            ? {
                  canary: {
                      proberAddress: dockerAddress(BLACKBOX_EXPORTER, "http", settings),
                      // Through the router when it runs: what clients hit is what the canary checks.
                      openaiBaseUrl: `${serviceUrls(settings, openaiService(settings)).internal}/v1`,
                  },
              }
            : {}),
        alertmanagers: ALERTMANAGER.deployed(settings) ? [dockerAddress(ALERTMANAGER, "http", settings)] : [],
        ...alertingAuth(settings),
        ruleFiles: [PROMETHEUS_RULE_FILES_GLOB],
    };
}
