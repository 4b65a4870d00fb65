/** Prometheus: scrapes every service, records the normalized series, evaluates the alerts. */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import { fixedPort, type ServiceDefinition } from "../platform/definition";

const GROUP = "Prometheus";

export const PROMETHEUS_PORT = 9090;
/** Directory inside the Prometheus container holding the rule files. */
export const PROMETHEUS_RULES_DIR = "/etc/prometheus/rules";

export const PROMETHEUS_KEYS = {
    image: def(GROUP, "prometheusImage", "string", "prom/prometheus:v3.5.0", "Prometheus image.", c.pinnedImage()),
    port: def(
        GROUP,
        "prometheusPort",
        "integer",
        PROMETHEUS_PORT,
        "Docker: host port Prometheus is published on (inside, it listens on 9090).",
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
        "Size of the Prometheus data volume. Kubernetes: the PersistentVolumeClaim's request; Docker: a named volume that grows freely (not applied).",
        c.text({ pattern: c.QUANTITY, allowed: "a Kubernetes quantity such as 50Gi" }),
    ),
} as const;

export const PROMETHEUS: ServiceDefinition<"prometheus", typeof PROMETHEUS_KEYS> = {
    name: "prometheus",
    role: "monitoring",
    ports: [{ name: "http", containerPort: fixedPort(PROMETHEUS_PORT), publishedPort: (s) => s.services.prometheus.port, metrics: true }],
    keys: PROMETHEUS_KEYS,
    deployed: (s) => s.monitoringMode === "bundled",
    kubernetes: {
        discoversPods: true,
        scrapedOverLoopback: true,
        replicas: (s) => s.services.prometheus.replicas,
        stateful: (s) => s.services.prometheus.replicas > 1,
        // A rules or scrape change is reloaded by the running pods (POST /-/reload), not rolled out.
        reloadsConfig: { port: "http", path: "/-/reload" },
        // A drain never takes the last replica: rules and alerts keep being evaluated.
        disruptionBudget: { minAvailable: 1 },
    },
};
