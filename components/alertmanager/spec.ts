import type * as pulumi from "@pulumi/pulumi";
import { presentCredentials } from "../../monitoring/credentials";
import { ALERTMANAGER_CLUSTER_PORT, alertmanagerClusterFlags, alertmanagerPeers } from "../../monitoring/prometheus-ha";
import type { AlertmanagerSecretFiles, CredentialKey } from "../../monitoring/types";
import { OWN_PASSWORD_FILE, WEB_CONFIG_FILE, WEB_USERNAME } from "../../monitoring/web-auth";
import type { Settings } from "../../settings";
import { peerServiceName, specFromDefinition } from "../platform/definition";
import type { FileSpec, ServiceSpec } from "../platform/types";
import type { WebAuthSecrets } from "../webAuth";
import { ALERTMANAGER } from "./service";

export interface AlertmanagerContent {
    /** alertmanager.yml, rendered by monitoring/: it references credentials by file only. */
    config: string;
    /** Where the config expects each credential file. */
    secretFiles: AlertmanagerSecretFiles;
    externalUrl: string;
}

/** The set credentials (secret Outputs); each is mounted where `secretFiles` says. */
export type AlertmanagerSecrets = Partial<Record<CredentialKey, pulumi.Output<string>>>;

/** The other replicas to gossip with, by their StatefulSet names; none for a single Alertmanager. */
function clusterPeers(settings: Settings): string[] {
    const replicas = settings.services.alertmanager.replicas;
    if (replicas < 2) return [];
    return alertmanagerPeers({
        statefulSet: ALERTMANAGER.name,
        headlessService: peerServiceName(ALERTMANAGER.name),
        namespace: settings.kubernetes.namespace,
        replicas,
    });
}

export function alertmanagerSpec(settings: Settings, content: AlertmanagerContent, web: WebAuthSecrets, secrets: AlertmanagerSecrets): ServiceSpec {
    const credentials: FileSpec[] = presentCredentials(secrets).map(([key, value]) => ({
        path: content.secretFiles[key],
        content: value,
        secret: true,
    }));
    return {
        ...specFromDefinition(ALERTMANAGER, settings),
        image: settings.services.alertmanager.image,
        args: [
            "--config.file=/etc/alertmanager/alertmanager.yml",
            "--storage.path=/alertmanager",
            `--web.external-url=${content.externalUrl}`,
            "--web.route-prefix=/",
            // Basic auth on every endpoint: the API can silence every alert.
            `--web.config.file=${WEB_CONFIG_FILE.alertmanager}`,
            // Replicas share silences and the notification log, so one of them notifies per group.
            ...alertmanagerClusterFlags({ listenAddress: `0.0.0.0:${ALERTMANAGER_CLUSTER_PORT}`, peers: clusterPeers(settings) }),
        ],
        env: {},
        files: [
            { path: "/etc/alertmanager/alertmanager.yml", content: content.config, secret: false },
            ...credentials,
            { path: WEB_CONFIG_FILE.alertmanager, content: web.webConfig, secret: true },
            ...(web.passwords.alertmanager ? [{ path: OWN_PASSWORD_FILE.alertmanager, content: web.passwords.alertmanager, secret: true }] : []),
        ],
        volumes: [{ name: "data", mountPath: "/alertmanager", size: settings.services.alertmanager.storageSize }],
        health: {
            path: "/-/healthy",
            readinessPath: "/-/ready",
            port: "http",
            startupSeconds: 60,
            tool: "busybox",
            basicAuth: { username: WEB_USERNAME, passwordFile: OWN_PASSWORD_FILE.alertmanager },
        },
        user: "65534:65534",
        resources: { cpu: "100m", memory: "128Mi", memoryLimit: "512Mi" },
    };
}
