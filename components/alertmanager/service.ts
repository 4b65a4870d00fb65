/** Alertmanager: routes the alerts to PagerDuty, Slack and the heartbeat. */

import { ALERTMANAGER_CLUSTER_PORT } from "../../monitoring/prometheus-ha";
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import { fixedPort, type ServiceDefinition } from "../platform/definition";

const GROUP = "Alertmanager";

export const ALERTMANAGER_PORT = 9093;

export const ALERTMANAGER_KEYS = {
    image: def(GROUP, "alertmanagerImage", "string", "prom/alertmanager:v0.28.1", "Alertmanager image.", c.pinnedImage()),
    port: def(
        GROUP,
        "alertmanagerPort",
        "integer",
        ALERTMANAGER_PORT,
        "Docker: host port Alertmanager is published on (inside, it listens on 9093).",
        c.integer(1, 65535),
    ),
    replicas: def(
        GROUP,
        "alertmanagerReplicas",
        "integer",
        1,
        "Kubernetes: Alertmanager replicas forming one cluster that shares silences and notifies once per alert group (3 = high availability: see README). Docker runs one.",
        c.integerIn([1, 3, 5], "(a cluster of an odd size)"),
    ),
    storageSize: def(
        GROUP,
        "alertmanagerStorageSize",
        "string",
        "2Gi",
        "Size of the Alertmanager data volume (silences, notification log). Kubernetes: the PersistentVolumeClaim's request; Docker: a named volume that grows freely (not applied).",
        c.text({ pattern: c.QUANTITY, allowed: "a Kubernetes quantity such as 2Gi" }),
    ),
} as const;

export const ALERTMANAGER: ServiceDefinition<"alertmanager", typeof ALERTMANAGER_KEYS> = {
    name: "alertmanager",
    role: "alerting",
    ports: [{ name: "http", containerPort: fixedPort(ALERTMANAGER_PORT), publishedPort: (s) => s.services.alertmanager.port, metrics: true }],
    keys: ALERTMANAGER_KEYS,
    deployed: (s) => s.monitoringMode === "bundled",
    kubernetes: {
        replicas: (s) => s.services.alertmanager.replicas,
        stateful: (s) => s.services.alertmanager.replicas > 1,
        clusterPort: ALERTMANAGER_CLUSTER_PORT,
        // A routing change is reloaded by the running pods (POST /-/reload), not rolled out.
        reloadsConfig: { port: "http", path: "/-/reload" },
        // A drain restarts one replica at a time; the others keep notifying.
        disruptionBudget: { maxUnavailable: 1 },
    },
};
