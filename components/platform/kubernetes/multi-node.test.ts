/**
 * A server across nodes (`sglangNodesPerReplica` > 1) under mocks: a
 * LeaderWorkerSet valid against the vendored LWS schema, leader and workers
 * from the same pod template, the flags that join the group, and every
 * selector of SGLang picking the leaders (the pods that serve) only.
 */
import * as assert from "node:assert/strict";
import YAML from "yaml";
import { type MockResource, type ProgramRun, runProgram, stackFileConfig } from "../../../tests/harness";
import { validateObject } from "../../../tests/support/kubernetes-schemas";
import { LWS_SCHEMA_SOURCE } from "../../../tests/support/leaderworkerset-schema";
import { byName, flagValues } from "../../../tests/support/mock-objects";
import { podSecurityViolations } from "../../../tests/support/pod-security";
import { withProductionSecrets } from "../../../tests/support/production-secrets";
import { SGLANG_LAUNCHER_PATH } from "../../sglang/launcher";
import { DIST_INIT_PORT } from "../../sglang/multiNode";

const LWS = "kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet";
const T = {
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
};
const { config: PROD, secretKeys } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
const API_KEY = "multi-node-test-api-key";

const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("Kubernetes: a server across nodes as a LeaderWorkerSet", () => {
    let r: ProgramRun;
    let set: MockResource;
    let leader: any;
    let worker: any;
    before(async () => {
        r = await runProgram(
            { ...PROD, sglangNodesPerReplica: "2", sglangApiKey: API_KEY, networkPolicyEnabled: "true" },
            { stack: "prod", secretKeys: [...secretKeys, "sglangApiKey"] },
        );
        const sets = r.byType(LWS);
        assert.equal(sets.length, 1, "one LeaderWorkerSet");
        set = sets[0];
        leader = set.plain.spec.leaderWorkerTemplate.leaderTemplate;
        worker = set.plain.spec.leaderWorkerTemplate.workerTemplate;
    });

    it("replaces the Deployment: replicas groups of sglangNodesPerReplica pods, restarted as a whole", () => {
        assert.equal(
            r.byType(T.deployment).find((d) => d.plain.metadata.name === "sglang"),
            undefined,
        );
        const spec = set.plain.spec;
        assert.equal(spec.replicas, 2);
        assert.equal(spec.leaderWorkerTemplate.size, 2);
        assert.equal(spec.leaderWorkerTemplate.restartPolicy, "RecreateGroupOnPodRestart");
        // Workers start with their leader, whose readiness needs them.
        assert.equal(spec.startupPolicy, "LeaderCreated");
        // pulumi up waits for every group to be ready, as for a Deployment's rollout.
        assert.equal(set.plain.metadata.annotations["pulumi.com/waitFor"], "condition=Available");
    });

    it(`passes the LeaderWorkerSet schema (${LWS_SCHEMA_SOURCE.split(",")[0]}), which refuses a broken copy`, async () => {
        assert.deepEqual(await validateObject(LWS, set.plain), []);
        const broken = structuredClone(set.plain);
        broken.spec.leaderWorkerTemplate.restartPolicy = "Always";
        broken.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].gpus = 1;
        assert.deepEqual(await validateObject(LWS, broken), [
            "/spec/leaderWorkerTemplate/restartPolicy must be equal to one of the allowed values",
            "/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0 must NOT have additional properties",
        ]);
    });

    it("is not named like SGLang's Service: the LWS controller creates a headless Service under the set's name", () => {
        assert.notEqual(set.plain.metadata.name, "sglang");
        byName(r, T.service, "sglang");
        assert.equal(r.byType(T.service).filter((s) => s.plain.metadata.name === set.plain.metadata.name).length, 0);
    });

    it("joins every pod to its group with the same flags; tensor parallelism over all GPUs of the group", () => {
        const gpus = Number(PROD["sglang-ananke:gpuCount"] ?? PROD.gpuCount);
        assert.ok(gpus > 0);
        for (const t of [leader, worker]) {
            const args: string[] = t.spec.containers[0].args;
            assert.deepEqual(flagValues(args, "--tp-size"), [String(gpus * 2)]);
            assert.deepEqual(flagValues(args, "--nnodes"), ["2"]);
            // Expanded by the kubelet from the variables the LWS controller injects; 0 on the leader.
            assert.deepEqual(flagValues(args, "--node-rank"), ["$(LWS_WORKER_INDEX)"]);
            assert.deepEqual(flagValues(args, "--dist-init-addr"), [`$(LWS_LEADER_ADDRESS):${DIST_INIT_PORT}`]);
            assert.equal(t.spec.containers[0].resources.limits["nvidia.com/gpu"], String(gpus));
        }
        assert.deepEqual(leader.spec.containers[0].args, worker.spec.containers[0].args);
    });

    it("leader and workers share GPUs, /dev/shm, scheduling, model cache and the restricted security context", () => {
        const volumes = (t: any) => t.spec.volumes.map((v: any) => v.name);
        for (const name of ["dshm", "data-model-cache"]) {
            assert.ok(volumes(leader).includes(name), `leader has ${name}`);
            assert.ok(volumes(worker).includes(name), `worker has ${name}`);
        }
        for (const k of ["nodeSelector", "tolerations", "runtimeClassName", "securityContext", "affinity"]) {
            assert.ok(leader.spec[k] !== undefined, `leader sets ${k}`);
            assert.deepEqual(worker.spec[k], leader.spec[k], k);
        }
        assert.deepEqual(worker.spec.containers[0].securityContext, leader.spec.containers[0].securityContext);
        for (const t of [leader, worker]) assert.deepEqual(podSecurityViolations(t, "restricted"), []);
    });

    it("the leader serves: probes, its port and the API key through the launcher; workers serve nothing and hold no key", () => {
        const l = leader.spec.containers[0];
        const w = worker.spec.containers[0];
        assert.ok(l.startupProbe && l.livenessProbe && l.readinessProbe);
        assert.deepEqual(
            l.ports.map((p: any) => p.name),
            ["http"],
        );
        assert.deepEqual(l.command.slice(0, 2), ["python3", SGLANG_LAUNCHER_PATH]);
        assert.equal(w.startupProbe ?? w.livenessProbe ?? w.readinessProbe, undefined);
        assert.deepEqual(w.ports, []);
        assert.deepEqual(w.command, ["python3", "-m", "sglang.launch_server"]);
        const mounts = (c: any) => c.volumeMounts.map((m: any) => m.mountPath);
        assert.ok(mounts(l).some((p: string) => p.endsWith("/api_key")));
        assert.ok(!mounts(w).some((p: string) => p.endsWith("/api_key") || p === SGLANG_LAUNCHER_PATH));
        assert.ok(!JSON.stringify(set.plain).includes(API_KEY));
    });

    it("every selector of SGLang picks the leaders only: Service, budget, router discovery, network policy", () => {
        const leaderLabels = leader.metadata.labels;
        const workerLabels = worker.metadata.labels;
        const selectors: [string, Record<string, string>][] = [
            ["Service", byName(r, T.service, "sglang").plain.spec.selector],
            ["PodDisruptionBudget", byName(r, T.pdb, "sglang").plain.spec.selector.matchLabels],
            ["NetworkPolicy", byName(r, T.networkPolicy, "sglang-ingress").plain.spec.podSelector.matchLabels],
        ];
        const routerArgs: string[] = byName(r, T.deployment, "sglang-router").plain.spec.template.spec.containers[0].args;
        selectors.push(["router --selector", Object.fromEntries(flagValues(routerArgs, "--selector").map((kv) => kv.split("=")))]);
        for (const [what, selector] of selectors) {
            assert.ok(matches(selector, leaderLabels), `${what} selects the leaders`);
            assert.ok(!matches(selector, workerLabels), `${what} does not select the workers`);
        }
    });

    it("Prometheus scrapes the leaders only: rank 0 runs the HTTP server and the schedulers that write metrics", () => {
        const cm = r.byType("kubernetes:core/v1:ConfigMap").find((x) => x.plain.metadata.labels?.["app.kubernetes.io/name"] === "prometheus")!;
        const config = YAML.parse(Object.values(cm.plain.data as Record<string, string>).find((v) => v.includes("scrape_configs"))!);
        const job = config.scrape_configs.find((j: any) => j.relabel_configs?.some((k: any) => k.regex === "sglang" && k.action === "keep"));
        assert.ok(job, "a job keeping SGLang's pods");
        const keeps = job.relabel_configs.filter((k: any) => k.action === "keep" && k.source_labels[0].startsWith("__meta_kubernetes_pod_label_"));
        const admits = (labels: Record<string, string>) =>
            keeps.every((k: any) =>
                Object.entries(labels).some(
                    ([l, v]) =>
                        `__meta_kubernetes_pod_label_${l.replace(/[^a-zA-Z0-9_]/g, "_")}` === k.source_labels[0] &&
                        new RegExp(`^(?:${k.regex})$`).test(v),
                ),
            );
        assert.ok(admits(leader.metadata.labels), "leaders are scraped");
        assert.ok(!admits(worker.metadata.labels), "workers are not");
    });

    it("admits every port between the pods of the group, and nothing else from outside it", () => {
        const policy = byName(r, T.networkPolicy, "sglang-group-ingress").plain.spec;
        const group = { "leaderworkerset.sigs.k8s.io/name": set.plain.metadata.name };
        assert.deepEqual(policy.podSelector.matchLabels, group);
        assert.deepEqual(policy.ingress, [{ from: [{ podSelector: { matchLabels: group } }] }]);
    });

    it("keeps the Deployment with one node per server", async () => {
        const one = await runProgram({ ...PROD }, { stack: "prod", secretKeys });
        assert.equal(one.byType(LWS).length, 0);
        const args: string[] = byName(one, T.deployment, "sglang").plain.spec.template.spec.containers[0].args;
        assert.ok(!args.includes("--nnodes") && !args.includes("--dist-init-addr"));
        assert.equal(one.byType(T.networkPolicy).length, 0);
    });
});
