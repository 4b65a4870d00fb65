import type * as pulumi from "@pulumi/pulumi";
import { REPLICA_ENV } from "../../monitoring/prometheus-ha";
import { PROMETHEUS_SECRET_FILES } from "../../monitoring/remote-write";
import type { PrometheusSecretFiles } from "../../monitoring/types";
import { type AuthenticatedService, OWN_PASSWORD_FILE, prometheusPasswordFile, WEB_CONFIG_FILE, WEB_USERNAME } from "../../monitoring/web-auth";
import type { Settings } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import type { FileSpec, ServiceSpec } from "../platform/types";
import type { WebAuthSecrets } from "../webAuth";
import { PROMETHEUS, PROMETHEUS_RULES_DIR, tsdbRetentionSize } from "./service";

const PROMETHEUS_CONFIG_DIR = "/etc/prometheus";

export interface PrometheusContent {
    /** prometheus.yml, rendered by monitoring/. */
    config: string;
    /** Rule files by file name, rendered by monitoring/; mounted in PROMETHEUS_RULES_DIR. */
    ruleFiles: Record<string, string>;
    /** URL people reach Prometheus at (links in alerts and the UI). */
    externalUrl: string;
}

/** Remote write's credentials that are set (secret Outputs); each is mounted at `PROMETHEUS_SECRET_FILES`. */
export type PrometheusSecrets = Partial<Record<keyof PrometheusSecretFiles, pulumi.Output<string>>>;

function credentialFiles(secrets: PrometheusSecrets): FileSpec[] {
    return (Object.keys(PROMETHEUS_SECRET_FILES) as (keyof PrometheusSecretFiles)[]).flatMap((key) => {
        const value = secrets[key];
        return value === undefined ? [] : [{ path: PROMETHEUS_SECRET_FILES[key], content: value, secret: true }];
    });
}

/** The web server's configuration, its own password (self-scrape, health check) and Alertmanager's, as secret files. */
function webAuthFiles(web: WebAuthSecrets): FileSpec[] {
    return [
        { path: WEB_CONFIG_FILE.prometheus, content: web.webConfig, secret: true },
        ...(Object.entries(web.passwords) as [AuthenticatedService, pulumi.Output<string>][]).map(([service, password]) => ({
            path: prometheusPasswordFile(service),
            content: password,
            secret: true,
        })),
    ];
}

export function prometheusSpec(settings: Settings, content: PrometheusContent, web: WebAuthSecrets, secrets: PrometheusSecrets = {}): ServiceSpec {
    return {
        ...specFromDefinition(PROMETHEUS, settings),
        image: settings.services.prometheus.image,
        args: [
            `--config.file=${PROMETHEUS_CONFIG_DIR}/prometheus.yml`,
            "--storage.tsdb.path=/prometheus",
            `--storage.tsdb.retention.time=${settings.prometheus.retention}`,
            // Whichever limit comes first: the volume never fills, whatever the ingestion rate.
            `--storage.tsdb.retention.size=${tsdbRetentionSize(settings.services.prometheus)}`,
            `--web.external-url=${content.externalUrl}`,
            // Basic auth on every endpoint, the lifecycle API (reload, quit) among them.
            `--web.config.file=${WEB_CONFIG_FILE.prometheus}`,
            // Prometheus is reached at its root whatever the external URL's path.
            "--web.route-prefix=/",
            // Lets a config change be applied with POST /-/reload instead of a restart.
            "--web.enable-lifecycle",
        ],
        env: {},
        // Each replica's name feeds its `replica` external label.
        ...(settings.services.prometheus.replicas > 1 ? { podNameEnv: REPLICA_ENV } : {}),
        files: [
            { path: `${PROMETHEUS_CONFIG_DIR}/prometheus.yml`, content: content.config, secret: false },
            ...Object.entries(content.ruleFiles).map(([name, text]) => ({
                path: `${PROMETHEUS_RULES_DIR}/${name}`,
                content: text,
                secret: false,
            })),
            ...credentialFiles(secrets),
            ...webAuthFiles(web),
        ],
        volumes: [{ name: "data", mountPath: "/prometheus", size: settings.services.prometheus.storageSize }],
        health: {
            path: "/-/healthy",
            readinessPath: "/-/ready",
            port: "http",
            startupSeconds: 300,
            tool: "busybox",
            basicAuth: { username: WEB_USERNAME, passwordFile: OWN_PASSWORD_FILE.prometheus },
        },
        user: "65534:65534",
        resources: { cpu: "500m", memory: "1Gi", memoryLimit: "4Gi" },
    };
}
