/**
 * Where the services live on Docker: one user-defined network, each service
 * reached by its DNS name on its container port. The Docker components import
 * these constants so the scrape configuration and the containers agree.
 */
import type { Settings } from "../settings";
import { JOB, type ScrapeJob, type Topology } from "./types";

/** DNS names of the containers on the stack's Docker network. */
export const DOCKER_HOST = {
    sglang: "sglang",
    nodeExporter: "node-exporter",
    gpuExporter: "gpu-exporter",
    prometheus: "prometheus",
    alertmanager: "alertmanager",
    grafana: "grafana",
} as const;

/** Ports the services listen on inside their containers (SGLang's comes from settings.sglang.port). */
export const CONTAINER_PORT = {
    nodeExporter: 9100,
    dcgmExporter: 9400,
    nvidiaSmiExporter: 9835,
    prometheus: 9090,
    alertmanager: 9093,
    grafana: 3000,
} as const;

/** Directory inside the Prometheus container holding the rule files. */
export const PROMETHEUS_RULES_DIR = "/etc/prometheus/rules";
/** Glob Prometheus loads rule files by. */
export const PROMETHEUS_RULE_FILES_GLOB = `${PROMETHEUS_RULES_DIR}/*.yaml`;

/** The GPU exporter's container port for the chosen exporter; undefined = no GPU exporter on Docker. */
export function gpuExporterContainerPort(settings: Settings): number | undefined {
    switch (settings.gpuExporter) {
        case "dcgm":
            return CONTAINER_PORT.dcgmExporter;
        case "nvidia-smi":
            return CONTAINER_PORT.nvidiaSmiExporter;
        default:
            // "existing" only makes sense on Kubernetes (the GPU Operator's exporter); "none" = no exporter.
            return undefined;
    }
}

/**
 * A job with one target on the Docker network. Its `node` label names the
 * Docker host, as Kubernetes jobs name their node: exporters that write no
 * host name of their own (nvidia_gpu_exporter) take it from there.
 */
function staticJob(job: ScrapeJob["job"], host: string, port: number, hostName: string): ScrapeJob {
    return { job, discovery: { kind: "static", targets: [`${host}:${port}`] }, ...(hostName ? { labels: { node: hostName } } : {}) };
}

/** The Docker stack's topology: every scrape target, Alertmanager and the rule files. */
export function dockerTopology(settings: Settings): Topology {
    const gpuPort = gpuExporterContainerPort(settings);
    const jobs: ScrapeJob[] = [
        staticJob(JOB.sglang, DOCKER_HOST.sglang, settings.sglang.port, settings.docker.hostName),
        staticJob(JOB.node, DOCKER_HOST.nodeExporter, CONTAINER_PORT.nodeExporter, settings.docker.hostName),
        ...(gpuPort === undefined ? [] : [staticJob(JOB.gpu, DOCKER_HOST.gpuExporter, gpuPort, settings.docker.hostName)]),
        staticJob(JOB.prometheus, DOCKER_HOST.prometheus, CONTAINER_PORT.prometheus, settings.docker.hostName),
        staticJob(JOB.alertmanager, DOCKER_HOST.alertmanager, CONTAINER_PORT.alertmanager, settings.docker.hostName),
        staticJob(JOB.grafana, DOCKER_HOST.grafana, CONTAINER_PORT.grafana, settings.docker.hostName),
    ];
    return {
        jobs,
        alertmanagers: [`${DOCKER_HOST.alertmanager}:${CONTAINER_PORT.alertmanager}`],
        ruleFiles: [PROMETHEUS_RULE_FILES_GLOB],
    };
}
