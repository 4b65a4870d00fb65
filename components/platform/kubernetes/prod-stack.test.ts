/**
 * The prod stack (Pulumi.prod.yaml) under the SDK's mocks, with the bundled
 * monitoring and plugged into a Prometheus Operator: every Kubernetes object
 * passes schema validation, and the objects fit together (selectors match
 * pods and ports, secrets come from Secrets, rules equal the rendered ones).
 */
import * as assert from "node:assert/strict";
import YAML from "yaml";
import { defaultLinks, renderRuleFiles } from "../../../monitoring";
import { ROUTER_INFERENCE_RATE, SGLANG_KV_CACHE_USAGE, SGLANG_QUEUED_REQUESTS, SGLANG_TTFT_P95 } from "../../../monitoring/series";
import { parseSettings, type Settings } from "../../../settings";
import { type MockResource, type ProgramRun, plainOccurrences, runProgram, stackFileConfig } from "../../../tests/harness";
import { validateObject } from "../../../tests/support/kubernetes-schemas";
import { byName, podSpec } from "../../../tests/support/mock-objects";
import { operatorMode } from "../../../tests/support/operator-mode";
import { withProductionSecrets } from "../../../tests/support/production-secrets";
import { SGLANG_LAUNCHER_PATH } from "../../sglang/launcher";
import { MODEL_CACHE_PATH } from "../../sglang/spec";
import { GPU_RESOURCE } from "./workload";

const T = {
    namespace: "kubernetes:core/v1:Namespace",
    deployment: "kubernetes:apps/v1:Deployment",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    service: "kubernetes:core/v1:Service",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    probe: "kubernetes:monitoring.coreos.com/v1:Probe",
    prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    alertmanagerConfig: "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    grafanaProvider: "pulumi:providers:grafana",
};

const SECRETS = {
    slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/prod-k8s-test",
    pagerdutyRoutingKey: "pdroutingkeyk8s0123456789abcdefAB",
    heartbeatUrl: "https://heartbeat.example.com/ping/prod-k8s-test",
    huggingFaceToken: "hf_prod_k8s_test_token",
    sglangApiKey: "prod-k8s-test-api-key",
};
const OPERATOR = operatorMode("glsa_prod_k8s_test_token");
const EXTRAS = {
    autoscalingEnabled: "true",
    autoscalingMaxReplicas: "6",
    networkPolicyEnabled: "true",
    apiClientCidrs: '["10.20.0.0/16"]',
    grafanaExposure: "ingress",
    grafanaIngressHost: "grafana.example.com",
    grafanaIngressTlsSecret: "grafana-tls",
    grafanaIngressClass: "nginx",
    networkPolicyClientNamespaces: '["ingress-nginx"]',
};

// The stack file says production: true; runs without SECRETS get the test values of the secrets it requires.
const { config: PROD, secretKeys: PROD_SECRET_KEYS } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
const settingsOf = (config: Record<string, string>): Settings => parseSettings("prod", config);

async function run(config: Record<string, string>): Promise<ProgramRun> {
    const secretKeys = Object.keys(config).filter((k) => k in SECRETS || k === "grafanaAuth");
    return runProgram(config, { stack: "prod", secretKeys });
}

const k8sObjects = (r: ProgramRun) => r.resources.filter((x) => x.type.startsWith("kubernetes:"));
const container = (w: MockResource) => podSpec(w).containers[0];
/** Every pair of `wanted` is among `labels`. */
const hasLabels = (labels: Record<string, string>, wanted: Record<string, string>) => Object.entries(wanted).every(([k, v]) => labels?.[k] === v);

describe("prod stack on Kubernetes (mocks)", function () {
    this.timeout(120000);
    let bundled: ProgramRun;
    let operator: ProgramRun;
    let operatorPods: ProgramRun;
    let bundledExtras: ProgramRun;

    before(async () => {
        bundled = await run({ ...PROD, ...SECRETS });
        operator = await run({ ...PROD, ...OPERATOR, ...SECRETS });
        operatorPods = await run({ ...PROD, ...OPERATOR, ...EXTRAS, monitorKind: "podmonitor", gpuExporter: "existing" });
        bundledExtras = await run({ ...PROD, ...EXTRAS });
    });

    it("every Kubernetes object passes schema validation, in both modes", async () => {
        for (const [mode, r] of Object.entries({ bundled, operator, operatorPods, bundledExtras })) {
            const objects = k8sObjects(r);
            assert.ok(objects.length >= 10, `${mode}: ${objects.length} objects`);
            for (const o of objects) {
                // The objects carry their apiVersion and kind, which the schemas pin.
                assert.ok(o.plain.apiVersion && o.plain.kind, `${o.type} ${o.name} has apiVersion and kind`);
                assert.deepEqual(await validateObject(o.type, o.plain), [], `${mode}: ${o.type} ${o.name}`);
            }
        }
    });

    it("the validation catches a broken object (the check can fail)", async () => {
        const d = byName(bundled, T.deployment, "sglang");
        const broken = structuredClone(d.plain);
        broken.spec.template.spec.containers[0].ports[0].containerPort = "http";
        assert.notDeepEqual(await validateObject(d.type, broken), []);
        const so = bundledExtras.byType(T.scaledObject)[0];
        assert.notDeepEqual(await validateObject(so.type, { ...so.plain, spec: { ...so.plain.spec, triggers: [] } }), []);
        const twice = { ...so.plain.spec, triggers: [so.plain.spec.triggers[0], so.plain.spec.triggers[0]] };
        assert.deepEqual(await validateObject(so.type, { ...so.plain, spec: twice }), ["trigger names must be unique"]);
        const longWindow = structuredClone(so.plain);
        longWindow.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds = 7200;
        assert.deepEqual(await validateObject(so.type, longWindow), [
            "behavior.scaleDown.stabilizationWindowSeconds must be an integer from 0 to 3600",
        ]);
        const badPolicy = structuredClone(so.plain);
        badPolicy.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0].value = "one";
        assert.notDeepEqual(await validateObject(so.type, badPolicy), [], "the HPA's own schema checks the behavior");
    });

    it("SGLang: GPU limits = tensor-parallel size, scheduling from config, /dev/shm in memory, replicas, no-surge rollout", () => {
        const s = settingsOf(PROD);
        const d = byName(bundled, T.deployment, "sglang");
        const c = container(d);
        assert.equal(c.resources.limits[GPU_RESOURCE], String(s.sglang.gpuCount));
        assert.equal(c.args[c.args.indexOf("--tp-size") + 1], String(s.sglang.gpuCount));
        assert.deepEqual(c.resources.requests, { cpu: s.services.sglang.cpu, memory: s.services.sglang.memory });
        assert.equal(c.resources.limits.memory, s.services.sglang.memoryLimit);
        assert.equal(d.plain.spec.replicas, 2);
        // Two replicas and no spare GPU: replace one at a time without surging.
        assert.deepEqual(d.plain.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
        const p = podSpec(d);
        assert.deepEqual(p.nodeSelector, s.kubernetes.nodeSelector);
        assert.deepEqual(p.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
        assert.deepEqual(p.affinity, s.kubernetes.affinity);
        assert.equal(p.runtimeClassName, "nvidia");
        const shm = p.volumes.find((v: any) => v.emptyDir);
        assert.deepEqual(shm.emptyDir, { medium: "Memory", sizeLimit: `${s.sglang.shmSizeMiB}Mi` });
        assert.ok(c.volumeMounts.some((m: any) => m.name === shm.name && m.mountPath === "/dev/shm"));
        for (const label of ["name", "instance", "component", "part-of", "managed-by"]) {
            assert.ok(d.plain.spec.template.metadata.labels[`app.kubernetes.io/${label}`], `label app.kubernetes.io/${label}`);
        }
        assert.equal(d.plain.spec.template.metadata.labels["app.kubernetes.io/name"], "sglang");
    });

    it("a single replica is recreated instead (the only GPU set is released first)", async () => {
        const one = await run({ ...PROD, replicas: "1", modelCacheStorageClass: "gp3", modelCacheAccessMode: "ReadWriteOnce" });
        const d = byName(one, T.deployment, "sglang");
        assert.deepEqual(d.plain.spec.strategy, { type: "Recreate" });
        assert.deepEqual(byName(one, T.pvc, "sglang-model-cache").plain.spec.accessModes, ["ReadWriteOnce"]);
    });

    it("SGLang probes: startup long enough for model loading, liveness /health, readiness /health_generate", () => {
        const s = settingsOf(PROD);
        const c = container(byName(bundled, T.deployment, "sglang"));
        const st = c.startupProbe;
        assert.equal(st.httpGet.path, "/health");
        assert.ok(st.failureThreshold * st.periodSeconds >= s.sglang.startupSeconds, "startup window covers sglangStartupSeconds");
        assert.equal(c.livenessProbe.httpGet.path, "/health");
        assert.equal(c.readinessProbe.httpGet.path, "/health_generate");
        for (const probe of [st, c.livenessProbe, c.readinessProbe]) assert.equal(probe.httpGet.port, "http");
    });

    it("Prometheus and Alertmanager require basic auth: web configuration and passwords from the Secret, probes that send them", () => {
        for (const name of ["prometheus", "alertmanager"]) {
            const d = byName(bundled, T.deployment, name);
            const c = container(d);
            const flag = c.args.find((a: string) => a.startsWith("--web.config.file="));
            // Projected with the rest of its configuration (it reloads), from the Secret.
            const file = flag.split("=")[1];
            const mount = c.volumeMounts.find((m: any) => file.startsWith(`${m.mountPath}/`));
            const volume = podSpec(d).volumes.find((v: any) => v.name === mount.name);
            const secretItems = volume.projected.sources.flatMap((src: any) => src.secret?.items ?? []);
            assert.ok(
                secretItems.some((i: any) => `${mount.mountPath}/${i.path}` === file),
                `${name}: the web configuration comes from the Secret`,
            );
            // An httpGet probe would get 401; an exec probe reads the password file inside the pod.
            for (const [probe, path] of [
                [c.startupProbe, "/-/healthy"],
                [c.livenessProbe, "/-/healthy"],
                [c.readinessProbe, "/-/ready"],
            ]) {
                assert.equal(probe.httpGet, undefined);
                const script: string = probe.exec.command[2];
                const passwordFile = /cat '([^']+)'/.exec(script)?.[1];
                assert.ok(
                    secretItems.some((i: any) => `${mount.mountPath}/${i.path}` === passwordFile),
                    `${name}: the probe's password file is mounted`,
                );
                // The password goes through pipes to nc, never into a URL (tests/e2e/health-check.test.ts runs the check).
                assert.ok(script.includes(`'${path}' "$credentials" | nc 127.0.0.1 ${c.ports[0].containerPort} |`), script);
                assert.doesNotMatch(script, /@127/);
            }
        }
        // The outputs name the user; the passwords are secret outputs.
        assert.equal(bundled.outputs.monitoringWebUser, "sglang-ananke");
        assert.ok(bundled.secretOutputs.has("prometheusPassword") && bundled.secretOutputs.has("alertmanagerPassword"));
        // KEDA authenticates to the stack's Prometheus through a TriggerAuthentication over a Secret.
        const trigger = bundledExtras.one(T.scaledObject).plain.spec.triggers[0];
        assert.equal(trigger.metadata.authModes, "basic");
        const auth = bundledExtras.one("kubernetes:keda.sh/v1alpha1:TriggerAuthentication").plain;
        assert.equal(auth.metadata.name, trigger.authenticationRef.name);
        const secret = byName(bundledExtras, T.secret, auth.spec.secretTargetRef[0].name).plain;
        for (const ref of auth.spec.secretTargetRef) assert.ok(ref.key in secret.stringData, `${ref.parameter} in the Secret`);
        assert.equal(operatorPods.byType("kubernetes:keda.sh/v1alpha1:TriggerAuthentication").length, 0, "the cluster's Prometheus: none");
    });

    it("the model cache, TSDB, Alertmanager and Grafana data are on claims with the configured classes and sizes", () => {
        const s = settingsOf(PROD);
        const cache = byName(bundled, T.pvc, "sglang-model-cache");
        assert.deepEqual(cache.plain.spec.accessModes, ["ReadWriteMany"]);
        assert.equal(cache.plain.spec.storageClassName, "efs-sc");
        assert.equal(cache.plain.spec.resources.requests.storage, s.services.sglang.cacheSize);
        const d = byName(bundled, T.deployment, "sglang");
        const vol = podSpec(d).volumes.find((v: any) => v.persistentVolumeClaim?.claimName === "sglang-model-cache");
        assert.ok(vol, "the model cache claim is a volume of the SGLang pods");
        assert.ok(container(d).volumeMounts.some((m: any) => m.name === vol.name && m.mountPath === MODEL_CACHE_PATH.kubernetes));
        for (const [name, size] of [
            ["prometheus-data", s.services.prometheus.storageSize],
            ["alertmanager-data", s.services.alertmanager.storageSize],
            ["grafana-data", s.services.grafana.storageSize],
        ]) {
            const pvc = byName(bundled, T.pvc, name);
            assert.equal(pvc.plain.spec.storageClassName, "gp3", name);
            assert.equal(pvc.plain.spec.resources.requests.storage, size, name);
            assert.deepEqual(pvc.plain.spec.accessModes, ["ReadWriteOnce"], name);
        }
        // A ReadWriteOnce volume cannot follow a surging pod to another node.
        for (const name of ["prometheus", "alertmanager", "grafana"])
            assert.equal(byName(bundled, T.deployment, name).plain.spec.strategy.type, "Recreate", name);
    });

    it("pulumi destroy leaves every claim and the namespaces; nothing else", () => {
        for (const r of [bundled, bundledExtras]) {
            const claims = r.byType(T.pvc);
            assert.equal(claims.length, 4, "model cache, TSDB, Alertmanager and Grafana data");
            const namespaces = r.byType(T.namespace);
            assert.deepEqual(namespaces.map((n) => n.plain.metadata.name).sort(), ["sglang", "sglang-host"]);
            for (const o of [...claims, ...namespaces]) assert.equal(o.retainOnDelete, true, `${o.type} ${o.name}`);
            const retained = k8sObjects(r).filter((o) => o.retainOnDelete);
            assert.deepEqual(retained.map((o) => o.name).sort(), [...namespaces, ...claims].map((o) => o.name).sort(), "only these are retained");
        }
    });

    it("scaling SGLang out or autoscaling it changes neither the model cache claim's name nor its spec", () => {
        const cache = (r: ProgramRun) => byName(r, T.pvc, "sglang-model-cache").plain;
        assert.deepEqual(cache(bundledExtras), cache(bundled));
    });

    it("secrets reach pods only through Secret volumes: never in env, args or any other object", () => {
        for (const r of [bundled, operator]) {
            for (const [key, value] of Object.entries(SECRETS)) {
                for (const o of r.resources.filter((x) => x.type !== T.secret)) {
                    assert.deepEqual(plainOccurrences(o.inputs, value), [], `${key} appears in ${o.type} ${o.name}`);
                }
            }
        }
        const d = byName(bundled, T.deployment, "sglang");
        const c = container(d);
        const secretVolume = podSpec(d).volumes.find((v: any) => v.secret);
        const secret = bundled.byType(T.secret).find((x) => x.plain.metadata.labels?.["app.kubernetes.io/name"] === "sglang")!;
        assert.ok(secret && secretVolume);
        // The pod mounts the Secret (its generated name) and reads each value from a file.
        assert.equal(secretVolume.secret.secretName, `${secret.name}-mock1234`);
        const mounted = c.volumeMounts
            .filter((m: any) => m.name === secretVolume.name)
            .map((m: any) => m.subPath)
            .sort();
        assert.deepEqual(mounted, Object.keys(secret.plain.stringData).sort());
        assert.deepEqual(Object.values(secret.plain.stringData).sort(), [SECRETS.huggingFaceToken, SECRETS.sglangApiKey].sort());
        // The launcher (a ConfigMap file) reads the API key from its mounted file: no argument holds it.
        assert.deepEqual(c.command, ["python3", SGLANG_LAUNCHER_PATH, "--api-key-file", "/run/secrets/sglang/api_key"]);
        assert.ok(c.volumeMounts.some((m: any) => m.name === "config" && m.mountPath === SGLANG_LAUNCHER_PATH));
        assert.ok(c.volumeMounts.some((m: any) => m.name === secretVolume.name && m.mountPath === "/run/secrets/sglang/api_key"));
        const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
        assert.ok(
            c.volumeMounts.some((m: any) => m.name === secretVolume.name && m.mountPath === env.HF_TOKEN_PATH),
            "HF_TOKEN_PATH names the mounted token file",
        );
        assert.equal(env.HF_TOKEN, undefined);
        // Alertmanager's credentials and Grafana's password: Secrets too.
        for (const name of ["alertmanager", "grafana"]) {
            const w = byName(bundled, T.deployment, name);
            assert.ok(
                podSpec(w).volumes.some((v: any) => v.secret || v.projected?.sources.some((s: any) => s.secret)),
                `${name} mounts a Secret`,
            );
        }
    });

    it("remote write: the password reaches Prometheus only through a Secret volume at the file prometheus.yml names", async () => {
        const password = "rw-basic-prod-secret";
        const rw = await runProgram(
            {
                ...PROD,
                remoteWriteUrl: "https://mimir.example.com/api/v1/push",
                remoteWriteAuth: "basic",
                remoteWriteUsername: "tenant-1",
                clusterName: "prod-eu",
                remoteWritePassword: password,
            },
            { stack: "prod", secretKeys: [...PROD_SECRET_KEYS, "remoteWritePassword"] },
        );
        for (const o of rw.resources.filter((x) => x.type !== T.secret))
            assert.deepEqual(plainOccurrences(o.inputs, password), [], `in ${o.type} ${o.name}`);
        for (const [name, out] of Object.entries(rw.outputs)) assert.ok(!JSON.stringify(out ?? "").includes(password), `output ${name}`);
        const d = byName(rw, T.deployment, "prometheus");
        const secret = rw.byType(T.secret).find((x) => x.plain.metadata.labels?.["app.kubernetes.io/name"] === "prometheus")!;
        assert.ok(secret, "a Secret for Prometheus");
        // Beside the web configuration and passwords (monitoring/web-auth.ts), the one remote-write credential.
        assert.deepEqual(
            Object.keys(secret.plain.stringData).filter((k) => k.includes("remote_write")),
            ["etc_prometheus_secrets_remote_write_password"],
        );
        // Projected with the configuration (it reloads): the Secret under its fixed name, the key at the file's path.
        const volume = podSpec(d).volumes.find((v: any) => v.projected?.sources.some((s: any) => s.secret));
        const source = volume.projected.sources.find((s: any) => s.secret).secret;
        assert.equal(source.name, secret.plain.metadata.name);
        const mount = container(d).volumeMounts.find((m: any) => m.name === volume.name);
        const item = source.items.find((i: any) => i.path.includes("remote_write"));
        assert.equal(`${mount.mountPath}/${item.path}`, "/etc/prometheus/secrets/remote_write_password");
        assert.equal(secret.plain.stringData[item.key], password);
        const yml = rw
            .byType(T.configMap)
            .map((c) => Object.values(c.plain.data ?? {}).join("\n"))
            .find((t) => t.includes("remote_write:"))!;
        assert.match(yml, /password_file: \/etc\/prometheus\/secrets\/remote_write_password/);
        for (const o of k8sObjects(rw)) assert.deepEqual(await validateObject(o.type, o.plain), [], `${o.type} ${o.name}`);
    });

    it("the Service selects the SGLang pods by their labels and names its port http", () => {
        const d = byName(bundled, T.deployment, "sglang");
        const svc = byName(bundled, T.service, "sglang");
        assert.ok(hasLabels(d.plain.spec.template.metadata.labels, svc.plain.spec.selector));
        assert.ok(hasLabels(d.plain.spec.template.metadata.labels, d.plain.spec.selector.matchLabels));
        assert.deepEqual(
            svc.plain.spec.ports.map((p: any) => [p.name, p.targetPort]),
            [["http", "http"]],
        );
        assert.ok(container(d).ports.some((p: any) => p.name === "http" && p.containerPort === svc.plain.spec.ports[0].port));
    });

    it("the bundled Prometheus discovers exactly those pods and that port, with RBAC to list them", () => {
        const prom = byName(bundled, T.deployment, "prometheus");
        const configMap = bundled.byType(T.configMap).find((x) => x.plain.metadata.labels?.["app.kubernetes.io/name"] === "prometheus")!;
        const promYaml = Object.entries(configMap.plain.data).find(([k]) => k.endsWith("prometheus.yml"))![1] as string;
        const job = (YAML.parse(promYaml).scrape_configs as any[]).find((j) => j.job_name === "sglang");
        const pods = byName(bundled, T.deployment, "sglang");
        const podLabels = pods.plain.spec.template.metadata.labels;
        for (const rule of job.relabel_configs.filter((r: any) => r.action === "keep")) {
            const source = rule.source_labels[0] as string;
            const value =
                source === "__meta_kubernetes_pod_container_port_name"
                    ? container(pods).ports[0].name
                    : podLabels[Object.keys(podLabels).find((l) => `__meta_kubernetes_pod_label_${l.replace(/[^a-zA-Z0-9_]/g, "_")}` === source)!];
            assert.ok(value !== undefined && new RegExp(`^(?:${rule.regex})$`).test(value), `${source} keeps the SGLang pods`);
        }
        assert.deepEqual(job.kubernetes_sd_configs, [{ role: "pod", namespaces: { names: ["sglang"] } }]);
        assert.equal(podSpec(prom).serviceAccountName, "prometheus");
        assert.equal(byName(bundled, T.serviceAccount, "prometheus").plain.metadata.namespace, "sglang");
        // The router has a Role of its own (components/sglangRouter/router.test.ts).
        const role = bundled.byType(T.role).find((x) => x.plain.metadata.name.startsWith("prometheus-"))!.plain;
        assert.equal(role.metadata.namespace, "sglang");
        assert.ok(role.rules.some((r: any) => r.resources.includes("pods") && ["list", "watch"].every((v) => r.verbs.includes(v))));
        const binding = bundled.byType(T.roleBinding).find((x) => x.plain.roleRef.name === role.metadata.name)!.plain;
        assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "prometheus", namespace: "sglang" }]);
        assert.equal(binding.roleRef.name, role.metadata.name);
        // Other pods do not get a Kubernetes API token.
        assert.equal(podSpec(pods).automountServiceAccountToken, false);
    });

    it("scraping the GPU Operator's exporter grants Prometheus discovery in its namespace too, and deploys no exporter", async () => {
        const r = await run({ ...PROD, gpuExporter: "existing" });
        // Node exporter runs in the host namespace: Prometheus discovers pods there too.
        const prometheusRoles = r.byType(T.role).filter((x) => x.plain.metadata.name.startsWith("prometheus-"));
        const roles = prometheusRoles.map((x) => x.plain.metadata.namespace).sort();
        assert.deepEqual(roles, ["gpu-operator", "sglang", "sglang-host"]);
        for (const b of r.byType(T.roleBinding).filter((x) => x.plain.metadata.name.startsWith("prometheus-")))
            assert.deepEqual(b.plain.subjects, [{ kind: "ServiceAccount", name: "prometheus", namespace: "sglang" }]);
        assert.deepEqual(
            r.byType(T.daemonSet).map((d) => d.plain.metadata.name),
            ["node-exporter"],
        );
    });

    it("node exporter and the DCGM exporter are DaemonSets that tolerate the GPU taint", () => {
        const node = byName(bundled, T.daemonSet, "node-exporter");
        const gpu = byName(bundled, T.daemonSet, "gpu-exporter");
        for (const ds of [node, gpu])
            assert.ok(
                podSpec(ds).tolerations.some((t: any) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule"),
                ds.name,
            );
        const n = podSpec(node);
        assert.equal(n.hostPID, true);
        assert.equal(n.hostNetwork, true);
        assert.deepEqual(n.volumes.map((v: any) => v.hostPath.path).sort(), ["/", "/proc", "/sys"]);
        assert.ok(container(node).volumeMounts.every((m: any) => m.readOnly === true));
        const g = podSpec(gpu);
        const env = Object.fromEntries(container(gpu).env.map((e: any) => [e.name, e.value]));
        assert.equal(env.DCGM_EXPORTER_KUBERNETES, "true");
        // Its host label is the node's name, not the pod's (new at every restart).
        assert.deepEqual(container(gpu).env.find((e: any) => e.name === "NODE_NAME").valueFrom, { fieldRef: { fieldPath: "spec.nodeName" } });
        assert.ok(g.volumes.some((v: any) => v.hostPath?.path === "/var/lib/kubelet/pod-resources"));
        assert.ok(container(gpu).volumeMounts.some((m: any) => m.mountPath === "/var/lib/kubelet/pod-resources" && m.readOnly));
        // It watches every GPU of its node without taking one from SGLang.
        assert.equal(container(gpu).resources.limits[GPU_RESOURCE], undefined);
        assert.equal(env.NVIDIA_VISIBLE_DEVICES, "all");
        assert.equal(g.runtimeClassName, "nvidia");
        assert.ok(g.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.length >= 1);
    });

    it("Grafana stays inside the cluster by default: a ClusterIP Service, the provider through the printed port-forward", () => {
        assert.equal(byName(bundled, T.service, "grafana").plain.spec.type, "ClusterIP");
        assert.equal(bundled.one(T.grafanaProvider).plain.url, "http://127.0.0.1:3000");
        assert.equal(bundled.outputs.grafanaUrl, "kubectl port-forward -n sglang svc/grafana 3000:3000");
        assert.equal(bundled.byType(T.ingress).length, 0);
        assert.ok(
            bundled.byType(T.service).every((x) => x.plain.spec.type !== "LoadBalancer"),
            "nothing has an external address",
        );
    });

    it("Grafana behind a load balancer admits only the configured client ranges; the provider still uses loopback", async () => {
        const r = await run({ ...PROD, grafanaExposure: "load-balancer", grafanaLoadBalancerSourceRanges: '["203.0.113.0/24"]' });
        const svc = byName(r, T.service, "grafana");
        assert.equal(svc.plain.spec.type, "LoadBalancer");
        assert.deepEqual(svc.plain.spec.loadBalancerSourceRanges, ["203.0.113.0/24"]);
        assert.deepEqual(await validateObject(svc.type, svc.plain), []);
        // The load balancer serves plain HTTP: the admin credentials never go through it.
        assert.equal(r.one(T.grafanaProvider).plain.url, "http://127.0.0.1:3000");
        assert.equal(r.outputs.grafanaUrl, "http://grafana.lb.example.com:3000");
    });

    it("Grafana behind an Ingress: TLS with the given Secret and class, routed to the ClusterIP Service; the provider over https", () => {
        const ingress = byName(bundledExtras, T.ingress, "grafana").plain;
        assert.deepEqual(ingress.spec.tls, [{ hosts: ["grafana.example.com"], secretName: "grafana-tls" }]);
        assert.equal(ingress.spec.ingressClassName, "nginx");
        const backend = ingress.spec.rules[0].http.paths[0].backend.service;
        const svc = byName(bundledExtras, T.service, "grafana").plain;
        assert.equal(svc.spec.type, "ClusterIP");
        assert.equal(backend.name, svc.metadata.name);
        assert.ok(svc.spec.ports.some((p: any) => p.port === backend.port.number));
        assert.equal(bundledExtras.one(T.grafanaProvider).plain.url, "https://grafana.example.com");
        assert.equal(bundledExtras.outputs.grafanaUrl, "https://grafana.example.com");
        assert.equal(operatorPods.byType(T.ingress).length, 0, "no Grafana of the stack's own to route to");
    });

    it("nothing points at localhost: outputs say how to port-forward, links stay in the cluster", () => {
        const o = bundled.outputs;
        // The dashboard opens on the local end of the port-forward the grafanaUrl output gives.
        assert.equal(o.dashboardUrl, "http://127.0.0.1:3000/d/sglang-ananke");
        assert.equal(o.prometheusUrl, "kubectl port-forward -n sglang svc/prometheus 9090:9090");
        assert.equal(o.alertmanagerUrl, "kubectl port-forward -n sglang svc/alertmanager 9093:9093");
        // (Prometheus scrapes itself at localhost:9090 inside its pod: a target, not a URL people open.)
        const all = JSON.stringify([bundled.outputs, k8sObjects(bundled).map((x) => x.plain)]);
        assert.doesNotMatch(all, /https?:\/\/localhost/);
        const args: string[] = container(byName(bundled, T.deployment, "prometheus")).args;
        assert.ok(args.includes("--web.external-url=http://prometheus.sglang.svc:9090"), args.join(" "));
        const env = Object.fromEntries(container(byName(bundled, T.deployment, "grafana")).env.map((e: any) => [e.name, e.value]));
        assert.equal(env.GF_SERVER_ROOT_URL, "http://grafana.sglang.svc:3000");
        const rules = bundled.byType(T.configMap).find((x) => x.plain.metadata.labels?.["app.kubernetes.io/name"] === "prometheus")!;
        const alerts = Object.entries(rules.plain.data).find(([k]) => k.endsWith("ananke-alerts.yaml"))![1] as string;
        assert.match(alerts, /dashboard_url: http:\/\/grafana\.sglang\.svc:3000\/d\/sglang-ananke/);
    });

    it("configured external URLs reach outputs, alert links, --web.external-url and Grafana's root URL", async () => {
        const r = await run({
            ...PROD,
            grafanaExternalUrl: "https://grafana.example.com",
            prometheusExternalUrl: "https://prometheus.example.com",
            alertmanagerExternalUrl: "https://alertmanager.example.com",
        });
        assert.deepEqual(
            [r.outputs.grafanaUrl, r.outputs.dashboardUrl, r.outputs.prometheusUrl, r.outputs.alertmanagerUrl],
            [
                "https://grafana.example.com",
                "https://grafana.example.com/d/sglang-ananke",
                "https://prometheus.example.com",
                "https://alertmanager.example.com",
            ],
        );
        // The provider still goes through the port-forward: the external URL may sit behind a login it cannot pass.
        assert.equal(r.one(T.grafanaProvider).plain.url, "http://127.0.0.1:3000");
        assert.ok(container(byName(r, T.deployment, "prometheus")).args.includes("--web.external-url=https://prometheus.example.com"));
        assert.ok(container(byName(r, T.deployment, "alertmanager")).args.includes("--web.external-url=https://alertmanager.example.com"));
        const env = Object.fromEntries(container(byName(r, T.deployment, "grafana")).env.map((e: any) => [e.name, e.value]));
        assert.equal(env.GF_SERVER_ROOT_URL, "https://grafana.example.com");
        const am = r.byType(T.configMap).find((x) => x.plain.metadata.labels?.["app.kubernetes.io/name"] === "alertmanager")!;
        assert.doesNotMatch(JSON.stringify(am.plain.data), /localhost/);
    });

    it("operator mode: no Prometheus, Alertmanager, Grafana or node exporter; a monitor per job", () => {
        for (const r of [operator, operatorPods]) {
            const workloads = [...r.byType(T.deployment), ...r.byType(T.daemonSet)].map((w) => w.plain.metadata.name).sort();
            // Two SGLang replicas: the router serves them.
            assert.deepEqual(
                workloads,
                r === operator ? ["blackbox-exporter", "gpu-exporter", "sglang", "sglang-router"] : ["blackbox-exporter", "sglang", "sglang-router"],
            );
        }
        // The canary runs through the stack's prober, as a Probe the cluster's Prometheus picks up.
        const probe = operator.one(T.probe).plain;
        assert.equal(probe.spec.jobName, "sglang-canary");
        const ns = settingsOf({ ...PROD, ...OPERATOR }).kubernetes.namespace;
        assert.equal(probe.spec.prober.url, `blackbox-exporter.${ns}.svc:9115`);
        // Through the router, which serves the two replicas.
        assert.deepEqual(probe.spec.targets.staticConfig.static, [`http://sglang-router.${ns}.svc:30000/v1/chat/completions`]);
        assert.equal(operator.byType(T.serviceMonitor).length, 3);
        assert.equal(operatorPods.byType(T.podMonitor).length, 3);
        assert.equal(operator.one(T.grafanaProvider).plain.url, OPERATOR.grafanaUrl);
    });

    it("the ServiceMonitor selects the SGLang Service and its http port, with the configured labels and interval", () => {
        const s = settingsOf({ ...PROD, ...OPERATOR });
        const sm = byName(operator, T.serviceMonitor, "sglang-ananke-sglang").plain;
        const svc = byName(operator, T.service, "sglang").plain;
        assert.ok(hasLabels(svc.metadata.labels, sm.spec.selector.matchLabels), "selector matches the Service's labels");
        assert.deepEqual(sm.spec.namespaceSelector.matchNames, [svc.metadata.namespace]);
        assert.deepEqual(
            sm.spec.endpoints.map((e: any) => [e.port, e.path, e.interval]),
            [[svc.spec.ports[0].name, "/metrics", s.kubernetes.monitorInterval]],
        );
        assert.ok(sm.spec.endpoints[0].relabelings.some((r: any) => r.targetLabel === "job" && r.replacement === "sglang"));
        assert.equal(sm.metadata.namespace, s.kubernetes.monitorNamespace);
        assert.equal(sm.metadata.labels.release, "kube-prometheus-stack");
    });

    it("the PodMonitor selects the SGLang pods and their http port; the GPU Operator's exporter by its own labels", () => {
        const pm = byName(operatorPods, T.podMonitor, "sglang-ananke-sglang").plain;
        const d = byName(operatorPods, T.deployment, "sglang");
        assert.ok(hasLabels(d.plain.spec.template.metadata.labels, pm.spec.selector.matchLabels));
        assert.ok(container(d).ports.some((p: any) => p.name === pm.spec.podMetricsEndpoints[0].port));
        const gpu = byName(operatorPods, T.podMonitor, "sglang-ananke-gpu-exporter").plain;
        assert.deepEqual(gpu.spec.selector.matchLabels, { app: "nvidia-dcgm-exporter" });
        assert.deepEqual(gpu.spec.namespaceSelector.matchNames, ["gpu-operator"]);
        assert.equal(gpu.spec.podMetricsEndpoints[0].port, "metrics");
        assert.ok(gpu.spec.podMetricsEndpoints[0].relabelings.some((r: any) => r.targetLabel === "job" && r.replacement === "gpu-exporter"));
    });

    it("the PrometheusRule holds exactly the rules the bundled Prometheus loads", () => {
        const s = settingsOf({ ...PROD, ...OPERATOR });
        const rendered = Object.values(renderRuleFiles(s, defaultLinks(s))).flatMap((text) => YAML.parse(text).groups);
        const rule = operator.one(T.prometheusRule).plain;
        assert.deepEqual(JSON.parse(JSON.stringify(rule.spec.groups)), rendered);
        assert.ok(rendered.length >= 3);
        assert.equal(rule.metadata.labels.release, "kube-prometheus-stack");
        // And the dev stack's rules differ only where the settings do (links): same names and expressions.
        const dev = parseSettings("dev", stackFileConfig("Pulumi.dev.yaml"));
        const devRules = Object.values(renderRuleFiles(dev, defaultLinks(s))).flatMap((text) => YAML.parse(text).groups);
        const shape = (groups: any[]) => groups.map((g) => [g.name, g.rules.map((r: any) => [r.record ?? r.alert, r.expr])]);
        assert.deepEqual(shape(rule.spec.groups), shape(devRules));
    });

    it("every alert of the PrometheusRule carries the namespace label the AlertmanagerConfig is routed on", () => {
        const am = operator.one(T.alertmanagerConfig).plain;
        const alerts = operator.one(T.prometheusRule).plain.spec.groups.flatMap((g: any) => g.rules.filter((r: any) => r.alert));
        assert.ok(alerts.some((r: any) => r.alert === "Watchdog") && alerts.some((r: any) => r.alert === "HighCPUUsage"));
        for (const r of alerts) assert.equal(r.labels.namespace, am.metadata.namespace, r.alert);
    });

    it("the AlertmanagerConfig routes critical to PagerDuty and the rest to Slack, credentials by Secret reference", () => {
        const am = operator.one(T.alertmanagerConfig).plain;
        const secret = operator.byType(T.secret).find((x) => x.plain.metadata.name === "sglang-ananke-alertmanager")!.plain;
        assert.equal(secret.metadata.namespace, am.metadata.namespace, "the Secret sits beside the AlertmanagerConfig");
        const critical = am.spec.route.routes.find((r: any) => r.matchers.some((m: any) => m.name === "severity" && m.value === "critical"));
        assert.equal(critical.receiver, "pagerduty");
        assert.equal(am.spec.route.receiver, "slack");
        const receiver = (name: string) => am.spec.receivers.find((r: any) => r.name === name);
        const key = receiver("pagerduty").pagerdutyConfigs[0].routingKey;
        const url = receiver("slack").slackConfigs[0].apiURL;
        for (const ref of [key, url]) {
            assert.equal(ref.name, secret.metadata.name);
            assert.ok(ref.key in secret.stringData, `${ref.key} is a key of the Secret`);
        }
        assert.equal(secret.stringData[key.key], SECRETS.pagerdutyRoutingKey);
        assert.equal(secret.stringData[url.key], SECRETS.slackWebhookUrl);
        assert.equal(receiver("slack").slackConfigs[0].channel, "#llm-alerts");
    });

    it("KEDA scales the SGLang Deployment on queue depth, KV-cache usage and TTFT P95, and Pulumi leaves its replica count alone", () => {
        for (const [r, server] of [
            [bundledExtras, "http://prometheus.sglang.svc:9090"],
            [operatorPods, OPERATOR.operatorPrometheusUrl],
        ] as const) {
            const so = r.one(T.scaledObject).plain;
            const d = byName(r, T.deployment, "sglang");
            assert.equal(so.spec.scaleTargetRef.name, d.plain.metadata.name);
            assert.equal(so.metadata.namespace, d.plain.metadata.namespace);
            assert.equal(d.plain.spec.replicas, undefined);
            assert.deepEqual([so.spec.minReplicaCount, so.spec.maxReplicaCount, so.spec.cooldownPeriod], [1, 6, 300]);
            assert.deepEqual(so.spec.fallback, { failureThreshold: 3, replicas: 1 });
            const s = settingsOf(PROD);
            // One trigger per signal, each with the threshold of its key: the HPA takes the largest count any asks for.
            const triggers = so.spec.triggers.map((t: any) => [t.name, t.metadata.threshold, t.metadata.serverAddress]);
            assert.deepEqual(triggers, [
                ["queue-depth", "5", server],
                ["kv-cache-usage", "0.85", server],
                ["ttft-p95", String(s.slo.latencyThresholdSeconds), server],
            ]);
            const queried = [SGLANG_QUEUED_REQUESTS, SGLANG_KV_CACHE_USAGE, SGLANG_TTFT_P95];
            for (const [i, t] of so.spec.triggers.entries()) {
                assert.ok(t.metadata.query.includes(queried[i]) && t.metadata.query.includes('namespace="sglang"'), t.metadata.query);
            }
            const behavior = so.spec.advanced.horizontalPodAutoscalerConfig.behavior;
            assert.deepEqual([behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds], [60, 300]);
        }
        // The queried series are ones the rules record.
        const s = settingsOf(PROD);
        const recorded = Object.values(renderRuleFiles(s, defaultLinks(s)))
            .flatMap((text) => YAML.parse(text).groups)
            .flatMap((g: any) => g.rules.map((r: any) => r.record));
        for (const name of [SGLANG_QUEUED_REQUESTS, SGLANG_KV_CACHE_USAGE, SGLANG_TTFT_P95, ROUTER_INFERENCE_RATE])
            assert.ok(recorded.includes(name), name);
        assert.equal(bundled.byType(T.scaledObject).length, 0, "off by default");
    });

    it("scale to zero: minReplicaCount 0, woken by the router's requests; the objects still pass validation", async () => {
        const r = await run({ ...PROD, ...EXTRAS, autoscalingMinReplicas: "0", autoscalingScaleToZero: "true", canaryEnabled: "false" });
        const so = r.one(T.scaledObject);
        assert.deepEqual(await validateObject(so.type, so.plain), []);
        assert.equal(so.plain.spec.minReplicaCount, 0);
        const wake = so.plain.spec.triggers.find((t: any) => t.name === "router-requests");
        assert.ok(wake.metadata.query.includes(ROUTER_INFERENCE_RATE), wake.metadata.query);
        assert.equal(wake.metadata.activationThreshold, "0");
        // The router that sees those requests is deployed, and the canary that would keep a replica up is not.
        // It stays in its Service with no worker (readiness on /liveness: /readiness is 503 without a healthy worker).
        const router = byName(r, T.deployment, "sglang-router").plain.spec.template.spec.containers[0];
        assert.deepEqual(router.readinessProbe.httpGet, { path: "/liveness", port: "probes" });
        const usual = byName(bundledExtras, T.deployment, "sglang-router").plain.spec.template.spec.containers[0];
        assert.deepEqual(usual.readinessProbe.httpGet, { path: "/readiness", port: "probes" });
        assert.equal(r.byType(T.deployment).filter((d) => d.plain.metadata.name === "blackbox-exporter").length, 0);
    });

    it("NetworkPolicies: default deny, then the API from the client namespaces and CIDRs, GPU metrics only from Prometheus", () => {
        // One default deny in each namespace of the stack (its own, and the host exporters').
        const denies = bundledExtras.byType(T.networkPolicy).filter((p) => p.plain.metadata.name === "default-deny-ingress");
        assert.deepEqual(denies.map((p) => p.plain.metadata.namespace).sort(), ["sglang", "sglang-host"]);
        for (const p of denies) assert.deepEqual(p.plain.spec, { podSelector: {}, policyTypes: ["Ingress"] });
        // Two SGLang replicas: clients reach the router in front of them.
        const api = byName(bundledExtras, T.networkPolicy, "sglang-router-ingress").plain.spec;
        const d = byName(bundledExtras, T.deployment, "sglang-router");
        assert.ok(hasLabels(d.plain.spec.template.metadata.labels, api.podSelector.matchLabels));
        const clients = api.ingress.find((r: any) => r.from.some((f: any) => f.ipBlock));
        assert.deepEqual(clients.ports, [{ port: "http", protocol: "TCP" }]);
        assert.deepEqual(clients.from, [
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
            { ipBlock: { cidr: "10.20.0.0/16" } },
        ]);
        const gpu = byName(bundledExtras, T.networkPolicy, "gpu-exporter-ingress").plain.spec;
        const prom = byName(bundledExtras, T.deployment, "prometheus");
        assert.equal(gpu.ingress.length, 1);
        assert.ok(hasLabels(prom.plain.spec.template.metadata.labels, gpu.ingress[0].from[0].podSelector.matchLabels));
        // Operator mode: the monitoring namespace's Prometheus reaches the API port.
        const op = byName(operatorPods, T.networkPolicy, "sglang-ingress").plain.spec;
        assert.ok(
            op.ingress.some((r: any) =>
                r.from.some((f: any) => f.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] === "sglang" && !f.podSelector),
            ),
        );
        assert.equal(bundled.byType(T.networkPolicy).length, 0, "off by default");
    });

    it("the stack file is production-shaped: without its paging, heartbeat and API key nothing is created, and the error names them", async () => {
        const file = stackFileConfig("Pulumi.prod.yaml");
        assert.equal(file.production, "true");
        const missing = (config: Record<string, string>, secretKeys: string[]) =>
            runProgram(config, { stack: "prod", secretKeys }).then(
                () => assert.fail("the preview went ahead"),
                (e: Error & { registeredResources?: number }) => {
                    assert.equal(e.registeredResources, 0);
                    return e.message;
                },
            );
        assert.match(
            await missing(file, []),
            /sglang-ananke:production = true requires pagerdutyRoutingKey, heartbeatUrl, sglangApiKey: pulumi config set --secret pagerdutyRoutingKey <value>; pulumi config set --secret heartbeatUrl <value>; pulumi config set --secret sglangApiKey <value>/,
        );
        const { pagerdutyRoutingKey } = SECRETS;
        assert.match(
            await missing({ ...file, pagerdutyRoutingKey }, ["pagerdutyRoutingKey"]),
            /production = true requires heartbeatUrl, sglangApiKey: pulumi config set --secret heartbeatUrl <value>; pulumi config set --secret sglangApiKey <value>/,
        );
    });
});
