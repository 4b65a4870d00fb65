/**
 * Valid but unusual values: the checks that refuse adversarial input must
 * still let these through, unchanged or normalised as stated.
 */
import * as assert from "node:assert/strict";
import { parseSettings } from ".";
import { isLabelKey, isLabelValue, pinnedImage, quantityValue } from "./checks";

const K8S = { target: "kubernetes" };
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("valid unusual stack values", () => {
    it("whitespace around numbers", () => {
        const s = parseSettings("dev", { gpuCount: " 2 ", sglangPort: "30001 ", alertErrorRatio: " 0.05" });
        assert.equal(s.sglang.gpuCount, 2);
        assert.equal(s.alerts.errorRateHigh.threshold, 0.05);
    });

    it("compound durations", () => {
        const s = parseSettings("dev", { prometheusRetention: "1y2w3d4h", alertServerDownFor: "1m30s" });
        assert.equal(s.prometheus.retention, "1y2w3d4h");
        assert.equal(s.alerts.serverDown.for, "1m30s");
    });

    it("digest-pinned images, with or without a tag, on a registry with a port", () => {
        const s = parseSettings("dev", {
            sglangImage: `lmsysorg/sglang@${DIGEST}`,
            grafanaImage: `registry.example.com:5000/mirror/grafana/grafana:12.1.1@${DIGEST}`,
            prometheusImage: "localhost:5000/prom/prometheus:v3.5.0",
        });
        assert.equal(s.services.sglang.image, `lmsysorg/sglang@${DIGEST}`);
        assert.equal(s.services.grafana.image, `registry.example.com:5000/mirror/grafana/grafana:12.1.1@${DIGEST}`);
    });

    it("image path components joined by ., _, __ and runs of dashes", () => {
        for (const ref of ["a.b/c_d__e---f:1.0", "nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", "Registry.Example.com/x/y:v2"]) {
            assert.ok(pinnedImage()(ref).ok, ref);
        }
    });

    it("URLs with percent-encoded braces, ports, paths and queries", () => {
        const s = parseSettings("dev", {
            runbookBaseUrl: "https://wiki.example.com:8443/runbooks/%7B%7Bx%7D%7D/?team=llm",
            grafanaExternalUrl: "http://10.0.0.5:3000/",
        });
        assert.equal(s.runbookBaseUrl, "https://wiki.example.com:8443/runbooks/%7B%7Bx%7D%7D/?team=llm");
        assert.equal(s.grafana.externalUrl, "http://10.0.0.5:3000");
    });

    it("label keys with a DNS prefix, 63-character names and values, empty values", () => {
        const long = "a".repeat(63);
        const s = parseSettings("dev", {
            ...K8S,
            nodeSelector: [`nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3`, `${long}=${long}`, "node-role.kubernetes.io/gpu="],
        });
        assert.deepEqual(s.kubernetes.nodeSelector, {
            "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3",
            [long]: long,
            "node-role.kubernetes.io/gpu": "",
        });
        assert.ok(isLabelKey(`${"a".repeat(253)}/x`));
        assert.ok(!isLabelKey(`${"a".repeat(254)}/x`));
        assert.ok(!isLabelKey("a".repeat(64)));
        assert.ok(!isLabelValue("_a"));
    });

    it("namespaces that merely start like system ones", () => {
        const s = parseSettings("dev", { ...K8S, namespace: "kube-system-llm", monitorNamespace: "defaults" });
        assert.equal(s.kubernetes.namespace, "kube-system-llm");
        assert.equal(s.kubernetes.monitorNamespace, "defaults");
    });

    it("a memory limit equal to its request in other units, and a ReadWriteOnce cache for one replica", () => {
        const s = parseSettings("dev", {
            ...K8S,
            sglangMemoryRequest: "1Gi",
            sglangMemoryLimit: "1024Mi",
            modelCacheAccessMode: "ReadWriteOnce",
            replicas: 1,
        });
        assert.equal(s.kubernetes.modelCacheAccessMode, "ReadWriteOnce");
    });

    it("quantities in binary and decimal units and millicores", () => {
        assert.equal(quantityValue("1Ki"), 1024);
        assert.equal(quantityValue("1.5Gi"), 1.5 * 2 ** 30);
        assert.equal(quantityValue("2G"), 2e9);
        assert.equal(quantityValue("7500m"), 7.5);
        assert.ok(quantityValue("64Gi") > quantityValue("64G"));
        assert.throws(() => quantityValue("64GB"), /not a Kubernetes quantity/);
    });

    it("a local socket given as unix:// and a remote daemon over ssh://", () => {
        assert.equal(parseSettings("dev", { dockerHost: "unix:///var/run/docker.sock" }).docker.host, "unix:///var/run/docker.sock");
        assert.equal(parseSettings("dev", { dockerHost: "ssh://ops@gpu-1:2222", publicHost: "localhost" }).docker.host, "ssh://ops@gpu-1:2222");
    });

    it("Grafana provider URLs over TLS or on loopback, and an ingress controller in kube-system", () => {
        for (const grafanaUrl of ["https://grafana.example.com", "http://127.0.0.1:3000", "http://localhost:13000", "http://[::1]:3000"]) {
            assert.equal(parseSettings("prod", { ...K8S, grafanaUrl }).grafana.url, grafanaUrl);
        }
        const s = parseSettings("prod", {
            ...K8S,
            networkPolicyEnabled: true,
            networkPolicyClientNamespaces: ["kube-system"],
            grafanaExposure: "ingress",
            grafanaIngressHost: "grafana.example.com",
            grafanaIngressTlsSecret: "grafana-tls",
        });
        assert.deepEqual(s.kubernetes.networkPolicy.clientNamespaces, ["kube-system"]);
        assert.deepEqual(s.kubernetes.grafanaExposure, { kind: "ingress", host: "grafana.example.com", tlsSecret: "grafana-tls", className: "" });
        // On Docker, the Kubernetes exposure keys change nothing and are not checked.
        assert.equal(parseSettings("dev", { grafanaExposure: "load-balancer" }).target, "docker");
    });

    it("a production stack with its PagerDuty key, heartbeat and API key", () => {
        const s = parseSettings("prod", {
            production: "true",
            pagerdutyRoutingKey: "pdroutingkey0123456789abcdefABCD",
            heartbeatUrl: "https://hb.example.com/ping/x",
            sglangApiKey: "sk-prod-0123",
        });
        assert.deepEqual([s.secrets.pagerdutyRoutingKey, s.secrets.heartbeatUrl, s.secrets.sglangApiKey], [true, true, true]);
    });

    it("tolerations with a prefixed key, with and without a value", () => {
        const s = parseSettings("dev", { ...K8S, tolerations: ["nvidia.com/gpu:NoSchedule", "dedicated=llm-serving:NoExecute"] });
        assert.deepEqual(s.kubernetes.tolerations, [
            { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
            { key: "dedicated", operator: "Equal", value: "llm-serving", effect: "NoExecute" },
        ]);
    });
});
