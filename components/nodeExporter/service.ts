/** Node exporter: host CPU, memory, disk and network, one per host or node. */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import { fixedPort, type ServiceDefinition } from "../platform/definition";

const GROUP = "Node exporter";

export const NODE_EXPORTER_PORT = 9100;

export const NODE_EXPORTER_KEYS = {
    image: def(GROUP, "nodeExporterImage", "string", "prom/node-exporter:v1.9.1", "Node exporter image.", c.pinnedImage()),
} as const;

export const NODE_EXPORTER: ServiceDefinition<"node-exporter", typeof NODE_EXPORTER_KEYS> = {
    name: "node-exporter",
    role: "exporter",
    // Not published on Docker: Prometheus scrapes it on the stack's network.
    ports: [{ name: "metrics", containerPort: fixedPort(NODE_EXPORTER_PORT), metrics: true }],
    keys: NODE_EXPORTER_KEYS,
    // In operator mode the cluster's monitoring already runs one per node (same job, same host port).
    deployed: (s) => s.monitoringMode === "bundled",
    kubernetes: {
        // Host PID and network namespaces, read-only host paths.
        hostAccess: () => true,
        // The image's `nobody`.
        runAsUser: () => 65534,
    },
    // It only reads the host's filesystems and serves HTTP.
    docker: { readOnlyRootFilesystem: true },
};
