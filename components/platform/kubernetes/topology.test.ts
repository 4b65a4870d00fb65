import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { renderPrometheusConfig } from "../../../monitoring";
import { JOB } from "../../../monitoring/types";
import { parseSettings, type Settings } from "../../../settings";
import { tool } from "../../../tests/debian-tools";
import { operatorMode } from "../../../tests/support/operator-mode";
import { stackSpecs } from "../../../tests/support/service-specs";
import { gpuExporterSpec } from "../../gpuExporter/spec";
import { selectorLabels } from "./labels";
import { discoveredNamespaces, kubernetesTopology, METRICS_PORT_NAME } from "./topology";

const K8S = { target: "kubernetes" };
const OPERATOR = {
    ...K8S,
    ...operatorMode("token"),
};
const settings = (raw: Record<string, unknown> = {}): Settings => parseSettings("prod", { ...K8S, ...raw });

describe("Kubernetes topology", () => {
    it("is pure: loading it loads no Pulumi module", () => {
        const loaded = execFileSync(
            process.execPath,
            [
                "-r",
                "ts-node/register/transpile-only",
                "-e",
                `require(${JSON.stringify(path.join(__dirname, "topology.ts"))}); console.log(JSON.stringify(Object.keys(require.cache)))`,
            ],
            { encoding: "utf8", cwd: path.resolve(__dirname, "../../..") },
        );
        const modules: string[] = JSON.parse(loaded);
        assert.ok(modules.some((m) => m.endsWith("topology.ts")));
        assert.deepEqual(
            modules.filter((m) => m.includes(`${path.sep}@pulumi${path.sep}`)),
            [],
        );
    });

    it("names each service's metrics port as its spec does", () => {
        // Every scraped service, and the nvidia-smi exporter beside the default DCGM one.
        const scraped = [...stackSpecs(settings()).filter((x) => x.metricsPort), gpuExporterSpec(settings({ gpuExporter: "nvidia-smi" }))!];
        for (const spec of scraped) {
            assert.equal(spec.metricsPort, METRICS_PORT_NAME[spec.name], spec.name);
            assert.ok(
                spec.ports.some((p) => p.name === METRICS_PORT_NAME[spec.name]),
                `${spec.name} has a port named ${METRICS_PORT_NAME[spec.name]}`,
            );
        }
    });

    it("bundled: discovers the stack's pods by labels and port name, Alertmanager by its Service", () => {
        const s = settings({ namespace: "llm" });
        const t = kubernetesTopology(s);
        assert.deepEqual(
            t.jobs.map((j) => j.job),
            [JOB.sglang, JOB.node, JOB.gpu, JOB.prometheus, JOB.alertmanager, JOB.grafana],
        );
        const sglang = t.jobs[0].discovery;
        assert.deepEqual(sglang, { kind: "kubernetes-pods", namespaces: ["llm"], podLabels: selectorLabels("sglang", "prod"), portName: "http" });
        assert.equal(sglang.kind === "kubernetes-pods" && sglang.podLabels["app.kubernetes.io/name"], "sglang");
        assert.deepEqual(t.alertmanagers, ["alertmanager.llm.svc:9093"]);
        // The exporters that use the node run in the host namespace.
        for (const job of [JOB.node, JOB.gpu]) {
            const d = t.jobs.find((j) => j.job === job)!.discovery;
            assert.deepEqual(d.kind === "kubernetes-pods" && d.namespaces, ["llm-host"], job);
        }
        assert.deepEqual(discoveredNamespaces(t), ["llm", "llm-host"]);
    });

    it("gpuExporter existing scrapes the GPU Operator's exporter where it runs; none scrapes nothing", () => {
        const t = kubernetesTopology(
            settings({
                gpuExporter: "existing",
                gpuExporterNamespace: "nvidia-gpu-operator",
                gpuExporterPodLabels: '["app=nvidia-dcgm-exporter"]',
                gpuExporterPortName: "gpu-metrics",
            }),
        );
        const gpu = t.jobs.find((j) => j.job === JOB.gpu)!;
        assert.deepEqual(gpu.discovery, {
            kind: "kubernetes-pods",
            namespaces: ["nvidia-gpu-operator"],
            podLabels: { app: "nvidia-dcgm-exporter" },
            portName: "gpu-metrics",
        });
        // Prometheus' RBAC must then reach that namespace too.
        assert.deepEqual(discoveredNamespaces(t), ["nvidia-gpu-operator", "sglang", "sglang-host"]);
        assert.equal(
            kubernetesTopology(settings({ gpuExporter: "none" })).jobs.some((j) => j.job === JOB.gpu),
            false,
        );
    });

    it("operator: only what the stack runs, no Alertmanager or rule files of its own", () => {
        const t = kubernetesTopology(parseSettings("prod", OPERATOR));
        assert.deepEqual(
            t.jobs.map((j) => j.job),
            [JOB.sglang, JOB.gpu],
        );
        assert.deepEqual([t.alertmanagers, t.ruleFiles], [[], []]);
    });

    it("renders a Prometheus configuration promtool accepts (Kubernetes discovery checked by shape)", function () {
        this.timeout(20000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sglang-k8s-prom-"));
        const check = (config: object) => {
            const file = path.join(dir, "prometheus.yml");
            fs.writeFileSync(file, YAML.stringify(config));
            execFileSync(tool("promtool"), ["check", "config", "--syntax-only", file], { stdio: "pipe" });
        };
        try {
            for (const raw of [{}, { gpuExporter: "existing" }]) {
                const config = YAML.parse(renderPrometheusConfig(settings(raw), kubernetesTopology(settings(raw))));
                // Debian's promtool is built without Kubernetes discovery: check that
                // block by its documented shape, and everything else (relabelling,
                // alerting, rule files) with promtool, the discovery swapped for a file.
                for (const job of config.scrape_configs) {
                    if (!job.kubernetes_sd_configs) continue;
                    for (const sd of job.kubernetes_sd_configs) {
                        assert.deepEqual(Object.keys(sd).sort(), ["namespaces", "role"], job.job_name);
                        assert.equal(sd.role, "pod");
                        assert.ok(
                            Array.isArray(sd.namespaces.names) &&
                                sd.namespaces.names.every((n: unknown) => typeof n === "string" && /^[a-z0-9-]+$/.test(n)),
                        );
                    }
                    delete job.kubernetes_sd_configs;
                    job.file_sd_configs = [{ files: [path.join(dir, `${job.job_name}.json`)] }];
                }
                check(config);
            }
            // The check can fail: a broken relabelling is refused.
            assert.throws(() => check({ scrape_configs: [{ job_name: "x", relabel_configs: [{ action: "keepz" }] }] }));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
