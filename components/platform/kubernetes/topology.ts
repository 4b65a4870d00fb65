/**
 * Where the services live on Kubernetes: Prometheus finds the pods of each
 * job through the Kubernetes API by their labels and the name of their
 * metrics port, so scaling SGLang to more replicas needs no configuration
 * change. Pure (no Pulumi import): the Prometheus configuration, the RBAC
 * rules and the Prometheus Operator monitors are all derived from it.
 */
import type { Settings } from "../../../settings";
import type { ServiceName } from "../types";
import { CONTAINER_PORT, PROMETHEUS_RULE_FILES_GLOB } from "../../../monitoring/topology";
import { JOB, type JobName, type ScrapeJob, type Topology } from "../../../monitoring/types";
import { selectorLabels } from "./labels";

/**
 * Name of the container port serving metrics, per service; the specs name
 * their ports the same way (a test holds them to it).
 */
export const METRICS_PORT_NAME: Record<ServiceName, string> = {
    sglang: "http",
    prometheus: "http",
    alertmanager: "http",
    grafana: "http",
    "node-exporter": "metrics",
    "gpu-exporter": "metrics",
};

/** In-cluster DNS name of a service's Service, with its port. */
export const serviceAddress = (name: ServiceName, namespace: string, port: number): string => `${name}.${namespace}.svc:${port}`;

/** A job scraping the pods of one of the stack's own services. */
function podsJob(job: JobName, name: ServiceName, settings: Settings): ScrapeJob {
    return {
        job,
        discovery: {
            kind: "kubernetes-pods",
            namespaces: [settings.kubernetes.namespace],
            podLabels: selectorLabels(name, settings.stack),
            portName: METRICS_PORT_NAME[name],
        },
    };
}

/** The GPU exporter job: the stack's DaemonSet, the GPU Operator's exporter, or none. */
function gpuJob(settings: Settings): ScrapeJob[] {
    switch (settings.gpuExporter) {
        case "dcgm":
        case "nvidia-smi":
            return [podsJob(JOB.gpu, "gpu-exporter", settings)];
        case "existing": {
            const e = settings.kubernetes.existingGpuExporter;
            return [{ job: JOB.gpu, discovery: { kind: "kubernetes-pods", namespaces: [e.namespace], podLabels: { ...e.podLabels }, portName: e.portName } }];
        }
        case "none":
            return [];
    }
}

/**
 * The Kubernetes stack's topology.
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
    if (settings.monitoringMode === "operator") {
        return { jobs: [podsJob(JOB.sglang, "sglang", settings), ...gpuJob(settings)], alertmanagers: [], ruleFiles: [] };
    }
    return {
        jobs: [
            podsJob(JOB.sglang, "sglang", settings),
            podsJob(JOB.node, "node-exporter", settings),
            ...gpuJob(settings),
            // Prometheus scrapes itself over loopback: no discovery needed.
            { job: JOB.prometheus, discovery: { kind: "static", targets: [`localhost:${CONTAINER_PORT.prometheus}`] } },
            podsJob(JOB.alertmanager, "alertmanager", settings),
            podsJob(JOB.grafana, "grafana", settings),
        ],
        alertmanagers: [serviceAddress("alertmanager", ns, CONTAINER_PORT.alertmanager)],
        ruleFiles: [PROMETHEUS_RULE_FILES_GLOB],
    };
}

/** Namespaces whose pods Prometheus must be allowed to list and watch. */
export function discoveredNamespaces(topology: Topology): string[] {
    const all = topology.jobs.flatMap((j) => (j.discovery.kind === "kubernetes-pods" ? j.discovery.namespaces : []));
    return [...new Set(all)].sort();
}
