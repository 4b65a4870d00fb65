/**
 * Where the services live on Kubernetes: Prometheus finds the pods of each
 * job through the Kubernetes API by their labels and the name of their
 * metrics port, so scaling SGLang to more replicas needs no configuration
 * change. Pure (no Pulumi import): the Prometheus configuration, the RBAC
 * rules and the Prometheus Operator monitors are all derived from it.
 */

import { alertmanagerPeers } from "../../../monitoring/prometheus-ha";
import { alertingAuth, PROMETHEUS_RULE_FILES_GLOB, scrapeAuth } from "../../../monitoring/topology";
import type { ScrapeJob, Topology } from "../../../monitoring/types";
import { openaiService, serviceUrls } from "../../../monitoring/urls";
import type { Settings } from "../../../settings";
import { ALERTMANAGER } from "../../alertmanager/service";
import { BLACKBOX_EXPORTER, BLACKBOX_PORT } from "../../blackboxExporter/service";
import { PROMETHEUS } from "../../prometheus/service";
import { SERVICE_BY_NAME, SERVICES, type ServiceName } from "../../services";
import { metricsPortOf, peerServiceName, type ServiceDefinition } from "../definition";
import { selectorLabels } from "./labels";

/** Name of the container port serving metrics, per service (from its definition). */
export const METRICS_PORT_NAME = Object.fromEntries(
    SERVICES.flatMap((s) => {
        const port = metricsPortOf(s);
        return port ? [[s.name, port.name]] : [];
    }),
) as Record<ServiceName, string>;

/**
 * The namespace a service's objects live in: the host namespace for pods
 * that use the node (it admits them), the stack's namespace for every other.
 */
export function namespaceOf(service: Pick<ServiceDefinition, "kubernetes">, settings: Settings): string {
    return service.kubernetes?.hostAccess?.(settings) ? settings.kubernetes.hostNamespace : settings.kubernetes.namespace;
}

/** Whether the stack runs a pod that uses the node, and so needs its host namespace. */
export function needsHostNamespace(settings: Settings): boolean {
    return SERVICES.some((s) => s.deployed(settings) && namespaceOf(s, settings) !== settings.kubernetes.namespace);
}

/** In-cluster DNS name of a Service (a service's, or one of its workloads'), with its port. */
export const serviceAddress = (name: string, namespace: string, port: number): string => `${name}.${namespace}.svc:${port}`;

/** The job scraping one service: its pods, its own address over loopback, or the cluster's existing deployment of it. */
function jobOf(service: ServiceDefinition<ServiceName>, settings: Settings): ScrapeJob[] {
    const metrics = metricsPortOf(service);
    if (!metrics) return [];
    const existing = service.kubernetes?.existing?.(settings);
    if (existing) {
        return [
            {
                job: service.name,
                discovery: {
                    kind: "kubernetes-pods",
                    namespaces: [existing.namespace],
                    podLabels: { ...existing.podLabels },
                    portName: existing.portName,
                },
            },
        ];
    }
    if (!service.deployed(settings)) return [];
    if (service.kubernetes?.scrapedOverLoopback) {
        return [
            { job: service.name, discovery: { kind: "static", targets: [`localhost:${metrics.containerPort(settings)}`] }, ...scrapeAuth(service) },
        ];
    }
    return [
        {
            job: service.name,
            discovery: {
                kind: "kubernetes-pods",
                namespaces: [namespaceOf(service, settings)],
                podLabels: selectorLabels(service.name, settings.stack),
                portName: metrics.name,
            },
            ...scrapeAuth(service),
        },
    ];
}

/**
 * The Kubernetes stack's topology, derived from the services the stack
 * deploys: each is found through the Kubernetes API by its pod labels and
 * the name of its metrics port, Prometheus scrapes itself over loopback, and
 * a service the cluster already runs (gpuExporter existing) where it runs.
 *
 * - `bundled`: the stack's Prometheus scrapes SGLang, both exporters,
 *   Alertmanager, Grafana and itself, and sends alerts to the stack's
 *   Alertmanager.
 * - `operator`: the cluster's Prometheus scrapes what the stack runs (SGLang
 *   and its GPU exporter), one ServiceMonitor or PodMonitor per job. Node
 *   exporter is not among them: the cluster's monitoring (kube-prometheus)
 *   already runs one per node under the same job name, on the same host port.
 */
export function kubernetesTopology(settings: Settings): Topology {
    const ns = settings.kubernetes.namespace;
    const alertmanagerPort = SERVICE_BY_NAME.alertmanager.ports[0].containerPort(settings);
    const canary = BLACKBOX_EXPORTER.deployed(settings) && settings.monitoringMode === "bundled";
    return {
        jobs: SERVICES.flatMap((service) => jobOf(service, settings)),
        // Operator mode probes through a Probe object instead (components/operator/objects.ts).
        ...(canary
            ? {
                  canary: {
                      proberAddress: serviceAddress("blackbox-exporter", ns, BLACKBOX_PORT),
                      // Through the router when it runs: what clients hit is what the canary checks.
                      openaiBaseUrl: `${serviceUrls(settings, openaiService(settings)).internal}/v1`,
                  },
              }
            : {}),
        alertmanagers: ALERTMANAGER.deployed(settings) ? alertmanagerAddresses(settings, alertmanagerPort) : [],
        ...alertingAuth(settings),
        ruleFiles: PROMETHEUS.deployed(settings) ? [PROMETHEUS_RULE_FILES_GLOB] : [],
        ...(PROMETHEUS.deployed(settings) ? { prometheusReplicas: settings.services.prometheus.replicas } : {}),
    };
}

/**
 * Where Prometheus sends alerts: the Service of a single Alertmanager, or
 * every replica of a cluster by its stable name (each must get every alert).
 */
function alertmanagerAddresses(settings: Settings, port: number): string[] {
    const ns = settings.kubernetes.namespace;
    const replicas = settings.services.alertmanager.replicas;
    if (replicas < 2) return [serviceAddress("alertmanager", ns, port)];
    return alertmanagerPeers({ statefulSet: ALERTMANAGER.name, headlessService: peerServiceName(ALERTMANAGER.name), namespace: ns, replicas, port });
}

/** Namespaces whose pods Prometheus must be allowed to list and watch. */
export function discoveredNamespaces(topology: Topology): string[] {
    const all = topology.jobs.flatMap((j) => (j.discovery.kind === "kubernetes-pods" ? j.discovery.namespaces : []));
    return [...new Set(all)].sort();
}
