/**
 * Several models on Kubernetes under mocks: a prod stack serving two models,
 * one on two replicas (a Deployment), one spanning two nodes (a
 * LeaderWorkerSet), with the bundled monitoring, with the Prometheus
 * Operator's, and with autoscaling. Each model's objects are its own, named
 * `sglang-<name>…`, no two workloads' selectors overlap, and every selector
 * of the SGLang service (router discovery, scrape, monitors, NetworkPolicies)
 * covers every model's serving pods.
 */
import * as assert from "node:assert/strict";
import YAML from "yaml";
import { ROUTER_REQUESTS_RATE, SGLANG_KV_CACHE_USAGE, SGLANG_QUEUED_REQUESTS, SGLANG_TTFT_P95 } from "../../../monitoring/series";
import { type MockResource, type ProgramRun, plainOccurrences, runProgram, stackFileConfig } from "../../../tests/harness";
import { validateObject } from "../../../tests/support/kubernetes-schemas";
import { byName, flagValues } from "../../../tests/support/mock-objects";
import { operatorMode } from "../../../tests/support/operator-mode";
import { podSecurityViolations } from "../../../tests/support/pod-security";
import { PRODUCTION_TEST_SECRETS, withProductionSecrets } from "../../../tests/support/production-secrets";
import { MODEL_LABEL } from "../../sglang/service";

const T = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    lws: "kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet",
    service: "kubernetes:core/v1:Service",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
};
const { config: PROD, secretKeys } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
const OPERATOR = operatorMode("glsa_models_test_token");
const CHAT = {
    name: "chat",
    model: "Qwen/Qwen2.5-7B-Instruct",
    servedModelName: "qwen-chat",
    image: "lmsysorg/sglang:v0.5.4.post1",
    gpuCount: 1,
    replicas: 2,
};
const BIG = {
    name: "big",
    model: "meta-llama/Llama-3.1-405B-Instruct",
    servedModelName: "llama-405b",
    image: "lmsysorg/sglang:v0.5.5",
    gpuCount: 8,
    replicas: 2,
    nodesPerReplica: 2,
};
const MODELS = { models: JSON.stringify([CHAT, BIG]), networkPolicyEnabled: "true" };

const run = (config: Record<string, string>): Promise<ProgramRun> =>
    runProgram({ ...PROD, ...config }, { stack: "prod", secretKeys: [...secretKeys, ...("grafanaAuth" in config ? ["grafanaAuth"] : [])] });

type Labels = Record<string, string>;
const matches = (selector: Labels, labels: Labels) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const k8sObjects = (r: ProgramRun) => r.resources.filter((x) => x.type.startsWith("kubernetes:"));

/** Every workload's pod templates, an LWS's leader and worker templates both. */
function podTemplates(w: MockResource): any[] {
    if (w.type === T.lws) return [w.plain.spec.leaderWorkerTemplate.leaderTemplate, w.plain.spec.leaderWorkerTemplate.workerTemplate];
    return [w.plain.spec.template];
}
const workloadsOf = (r: ProgramRun) => [T.deployment, T.statefulSet, T.daemonSet, T.lws].flatMap((t) => r.byType(t));

/**
 * The selectors that pick one workload's pods (its own, its Service's, its
 * budget's) that also pick another workload's pods, or pick none: each
 * problem names the object and the workloads it picks.
 */
function selectorOverlaps(objects: MockResource[]): string[] {
    const workloads = objects.filter((o) => [T.deployment, T.statefulSet, T.daemonSet, T.lws].includes(o.type));
    const picked = (selector: Labels, namespace: string) =>
        workloads
            .filter((w) => w.plain.metadata.namespace === namespace && podTemplates(w).some((t) => matches(selector, t.metadata.labels)))
            .map((w) => `${w.type.split(":").pop()} ${w.plain.metadata.name}`);
    const selectors: [MockResource, Labels][] = objects.flatMap((o): [MockResource, Labels][] => {
        if (o.type === T.service) return o.plain.spec.selector ? [[o, o.plain.spec.selector]] : [];
        if ([T.deployment, T.statefulSet, T.daemonSet, T.pdb].includes(o.type)) return [[o, o.plain.spec.selector.matchLabels]];
        return [];
    });
    return selectors.flatMap(([o, selector]) => {
        const found = picked(selector, o.plain.metadata.namespace);
        return found.length === 1
            ? []
            : [`${o.type.split(":").pop()} ${o.plain.metadata.name} selects ${found.length}: ${found.join(", ") || "none"}`];
    });
}

/** Whether the bundled Prometheus' `sglang` job keeps a pod with these labels (its keep rules on pod labels). */
function sglangJobKeeps(r: ProgramRun, labels: Labels): boolean {
    const cm = r.byType(T.configMap).find((x) => x.plain.metadata.labels?.["app.kubernetes.io/name"] === "prometheus")!;
    const config = YAML.parse(Object.values(cm.plain.data as Record<string, string>).find((v) => v.includes("scrape_configs"))!);
    const job = config.scrape_configs.find((j: any) => j.job_name === "sglang");
    const keeps = job.relabel_configs.filter((k: any) => k.action === "keep" && k.source_labels[0].startsWith("__meta_kubernetes_pod_label_"));
    assert.ok(keeps.length > 0, "the sglang job keeps pods by their labels");
    return keeps.every((k: any) =>
        Object.entries(labels).some(
            ([l, v]) =>
                `__meta_kubernetes_pod_label_${l.replace(/[^a-zA-Z0-9_]/g, "_")}` === k.source_labels[0] && new RegExp(`^(?:${k.regex})$`).test(v),
        ),
    );
}

describe("Kubernetes: several models per stack", function () {
    this.timeout(300_000);
    let bundled: ProgramRun;
    let operator: ProgramRun;
    let operatorPods: ProgramRun;
    let autoscaled: ProgramRun;
    let chat: MockResource;
    let big: MockResource;
    let leader: any;
    let worker: any;

    before(async () => {
        bundled = await run(MODELS);
        operator = await run({ ...MODELS, ...OPERATOR });
        operatorPods = await run({ ...MODELS, ...OPERATOR, monitorKind: "podmonitor" });
        autoscaled = await run({
            models: JSON.stringify([CHAT, { ...BIG, nodesPerReplica: 1, gpuCount: 4 }]),
            autoscalingEnabled: "true",
            autoscalingMaxReplicas: "4",
            autoscalingMinReplicas: "0",
            autoscalingScaleToZero: "true",
            canaryEnabled: "false",
        });
        chat = byName(bundled, T.deployment, "sglang-chat");
        big = byName(bundled, T.lws, "sglang-big-group");
        leader = big.plain.spec.leaderWorkerTemplate.leaderTemplate;
        worker = big.plain.spec.leaderWorkerTemplate.workerTemplate;
    });

    it("every Kubernetes object passes schema validation (the LeaderWorkerSet its vendored schema), in every mode", async () => {
        for (const [mode, r] of Object.entries({ bundled, operator, operatorPods, autoscaled })) {
            for (const o of k8sObjects(r)) assert.deepEqual(await validateObject(o.type, o.plain), [], `${mode}: ${o.type} ${o.name}`);
        }
    });

    it("every pod of the stack's namespace passes Pod Security restricted, both models' included", () => {
        for (const r of [bundled, autoscaled]) {
            for (const w of workloadsOf(r).filter((x) => x.plain.metadata.namespace === "sglang")) {
                for (const t of podTemplates(w)) assert.deepEqual(podSecurityViolations(t, "restricted"), [], `${w.type} ${w.plain.metadata.name}`);
            }
        }
    });

    it("each model's objects are its own, named sglang-<name>: workload, Service, budget, retained model cache, files", () => {
        for (const r of [bundled, operator]) {
            const names = (type: string) => r.byType(type).map((x) => x.plain.metadata.name);
            assert.deepEqual(
                names(T.deployment).filter((n: string) => n.startsWith("sglang") && n !== "sglang-router"),
                ["sglang-chat"],
            );
            assert.deepEqual(names(T.lws), ["sglang-big-group"]);
            for (const type of [T.service, T.pdb]) {
                for (const name of ["sglang-chat", "sglang-big"]) byName(r, type, name);
                assert.ok(!names(type).includes("sglang"), `no ${type} named after the service alone`);
            }
            for (const name of ["sglang-chat-model-cache", "sglang-big-model-cache"]) {
                const claim = byName(r, T.pvc, name);
                assert.ok(claim.retainOnDelete, `${name} is kept on destroy`);
                assert.equal(claim.plain.spec.accessModes[0], "ReadWriteMany");
            }
            // The launcher and the secrets: one ConfigMap and one Secret per model, each model's pods mounting its own.
            for (const model of ["sglang-chat", "sglang-big"]) {
                for (const type of [T.configMap, T.secret]) {
                    const own = r.byType(type).filter((x) => x.name.startsWith(`${model}-`));
                    assert.equal(own.length, 1, `${type} of ${model}`);
                    assert.equal(own[0].plain.metadata.labels[MODEL_LABEL], model.replace("sglang-", ""));
                }
            }
            // Pulumi resource names never collide between the two models (nor anywhere else).
            const keys = r.resources.map((x) => `${x.type} ${x.name}`);
            assert.deepEqual(
                keys.filter((k, i) => keys.indexOf(k) !== i),
                [],
            );
        }
    });

    it("the API key stays secret: in each model's Secret only, reaching its pods as a file", () => {
        const key = PRODUCTION_TEST_SECRETS.sglangApiKey;
        for (const r of [bundled, operator, autoscaled]) {
            for (const o of r.resources) assert.deepEqual(plainOccurrences(o.inputs, key), [], `${o.type} ${o.name}`);
        }
        for (const model of ["sglang-chat", "sglang-big"]) {
            const secret = bundled.byType(T.secret).find((x) => x.name === `${model}-secrets`)!;
            assert.ok(Object.values(secret.plain.stringData).includes(key), `${model}'s Secret holds the key`);
        }
        const mounts = (t: any) => t.spec.containers[0].volumeMounts.map((m: any) => m.mountPath as string);
        for (const t of [chat.plain.spec.template, leader]) assert.ok(mounts(t).some((p: string) => p.endsWith("/api_key")));
    });

    it("no two workloads' selectors overlap (Deployment, StatefulSet, DaemonSet, Service, budget); the check fails on an overlap", async () => {
        const shortForm = await run({ networkPolicyEnabled: "true" });
        for (const [mode, r] of Object.entries({ bundled, operator, autoscaled, shortForm })) {
            assert.deepEqual(selectorOverlaps(k8sObjects(r)), [], mode);
        }
        // Without the model label, the chat Deployment's and Service's selectors pick the big model's leaders too.
        const broken = k8sObjects(bundled).map((o) => {
            if (o.plain.metadata?.name !== "sglang-chat" || ![T.deployment, T.service].includes(o.type)) return o;
            const copy = structuredClone(o.plain);
            const selector = o.type === T.service ? copy.spec.selector : copy.spec.selector.matchLabels;
            delete selector[MODEL_LABEL];
            return { ...o, plain: copy };
        });
        assert.deepEqual(selectorOverlaps(broken).sort(), [
            "Deployment sglang-chat selects 2: Deployment sglang-chat, LeaderWorkerSet sglang-big-group",
            "Service sglang-chat selects 2: Deployment sglang-chat, LeaderWorkerSet sglang-big-group",
        ]);
    });

    it("each model's pods carry the service's selector labels and its own, its served name, image, GPUs and replicas", () => {
        const service = { "app.kubernetes.io/name": "sglang", "app.kubernetes.io/instance": "sglang-ananke-prod" };
        const cases: [string, any[], typeof CHAT | typeof BIG][] = [
            ["chat", [chat.plain.spec.template], CHAT],
            ["big", [leader, worker], BIG],
        ];
        for (const [name, templates, model] of cases) {
            for (const t of templates) {
                const c = t.spec.containers[0];
                assert.equal(t.metadata.labels[MODEL_LABEL], name);
                assert.deepEqual(flagValues(c.args, "--served-model-name"), [model.servedModelName]);
                assert.deepEqual(flagValues(c.args, "--model-path"), [model.model]);
                assert.equal(c.image, model.image);
                assert.equal(c.name, `sglang-${name}`);
                assert.equal(c.resources.limits["nvidia.com/gpu"], String(model.gpuCount));
                assert.ok(t.spec.volumes.some((v: any) => v.persistentVolumeClaim?.claimName === `sglang-${name}-model-cache`));
            }
        }
        assert.ok(matches(service, chat.plain.spec.template.metadata.labels) && matches(service, leader.metadata.labels));
        assert.ok(!matches(service, worker.metadata.labels), "a group's workers serve nothing: the service's selectors skip them");
        // One model across nodes, the other not.
        assert.deepEqual(flagValues(leader.spec.containers[0].args, "--nnodes"), ["2"]);
        assert.ok(!chat.plain.spec.template.spec.containers[0].args.includes("--nnodes"));
        assert.deepEqual([chat.plain.spec.replicas, big.plain.spec.replicas, big.plain.spec.leaderWorkerTemplate.size], [2, 2, 2]);
        for (const name of ["sglang-chat", "sglang-big"]) {
            assert.deepEqual(byName(bundled, T.pdb, name).plain.spec.maxUnavailable, 1);
        }
        assert.ok(matches(byName(bundled, T.pdb, "sglang-big").plain.spec.selector.matchLabels, leader.metadata.labels));
    });

    it("one endpoint for every model, the router's; no metrics URL of a Service named sglang, which no model has", async () => {
        for (const r of [bundled, operator]) {
            assert.equal(r.outputs.openaiBaseUrl, "http://sglang-router.sglang.svc:30000/v1");
            assert.equal(r.outputs.sglangMetricsUrl, undefined);
        }
        // One model in the list is named after itself too: the router still fronts it.
        const one = await run({ models: JSON.stringify([{ ...CHAT, replicas: 1 }]) });
        assert.equal(one.outputs.openaiBaseUrl, "http://sglang-router.sglang.svc:30000/v1");
        byName(one, T.deployment, "sglang-router");
        byName(one, T.service, "sglang-chat");
    });

    it("the router discovers every model's serving pods, and only SGLang's", () => {
        for (const r of [bundled, operator]) {
            const args: string[] = byName(r, T.deployment, "sglang-router").plain.spec.template.spec.containers[0].args;
            const selector = Object.fromEntries(flagValues(args, "--selector").map((kv) => kv.split("=")));
            const picked = workloadsOf(r).filter((w) => podTemplates(w).some((t) => matches(selector, t.metadata.labels)));
            assert.deepEqual(picked.map((w) => w.plain.metadata.name).sort(), ["sglang-big-group", "sglang-chat"]);
            assert.ok(!matches(selector, worker.metadata.labels));
        }
    });

    it("the bundled Prometheus scrapes every model's serving pods as job sglang", () => {
        assert.ok(sglangJobKeeps(bundled, chat.plain.spec.template.metadata.labels), "chat pods");
        assert.ok(sglangJobKeeps(bundled, leader.metadata.labels), "big leaders");
        assert.ok(!sglangJobKeeps(bundled, worker.metadata.labels), "not the big workers");
        const router = byName(bundled, T.deployment, "sglang-router").plain.spec.template.metadata.labels;
        assert.ok(!sglangJobKeeps(bundled, router), "not the router");
    });

    it("operator mode: the ServiceMonitor selects every model's Service, the PodMonitor every model's serving pods", () => {
        const sm = byName(operator, T.serviceMonitor, "sglang-ananke-sglang").plain;
        const selected = operator.byType(T.service).filter((s) => matches(sm.spec.selector.matchLabels, s.plain.metadata.labels));
        assert.deepEqual(selected.map((s) => s.plain.metadata.name).sort(), ["sglang-big", "sglang-chat"]);
        for (const s of selected) assert.ok(s.plain.spec.ports.some((p: any) => p.name === sm.spec.endpoints[0].port));
        const pm = byName(operatorPods, T.podMonitor, "sglang-ananke-sglang").plain;
        const pods = workloadsOf(operatorPods).filter((w) => podTemplates(w).some((t) => matches(pm.spec.selector.matchLabels, t.metadata.labels)));
        assert.deepEqual(pods.map((w) => w.plain.metadata.name).sort(), ["sglang-big-group", "sglang-chat"]);
    });

    it("NetworkPolicies admit the router to every model's pods; each group's pods reach only each other", () => {
        const policy = byName(bundled, T.networkPolicy, "sglang-ingress").plain.spec;
        assert.ok(matches(policy.podSelector.matchLabels, chat.plain.spec.template.metadata.labels));
        assert.ok(matches(policy.podSelector.matchLabels, leader.metadata.labels));
        const routerPods = byName(bundled, T.deployment, "sglang-router").plain.spec.template.metadata.labels;
        assert.ok(
            policy.ingress.some((rule: any) => rule.from.some((peer: any) => peer.podSelector && matches(peer.podSelector.matchLabels, routerPods))),
        );
        const group = byName(bundled, T.networkPolicy, "sglang-big-group-ingress").plain.spec;
        assert.deepEqual(group.podSelector.matchLabels, { "leaderworkerset.sigs.k8s.io/name": "sglang-big-group" });
        assert.equal(
            bundled.byType(T.networkPolicy).filter((p) => p.plain.metadata.name.includes("group")).length,
            1,
            "only the model across nodes has a group",
        );
    });

    it("autoscaling: a ScaledObject per model on its Deployment, queries restricted to its served name, woken by its own requests", () => {
        const objects = autoscaled.byType(T.scaledObject).map((o) => o.plain);
        assert.deepEqual(objects.map((o) => o.metadata.name).sort(), ["sglang-big", "sglang-chat"]);
        for (const [name, served, other] of [
            ["sglang-chat", CHAT.servedModelName, BIG.servedModelName],
            ["sglang-big", BIG.servedModelName, CHAT.servedModelName],
        ]) {
            const so = objects.find((o) => o.metadata.name === name)!;
            const d = byName(autoscaled, T.deployment, name).plain;
            assert.deepEqual(so.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name });
            assert.equal(d.spec.replicas, undefined, "KEDA owns the count");
            assert.equal(so.spec.minReplicaCount, 0);
            const queries = Object.fromEntries(so.spec.triggers.map((t: any) => [t.name, t.metadata.query as string]));
            assert.deepEqual(Object.keys(queries), ["queue-depth", "kv-cache-usage", "ttft-p95", "router-requests"]);
            for (const [trigger, series] of [
                ["queue-depth", SGLANG_QUEUED_REQUESTS],
                ["kv-cache-usage", SGLANG_KV_CACHE_USAGE],
                ["ttft-p95", SGLANG_TTFT_P95],
            ]) {
                assert.ok(queries[trigger].includes(`${series}{job="sglang", namespace="sglang", model_name="${served}"}`), queries[trigger]);
            }
            assert.ok(queries["router-requests"].includes(`${ROUTER_REQUESTS_RATE}{job="sglang-router", namespace="sglang", model="${served}"}`));
            assert.ok(!JSON.stringify(so.spec.triggers).includes(other));
            byName(autoscaled, T.pdb, name);
        }
    });
});
