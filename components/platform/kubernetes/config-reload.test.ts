/**
 * Configuration changes reach a running Prometheus and Alertmanager without a
 * rollout (prod stack under the SDK's mocks): a rule or routing change changes
 * only the data of a fixed-name ConfigMap, never the workload; the files are
 * mounted as one directory (no subPath, which the kubelet never updates); a
 * least-privilege sidecar watches every directory holding a file and posts to
 * the pod's loopback reload URL. Flag and image changes still roll.
 */
import * as assert from "node:assert/strict";
import * as posix from "node:path/posix";
import YAML from "yaml";
import { type MockResource, type ProgramRun, runProgram, stackFileConfig } from "../../../tests/harness";
import { validateObject } from "../../../tests/support/kubernetes-schemas";
import { withProductionSecrets } from "../../../tests/support/production-secrets";
import { CONFIG_RELOADER_CONTAINER, configRoot, watchedDirectories } from "./config-reloader";

const T = {
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    deployment: "kubernetes:apps/v1:Deployment",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    provider: "pulumi:providers:kubernetes",
};
// The stack file says production: true; every run gets the test values of the secrets it requires.
const { config: PROD, secretKeys: PROD_SECRET_KEYS } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
const HA = { ...PROD, prometheusReplicas: "2", alertmanagerReplicas: "3" };
const SECRETS = {
    slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/reload-test",
    pagerdutyRoutingKey: "reloadtestroutingkey0123456789ab",
};
const RELOADING = ["prometheus", "alertmanager"] as const;

const run = (config: Record<string, string>) =>
    runProgram({ ...SECRETS, ...config }, { stack: "prod", secretKeys: [...Object.keys(SECRETS), "grafanaAuth", ...PROD_SECRET_KEYS] });
/** The Deployment or StatefulSet running a service. */
function workload(r: ProgramRun, name: string): MockResource {
    const found = [...r.byType(T.deployment), ...r.byType(T.statefulSet)].filter((w) => w.plain.metadata.name === name);
    assert.equal(found.length, 1, `one workload named ${name}`);
    return found[0];
}
const configMapOf = (r: ProgramRun, name: string) => r.byType(T.configMap).find((c) => c.plain.metadata.labels?.["app.kubernetes.io/name"] === name)!;
const containers = (w: MockResource): any[] => w.plain.spec.template.spec.containers;
const sidecar = (w: MockResource) => containers(w).find((c) => c.name === CONFIG_RELOADER_CONTAINER);
/** What a change of the workload's inputs would roll out: all of it, serialized. */
const serialized = (w: MockResource) => JSON.stringify(w.plain);

describe("configuration changes reload Prometheus and Alertmanager on Kubernetes (mocks)", function () {
    this.timeout(300000);
    let ha: ProgramRun;
    let single: ProgramRun;

    before(async () => {
        ha = await run(HA);
        single = await run(PROD);
    });

    it("every object passes schema validation", async () => {
        for (const r of [ha, single])
            for (const o of r.resources.filter((x) => x.type.startsWith("kubernetes:")))
                assert.deepEqual(await validateObject(o.type, o.plain), [], `${o.type} ${o.name}`);
    });

    it("a rule change changes the Prometheus ConfigMap's data and leaves the Prometheus workload byte-identical", async () => {
        const stricter = await run({ ...HA, alertLatencyP95Seconds: "7" });
        const before = configMapOf(ha, "prometheus");
        const after = configMapOf(stricter, "prometheus");
        assert.equal(after.plain.metadata.name, before.plain.metadata.name, "same ConfigMap, updated in place");
        const changed = Object.keys(after.plain.data).filter((k) => after.plain.data[k] !== before.plain.data[k]);
        assert.ok(changed.length > 0 && changed.every((k) => k.includes("rules")), `changed keys: ${changed.join(", ")}`);
        assert.equal(serialized(workload(stricter, "prometheus")), serialized(workload(ha, "prometheus")));
    });

    it("a routing change changes the Alertmanager ConfigMap's data and leaves the Alertmanager workload byte-identical", async () => {
        const slower = await run({ ...HA, alertRepeatInterval: "12h", slackChannel: "#llm-oncall" });
        const before = configMapOf(ha, "alertmanager").plain;
        const after = configMapOf(slower, "alertmanager").plain;
        assert.equal(after.metadata.name, before.metadata.name);
        assert.notDeepEqual(after.data, before.data);
        assert.match(Object.values(after.data).join("\n"), /#llm-oncall/);
        assert.equal(serialized(workload(slower, "alertmanager")), serialized(workload(ha, "alertmanager")));
    });

    it("a flag or image change still rolls the pods (the byte-identity checks can fail)", async () => {
        const changed = await run({ ...HA, prometheusRetention: "60d", alertmanagerImage: "prom/alertmanager:v0.28.0" });
        assert.notEqual(serialized(workload(changed, "prometheus")), serialized(workload(ha, "prometheus")));
        assert.notEqual(serialized(workload(changed, "alertmanager")), serialized(workload(ha, "alertmanager")));
    });

    it("their ConfigMaps and Secrets have fixed names and are mutable; the provider updates them in place", () => {
        const provider = ha.byType(T.provider)[0].plain;
        // Provider inputs reach the engine as strings.
        assert.equal(String(provider.enableConfigMapMutable), "true");
        assert.equal(String(provider.enableSecretMutable), "true");
        // Prometheus has a Secret only with remote-write credentials (prod-stack.test.ts); Alertmanager has Slack's and PagerDuty's here.
        for (const [name, type] of [
            ["prometheus", T.configMap],
            ["alertmanager", T.configMap],
            ["alertmanager", T.secret],
        ]) {
            const own = ha.byType(type).filter((o) => o.plain.metadata.labels?.["app.kubernetes.io/name"] === name);
            assert.equal(own.length, 1, `${name}: one ${type}`);
            assert.ok(own[0].plain.metadata.name?.startsWith(`${name}-`), `${name}: a fixed name`);
            assert.notEqual(own[0].plain.immutable, true);
        }
    });

    it("every other service's files stay immutable and auto-named, so a change rolls its pods", () => {
        const others = [...ha.byType(T.configMap), ...ha.byType(T.secret)].filter(
            (o) => o.plain.metadata.labels?.["app.kubernetes.io/name"] && !RELOADING.includes(o.plain.metadata.labels["app.kubernetes.io/name"]),
        );
        assert.ok(others.length > 0);
        for (const o of others) {
            assert.equal(o.plain.immutable, true, `${o.type} ${o.name}`);
            assert.equal(o.plain.metadata.name, undefined, `${o.type} ${o.name} is auto-named`);
        }
        assert.equal(sidecar(workload(ha, "grafana")), undefined, "no reloader beside Grafana");
    });

    it("the files are one directory mount, no subPath; each file lands at the path the service reads", () => {
        for (const name of RELOADING) {
            const w = workload(ha, name);
            const pod = w.plain.spec.template.spec;
            const volume = pod.volumes.find((v: any) => v.projected);
            const mount = containers(w)[0].volumeMounts.find((m: any) => m.name === volume.name);
            assert.ok(
                containers(w).every((c) => (c.volumeMounts ?? []).every((m: any) => m.subPath === undefined)),
                `${name}: no subPath`,
            );
            const configMap = configMapOf(ha, name).plain;
            const cmSource = volume.projected.sources.find((s: any) => s.configMap).configMap;
            assert.equal(cmSource.name, configMap.metadata.name);
            assert.deepEqual(cmSource.items.map((i: any) => i.key).sort(), Object.keys(configMap.data).sort());
            const paths = volume.projected.sources.flatMap((s: any) =>
                (s.configMap ?? s.secret).items.map((i: any) => posix.join(mount.mountPath, i.path)),
            );
            const flag = containers(w)[0].args.find((a: string) => a.startsWith("--config.file="));
            assert.ok(paths.includes(flag.split("=")[1]), `${name}: --config.file is mounted`);
        }
        // Every rule file Prometheus loads is in the volume.
        const prom = workload(ha, "prometheus");
        const config = YAML.parse(Object.entries(configMapOf(ha, "prometheus").plain.data).find(([k]) => k.endsWith("prometheus.yml"))![1] as string);
        const rulesDirs = (config.rule_files as string[]).map((g) => posix.dirname(g));
        const args: string[] = sidecar(prom).args;
        for (const dir of rulesDirs) assert.ok(args.includes(`--watched-dir=${dir}`), `rules directory ${dir} is watched`);
    });

    it("the sidecar watches every directory holding a file and posts to the pod's loopback reload URL", () => {
        for (const [name, port] of [
            ["prometheus", 9090],
            ["alertmanager", 9093],
        ] as const) {
            const w = workload(ha, name);
            const s = sidecar(w);
            assert.ok(s, `${name} has a reloader`);
            const volume = w.plain.spec.template.spec.volumes.find((v: any) => v.projected);
            const mountPath = containers(w)[0].volumeMounts.find((m: any) => m.name === volume.name).mountPath;
            const files = volume.projected.sources.flatMap((src: any) =>
                (src.configMap ?? src.secret).items.map((i: any) => ({ path: posix.join(mountPath, i.path) })),
            );
            assert.deepEqual(s.volumeMounts, [{ name: volume.name, mountPath, readOnly: true }]);
            assert.equal(configRoot(files), mountPath);
            assert.deepEqual(
                s.args.filter((a: string) => a.startsWith("--watched-dir=")),
                watchedDirectories(files).map((d) => `--watched-dir=${d}`),
            );
            assert.ok(watchedDirectories(files).length >= 2, `${name}: the config directory and the secrets (and rules) directories`);
            assert.ok(s.args.includes(`--reload-url=http://127.0.0.1:${port}/-/reload`), s.args.join(" "));
            assert.ok(!s.args.some((a: string) => a.startsWith("--listen-address")), "the reloader serves nothing");
            assert.equal(s.ports, undefined);
            // The service's own container stays first (policies read the image there).
            assert.equal(containers(w)[0].name, name);
        }
        assert.ok(containers(workload(ha, "prometheus"))[0].args.includes("--web.enable-lifecycle"));
    });

    it("the sidecar is least-privilege and pinned", () => {
        for (const name of RELOADING) {
            const s = sidecar(workload(single, name));
            assert.match(s.image, /^quay\.io\/prometheus-operator\/prometheus-config-reloader:v\d+\.\d+\.\d+$/);
            assert.deepEqual(s.securityContext, {
                runAsNonRoot: true,
                runAsUser: 65534,
                runAsGroup: 65534,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            assert.ok(s.resources.requests.cpu && s.resources.requests.memory && s.resources.limits.memory);
            // It hashes every watched file, the group-readable secrets too: its group is the pod's fsGroup, which owns them.
            const pod = workload(single, name).plain.spec.template.spec;
            assert.equal(s.securityContext.runAsGroup, pod.securityContext.fsGroup);
            const secretItems = pod.volumes.flatMap((v: any) => v.projected?.sources.flatMap((src: any) => src.secret?.items ?? []) ?? []);
            assert.ok(secretItems.length > 0 || name === "prometheus", `${name} projects its Secret`);
            for (const item of secretItems) assert.equal(item.mode & 0o040, 0o040, `${item.path} is group-readable`);
        }
    });

    it("rollouts: several replicas roll one pod at a time; a single one with its ReadWriteOnce claim is recreated", () => {
        for (const name of RELOADING) {
            assert.equal(workload(ha, name).plain.spec.updateStrategy.type, "RollingUpdate", name);
            assert.equal(workload(single, name).plain.spec.strategy.type, "Recreate", name);
        }
    });

    it("operator mode runs no reloader: the operator reloads its own Prometheus and Alertmanager", async () => {
        const operator = await run({
            ...PROD,
            monitoringMode: "operator",
            grafanaUrl: "https://grafana.example.com",
            operatorPrometheusUrl: "http://prometheus-operated.monitoring.svc:9090",
            grafanaAuth: "glsa_reload_test_token",
        });
        const workloads = [...operator.byType(T.deployment), ...operator.byType(T.statefulSet)];
        assert.ok(workloads.length > 0);
        for (const w of workloads) assert.equal(sidecar(w), undefined, w.plain.metadata.name);
    });
});
