import * as assert from "node:assert/strict";
import { contractIds, lackingByContract } from "../contracts/gate";
import { runProgram, stackFileConfig } from "../tests/harness";
import { metricContractFindings } from "./metric-contracts";
import { policies } from "./policies";

const CONTAINER = "docker:index/container:Container";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

function dockerContainer(service: string, image: string) {
    return {
        type: CONTAINER,
        props: {
            name: `sglang-ananke-dev-${service}`,
            image: `sha256:${"ab".repeat(32)}`,
            labels: [
                { label: "sglang-ananke.service", value: service },
                { label: "org.opencontainers.image.source", value: image },
            ],
        },
    };
}

function deployment(service: string, image: string) {
    return {
        type: DEPLOYMENT,
        props: {
            metadata: { labels: { "app.kubernetes.io/name": service } },
            spec: { template: { metadata: { labels: { "app.kubernetes.io/name": service } }, spec: { containers: [{ name: "main", image }] } } },
        },
    };
}

describe("policy metric-contracts (advisory)", () => {
    it("names the alerts and panels the image's version cannot give data to", () => {
        const findings = metricContractFindings(dockerContainer("sglang", "lmsysorg/sglang:v0.5.4.post1"));
        assert.ok(!findings.some((f) => f.includes("no verified metric contract")), findings.join("\n"));
        const expected = ["AnankeRollbacksHigh", "AnankeConstraintViolationsHigh"].filter((a) =>
            lackingByContract("alerts", a).some((l) => l.contract.id === "sglang-v0.5.4.post1"),
        );
        assert.ok(expected.length > 0);
        for (const alert of expected) {
            assert.ok(
                findings.some((f) =>
                    f.startsWith(`sglang (SGLang v0.5.4.post1): alert ${alert} cannot have data: not emitted by SGLang v0.5.4.post1: needs `),
                ),
                alert,
            );
        }
        assert.ok(findings.some((f) => /dashboard panel ".+" cannot have data/.test(f)));
    });

    it("reports an image without a verified contract, with the closest one and the key", () => {
        const findings = metricContractFindings(deployment("sglang", "registry.example.com/sglang-ananke:v0.5.4-ananke.1"));
        assert.match(
            findings[0],
            /^sglang image registry\.example\.com\/sglang-ananke:v0\.5\.4-ananke\.1 has no verified metric contract; the closest verified one is SGLang v0\.5\.4\.post1 \(set sglangMetricsContract/,
        );
        const gpu = metricContractFindings(dockerContainer("gpu-exporter", "utkuozdemir/nvidia_gpu_exporter:1.15.0"));
        assert.match(gpu[0], /closest verified one is nvidia_gpu_exporter 1\.14\.0 \(set gpuExporterMetricsContract/);
    });

    it("is quiet for a known exporter version that feeds everything, and for other services", () => {
        for (const id of contractIds(["node-exporter"])) assert.ok(id);
        assert.deepEqual(metricContractFindings(dockerContainer("node-exporter", "prom/node-exporter:v1.9.1")), []);
        assert.deepEqual(metricContractFindings(deployment("gpu-exporter", "nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless")), []);
        assert.deepEqual(metricContractFindings(dockerContainer("prometheus", "prom/prometheus:v3.5.0")), []);
    });

    it("is advisory in the pack", () => {
        const policy = policies("mandatory").find((p) => p.name === "metric-contracts");
        assert.equal(policy?.enforcementLevel, "advisory");
    });

    it("sees the program's own containers", async function () {
        this.timeout(120000);
        const config = { ...stackFileConfig("Pulumi.dev.yaml"), sglangImage: "registry.example.com/sglang-ananke:v0.5.4-ananke.1" };
        const run = await runProgram(config, { stack: "dev" });
        const findings = run.resources.flatMap((r) => metricContractFindings({ type: r.type, props: r.plain }));
        assert.ok(
            findings.some((f) => f.startsWith("sglang image registry.example.com/sglang-ananke:v0.5.4-ananke.1 has no verified metric contract")),
            findings.join("\n"),
        );
    });
});
