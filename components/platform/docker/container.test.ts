import { strict as assert } from "node:assert";
import { parseSettings } from "../../../settings";
import { gpuExporterSpec } from "../../gpuExporter/spec";
import { nodeExporterSpec } from "../../nodeExporter/spec";
import { sglangSpec } from "../../sglang/spec";
import { containerArgs, quantityToMiB } from "./container";
import { containerTimeouts } from "./host";

const settings = parseSettings("dev", {});
const args = (spec: Parameters<typeof containerArgs>[0]["spec"], s = settings) =>
    containerArgs({ spec, settings: s, containerName: "c", imageId: "sha256:x", networkName: "net", volumes: [] }) as Record<string, any>;

describe("Docker container arguments", () => {
    it("converts Kubernetes memory quantities to MiB", () => {
        assert.equal(quantityToMiB("512Mi"), 512);
        assert.equal(quantityToMiB("4Gi"), 4096);
        assert.equal(quantityToMiB("1G"), 954);
        assert.throws(() => quantityToMiB("lots"), /not a memory quantity/);
    });

    it("checks health with the image's own tool and waits for it", () => {
        const c = args(nodeExporterSpec(settings));
        assert.deepEqual(c.healthcheck.tests, ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9100/"]);
        assert.equal(c.wait, true);
    });

    it("does not wait on a health check an image cannot run", () => {
        const c = args(gpuExporterSpec(settings)!);
        assert.equal(c.healthcheck, undefined);
        assert.equal(c.wait, undefined);
        assert.equal(c.gpus, "all");
    });

    it("marks containers published beyond loopback", () => {
        const open = parseSettings("dev", { bindAddress: "0.0.0.0" });
        const exposed = args(sglangSpec(open, {}), open);
        assert.deepEqual(
            exposed.labels.find((l: any) => l.label === "sglang-ananke.exposed"),
            { label: "sglang-ananke.exposed", value: "true" },
        );
        assert.equal(args(sglangSpec(settings, {})).labels.find((l: any) => l.label === "sglang-ananke.exposed").value, "false");
    });

    it("publishes no exporter: Prometheus scrapes them on the stack's network", () => {
        const s = parseSettings("dev", { gpuExporter: "nvidia-smi", bindAddress: "0.0.0.0" });
        for (const spec of [gpuExporterSpec(s)!, gpuExporterSpec(settings)!, nodeExporterSpec(s)])
            assert.deepEqual(args(spec, s).ports, [], spec.image);
        assert.ok(args(gpuExporterSpec(s)!, s).envs.includes("NVIDIA_DRIVER_CAPABILITIES=utility"));
    });

    it("names the log driver its log options belong to", () => {
        const c = args(nodeExporterSpec(settings));
        assert.equal(c.logDriver, "json-file");
        assert.deepEqual(c.logOpts, { "max-size": "50m", "max-file": "5" });
    });

    it("refuses a read-only root filesystem for a container that gets files uploaded", () => {
        const spec = nodeExporterSpec(settings);
        assert.equal(args(spec).readOnly, true);
        const withFile = { ...spec, files: [{ path: "/etc/x.yml", content: "x", secret: false }] };
        assert.throws(() => args(withFile), /node-exporter: files cannot be uploaded into a read-only root filesystem/);
    });
});

describe("Docker operation timeouts", () => {
    it("let pulumi up wait for the model to load", () => {
        const s = parseSettings("dev", { sglangStartupSeconds: "3600" });
        assert.deepEqual(containerTimeouts(sglangSpec(s, {})), { create: "70m", update: "70m" });
    });
});
