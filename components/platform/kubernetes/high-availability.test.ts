/**
 * The prod stack with two Prometheus and three Alertmanager replicas, under
 * the SDK's mocks: StatefulSets behind headless Services, a claim per pod,
 * each Prometheus named in its `replica` label, Alertmanager clustered, both
 * spread over nodes and guarded by PodDisruptionBudgets; every object passes
 * schema validation.
 */
import * as assert from "node:assert/strict";
import YAML from "yaml";
import { type MockResource, type ProgramRun, runProgram, stackFileConfig } from "../../../tests/harness";
import { validateObject } from "../../../tests/support/kubernetes-schemas";
import { byName, podSpec } from "../../../tests/support/mock-objects";
import { withProductionSecrets } from "../../../tests/support/production-secrets";
import { fileKey } from "./workload";

const T = {
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    configMap: "kubernetes:core/v1:ConfigMap",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
};
const NS = "sglang";

const container = (w: MockResource) => podSpec(w).containers[0];
/** prometheus.yml as the Prometheus pods mount it. */
function prometheusYml(r: ProgramRun): any {
    const key = fileKey("/etc/prometheus/prometheus.yml");
    const found = r.byType(T.configMap).filter((c) => c.plain.data?.[key] !== undefined);
    assert.equal(found.length, 1);
    return YAML.parse(found[0].plain.data[key]);
}
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("prod stack on Kubernetes, highly available (mocks)", function () {
    this.timeout(120000);
    let ha: ProgramRun;
    let single: ProgramRun;

    before(async () => {
        const { config: prod, secretKeys } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
        assert.equal(prod.namespace ?? NS, NS);
        ha = await runProgram({ ...prod, prometheusReplicas: "2", alertmanagerReplicas: "3" }, { stack: "prod", secretKeys });
        single = await runProgram(prod, { stack: "prod", secretKeys });
    });

    it("every Kubernetes object passes schema validation", async () => {
        const objects = ha.resources.filter((x) => x.type.startsWith("kubernetes:"));
        for (const kind of [T.statefulSet, T.pdb])
            assert.ok(
                objects.some((o) => o.type === kind),
                `has a ${kind}`,
            );
        for (const o of objects) assert.deepEqual(await validateObject(o.type, o.plain), [], `${o.type} ${o.name}`);
    });

    it("runs Prometheus and Alertmanager as StatefulSets with a claim per pod, governed by headless Services", () => {
        for (const [name, replicas] of [
            ["prometheus", 2],
            ["alertmanager", 3],
        ] as const) {
            const sts = byName(ha, T.statefulSet, name);
            assert.equal(sts.plain.spec.replicas, replicas);
            assert.equal(ha.byType(T.deployment).filter((d) => d.plain.metadata.name === name).length, 0, `${name} has no Deployment`);
            assert.equal(ha.byType(T.pvc).filter((c) => c.plain.metadata.name.startsWith(name)).length, 0, `${name} has no shared claim`);
            const templates = sts.plain.spec.volumeClaimTemplates;
            assert.deepEqual(
                templates.map((t: any) => t.spec.accessModes),
                [["ReadWriteOnce"]],
            );
            // The pod mounts the template's claim by its name.
            assert.ok(container(sts).volumeMounts.some((m: any) => m.name === templates[0].metadata.name));
            assert.ok(!podSpec(sts).volumes.some((v: any) => v.name === templates[0].metadata.name), "no volume shadows the template");
            const peers = byName(ha, T.service, `${name}-peers`);
            assert.equal(sts.plain.spec.serviceName, peers.plain.metadata.name);
            assert.equal(peers.plain.spec.clusterIP, "None");
            assert.equal(peers.plain.spec.publishNotReadyAddresses, true);
            assert.ok(matches(peers.plain.spec.selector, sts.plain.spec.template.metadata.labels));
            // Spread over nodes, by the pods' own labels.
            const term = podSpec(sts).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
            assert.equal(term.topologyKey, "kubernetes.io/hostname");
            assert.ok(matches(term.labelSelector.matchLabels, sts.plain.spec.template.metadata.labels));
        }
        const gossip = byName(ha, T.service, "alertmanager-peers").plain.spec.ports.filter((p: any) => p.port === 9094);
        assert.deepEqual(gossip.map((p: any) => p.protocol).sort(), ["TCP", "UDP"]);
    });

    it("PodDisruptionBudgets: a drain leaves one Prometheus and takes one Alertmanager at a time", () => {
        const prom = byName(ha, T.pdb, "prometheus").plain.spec;
        const am = byName(ha, T.pdb, "alertmanager").plain.spec;
        assert.equal(prom.minAvailable, 1);
        assert.equal(am.maxUnavailable, 1);
        assert.ok(matches(prom.selector.matchLabels, byName(ha, T.statefulSet, "prometheus").plain.spec.template.metadata.labels));
        assert.ok(matches(am.selector.matchLabels, byName(ha, T.statefulSet, "alertmanager").plain.spec.template.metadata.labels));
    });

    it("each Prometheus labels its series with its pod name and sends every alert to every Alertmanager, without the label", () => {
        const env = container(byName(ha, T.statefulSet, "prometheus")).env;
        assert.deepEqual(env.find((e: any) => e.name === "POD_NAME")?.valueFrom, { fieldRef: { fieldPath: "metadata.name" } });
        const config = prometheusYml(ha);
        assert.equal(config.global.external_labels.replica, "${POD_NAME}");
        assert.deepEqual(config.alerting.alert_relabel_configs, [{ action: "labeldrop", regex: "replica" }]);
        assert.deepEqual(
            config.alerting.alertmanagers[0].static_configs[0].targets,
            [0, 1, 2].map((i) => `alertmanager-${i}.alertmanager-peers.${NS}.svc:9093`),
        );
    });

    it("the Alertmanagers form one cluster: each listens for gossip and knows every peer by its stable name", () => {
        const args: string[] = container(byName(ha, T.statefulSet, "alertmanager")).args;
        assert.ok(args.includes("--cluster.listen-address=0.0.0.0:9094"));
        assert.deepEqual(
            args.filter((a) => a.startsWith("--cluster.peer=")),
            [0, 1, 2].map((i) => `--cluster.peer=alertmanager-${i}.alertmanager-peers.${NS}.svc:9094`),
        );
    });

    it("one replica each stays a Deployment with its claim, no gossip and no replica label (the check can fail)", () => {
        assert.equal(single.byType(T.statefulSet).length, 0);
        assert.deepEqual(
            single.byType(T.pdb).filter((p) => ["prometheus", "alertmanager"].includes(p.plain.metadata.name)),
            [],
        );
        assert.ok(container(byName(single, T.deployment, "alertmanager")).args.includes("--cluster.listen-address="));
        assert.equal(prometheusYml(single).global.external_labels.replica, undefined);
        assert.ok(!container(byName(single, T.deployment, "prometheus")).env.some((e: any) => e.name === "POD_NAME"));
    });
});
