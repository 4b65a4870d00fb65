/** Prometheus: scrapes every service, records the normalized series, evaluates the alerts. */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import { fixedPort, type ServiceDefinition } from "../platform/definition";

const GROUP = "Prometheus";

export const PROMETHEUS_PORT = 9090;
/** Share of the data volume the TSDB may fill by default (Prometheus' docs: at most 80-85 %). */
export const RETENTION_SIZE_PERCENT = 80;
/** Directory inside the Prometheus container holding the rule files. */
export const PROMETHEUS_RULES_DIR = "/etc/prometheus/rules";
/** Directory inside the Prometheus container where credentials are mounted. */
export const PROMETHEUS_SECRETS_DIR = "/etc/prometheus/secrets";

export const PROMETHEUS_KEYS = {
    image: def(GROUP, "prometheusImage", "string", "prom/prometheus:v3.5.0", "Prometheus image.", c.pinnedImage()),
    port: def(
        GROUP,
        "prometheusPort",
        "integer",
        PROMETHEUS_PORT,
        "Docker: host port Prometheus is published on, on monitoringBindAddress (inside, it listens on 9090).",
        c.integer(1, 65535),
    ),
    replicas: def(
        GROUP,
        "prometheusReplicas",
        "integer",
        1,
        "Kubernetes: Prometheus replicas scraping the same targets, each with its own volume and a `replica` external label (2 = high availability: see README). Docker runs one.",
        c.integer(1, 3),
    ),
    storageSize: def(
        GROUP,
        "prometheusStorageSize",
        "string",
        "50Gi",
        "Space of the Prometheus data. Kubernetes: each PersistentVolumeClaim's request; Docker: the named volume grows freely, and Prometheus keeps its TSDB within prometheusRetentionSize of it.",
        c.text({ pattern: c.QUANTITY, allowed: "a Kubernetes quantity such as 50Gi" }),
    ),
    retentionSize: def(
        GROUP,
        "prometheusRetentionSize",
        "string",
        "",
        `Most space Prometheus' TSDB takes before it drops its oldest blocks (\`--storage.tsdb.retention.size\`), whichever of this and prometheusRetention comes first; "" = ${RETENTION_SIZE_PERCENT} % of prometheusStorageSize (what Prometheus recommends at most: the WAL needs room beyond). Must be below prometheusStorageSize. The same on Docker and Kubernetes (each replica's TSDB).`,
        c.text({ pattern: c.PROMETHEUS_SIZE, allowed: "a Prometheus size in whole B, KB, MB, GB, TB (powers of 2) such as 40GB", allowEmpty: true }),
    ),
} as const;

/**
 * The `--storage.tsdb.retention.size` Prometheus runs with: the configured
 * value, else RETENTION_SIZE_PERCENT of the volume in whole MB (Prometheus'
 * MB is 2^20 bytes), so a full TSDB never fills a fixed-size claim.
 */
export function tsdbRetentionSize(p: { storageSize: string; retentionSize: string }): string {
    if (p.retentionSize) return p.retentionSize;
    return `${Math.floor((c.quantityValue(p.storageSize) * RETENTION_SIZE_PERCENT) / 100 / 2 ** 20)}MB`;
}

export const PROMETHEUS: ServiceDefinition<"prometheus", typeof PROMETHEUS_KEYS> = {
    name: "prometheus",
    role: "monitoring",
    ports: [
        {
            name: "http",
            containerPort: fixedPort(PROMETHEUS_PORT),
            publishedPort: (s) => s.services.prometheus.port,
            // Behind a password (--web.config.file); published on loopback by default all the same.
            publishedOn: (s) => s.docker.monitoringBindAddress,
            metrics: true,
            // KEDA's operator queries the queue depth for the autoscaler.
            clients: (s) => ({ namespaces: s.kubernetes.autoscaling.enabled ? [s.kubernetes.autoscaling.kedaNamespace] : [], cidrs: [] }),
        },
    ],
    keys: PROMETHEUS_KEYS,
    deployed: (s) => s.monitoringMode === "bundled",
    // Its API can delete series and, with --web.enable-lifecycle, stop it.
    webAuth: true,
    // Alerts (scrapes and probes follow from the other services' ports).
    calls: () => [{ service: "alertmanager", port: "http" }],
    kubernetes: {
        discoversPods: true,
        scrapedOverLoopback: true,
        replicas: (s) => s.services.prometheus.replicas,
        stateful: (s) => s.services.prometheus.replicas > 1,
        // A rules or scrape change is reloaded by the running pods (SIGHUP), not rolled out.
        reloadsConfig: true,
        // A drain never takes the last replica: rules and alerts keep being evaluated.
        disruptionBudget: { minAvailable: 1 },
    },
    // Kept on destroy: the metrics history cannot be collected again.
    docker: { retainedVolumes: ["data"] },
};
