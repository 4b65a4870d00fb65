import * as pulumi from "@pulumi/pulumi";
import { presentCredentials } from "../../monitoring/credentials";
import type { AlertmanagerSecretFiles, CredentialKey } from "../../monitoring/types";
import type { Settings } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import type { FileSpec, ServiceSpec } from "../platform/types";
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

export function alertmanagerSpec(settings: Settings, content: AlertmanagerContent, secrets: AlertmanagerSecrets): ServiceSpec {
    const credentials: FileSpec[] = presentCredentials(secrets).map(([key, value]) => ({ path: content.secretFiles[key], content: value, secret: true }));
    return {
        ...specFromDefinition(ALERTMANAGER, settings),
        image: settings.services.alertmanager.image,
        args: [
            "--config.file=/etc/alertmanager/alertmanager.yml",
            "--storage.path=/alertmanager",
            `--web.external-url=${content.externalUrl}`,
            "--web.route-prefix=/",
            // A single replica: no gossip peers to find.
            "--cluster.listen-address=",
        ],
        env: {},
        files: [{ path: "/etc/alertmanager/alertmanager.yml", content: content.config, secret: false }, ...credentials],
        volumes: [{ name: "data", mountPath: "/alertmanager", size: settings.services.alertmanager.storageSize }],
        health: { path: "/-/healthy", readinessPath: "/-/ready", port: "http", startupSeconds: 60, tool: "wget" },
        user: "65534:65534",
        resources: { cpu: "100m", memory: "128Mi", memoryLimit: "512Mi" },
    };
}
