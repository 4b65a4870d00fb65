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
    ports: [
        {
            name: "http",
            containerPort: fixedPort(GRAFANA_PORT),
            publishedPort: (s) => s.services.grafana.port,
            metrics: true,
            // Through a load balancer, its client ranges (their source addresses kept: externalTrafficPolicy Local).
            clients: (s) => ({
                namespaces: s.kubernetes.networkPolicy.clientNamespaces,
                cidrs: s.kubernetes.grafanaExposure.kind === "load-balancer" ? s.kubernetes.grafanaExposure.sourceRanges : [],
            }),
        },
    ],
    keys: GRAFANA_KEYS,
    deployed: (s) => s.monitoringMode === "bundled",
    // Its datasource: the stack's Prometheus, unless it reads a long-term store.
    calls: (s) => (s.grafana.datasource.url ? [] : [{ service: "prometheus", port: "http" }]),
    kubernetes: {
        // Plain HTTP: a load balancer only with the client ranges it admits (settings refuse it without).
        serviceType: (s) => (s.kubernetes.grafanaExposure.kind === "load-balancer" ? "LoadBalancer" : "ClusterIP"),
        loadBalancerSourceRanges: (s) => (s.kubernetes.grafanaExposure.kind === "load-balancer" ? s.kubernetes.grafanaExposure.sourceRanges : []),
        // Its default log mode also writes a file under /var/log/grafana.
        writablePaths: ["/tmp", "/var/log/grafana"],
    },
    // Kept on destroy: users, API keys and anything edited in the UI.
    docker: { retainedVolumes: ["data"] },
};
