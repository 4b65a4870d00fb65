/**
 * Configuration changes reach a running Prometheus and Alertmanager without a
 * rollout (prod stack under the SDK's mocks): a rule or routing change changes
 * only the data of a fixed-name ConfigMap, never the workload; the files are
 * mounted as one directory (no subPath, which the kubelet never updates); a
 * least-privilege sidecar, in the server's image and as its user, watches the
 * directory and signals the server in the shared process namespace (no
 * password needed). Flag and image changes still roll.
 */
import * as assert from "node:assert/strict";
import * as posix from "node:path/posix";
import YAML from "yaml";
import { type MockResource, type ProgramRun, runProgram, stackFileConfig } from "../../../tests/harness";
import { validateObject } from "../../../tests/support/kubernetes-schemas";
import { operatorMode } from "../../../tests/support/operator-mode";
import { withProductionSecrets } from "../../../tests/support/production-secrets";
import { CONFIG_RELOADER_CONTAINER, configRoot, RELOAD_SCRIPT } from "./config-reloader";

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
/** A container's environment as name to value. */
const envOf = (c: any): Record<string, string> => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
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
        // Every rule file Prometheus loads is under the directory the sidecar hashes.
        const prom = workload(ha, "prometheus");
        const config = YAML.parse(Object.entries(configMapOf(ha, "prometheus").plain.data).find(([k]) => k.endsWith("prometheus.yml"))![1] as string);
        const watched = envOf(sidecar(prom)).CONFIG_DIR;
        for (const glob of config.rule_files as string[]) assert.ok(glob.startsWith(`${watched}/`), `${glob} is under ${watched}`);
    });

    it("the sidecar signals its own server: shared process namespace, the server's image, RELOAD_MATCH its --config.file", () => {
        for (const name of RELOADING) {
            const w = workload(ha, name);
            const pod = w.plain.spec.template.spec;
            const s = sidecar(w);
            assert.ok(s, `${name} has a reloader`);
            assert.equal(pod.shareProcessNamespace, true, `${name}: the sidecar sees the server's process`);
            const server = containers(w)[0];
            // The service's own container stays first (policies read the image there).
            assert.equal(server.name, name);
            assert.equal(s.image, server.image, `${name}: the server's pinned image runs the loop`);
            assert.deepEqual(s.command, ["/bin/sh", "-c", RELOAD_SCRIPT]);
            const env = envOf(s);
            assert.ok(server.args.includes(`--${env.RELOAD_MATCH}`), `${name}: RELOAD_MATCH ${env.RELOAD_MATCH} is the server's flag`);
            assert.match(env.RELOAD_MATCH, /^config\.file=\/etc\//);
            assert.equal(env.RELOAD_INTERVAL_SECONDS, "30");
            const volume = pod.volumes.find((v: any) => v.projected);
            const mountPath = server.volumeMounts.find((m: any) => m.name === volume.name).mountPath;
            const files = volume.projected.sources.flatMap((src: any) =>
                (src.configMap ?? src.secret).items.map((i: any) => ({ path: posix.join(mountPath, i.path) })),
            );
            assert.deepEqual(s.volumeMounts, [{ name: volume.name, mountPath, readOnly: true }]);
            assert.equal(configRoot(files), mountPath);
            assert.equal(env.CONFIG_DIR, mountPath, `${name}: hashes every file of the volume`);
            assert.equal(s.ports, undefined, "the reloader serves nothing");
            assert.equal(s.args, undefined);
        }
        // Services that reload nothing keep their own process namespace.
        assert.equal(workload(ha, "grafana").plain.spec.template.spec.shareProcessNamespace, undefined);
    });

    it("no secret reaches the sidecar's command or environment", () => {
        const secretValues = ha
            .byType(T.secret)
            .flatMap((o) => [
                ...Object.values<string>(o.plain.stringData ?? {}),
                ...Object.values<string>(o.plain.data ?? {}).map((b64) => Buffer.from(b64, "base64").toString("utf8")),
            ]);
        const values = [...Object.values(SECRETS), ...secretValues].filter((v) => v.trim().length >= 8);
        assert.ok(values.length > Object.keys(SECRETS).length, "the stack's own Secrets were read (passwords, web configurations)");
        for (const name of RELOADING) {
            const s = sidecar(workload(ha, name));
            const exposed = JSON.stringify([s.command, s.args, s.env]);
            for (const v of values) assert.ok(!exposed.includes(v.trim()), `${name}: a secret value in the sidecar's command or env`);
            assert.deepEqual(Object.keys(envOf(s)).sort(), ["CONFIG_DIR", "RELOAD_INTERVAL_SECONDS", "RELOAD_MATCH"]);
        }
    });

    it("the sidecar is least-privilege and runs as its server's user (a signal needs the same uid)", () => {
        for (const name of RELOADING) {
            const w = workload(single, name);
            const s = sidecar(w);
            const server = containers(w)[0];
            assert.deepEqual(s.securityContext, {
                runAsNonRoot: true,
                runAsUser: server.securityContext.runAsUser,
                runAsGroup: server.securityContext.runAsGroup,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            assert.notEqual(s.securityContext.runAsUser, 0);
            assert.ok(s.resources.requests.cpu && s.resources.requests.memory && s.resources.limits.memory);
            // It hashes every file, the group-readable secrets too: its group is the pod's fsGroup, which owns them.
            const pod = w.plain.spec.template.spec;
            assert.equal(s.securityContext.runAsGroup, pod.securityContext.fsGroup);
            const secretItems = pod.volumes.flatMap((v: any) => v.projected?.sources.flatMap((src: any) => src.secret?.items ?? []) ?? []);
            assert.ok(secretItems.length > 0, `${name} projects its Secret`);
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
            ...operatorMode("glsa_reload_test_token"),
        });
        const workloads = [...operator.byType(T.deployment), ...operator.byType(T.statefulSet)];
        assert.ok(workloads.length > 0);
        for (const w of workloads) assert.equal(sidecar(w), undefined, w.plain.metadata.name);
    });
});
