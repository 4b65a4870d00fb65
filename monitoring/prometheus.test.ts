import { strict as assert } from "node:assert";
import { parseSettings } from "../settings";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { defaultLinks } from "./links";
import { prometheusConfig, renderPrometheusConfig } from "./prometheus";
import { renderRuleFiles } from "./render";
import { dockerTopology } from "./topology";
import { JOB, type Topology } from "./types";

const defaults = parseSettings("dev", {});

/** promtool check config on the rendered configuration, its rule files written where it looks for them. */
function checkConfig(topology: Topology): void {
    const dir = new TempDir();
    try {
        for (const [name, content] of Object.entries(renderRuleFiles(defaults, defaultLinks(defaults)))) dir.write(`rules/${name}`, content);
        const file = dir.write("prometheus.yml", renderPrometheusConfig(defaults, { ...topology, ruleFiles: [`${dir.path}/rules/*.yaml`] }));
        const r = run("promtool", ["check", "config", file]);
        expectSuccess(r, "promtool check config");
        assert.match(r.output, /SUCCESS: 2 rule files found/);
    } finally {
        dir.remove();
    }
}

describe("Prometheus configuration", () => {
    it("passes promtool check config with the Docker topology and its rule files", () => {
        checkConfig(dockerTopology(defaults));
    });

    it("scrapes every Docker service by its DNS name and container port", () => {
        const config = prometheusConfig(defaults, dockerTopology(defaults)) as any;
        const targets = Object.fromEntries(config.scrape_configs.map((j: any) => [j.job_name, j.static_configs[0].targets]));
        assert.deepEqual(targets, {
            sglang: ["sglang:30000"],
            "node-exporter": ["node-exporter:9100"],
            "gpu-exporter": ["gpu-exporter:9400"],
            prometheus: ["prometheus:9090"],
            alertmanager: ["alertmanager:9093"],
            grafana: ["grafana:3000"],
            // The canary: Prometheus asks the blackbox exporter to probe this URL.
            "sglang-canary": ["http://sglang:30000/v1/chat/completions"],
        });
        const canary = config.scrape_configs.find((j: any) => j.job_name === "sglang-canary");
        assert.equal(canary.metrics_path, "/probe");
        assert.deepEqual(canary.relabel_configs.at(-1), { target_label: "__address__", replacement: "blackbox-exporter:9115" });
        assert.deepEqual(config.alerting.alertmanagers[0].static_configs[0].targets, ["alertmanager:9093"]);
        assert.deepEqual(config.rule_files, ["/etc/prometheus/rules/*.yaml"]);
        assert.equal(config.global.scrape_interval, "15s");
        assert.deepEqual(config.global.external_labels, { stack: "dev" });
    });

    it("follows the GPU exporter choice and the SGLang port", () => {
        const jobs = (raw: Record<string, unknown>) => {
            const s = parseSettings("dev", raw);
            return Object.fromEntries(dockerTopology(s).jobs.map((j) => [j.job, j.discovery.kind === "static" ? j.discovery.targets : []]));
        };
        assert.deepEqual(jobs({ gpuExporter: "nvidia-smi" })["gpu-exporter"], ["gpu-exporter:9835"]);
        assert.equal(jobs({ gpuExporter: "none" })["gpu-exporter"], undefined);
        assert.deepEqual(jobs({ sglangPort: 31000 }).sglang, ["sglang:31000"]);
    });

    // Debian's promtool is built without Kubernetes service discovery (it rejects
    // kubernetes_sd_configs as an unknown field), so this shape is checked here.
    it("keeps only the labelled pods' named port on Kubernetes and copies pod and namespace", () => {
        const config = prometheusConfig(defaults, {
            jobs: [
                {
                    job: JOB.sglang,
                    discovery: {
                        kind: "kubernetes-pods",
                        namespaces: ["sglang"],
                        podLabels: { "app.kubernetes.io/name": "sglang-ananke" },
                        portName: "http",
                    },
                },
            ],
            alertmanagers: [],
            ruleFiles: [],
        }) as any;
        const job = config.scrape_configs[0];
        assert.deepEqual(job.kubernetes_sd_configs, [{ role: "pod", namespaces: { names: ["sglang"] } }]);
        assert.deepEqual(job.relabel_configs.slice(0, 2), [
            { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], regex: "sglang-ananke", action: "keep" },
            { source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: "http", action: "keep" },
        ]);
        const targets = job.relabel_configs.filter((r: any) => r.target_label).map((r: any) => r.target_label);
        assert.deepEqual(targets, ["namespace", "pod", "node"]);
        assert.equal(config.alerting, undefined);
    });
});
