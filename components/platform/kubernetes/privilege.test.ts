/**
 * Least privilege on Kubernetes, on the prod stack under mocks in several
 * shapes: every pod the stack renders (whatever service it belongs to, so a
 * new service cannot forget it) runs with dropped capabilities, no privilege
 * escalation, a read-only root filesystem, the runtime's seccomp profile, a
 * numeric user, requests and limits; the stack's namespace enforces Pod
 * Security `restricted` and every pod in it passes the standard's rules; the
 * pods that use the node, and only they, live in the host namespace, where
 * Prometheus (bundled or the cluster's) still finds them; PodDisruptionBudgets
 * follow the replica counts.
 */
import * as assert from "node:assert/strict";
import YAML from "yaml";
import { type MockResource, type ProgramRun, runProgram, stackFileConfig } from "../../../tests/harness";
import { validateObject } from "../../../tests/support/kubernetes-schemas";
import { operatorMode } from "../../../tests/support/operator-mode";
import { podSecurityViolations } from "../../../tests/support/pod-security";
import { withProductionSecrets } from "../../../tests/support/production-secrets";
import { SGLANG_KUBERNETES_USER } from "../../sglang/service";
import { MODEL_CACHE_PATH } from "../../sglang/spec";
import { HOST_ACCESS_LABEL } from "./security";

const T = {
    namespace: "kubernetes:core/v1:Namespace",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
};
const WORKLOADS = [T.deployment, T.statefulSet, T.daemonSet];

const SECRETS = { huggingFaceToken: "hf_privilege_test_token", sglangApiKey: "privilege-test-api-key" };
const OPERATOR = operatorMode("glsa_privilege_test_token");
// The stack file says production: true; every run gets the test values of the secrets it requires.
const { config: PROD, secretKeys: PROD_SECRET_KEYS } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
const STACK_NS = "sglang";
const HOST_NS = "sglang-host";

async function run(config: Record<string, string>): Promise<ProgramRun> {
    const secretKeys = Object.keys(config).filter((k) => k in SECRETS || k === "grafanaAuth" || PROD_SECRET_KEYS.includes(k));
    return runProgram(config, { stack: "prod", secretKeys });
}

const workloads = (r: ProgramRun): MockResource[] => WORKLOADS.flatMap((t) => r.byType(t));
const named = (r: ProgramRun, type: string, name: string): MockResource | undefined => r.byType(type).find((x) => x.plain.metadata.name === name);
const nsLabels = (r: ProgramRun, name: string) => r.byType(T.namespace).find((n) => n.plain.metadata.name === name)?.plain.metadata.labels;
const podSecurityLevel = (labels: Record<string, string>) => ["enforce", "audit", "warn"].map((mode) => labels[`pod-security.kubernetes.io/${mode}`]);
const hostAccess = (w: MockResource): boolean => w.plain.spec.template.metadata.labels[HOST_ACCESS_LABEL] === "true";

describe("least privilege on Kubernetes (mocks)", function () {
    this.timeout(180000);
    const runs: Record<string, ProgramRun> = {};

    before(async () => {
        // DCGM exporter, two SGLang replicas.
        runs.bundled = await run({ ...PROD, ...SECRETS });
        // The cluster's Prometheus; the stack still runs SGLang, DCGM and the canary's prober.
        runs.operator = await run({ ...PROD, ...OPERATOR, ...SECRETS });
        // nvidia_gpu_exporter, autoscaled SGLang, highly available Prometheus and Alertmanager.
        runs.ha = await run({
            ...PROD,
            gpuExporter: "nvidia-smi",
            autoscalingEnabled: "true",
            autoscalingMaxReplicas: "4",
            prometheusReplicas: "2",
            alertmanagerReplicas: "3",
        });
        // Nothing that uses the node: no host namespace.
        runs.existing = await run({ ...PROD, ...OPERATOR, gpuExporter: "existing", replicas: "1" });
    });

    it("every container of every pod drops all capabilities, cannot escalate, has a read-only root, a seccomp profile, a numeric user, requests and limits", () => {
        for (const [mode, r] of Object.entries(runs)) {
            assert.ok(workloads(r).length >= 2, mode);
            for (const w of workloads(r)) {
                const where = `${mode}: ${w.plain.kind} ${w.plain.metadata.name}`;
                const pod = w.plain.spec.template.spec;
                assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault", where);
                for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
                    const sc = c.securityContext;
                    assert.deepEqual(sc.capabilities.drop, ["ALL"], where);
                    // Only SYS_ADMIN is ever added back, and Kubernetes then requires escalation to be allowed.
                    const added = sc.capabilities.add ?? [];
                    assert.ok(
                        added.every((cap: string) => cap === "SYS_ADMIN"),
                        `${where}: adds ${added}`,
                    );
                    assert.equal(sc.allowPrivilegeEscalation, added.includes("SYS_ADMIN"), where);
                    assert.equal(sc.privileged, undefined, where);
                    assert.equal(sc.readOnlyRootFilesystem, true, where);
                    assert.equal(sc.seccompProfile.type, "RuntimeDefault", where);
                    assert.ok(Number.isInteger(sc.runAsUser) && Number.isInteger(sc.runAsGroup), `${where}: numeric user`);
                    // Root only where the host namespace admits it.
                    assert.equal(sc.runAsNonRoot === true, !(hostAccess(w) && sc.runAsUser === 0), where);
                    assert.ok(c.resources.requests.cpu && c.resources.requests.memory, `${where}: requests`);
                    assert.ok(c.resources.limits.memory, `${where}: memory limit`);
                }
            }
        }
    });

    it("the stack's namespace enforces, audits and warns at restricted; the host namespace is privileged and exists only when needed", () => {
        for (const [mode, r] of Object.entries(runs)) {
            assert.deepEqual(podSecurityLevel(nsLabels(r, STACK_NS)), ["restricted", "restricted", "restricted"], mode);
        }
        for (const mode of ["bundled", "operator", "ha"]) {
            assert.deepEqual(podSecurityLevel(nsLabels(runs[mode], HOST_NS)), ["privileged", "privileged", "privileged"], mode);
        }
        assert.equal(nsLabels(runs.existing, HOST_NS), undefined, "no pod uses the node: no host namespace");
    });

    it("every pod in the stack's namespace passes Pod Security restricted", () => {
        for (const [mode, r] of Object.entries(runs)) {
            for (const w of workloads(r).filter((x) => x.plain.metadata.namespace === STACK_NS)) {
                assert.deepEqual(podSecurityViolations(w.plain.spec.template, "restricted"), [], `${mode}: ${w.plain.metadata.name}`);
            }
        }
    });

    it("the checker finds what restricted forbids in the host exporters (it can fail)", () => {
        const node = named(runs.bundled, T.daemonSet, "node-exporter")!.plain.spec.template;
        const problems = podSecurityViolations(node, "restricted");
        for (const p of ["hostNetwork is true", "hostPID is true", "volume host-0: hostPath"]) assert.ok(problems.includes(p), `${p} in ${problems}`);
        const dcgm = named(runs.bundled, T.daemonSet, "gpu-exporter")!.plain.spec.template;
        const dcgmProblems = podSecurityViolations(dcgm, "baseline");
        assert.ok(dcgmProblems.includes("container gpu-exporter: adds SYS_ADMIN"), `${dcgmProblems}`);
        const sglang = structuredClone(named(runs.bundled, T.deployment, "sglang")!.plain.spec.template);
        sglang.spec.containers[0].securityContext.runAsNonRoot = false;
        sglang.spec.volumes.push({ name: "nfs", nfs: { server: "x", path: "/" } });
        assert.deepEqual(podSecurityViolations(sglang, "restricted"), ["volume nfs: type nfs", "container sglang: runAsNonRoot is not true"]);
    });

    it("the host namespace holds exactly the exporters that use the node, labelled, with their Services", () => {
        const expected: Record<string, string[]> = {
            bundled: ["gpu-exporter", "node-exporter"],
            operator: ["gpu-exporter"],
            // nvidia_gpu_exporter needs only the GPUs the NVIDIA runtime mounts: it stays restricted.
            ha: ["node-exporter"],
            existing: [],
        };
        for (const [mode, r] of Object.entries(runs)) {
            const inHost = workloads(r).filter((w) => w.plain.metadata.namespace === HOST_NS);
            assert.deepEqual(inHost.map((w) => w.plain.metadata.name).sort(), expected[mode], mode);
            assert.deepEqual(workloads(r).filter(hostAccess), inHost, `${mode}: the host-access label marks exactly the host namespace's pods`);
            for (const w of inHost) {
                assert.equal(named(r, T.service, w.plain.metadata.name)!.plain.metadata.namespace, HOST_NS, `${mode}: its Service follows it`);
            }
        }
    });

    it("host paths are mounted read-only, the root filesystem with host-to-container propagation", () => {
        const pod = named(runs.bundled, T.daemonSet, "node-exporter")!.plain.spec.template.spec;
        const hostVolumes = new Set(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => v.name));
        const mounts = pod.containers[0].volumeMounts.filter((m: any) => hostVolumes.has(m.name));
        assert.equal(mounts.length, 3);
        for (const m of mounts) assert.equal(m.readOnly, true, m.mountPath);
        assert.equal(mounts.find((m: any) => m.mountPath === "/host/root").mountPropagation, "HostToContainer");
    });

    it("the bundled Prometheus scrapes the host namespace and may discover pods there", () => {
        const r = runs.bundled;
        const configMap = r.byType(T.configMap).find((c) => Object.keys(c.plain.data ?? {}).some((k) => k.endsWith("prometheus.yml")))!.plain;
        const text = Object.entries(configMap.data).find(([k]) => k.endsWith("prometheus.yml"))![1] as string;
        const jobs = YAML.parse(text).scrape_configs as any[];
        const namespacesOf = (job: string) => jobs.find((j) => j.job_name === job).kubernetes_sd_configs[0].namespaces.names;
        assert.deepEqual(namespacesOf("node-exporter"), [HOST_NS]);
        assert.deepEqual(namespacesOf("gpu-exporter"), [HOST_NS]);
        assert.deepEqual(namespacesOf("sglang"), [STACK_NS]);
        const role = r.byType(T.role).find((x) => x.plain.metadata.namespace === HOST_NS)!.plain;
        assert.ok(role.rules.some((rule: any) => rule.resources.includes("pods") && rule.verbs.includes("list")));
        const binding = r.byType(T.roleBinding).find((x) => x.plain.metadata.namespace === HOST_NS)!.plain;
        assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "prometheus", namespace: STACK_NS }]);
    });

    it("the cluster's Prometheus finds the GPU exporter in the host namespace", () => {
        const r = runs.operator;
        const monitor = [...r.byType(T.serviceMonitor), ...r.byType(T.podMonitor)].find(
            (m) => m.plain.metadata.name === "sglang-ananke-gpu-exporter",
        )!;
        assert.deepEqual(monitor.plain.spec.namespaceSelector.matchNames, [HOST_NS]);
        const pods = named(r, T.daemonSet, "gpu-exporter")!.plain.spec.template.metadata.labels;
        for (const [k, v] of Object.entries(monitor.plain.spec.selector.matchLabels)) assert.equal(pods[k], v, k);
    });

    it("SGLang runs as a non-root uid with its home, /tmp and the model cache writable", () => {
        const d = named(runs.bundled, T.deployment, "sglang")!.plain.spec.template.spec;
        const c = d.containers[0];
        assert.equal(c.securityContext.runAsUser, SGLANG_KUBERNETES_USER.uid);
        assert.equal(d.securityContext.fsGroup, SGLANG_KUBERNETES_USER.uid, "the model-cache claim is group-writable");
        const env = Object.fromEntries(c.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
        assert.equal(env.HOME, SGLANG_KUBERNETES_USER.home);
        assert.equal(env.HF_HOME, MODEL_CACHE_PATH.kubernetes);
        const volumeOf = (path: string) => {
            const mount = c.volumeMounts.find((m: any) => m.mountPath === path);
            assert.ok(mount, `${path} is mounted`);
            return d.volumes.find((v: any) => v.name === mount.name);
        };
        assert.deepEqual(volumeOf("/tmp").emptyDir, {});
        assert.deepEqual(volumeOf(SGLANG_KUBERNETES_USER.home).emptyDir, {});
        assert.ok(volumeOf(MODEL_CACHE_PATH.kubernetes).persistentVolumeClaim, "the cache is the claim");
        assert.ok(!MODEL_CACHE_PATH.kubernetes.startsWith("/root"), "a non-root user cannot enter /root");
    });

    it("PodDisruptionBudgets: SGLang when more than one pod may run, Prometheus and Alertmanager with replicas; valid objects selecting their pods", async () => {
        const budgets = (r: ProgramRun) => Object.fromEntries(r.byType(T.pdb).map((p) => [p.plain.metadata.name, p.plain.spec]));
        // Two SGLang replicas: the router in front of them keeps one pod through a drain too.
        assert.deepEqual(Object.keys(budgets(runs.bundled)).sort(), ["sglang", "sglang-router"]);
        assert.equal(budgets(runs.bundled).sglang.maxUnavailable, 1);
        // Autoscaled: the count may grow past one; maxUnavailable 1 never blocks a drain at one pod.
        assert.deepEqual(Object.keys(budgets(runs.ha)).sort(), ["alertmanager", "prometheus", "sglang", "sglang-router"]);
        assert.deepEqual(budgets(runs.existing), {}, "a single SGLang pod gets no budget that would block drains forever");
        for (const r of [runs.bundled, runs.ha]) {
            for (const pdb of r.byType(T.pdb)) {
                assert.deepEqual(await validateObject(pdb.type, pdb.plain), [], pdb.plain.metadata.name);
                const w = workloads(r).find((x) => x.plain.metadata.name === pdb.plain.metadata.name)!;
                assert.equal(pdb.plain.metadata.namespace, w.plain.metadata.namespace);
                for (const [k, v] of Object.entries(pdb.plain.spec.selector.matchLabels))
                    assert.equal(w.plain.spec.template.metadata.labels[k], v, k);
            }
        }
    });

    it("every object of every shape passes schema validation", async () => {
        for (const [mode, r] of Object.entries(runs)) {
            for (const o of r.resources.filter((x) => x.type.startsWith("kubernetes:") && x.plain.apiVersion)) {
                assert.deepEqual(await validateObject(o.type, o.plain), [], `${mode}: ${o.type} ${o.name}`);
            }
        }
    });
});
