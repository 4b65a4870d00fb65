import type { Settings } from "../../settings";
import type { Topology } from "../../monitoring/types";
import type { ServiceSpec } from "../platform/types";

export const PROMETHEUS_PORT = 9090;
export const PROMETHEUS_CONFIG_DIR = "/etc/prometheus";

export interface PrometheusContent {
    /** prometheus.yml, rendered by monitoring/. */
    config: string;
    /** Rule files by file name, rendered by monitoring/; mounted under rules/. */
    ruleFiles: Record<string, string>;
    /** URL people reach Prometheus at (links in alerts and the UI). */
    externalUrl: string;
}

/** The rule file paths Prometheus loads, as the Topology names them. */
export const ruleFilePaths = (ruleFiles: Record<string, string>): Topology["ruleFiles"] =>
    Object.keys(ruleFiles).map((name) => `${PROMETHEUS_CONFIG_DIR}/rules/${name}`);

export function prometheusSpec(settings: Settings, content: PrometheusContent): ServiceSpec {
    return {
        name: "prometheus",
        component: "monitoring",
        image: settings.images.prometheus,
        args: [
            `--config.file=${PROMETHEUS_CONFIG_DIR}/prometheus.yml`,
            "--storage.tsdb.path=/prometheus",
            `--storage.tsdb.retention.time=${settings.prometheus.retention}`,
            `--web.external-url=${content.externalUrl}`,
            // Prometheus is reached at its root whatever the external URL's path.
            "--web.route-prefix=/",
            // Lets a config change be applied with POST /-/reload instead of a restart.
            "--web.enable-lifecycle",
        ],
        env: {},
        ports: [{ name: "http", containerPort: PROMETHEUS_PORT, publishedPort: settings.ports.prometheus }],
        metricsPort: "http",
        files: [
            { path: `${PROMETHEUS_CONFIG_DIR}/prometheus.yml`, content: content.config, secret: false },
            ...Object.entries(content.ruleFiles).map(([name, text]) => ({
                path: `${PROMETHEUS_CONFIG_DIR}/rules/${name}`,
                content: text,
                secret: false,
            })),
        ],
        volumes: [{ name: "data", mountPath: "/prometheus", size: settings.kubernetes.prometheusStorageSize }],
        health: { path: "/-/healthy", readinessPath: "/-/ready", port: "http", startupSeconds: 300, tool: "wget" },
        user: "65534:65534",
        resources: { cpu: "500m", memory: "1Gi", memoryLimit: "4Gi" },
    };
}
