/** Node exporter: host CPU, memory, disk and network, one per host or node. */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import { fixedPort, type ServiceDefinition } from "../platform/definition";

const GROUP = "Node exporter";

export const NODE_EXPORTER_PORT = 9100;

export const NODE_EXPORTER_KEYS = {
    image: def(GROUP, "nodeExporterImage", "string", "prom/node-exporter:v1.9.1", "Node exporter image.", c.pinnedImage()),
    port: def(
        GROUP,
        "nodeExporterPort",
        "integer",
        NODE_EXPORTER_PORT,
        "Docker: host port node exporter is published on (inside, it listens on 9100).",
        c.integer(1, 65535),
    ),
} as const;

export const NODE_EXPORTER: ServiceDefinition<"node-exporter", typeof NODE_EXPORTER_KEYS> = {
    name: "node-exporter",
    role: "exporter",
    ports: [{ name: "metrics", containerPort: fixedPort(NODE_EXPORTER_PORT), publishedPort: (s) => s.services["node-exporter"].port, metrics: true }],
    keys: NODE_EXPORTER_KEYS,
    // In operator mode the cluster's monitoring already runs one per node (same job, same host port).
    deployed: (s) => s.monitoringMode === "bundled",
    kubernetes: {
        // Host PID and network namespaces, read-only host paths.
        hostAccess: () => true,
        // The image's `nobody`.
        runAsUser: () => 65534,
    },
};
