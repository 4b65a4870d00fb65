/**
 * The router in front of several SGLang servers, under mocks: on one Docker
 * host (workers on disjoint GPUs, the router's flags, every worker scraped),
 * on Kubernetes (discovery of the SGLang pods, RBAC limited to what the
 * router's code calls, probes, budget, Service, schema-valid objects), and a
 * single server without it.
 */
import * as assert from "node:assert/strict";
import YAML from "yaml";
import { parseSettings } from "../../settings";
import { type MockResource, type ProgramRun, plainOccurrences, runProgram, stackFileConfig } from "../../tests/harness";
import { validateObject } from "../../tests/support/kubernetes-schemas";
import { byName, flagValues, podSpec } from "../../tests/support/mock-objects";
import { operatorMode } from "../../tests/support/operator-mode";
import { withProductionSecrets } from "../../tests/support/production-secrets";
import { checkedPrometheusConfig as checkedConfigOf } from "../../tests/support/prometheus-config";
import { LAUNCHER_OPTIONS } from "./launcherOptions";
import { LAUNCH_WITH_API_KEY, ROUTER_API_KEY_FILE, routerArgs } from "./spec";

const CONTAINER = "docker:index/container:Container";
const T = {
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    configMap: "kubernetes:core/v1:ConfigMap",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    probe: "kubernetes:monitoring.coreos.com/v1:Probe",
};
const API_KEY = "router-test-api-key-value";
const DEV = stackFileConfig("Pulumi.dev.yaml");
const { config: PROD, secretKeys: PROD_SECRET_KEYS } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
const OPERATOR = operatorMode("glsa_router_test_token");

const serviceOf = (c: MockResource): string => c.plain.labels.find((l: any) => l.label === "sglang-ananke.service").value;
const containersOf = (r: ProgramRun, service: string) => r.byType(CONTAINER).filter((c) => serviceOf(c) === service);
const oneContainer = (r: ProgramRun, service: string): MockResource => {
    const found = containersOf(r, service);
    assert.equal(found.length, 1, `one container for ${service}`);
    return found[0];
};

/** The Prometheus configuration the run uploads, checked by promtool, parsed. */
const checkedPrometheusConfig = (r: ProgramRun): any => checkedConfigOf(oneContainer(r, "prometheus"));
const job = (config: any, name: string) => config.scrape_configs.find((j: any) => j.job_name === name);

describe("the router's command line", () => {
    it("passes only options the image's launcher declares", () => {
        for (const [stack, raw] of [
            ["dev", { sglangWorkers: "2" }],
            ["dev", { router: "true", routerPolicy: "power_of_two" }],
            ["prod", { target: "kubernetes", replicas: "3", modelCacheAccessMode: "ReadWriteMany" }],
        ] as const) {
            const options = routerArgs(parseSettings(stack, raw)).filter((a) => a.startsWith("--"));
            assert.ok(options.length >= 8, options.join(" "));
            for (const o of options) assert.ok(LAUNCHER_OPTIONS.has(o), `${o} (${JSON.stringify(raw)})`);
        }
        assert.ok(LAUNCH_WITH_API_KEY[2].includes('"--api-key"') && LAUNCHER_OPTIONS.has("--api-key"));
        // The list is the launcher's, not every spelling (the check can fail).
        assert.ok(!LAUNCHER_OPTIONS.has("--worker-url") && !LAUNCHER_OPTIONS.has("--engine-metrics"));
    });
});

describe("the router in front of SGLang servers (mocks)", function () {
    this.timeout(180000);

    describe("one Docker host, two servers of two GPUs each", () => {
        let two: ProgramRun;
        let withKey: ProgramRun;
        before(async () => {
            const config = { ...DEV, sglangWorkers: "2", gpuCount: "2", dockerHostGpus: "4" };
            two = await runProgram(config);
            withKey = await runProgram({ ...config, sglangApiKey: API_KEY }, { secretKeys: ["sglangApiKey"] });
        });

        it("runs a container per server, each on its own GPUs, named on the network and not published", () => {
            const workers = containersOf(two, "sglang");
            assert.deepEqual(
                workers.map((c) => c.plain.name),
                ["sglang-ananke-dev-sglang-0", "sglang-ananke-dev-sglang-1"],
            );
            assert.deepEqual(
                workers.map((c) => c.plain.deviceRequests),
                [
                    [{ driver: "nvidia", capabilities: ["gpu"], deviceIds: ["0", "1"] }],
                    [{ driver: "nvidia", capabilities: ["gpu"], deviceIds: ["2", "3"] }],
                ],
            );
            assert.deepEqual(
                workers.map((c) => c.plain.networksAdvanced[0].aliases),
                [
                    ["sglang-0", "sglang"],
                    ["sglang-1", "sglang"],
                ],
            );
            for (const c of workers) {
                assert.deepEqual(c.plain.ports, [], `${c.plain.name} publishes nothing`);
                assert.equal(c.plain.command[c.plain.command.indexOf("--tp-size") + 1], "2");
                assert.equal(c.plain.wait, true);
            }
            // One model cache for both.
            assert.equal(new Set(workers.map((c) => c.plain.volumes[0].volumeName)).size, 1);
        });

        it("listed GPU indices are split among the servers in order", async () => {
            const listed = await runProgram({ ...DEV, sglangWorkers: "2", gpuCount: "2", gpuDevices: "[4,5,6,7]" });
            assert.deepEqual(
                containersOf(listed, "sglang").map((c) => c.plain.deviceRequests[0].deviceIds),
                [
                    ["4", "5"],
                    ["6", "7"],
                ],
            );
        });

        it("puts the router on the published API port, with every server as a worker and the cache-aware policy", async () => {
            const router = oneContainer(two, "sglang-router");
            assert.equal(router.plain.name, "sglang-ananke-dev-sglang-router");
            assert.match(router.plain.labels.find((l: any) => l.label === "org.opencontainers.image.source").value, /^lightseekorg\/smg:1\.9\.0$/);
            assert.deepEqual(router.plain.ports, [{ internal: 30000, external: 30000, ip: "127.0.0.1", protocol: "tcp" }]);
            const args: string[] = router.plain.command;
            assert.deepEqual(flagValues(args, "--worker-urls"), ["http://sglang-0:30000", "http://sglang-1:30000"]);
            assert.deepEqual(flagValues(args, "--policy"), ["cache_aware"]);
            assert.deepEqual(flagValues(args, "--prometheus-port"), ["29000"]);
            assert.deepEqual(flagValues(args, "--health-check-port"), ["29001"]);
            // A restarted server reloading its model (sglangStartupSeconds) must not be dropped for good.
            const threshold = Number(flagValues(args, "--health-failure-threshold")[0]);
            assert.ok(3 * threshold * 60 >= 1800, `${threshold} × 3 probes of 60 s cover the startup allowance`);
            assert.equal(router.plain.entrypoints, undefined, "the image's own entrypoint without an API key");
            // `docker stop` lets the router finish its drain.
            const drain = Number(flagValues(args, "--shutdown-grace-period-secs")[0]);
            assert.ok(router.plain.stopTimeout > drain, `stop timeout ${router.plain.stopTimeout} > drain ${drain}`);
            // The image has no curl: the check runs python3 against the probe listener.
            assert.deepEqual(router.plain.healthcheck.tests.slice(0, 2), ["CMD", "python3"]);
            assert.match(router.plain.healthcheck.tests.at(-1), /127\.0\.0\.1:29001\/liveness/);
            assert.deepEqual(flagValues(args, "--cache-threshold"), ["0.3"]);
            assert.deepEqual(flagValues(args, "--balance-abs-threshold"), ["64"]);
            assert.deepEqual(flagValues(args, "--balance-rel-threshold"), ["1.5"]);
            const other = await runProgram({ ...DEV, sglangWorkers: "2", routerPolicy: "round_robin", routerCacheThreshold: "0.5" });
            const otherArgs: string[] = oneContainer(other, "sglang-router").plain.command;
            assert.deepEqual(flagValues(otherArgs, "--policy"), ["round_robin"]);
            // Cache-aware tuning only with that policy.
            assert.ok(!otherArgs.includes("--cache-threshold"));
        });

        it("Prometheus scrapes every server as one job, a target each, and the router's metrics port", () => {
            const config = checkedPrometheusConfig(two);
            assert.deepEqual(job(config, "sglang").static_configs[0].targets, ["sglang-0:30000", "sglang-1:30000"]);
            assert.deepEqual(job(config, "sglang-router").static_configs[0].targets, ["sglang-router:29000"]);
        });

        it("the canary and the OpenAI URL go through the router; no SGLang metrics URL is published", () => {
            const config = checkedPrometheusConfig(two);
            const canary = config.scrape_configs.find((j: any) => j.job_name === "sglang-canary");
            assert.deepEqual(canary.static_configs[0].targets, ["http://sglang-router:30000/v1/chat/completions"]);
            assert.equal(two.outputs.openaiBaseUrl, "http://localhost:30000/v1");
            assert.equal(two.outputs.sglangMetricsUrl, undefined);
        });

        it("reads SGLang's API key from a secret file in-process: never on a command line or in plain inputs", () => {
            const router = oneContainer(withKey, "sglang-router");
            const [python, flag, code] = router.plain.entrypoints;
            assert.deepEqual([python, flag], ["python3", "-c"]);
            assert.ok(code.includes(`open("${ROUTER_API_KEY_FILE}")`) && code.includes('"--api-key"') && code.includes("smg.launch_router"), code);
            const upload = router.plain.uploads.find((u: any) => u.file === ROUTER_API_KEY_FILE);
            assert.equal(upload?.content, API_KEY, "the key is uploaded as a file");
            for (const r of withKey.resources) assert.deepEqual(plainOccurrences(r.inputs, API_KEY), [], `${r.type} ${r.name}`);
            for (const [name, value] of Object.entries(withKey.outputs)) assert.deepEqual(plainOccurrences(value, API_KEY), [], `output ${name}`);
        });
    });

    describe("one Docker server", () => {
        it("serves directly: no router, SGLang published, scraped alone", async () => {
            const one = await runProgram(DEV);
            assert.equal(containersOf(one, "sglang-router").length, 0);
            const sglang = oneContainer(one, "sglang");
            assert.equal(sglang.plain.name, "sglang-ananke-dev-sglang");
            assert.deepEqual(sglang.plain.networksAdvanced[0].aliases, ["sglang"]);
            assert.equal(sglang.plain.ports[0].external, 30000);
            const config = checkedPrometheusConfig(one);
            assert.equal(job(config, "sglang-router"), undefined);
            assert.deepEqual(job(config, "sglang").static_configs[0].targets, ["sglang:30000"]);
            assert.equal(one.outputs.openaiBaseUrl, "http://localhost:30000/v1");
            assert.equal(one.outputs.sglangMetricsUrl, "http://localhost:30000/metrics");
        });

        it("gets the router when asked, which then takes the published port", async () => {
            const asked = await runProgram({ ...DEV, router: "true" });
            assert.deepEqual(flagValues(oneContainer(asked, "sglang-router").plain.command, "--worker-urls"), ["http://sglang:30000"]);
            assert.deepEqual(oneContainer(asked, "sglang").plain.ports, []);
        });
    });

    describe("Kubernetes: SGLang replicas behind the router", () => {
        let prod: ProgramRun;
        let operator: ProgramRun;
        before(async () => {
            prod = await runProgram({ ...PROD, sglangApiKey: API_KEY }, { stack: "prod", secretKeys: [...PROD_SECRET_KEYS, "sglangApiKey"] });
            operator = await runProgram({ ...PROD, ...OPERATOR }, { stack: "prod", secretKeys: [...PROD_SECRET_KEYS, "grafanaAuth"] });
        });

        it("every object of the router passes schema validation", async () => {
            const routerObjects = prod.resources.filter(
                (x) => x.type.startsWith("kubernetes:") && x.plain.metadata?.labels?.["app.kubernetes.io/name"] === "sglang-router",
            );
            assert.deepEqual(routerObjects.map((o) => o.plain.kind).sort(), [
                "Deployment",
                "PodDisruptionBudget",
                "Role",
                "RoleBinding",
                "Secret",
                "Service",
                "ServiceAccount",
            ]);
            for (const o of routerObjects) assert.deepEqual(await validateObject(o.type, o.plain), [], `${o.type} ${o.name}`);
        });

        it("discovers exactly the SGLang pods of the stack's namespace on SGLang's port", () => {
            const sglang = byName(prod, T.deployment, "sglang");
            const args: string[] = podSpec(byName(prod, T.deployment, "sglang-router")).containers[0].args;
            assert.ok(args.includes("--service-discovery"));
            assert.ok(!args.includes("--worker-urls"));
            const selector = Object.fromEntries(flagValues(args, "--selector").map((kv) => kv.split("=")));
            assert.deepEqual(selector, sglang.plain.spec.selector.matchLabels);
            const podLabels = sglang.plain.spec.template.metadata.labels;
            for (const [k, v] of Object.entries(selector)) assert.equal(podLabels[k], v, `SGLang pods carry ${k}=${v}`);
            // No other Deployment's pods match (the router's own among them).
            for (const d of prod.byType(T.deployment).filter((x) => x.plain.metadata.name !== "sglang")) {
                const labels = d.plain.spec.template.metadata.labels;
                assert.ok(!Object.entries(selector).every(([k, v]) => labels[k] === v), `${d.plain.metadata.name} is not a worker`);
            }
            assert.deepEqual(flagValues(args, "--service-discovery-namespace"), ["sglang"]);
            const sglangPort = sglang.plain.spec.template.spec.containers[0].ports.find((p: any) => p.name === "http").containerPort;
            assert.deepEqual(flagValues(args, "--service-discovery-port"), [String(sglangPort)]);
        });

        it("may only list and watch pods, in its own namespace, through its own ServiceAccount", () => {
            const account = byName(prod, T.serviceAccount, "sglang-router").plain;
            const role = byName(prod, T.role, "sglang-router").plain;
            const binding = byName(prod, T.roleBinding, "sglang-router").plain;
            assert.equal(role.metadata.namespace, "sglang");
            assert.deepEqual(role.rules, [{ apiGroups: [""], resources: ["pods"], verbs: ["list", "watch"] }]);
            assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name });
            assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: account.metadata.name, namespace: "sglang" }]);
            assert.equal(podSpec(byName(prod, T.deployment, "sglang-router")).serviceAccountName, account.metadata.name);
            assert.equal(prod.byType(T.clusterRole).length, 0);
        });

        it("probes /liveness and /readiness on the probe listener; two pods spread over nodes, a drain leaves one", () => {
            const d = byName(prod, T.deployment, "sglang-router");
            const c = podSpec(d).containers[0];
            assert.deepEqual(c.livenessProbe.httpGet, { path: "/liveness", port: "probes" });
            assert.deepEqual(c.readinessProbe.httpGet, { path: "/readiness", port: "probes" });
            assert.deepEqual(
                c.ports.map((p: any) => [p.name, p.containerPort]),
                [
                    ["http", 30000],
                    ["metrics", 29000],
                    ["probes", 29001],
                ],
            );
            assert.equal(d.plain.spec.replicas, 2);
            assert.ok(podSpec(d).affinity.podAntiAffinity, "spread over nodes");
            // The kubelet waits for the router's drain before killing it.
            const drain = Number(flagValues(c.args, "--shutdown-grace-period-secs")[0]);
            assert.ok(podSpec(d).terminationGracePeriodSeconds > drain, `grace ${podSpec(d).terminationGracePeriodSeconds} > drain ${drain}`);
            const pdb = byName(prod, T.pdb, "sglang-router").plain.spec;
            assert.equal(pdb.minAvailable, 1);
            assert.deepEqual(pdb.selector.matchLabels, d.plain.spec.selector.matchLabels);
            const svc = byName(prod, T.service, "sglang-router").plain.spec;
            assert.deepEqual(svc.selector, d.plain.spec.selector.matchLabels);
            assert.deepEqual(
                svc.ports.map((p: any) => p.name),
                ["http", "metrics", "probes"],
            );
            assert.equal(prod.outputs.openaiBaseUrl, "http://sglang-router.sglang.svc:30000/v1");
        });

        it("runs as the image's user, the API key in a Secret it can read, never in args", () => {
            const d = byName(prod, T.deployment, "sglang-router");
            const pod = podSpec(d);
            const c = pod.containers[0];
            assert.equal(c.securityContext.runAsUser, 65532);
            assert.equal(pod.securityContext.fsGroup, 65532);
            assert.deepEqual(c.command.slice(0, 2), ["python3", "-c"]);
            assert.ok(c.volumeMounts.some((m: any) => m.mountPath === ROUTER_API_KEY_FILE));
            for (const r of prod.resources.filter((x) => x.type !== "kubernetes:core/v1:Secret"))
                assert.deepEqual(plainOccurrences(r.inputs, API_KEY), [], `${r.type} ${r.name}`);
        });

        it("Prometheus finds the router's pods by their metrics port; the canary goes through the router", () => {
            const cm = prod.byType(T.configMap).find((x) => x.plain.metadata.labels?.["app.kubernetes.io/name"] === "prometheus")!;
            const promYaml = Object.entries(cm.plain.data).find(([k]) => k.endsWith("prometheus.yml"))![1] as string;
            const config = YAML.parse(promYaml);
            const routerJob = job(config, "sglang-router");
            assert.deepEqual(routerJob.kubernetes_sd_configs, [{ role: "pod", namespaces: { names: ["sglang"] } }]);
            assert.ok(
                routerJob.relabel_configs.some(
                    (r: any) => r.source_labels?.[0] === "__meta_kubernetes_pod_container_port_name" && r.regex === "metrics",
                ),
            );
            const canary = job(config, "sglang-canary");
            assert.deepEqual(canary.static_configs[0].targets, ["http://sglang-router.sglang.svc:30000/v1/chat/completions"]);
        });

        it("operator mode: a monitor for the router's metrics port, the canary's Probe through the router", () => {
            const monitor = byName(operator, T.serviceMonitor, "sglang-ananke-sglang-router").plain.spec;
            assert.deepEqual(
                monitor.endpoints.map((e: any) => e.port),
                ["metrics"],
            );
            assert.deepEqual(operator.one(T.probe).plain.spec.targets.staticConfig.static, [
                "http://sglang-router.sglang.svc:30000/v1/chat/completions",
            ]);
        });

        it("with network policies: its API from the namespace and the client CIDRs, its metrics from Prometheus", async () => {
            const r = await runProgram(
                { ...PROD, networkPolicyEnabled: "true", apiClientCidrs: '["10.20.0.0/16"]' },
                { stack: "prod", secretKeys: PROD_SECRET_KEYS },
            );
            const policy = byName(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "sglang-router-ingress");
            assert.deepEqual(await validateObject(policy.type, policy.plain), []);
            const spec = policy.plain.spec;
            assert.deepEqual(spec.podSelector.matchLabels, byName(r, T.deployment, "sglang-router").plain.spec.selector.matchLabels);
            const rulesFor = (port: string) => spec.ingress.filter((rule: any) => rule.ports.some((p: any) => p.port === port));
            // Clients reach the API; the canary's prober too (components/networkPolicy/policies.test.ts has every flow).
            assert.ok(rulesFor("http").some((rule: any) => rule.from.some((f: any) => f.ipBlock?.cidr === "10.20.0.0/16")));
            const prometheus = byName(r, T.deployment, "prometheus").plain.spec.selector.matchLabels;
            assert.deepEqual(
                rulesFor("metrics").flatMap((rule: any) => rule.from.map((f: any) => f.podSelector?.matchLabels)),
                [prometheus],
            );
            // The servers behind it admit the router and Prometheus, and no outside client.
            const sglang = byName(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "sglang-ingress").plain.spec;
            assert.ok(sglang.ingress.every((rule: any) => rule.from.every((f: any) => !f.ipBlock)));
        });

        it("a single replica serves directly (the check can fail)", async () => {
            const one = await runProgram({ ...PROD, replicas: "1", modelCacheStorageClass: "gp3" }, { stack: "prod", secretKeys: PROD_SECRET_KEYS });
            assert.equal(one.byType(T.deployment).filter((d) => d.plain.metadata.name === "sglang-router").length, 0);
            assert.equal(one.byType(T.role).filter((r) => r.plain.metadata.name === "sglang-router").length, 0);
            assert.equal(one.outputs.openaiBaseUrl, "http://sglang.sglang.svc:30000/v1");
        });
    });
});
