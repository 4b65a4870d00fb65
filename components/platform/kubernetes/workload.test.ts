import * as assert from "node:assert/strict";
import { parseSettings, type Settings } from "../../../settings";
import { GRAFANA } from "../../grafana/service";
import { SGLANG } from "../../sglang/service";
import { specFromDefinition } from "../definition";
import type { ServiceSpec } from "../types";
import { configRoot, RELOAD_SCRIPT, WATCH_INTERVAL_SECONDS } from "./config-reloader";
import {
    claimName,
    claimSpec,
    daemonSetSpec,
    deploymentSpec,
    deploymentStrategy,
    disruptionBudgetSpec,
    fileKey,
    GPU_PRESENT_LABEL,
    groupSetName,
    podTemplate,
    serviceSpecOf,
    statefulSetSpec,
} from "./workload";

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
    kubernetes: { serviceType: "ClusterIP", replicas: 1, discoversPods: false, hostAccess: false, runAsUser: 65534, writablePaths: [] },
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
            capabilities: { drop: ["ALL"] },
            readOnlyRootFilesystem: true,
            runAsUser: 65534,
            runAsGroup: 65534,
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
        });
        assert.throws(() => podTemplate(spec, settings(), {}), /ConfigMap/);
    });

    it("a reloading service: every file in one projected volume over their common directory, and the reloader beside it", () => {
        const spec: ServiceSpec = {
            ...base,
            name: "prometheus",
            image: "prom/prometheus:v3.5.0",
            args: ["--config.file=/etc/prometheus/prometheus.yml", "--web.config.file=/etc/prometheus/secrets/web.yml"],
            user: "65534:65534",
            files: [
                { path: "/etc/prometheus/prometheus.yml", content: "global: {}", secret: false },
                { path: "/etc/prometheus/rules/a.yaml", content: "groups: []", secret: false },
                { path: "/etc/prometheus/secrets/remote_write_password", content: "pw", secret: true },
            ],
            kubernetes: { ...base.kubernetes, reloadsConfig: true },
        };
        const t = podTemplate(spec, settings(), { configMapName: "prometheus-config", secretName: "prometheus-secrets" }) as any;
        assert.deepEqual(t.spec.volumes, [
            {
                name: "config",
                projected: {
                    sources: [
                        {
                            configMap: {
                                name: "prometheus-config",
                                items: [
                                    { key: "etc_prometheus_prometheus.yml", path: "prometheus.yml", mode: 0o444 },
                                    { key: "etc_prometheus_rules_a.yaml", path: "rules/a.yaml", mode: 0o444 },
                                ],
                            },
                        },
                        {
                            secret: {
                                name: "prometheus-secrets",
                                items: [{ key: "etc_prometheus_secrets_remote_write_password", path: "secrets/remote_write_password", mode: 0o440 }],
                            },
                        },
                    ],
                },
            },
        ]);
        const [server, reloader] = t.spec.containers;
        assert.deepEqual(server.volumeMounts, [{ name: "config", mountPath: "/etc/prometheus", readOnly: true }]);
        // The server's own image and user: its busybox runs the loop, and a signal needs the same uid.
        assert.equal(reloader.image, "prom/prometheus:v3.5.0");
        assert.equal(reloader.securityContext.runAsUser, 65534);
        assert.deepEqual(reloader.command, ["/bin/sh", "-c", RELOAD_SCRIPT]);
        assert.equal(reloader.args, undefined);
        assert.deepEqual(reloader.env, [
            { name: "CONFIG_DIR", value: "/etc/prometheus" },
            { name: "RELOAD_MATCH", value: "config.file=/etc/prometheus/prometheus.yml" },
            { name: "RELOAD_INTERVAL_SECONDS", value: String(WATCH_INTERVAL_SECONDS) },
        ]);
        assert.deepEqual(reloader.volumeMounts, [{ name: "config", mountPath: "/etc/prometheus", readOnly: true }]);
        assert.equal(t.spec.shareProcessNamespace, true);
        // No --config.file: no process to signal, refused at preview.
        assert.throws(() => podTemplate({ ...spec, args: [] }, settings(), { configMapName: "c", secretName: "s" }), /prometheus: .*--config\.file/);
        // Not reloading: subPath mounts, no sidecar, no shared process namespace (the checks can fail).
        const plain = podTemplate({ ...spec, kubernetes: base.kubernetes }, settings(), { configMapName: "c", secretName: "s" }) as any;
        assert.equal(plain.spec.containers.length, 1);
        assert.equal(plain.spec.shareProcessNamespace, undefined);
        assert.ok(plain.spec.containers[0].volumeMounts.every((m: any) => m.subPath));
    });

    it("the common directory of the files: their deepest shared parent", () => {
        assert.equal(configRoot([{ path: "/etc/alertmanager/alertmanager.yml" }, { path: "/etc/alertmanager/secrets/x" }]), "/etc/alertmanager");
        assert.equal(configRoot([{ path: "/etc/a/b/c.yml" }]), "/etc/a/b");
        assert.equal(configRoot([{ path: "/etc/ab/c" }, { path: "/etc/a/d" }]), "/etc");
        assert.equal(configRoot([{ path: "/a" }, { path: "/b" }]), "/");
    });

    it("adds SYS_ADMIN back after dropping all, without forbidding privilege escalation (Kubernetes refuses the pair)", () => {
        const dcgm: ServiceSpec = { ...base, capabilities: ["SYS_ADMIN"], kubernetes: { ...base.kubernetes, hostAccess: true, runAsUser: 0 } };
        const t = podTemplate(dcgm, settings(), {}) as any;
        const c = t.spec.containers[0].securityContext;
        assert.deepEqual(c.capabilities, { drop: ["ALL"], add: ["SYS_ADMIN"] });
        assert.equal(c.allowPrivilegeEscalation, true);
        assert.equal(c.runAsUser, 0);
        assert.equal(c.runAsNonRoot, undefined);
        assert.equal(t.spec.securityContext.fsGroup, undefined, "root needs no group ownership");
        assert.equal(t.metadata.labels["sglang-ananke.io/host-access"], "true");
    });

    it("refuses a pod whose host use its definition does not declare, a writable host path, and a service with no user", () => {
        assert.throws(
            () => podTemplate({ ...base, capabilities: ["SYS_ADMIN"] }, settings(), {}),
            /uses the host but its definition says hostAccess false/,
        );
        assert.throws(() => podTemplate({ ...base, kubernetes: { ...base.kubernetes, hostAccess: true } }, settings(), {}), /does not use/);
        const writable: ServiceSpec = {
            ...base,
            host: { pid: false, network: false, mounts: [{ hostPath: "/var/run", mountPath: "/run", readOnly: false }] },
            kubernetes: { ...base.kubernetes, hostAccess: true },
        };
        assert.throws(() => podTemplate(writable, settings(), {}), /host path \/var\/run must be mounted read-only/);
        assert.throws(() => podTemplate({ ...base, kubernetes: { ...base.kubernetes, runAsUser: undefined } }, settings(), {}), /no user to run as/);
    });

    it("gives each written directory an emptyDir under the read-only root filesystem", () => {
        const t = podTemplate({ ...base, kubernetes: { ...base.kubernetes, writablePaths: ["/tmp", "/home/x"] } }, settings(), {}) as any;
        const mounts = t.spec.containers[0].volumeMounts;
        for (const path of ["/tmp", "/home/x"]) {
            const m = mounts.find((x: any) => x.mountPath === path);
            assert.ok(m, path);
            assert.deepEqual(t.spec.volumes.find((v: any) => v.name === m.name).emptyDir, {});
        }
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
        const three = settings({ replicas: 3, modelCacheStorageClass: "efs", modelCacheAccessMode: "ReadWriteMany" });
        assert.deepEqual(deploymentStrategy(gpu(three), three), { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
        assert.deepEqual(deploymentStrategy({ ...base, volumes: [{ name: "data", mountPath: "/data", size: "1Gi" }] }, s), { type: "Recreate" });
        assert.deepEqual(deploymentStrategy(base, s), { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        // Autoscaled: no replica count for Pulumi to reset, and never a surge.
        const scaled = settings({ autoscalingEnabled: true, autoscalingMaxReplicas: 4, modelCacheAccessMode: "ReadWriteMany" });
        const d = deploymentSpec(gpu(scaled), scaled, {}) as any;
        assert.equal(d.replicas, undefined);
        assert.equal(d.strategy.rollingUpdate.maxSurge, 0);
    });

    it("claims: the model cache's access mode as configured, ReadWriteOnce otherwise", () => {
        const vol = { name: "model-cache", mountPath: "/cache", size: "100Gi" };
        const two = settings({ replicas: 2, modelCacheStorageClass: "efs", modelCacheAccessMode: "ReadWriteMany" });
        assert.deepEqual((claimSpec(sglang(two), vol, two) as any).accessModes, ["ReadWriteMany"]);
        assert.equal((claimSpec(sglang(two), vol, two) as any).storageClassName, "efs");
        assert.deepEqual((claimSpec(sglang(settings()), vol, settings()) as any).accessModes, ["ReadWriteOnce"]);
        // Only the volume the definition names is shared.
        assert.deepEqual((claimSpec(sglang(two), { ...vol, name: "scratch" }, two) as any).accessModes, ["ReadWriteOnce"]);
        assert.deepEqual((claimSpec(base, vol, two) as any).accessModes, ["ReadWriteOnce"]);
        assert.equal((claimSpec(base, vol, settings()) as any).storageClassName, undefined, "the cluster default when unset");
    });

    it("claims: one name and one access mode whatever the replicas, autoscaling or size; a new size is an expansion", () => {
        const vol = (size: string) => ({ name: "model-cache", mountPath: "/cache", size });
        const shared = { modelCacheStorageClass: "efs", modelCacheAccessMode: "ReadWriteMany" };
        const stacks = [
            settings({ ...shared, replicas: 1 }),
            settings({ ...shared, replicas: 2 }),
            settings({ ...shared, autoscalingEnabled: true, autoscalingMaxReplicas: 6 }),
        ];
        const claims = stacks.map((s) => ({ name: claimName(sglang(s), vol("100Gi")), spec: claimSpec(sglang(s), vol("100Gi"), s) as any }));
        for (const c of claims.slice(1)) assert.deepEqual(c, claims[0]);
        // One replica by default (ReadWriteOnce) and after scaling out on a shared class: the operator chooses, once.
        const one = settings({ replicas: 1 });
        assert.deepEqual((claimSpec(sglang(one), vol("100Gi"), one) as any).accessModes, ["ReadWriteOnce"]);
        // A larger cache changes only the request, which Kubernetes expands in place.
        const bigger = claimSpec(sglang(stacks[0]), vol("400Gi"), stacks[0]) as any;
        assert.deepEqual({ ...bigger, resources: undefined }, { ...claims[0].spec, resources: undefined });
        assert.deepEqual(bigger.resources, { requests: { storage: "400Gi" } });
        assert.equal(claimName(sglang(stacks[0]), vol("400Gi")), claims[0].name);
    });

    it("a workload of a service: named after the workload, its labels on its pods and in each of its selectors", () => {
        const s = settings({ replicas: 2, modelCacheAccessMode: "ReadWriteMany" });
        const vol = { name: "model-cache", mountPath: "/cache", size: "100Gi" };
        const only = { ...sglang(s), volumes: [vol] };
        const chat: ServiceSpec = { ...only, workload: { name: "sglang-chat", labels: { "sglang-ananke.io/model": "chat" } } };
        const service = { "app.kubernetes.io/name": "sglang", "app.kubernetes.io/instance": "sglang-ananke-prod" };
        const own = { ...service, "sglang-ananke.io/model": "chat" };
        const t = podTemplate(chat, s, {}) as any;
        assert.deepEqual(
            [t.spec.containers[0].name, claimName(chat, vol), groupSetName(chat)],
            ["sglang-chat", "sglang-chat-model-cache", "sglang-chat-group"],
        );
        for (const [k, v] of Object.entries(own)) assert.equal(t.metadata.labels[k], v, k);
        assert.deepEqual((deploymentSpec(chat, s, {}) as any).selector.matchLabels, own);
        assert.deepEqual(serviceSpecOf(chat, s).selector, own);
        assert.deepEqual((disruptionBudgetSpec(chat, s) as any).selector.matchLabels, own);
        // The service's only workload keeps the service's name and selectors.
        assert.deepEqual([(podTemplate(only, s, {}) as any).spec.containers[0].name, claimName(only, vol)], ["sglang", "sglang-model-cache"]);
        assert.deepEqual((deploymentSpec(only, s, {}) as any).selector.matchLabels, service);
    });

    it("StatefulSets keep their pods' claims when deleted or scaled down", () => {
        const s = settings({ prometheusReplicas: 2 });
        const spec: ServiceSpec = {
            ...base,
            kubernetes: { ...base.kubernetes, replicas: 2, stateful: true },
            volumes: [{ name: "data", mountPath: "/data", size: "1Gi" }],
        };
        assert.deepEqual((statefulSetSpec(spec, s, {}) as any).persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
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
