/** Grafana: the dashboard, on a datasource pointing at Prometheus. */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import { fixedPort, type ServiceDefinition } from "../platform/definition";

const GROUP = "Grafana";

export const GRAFANA_PORT = 3000;

export const GRAFANA_KEYS = {
    image: def(GROUP, "grafanaImage", "string", "grafana/grafana:12.1.1", "Grafana image.", c.pinnedImage()),
    port: def(
        GROUP,
        "grafanaPort",
        "integer",
        GRAFANA_PORT,
        "Docker: host port Grafana is published on (inside, it listens on 3000).",
        c.integer(1, 65535),
    ),
    storageSize: def(
        GROUP,
        "grafanaStorageSize",
        "string",
        "5Gi",
        "Size of the Grafana data volume. Kubernetes: the PersistentVolumeClaim's request; Docker: a named volume that grows freely (not applied).",
        c.text({ pattern: c.QUANTITY, allowed: "a Kubernetes quantity such as 5Gi" }),
    ),
} as const;

export const GRAFANA: ServiceDefinition<"grafana", typeof GRAFANA_KEYS> = {
    name: "grafana",
    role: "visualization",
    ports: [{ name: "http", containerPort: fixedPort(GRAFANA_PORT), publishedPort: (s) => s.services.grafana.port, metrics: true }],
    keys: GRAFANA_KEYS,
    deployed: (s) => s.monitoringMode === "bundled",
    kubernetes: {
        serviceType: (s) => s.kubernetes.grafanaServiceType,
        // Its default log mode also writes a file under /var/log/grafana.
        writablePaths: ["/tmp", "/var/log/grafana"],
    },
};
