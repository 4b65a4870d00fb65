import * as assert from "node:assert/strict";
import { parseSettings, type Settings } from "../../../settings";
import { GRAFANA } from "../../grafana/service";
import { SGLANG } from "../../sglang/service";
import { specFromDefinition } from "../definition";
import type { ServiceSpec } from "../types";
import { claimSpec, daemonSetSpec, deploymentSpec, deploymentStrategy, fileKey, GPU_PRESENT_LABEL, podTemplate, serviceSpecOf } from "./workload";

const settings = (raw: Record<string, unknown> = {}): Settings => parseSettings("prod", { target: "kubernetes", ...raw });

const base: ServiceSpec = {
    name: "alertmanager",
    component: "alerting",
    image: "prom/alertmanager:v0.28.1",
    args: [],
    env: {},
    ports: [{ name: "http", containerPort: 9093 }],
    files: [],
    volumes: [],
    resources: { cpu: "100m", memory: "64Mi", memoryLimit: "256Mi" },
    kubernetes: { serviceType: "ClusterIP", replicas: 1, discoversPods: false },
    docker: { retainedVolumes: [] },
};

/** SGLang's spec as its definition makes it for these settings (GPUs added by the caller). */
const sglang = (s: Settings): ServiceSpec => ({ ...base, ...specFromDefinition(SGLANG, s) });

describe("Kubernetes workloads from a ServiceSpec", () => {
    it("keys files by path, so two files never share a key", () => {
        assert.equal(fileKey("/etc/prometheus/rules/ananke-alerts.yaml"), "etc_prometheus_rules_ananke-alerts.yaml");
        assert.notEqual(fileKey("/etc/a/b.yml"), fileKey("/etc/a/c.yml"));
    });

    it("mounts each file by subPath from its ConfigMap or Secret; secrets readable by the service's group only", () => {
        const spec: ServiceSpec = {
            ...base,
            user: "65534:65534",
            files: [
                { path: "/etc/alertmanager/alertmanager.yml", content: "route: {}", secret: false },
                { path: "/etc/alertmanager/secrets/slack_webhook_url", content: "https://hooks.slack.com/x", secret: true },
            ],
        };
        const t = podTemplate(spec, settings(), { configMapName: "cm", secretName: "sec" }) as any;
        const mounts = t.spec.containers[0].volumeMounts;
        assert.deepEqual(
            mounts.map((m: any) => [m.name, m.mountPath, m.subPath, m.readOnly]),
            [
                ["config", "/etc/alertmanager/alertmanager.yml", "etc_alertmanager_alertmanager.yml", true],
                ["secrets", "/etc/alertmanager/secrets/slack_webhook_url", "etc_alertmanager_secrets_slack_webhook_url", true],
            ],
        );
        const secretVolume = t.spec.volumes.find((v: any) => v.secret);
        assert.equal(secretVolume.secret.defaultMode, 0o440);
        assert.equal(t.spec.securityContext.fsGroup, 65534);
        assert.deepEqual(t.spec.containers[0].securityContext, {
            allowPrivilegeEscalation: false,
            runAsUser: 65534,
            runAsGroup: 65534,
            runAsNonRoot: true,
        });
        assert.throws(() => podTemplate(spec, settings(), {}), /ConfigMap/);
    });

    it("adds SYS_ADMIN without forbidding privilege escalation (Kubernetes refuses the pair)", () => {
        const t = podTemplate({ ...base, capabilities: ["SYS_ADMIN"] }, settings(), {}) as any;
        assert.deepEqual(t.spec.containers[0].securityContext, { capabilities: { add: ["SYS_ADMIN"] } });
    });

    it("GPU exporters run on GPU nodes: by the GPU feature label or by the SGLang node selector", () => {
        const s = settings({ nodeSelector: '["pool=h100"]', runtimeClassName: "nvidia" });
        const ds = daemonSetSpec({ ...base, name: "gpu-exporter", component: "exporter", gpus: "all", perNode: true }, s, {}) as any;
        const terms = ds.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
        assert.deepEqual(terms, [
            { matchExpressions: [{ key: GPU_PRESENT_LABEL, operator: "In", values: ["true"] }] },
            { matchExpressions: [{ key: "pool", operator: "In", values: ["h100"] }] },
        ]);
        assert.equal(ds.template.spec.runtimeClassName, "nvidia");
        assert.equal(ds.template.spec.nodeSelector, undefined);
    });

    it("services without GPUs or host access get no GPU scheduling", () => {
        const t = podTemplate(base, settings({ runtimeClassName: "nvidia", nodeSelector: '["pool=h100"]' }), {}) as any;
        for (const key of ["runtimeClassName", "nodeSelector", "tolerations", "affinity"]) assert.equal(t.spec[key], undefined, key);
    });

    it("rolls out without surging when a pod holds GPUs or a ReadWriteOnce volume", () => {
        const s = settings();
        const gpu = (settings: Settings): ServiceSpec => ({ ...sglang(settings), gpus: { count: 2, deviceIds: [] } });
        assert.deepEqual(deploymentStrategy(gpu(s), s), { type: "Recreate" });
        const three = settings({ replicas: 3, modelCacheStorageClass: "efs" });
        assert.deepEqual(deploymentStrategy(gpu(three), three), { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
        assert.deepEqual(deploymentStrategy({ ...base, volumes: [{ name: "data", mountPath: "/data", size: "1Gi" }] }, s), { type: "Recreate" });
        assert.deepEqual(deploymentStrategy(base, s), { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        // Autoscaled: no replica count for Pulumi to reset, and never a surge.
        const scaled = settings({ autoscalingEnabled: true, autoscalingMaxReplicas: 4 });
        const d = deploymentSpec(gpu(scaled), scaled, {}) as any;
        assert.equal(d.replicas, undefined);
        assert.equal(d.strategy.rollingUpdate.maxSurge, 0);
    });

    it("claims: ReadWriteMany for a cache several SGLang pods share, ReadWriteOnce otherwise", () => {
        const vol = { name: "model-cache", mountPath: "/cache", size: "100Gi" };
        const two = settings({ replicas: 2, modelCacheStorageClass: "efs" });
        assert.deepEqual((claimSpec(sglang(two), vol, two) as any).accessModes, ["ReadWriteMany"]);
        assert.equal((claimSpec(sglang(two), vol, two) as any).storageClassName, "efs");
        assert.deepEqual((claimSpec(sglang(settings()), vol, settings()) as any).accessModes, ["ReadWriteOnce"]);
        // Only the volume the definition names is shared.
        assert.deepEqual((claimSpec(sglang(two), { ...vol, name: "scratch" }, two) as any).accessModes, ["ReadWriteOnce"]);
        assert.deepEqual((claimSpec(base, vol, settings({ replicas: 2 })) as any).accessModes, ["ReadWriteOnce"]);
        assert.equal((claimSpec(base, vol, settings()) as any).storageClassName, undefined, "the cluster default when unset");
    });

    it("only Grafana's Service takes the configured exposure: a load balancer with its client ranges, keeping client addresses", () => {
        const lb = settings({ grafanaExposure: "load-balancer", grafanaLoadBalancerSourceRanges: ["203.0.113.0/24"] });
        const grafana = serviceSpecOf({ ...base, ...specFromDefinition(GRAFANA, lb) }, lb);
        assert.deepEqual(
            [grafana.type, grafana.loadBalancerSourceRanges, grafana.externalTrafficPolicy],
            ["LoadBalancer", ["203.0.113.0/24"], "Local"],
        );
        assert.equal(serviceSpecOf(base, lb).type, "ClusterIP");
        const inside = serviceSpecOf({ ...base, ...specFromDefinition(GRAFANA, settings()) }, settings());
        assert.deepEqual([inside.type, inside.loadBalancerSourceRanges], ["ClusterIP", undefined]);
    });
});
