/**
 * The dev stack under mocks: every service, its flags, volumes, ports,
 * secrets and the Grafana content, as `pulumi up` would create them.
 */

import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { SGLANG_LAUNCHER, SGLANG_LAUNCHER_PATH } from "../components/sglang/launcher";
import { pinnedImage } from "../settings/checks";
import { tool } from "./debian-tools";
import { type MockResource, type ProgramRun, plainOccurrences, runProgram, stackFileConfig } from "./harness";
import { forAmtool025 } from "./support/monitoring/tools";
import { checkedPrometheusConfig } from "./support/prometheus-config";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const VOLUME = "docker:index/volume:Volume";

const SECRETS = {
    slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/slack-secret-value",
    pagerdutyRoutingKey: "pdroutingkey0123456789abcdefABCD",
    heartbeatUrl: "https://heartbeat.example.com/ping/heartbeat-secret-value",
    huggingFaceToken: "hf_huggingface_secret_value",
    sglangApiKey: "sglang-api-secret-value",
};

function container(run: ProgramRun, service: string): MockResource {
    const found = run.byType(CONTAINER).filter((c) => c.plain.labels?.some((l: any) => l.label === "sglang-ananke.service" && l.value === service));
    assert.equal(found.length, 1, `one container for ${service}`);
    return found[0];
}

const upload = (c: MockResource, file: string): string => {
    const u = (c.plain.uploads ?? []).find((x: any) => x.file === file);
    assert.ok(u, `${c.name} uploads ${file}`);
    return u.content;
};

describe("dev stack (Docker) under mocks", function () {
    this.timeout(60000);
    let run: ProgramRun;
    let withSecrets: ProgramRun;

    before(async () => {
        run = await runProgram(stackFileConfig("Pulumi.dev.yaml"));
        withSecrets = await runProgram({ ...stackFileConfig("Pulumi.dev.yaml"), ...SECRETS }, { secretKeys: Object.keys(SECRETS) });
    });

    it("deploys every service from a pinned image on one network", () => {
        const services = ["sglang", "prometheus", "alertmanager", "grafana", "node-exporter", "gpu-exporter", "blackbox-exporter"];
        for (const s of services) container(run, s);
        const network = run.one("docker:index/network:Network");
        for (const c of run.byType(CONTAINER)) {
            assert.deepEqual(
                c.plain.networksAdvanced.map((n: any) => n.aliases),
                [[c.plain.labels.find((l: any) => l.label === "sglang-ananke.service").value]],
            );
            assert.equal(c.plain.networksAdvanced[0].name, network.plain.name);
        }
        const images = run.byType(IMAGE);
        assert.equal(images.length, services.length);
        for (const image of images) assert.ok(pinnedImage()(image.plain.name).ok, `${image.plain.name} is pinned`);
    });

    it("runs the canary: the blackbox exporter, unpublished, with SGLang's API key as a secret file, probed by Prometheus", () => {
        const prober = container(withSecrets, "blackbox-exporter");
        assert.deepEqual(prober.plain.ports ?? [], [], "nothing published");
        const key = (prober.plain.uploads ?? []).find((u: any) => u.file === "/etc/blackbox/secrets/sglang-api-key");
        assert.ok(key, "the API key is uploaded as a file");
        assert.ok(!upload(prober, "/etc/blackbox/blackbox.yml").includes(SECRETS.sglangApiKey), "never in the configuration");
        assert.match(upload(prober, "/etc/blackbox/blackbox.yml"), /credentials_file: \/etc\/blackbox\/secrets\/sglang-api-key/);
        const config = upload(container(run, "prometheus"), "/etc/prometheus/prometheus.yml");
        assert.match(
            config,
            /job_name: sglang-canary[\s\S]*metrics_path: \/probe[\s\S]*http:\/\/sglang:30000\/v1\/chat\/completions[\s\S]*replacement: blackbox-exporter:9115/,
        );
    });

    it("starts SGLang with metrics, the Ananke backend and tp-size = GPUs requested", async () => {
        const c = container(run, "sglang");
        const args: string[] = c.plain.command;
        const flag = (f: string) => args[args.indexOf(f) + 1];
        assert.ok(args.includes("--enable-metrics"));
        assert.equal(flag("--grammar-backend"), "ananke");
        assert.equal(flag("--ananke-language"), "python");
        assert.equal(flag("--ananke-max-rollback-tokens"), "200");
        assert.equal(flag("--ananke-enabled-domains"), "syntax,types,imports,controlflow,semantics");
        assert.equal(flag("--tp-size"), "1");
        assert.deepEqual(c.plain.deviceRequests, [{ driver: "nvidia", capabilities: ["gpu"], count: 1 }]);
        assert.equal(c.plain.shmSize, 16384);
        assert.equal(c.plain.healthcheck.tests.at(-1), "http://127.0.0.1:30000/health");
        assert.equal(c.plain.healthcheck.startPeriod, "1800s");
        assert.equal(c.plain.wait, true);

        const four = await runProgram({ ...stackFileConfig("Pulumi.dev.yaml"), gpuCount: "4", gpuDevices: "[4,5,6,7]" });
        const c4 = container(four, "sglang");
        assert.equal(c4.plain.command[c4.plain.command.indexOf("--tp-size") + 1], "4");
        assert.deepEqual(c4.plain.deviceRequests, [{ driver: "nvidia", capabilities: ["gpu"], deviceIds: ["4", "5", "6", "7"] }]);
    });

    it("keeps data on named volumes: TSDB, Alertmanager, Grafana and the model cache", () => {
        const volumes = new Map(run.byType(VOLUME).map((v) => [v.plain.name, v]));
        const expect: [string, string][] = [
            ["prometheus", "/prometheus"],
            ["alertmanager", "/alertmanager"],
            ["grafana", "/var/lib/grafana"],
            ["sglang", "/root/.cache/huggingface"],
        ];
        for (const [service, mountPath] of expect) {
            const mounts = container(run, service).plain.volumes;
            const mount = mounts.find((m: any) => m.containerPath === mountPath);
            assert.ok(mount, `${service} mounts ${mountPath}`);
            assert.ok(volumes.has(mount.volumeName), `${mount.volumeName} is a named volume`);
            assert.equal(volumes.get(mount.volumeName)!.retainOnDelete, true, `pulumi destroy keeps ${mount.volumeName}`);
        }
        assert.equal(volumes.size, expect.length, "every volume holds data");
    });

    it("publishes only what people use: SGLang and Grafana on bindAddress, the monitoring UIs on loopback, no exporter", async () => {
        const published = (r: ProgramRun) =>
            Object.fromEntries(
                r
                    .byType(CONTAINER)
                    .map((c) => [
                        c.plain.labels.find((l: any) => l.label === "sglang-ananke.service").value,
                        (c.plain.ports ?? []).map((p: any) => `${p.ip}:${p.external}`),
                    ]),
            );
        const loopback = {
            sglang: ["127.0.0.1:30000"],
            grafana: ["127.0.0.1:3000"],
            prometheus: ["127.0.0.1:9090"],
            alertmanager: ["127.0.0.1:9093"],
            "node-exporter": [],
            "gpu-exporter": [],
            "blackbox-exporter": [],
        };
        assert.deepEqual(published(run), loopback);
        const open = await runProgram({ ...stackFileConfig("Pulumi.dev.yaml"), bindAddress: "0.0.0.0" });
        assert.deepEqual(published(open), { ...loopback, sglang: ["0.0.0.0:30000"], grafana: ["0.0.0.0:3000"] });
        const monitoring = await runProgram({ ...stackFileConfig("Pulumi.dev.yaml"), monitoringBindAddress: "10.0.0.5" });
        assert.deepEqual(published(monitoring), { ...loopback, prometheus: ["10.0.0.5:9090"], alertmanager: ["10.0.0.5:9093"] });
        const exposed = (r: ProgramRun, service: string) =>
            container(r, service).plain.labels.find((l: any) => l.label === "sglang-ananke.exposed").value;
        assert.deepEqual([exposed(monitoring, "prometheus"), exposed(monitoring, "sglang"), exposed(open, "prometheus")], ["true", "false", "false"]);
    });

    it("hardens every container: no new privileges, every capability dropped but those it needs, an explicit log driver", async () => {
        const nvidiaSmi = await runProgram({ ...stackFileConfig("Pulumi.dev.yaml"), gpuExporter: "nvidia-smi" });
        const needs: Record<string, string[]> = { "gpu-exporter": ["SYS_ADMIN"] };
        for (const r of [run, withSecrets, nvidiaSmi]) {
            const dcgm = r !== nvidiaSmi;
            for (const c of r.byType(CONTAINER)) {
                const service = c.plain.labels.find((l: any) => l.label === "sglang-ananke.service").value;
                assert.deepEqual(c.plain.securityOpts, ["no-new-privileges:true"], service);
                const adds = dcgm ? needs[service] : undefined;
                assert.deepEqual(c.plain.capabilities, { drops: ["ALL"], ...(adds ? { adds } : {}) }, service);
                assert.equal(c.plain.logDriver, "json-file", service);
                assert.deepEqual(c.plain.logOpts, { "max-size": "50m", "max-file": "5" }, service);
                assert.equal(c.plain.privileged, undefined, service);
            }
        }
        // The one image that writes nothing but serves HTTP gets a read-only root; the others take uploaded files.
        const readOnly = run
            .byType(CONTAINER)
            .filter((c) => c.plain.readOnly)
            .map((c) => c.name);
        assert.deepEqual(readOnly, ["node-exporter"]);
    });

    it("gives node exporter the host's /proc, /sys and root filesystem, read-only", () => {
        const c = container(run, "node-exporter");
        const mounts = Object.fromEntries(c.plain.mounts.map((m: any) => [m.source, m]));
        for (const [source, target] of [
            ["/proc", "/host/proc"],
            ["/sys", "/host/sys"],
            ["/", "/host/root"],
        ]) {
            assert.equal(mounts[source].target, target);
            assert.equal(mounts[source].readOnly, true);
        }
        assert.equal(c.plain.pidMode, "host");
        assert.equal(container(run, "gpu-exporter").plain.gpus, "all");
    });

    it("names the Docker host in GPU series: DCGM's NODE_NAME and the targets' node label", async () => {
        assert.ok(container(run, "gpu-exporter").plain.envs.includes(`NODE_NAME=${os.hostname()}`), "a local daemon runs on this machine");
        assert.match(upload(container(run, "prometheus"), "/etc/prometheus/prometheus.yml"), new RegExp(`node: ${os.hostname()}`));
        const dev = stackFileConfig("Pulumi.dev.yaml");
        const remote = await runProgram({ ...dev, dockerHost: "ssh://ops@gpu-host-7", publicHost: "localhost" });
        assert.ok(container(remote, "gpu-exporter").plain.envs.includes("NODE_NAME=gpu-host-7"));
        const named = await runProgram({ ...dev, dockerHostName: "rack4-gpu2" });
        assert.ok(container(named, "gpu-exporter").plain.envs.includes("NODE_NAME=rack4-gpu2"));
    });

    it("points the Grafana provider at the Grafana container with the generated credentials", () => {
        const provider = run.one("pulumi:providers:grafana");
        const grafanaPort = container(run, "grafana").plain.ports[0].external;
        assert.equal(provider.plain.url, `http://localhost:${grafanaPort}`);
        assert.equal(provider.plain.auth, "admin:mock-password-grafana-admin-password");
        assert.ok(plainOccurrences(provider.inputs, "mock-password").length === 0, "auth is a secret input");
        const password = upload(container(run, "grafana"), "/run/secrets/grafana/admin_password");
        assert.equal(password, "mock-password-grafana-admin-password");
        const env: string[] = container(run, "grafana").plain.envs;
        assert.ok(env.includes("GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana/admin_password"));
        assert.ok(env.includes("GF_USERS_ALLOW_SIGN_UP=false"));
        assert.ok(env.includes("GF_AUTH_ANONYMOUS_ENABLED=false"));
        assert.ok(!env.some((e) => /admin\/admin|PASSWORD=/.test(e)), "no password in the environment");
    });

    it("Prometheus and Alertmanager require the generated password; their clients and health checks send it from files", () => {
        const passwords = { prometheus: "mock-password-prometheus-web-password", alertmanager: "mock-password-alertmanager-web-password" };
        const prometheus = container(run, "prometheus");
        const alertmanager = container(run, "alertmanager");
        assert.ok(JSON.stringify(prometheus.plain.command).includes("--web.config.file=/etc/prometheus/web/web.yml"));
        assert.ok(JSON.stringify(alertmanager.plain.command).includes("--web.config.file=/etc/alertmanager/web/web.yml"));
        for (const [c, file] of [
            [prometheus, "/etc/prometheus/web/web.yml"],
            [alertmanager, "/etc/alertmanager/web/web.yml"],
        ] as const) {
            assert.match(upload(c, file), /^basic_auth_users:\n {2}sglang-ananke: .?\$2a\$10\$/m);
        }
        // Prometheus reads its own password (self-scrape, health check) and Alertmanager's from the files prometheus.yml names.
        assert.equal(upload(prometheus, "/etc/prometheus/secrets/web_prometheus_password"), passwords.prometheus);
        assert.equal(upload(prometheus, "/etc/prometheus/secrets/web_alertmanager_password"), passwords.alertmanager);
        assert.equal(upload(alertmanager, "/etc/alertmanager/web/password"), passwords.alertmanager);
        for (const c of [prometheus, alertmanager]) {
            const [cmd, shell, flag, script] = c.plain.healthcheck.tests;
            assert.deepEqual([cmd, shell, flag], ["CMD", "sh", "-c"]);
            // The password goes from its file through pipes, never into a URL or any command line (tests/e2e/health-check.test.ts runs it).
            assert.match(script, /cat '\/etc\/[a-z]+\/[a-z_/]+password'; \} \| base64/);
            assert.match(script, /'\/-\/healthy' "\$credentials" \| nc 127\.0\.0\.1 \d+ \|/);
            assert.doesNotMatch(script, /@127|wget/);
        }
        // Grafana's datasource: basic auth, the password only in its secure fields.
        const ds = run.one("grafana:oss/dataSource:DataSource");
        assert.deepEqual([ds.plain.basicAuthEnabled, ds.plain.basicAuthUsername], [true, "sglang-ananke"]);
        assert.deepEqual(JSON.parse(ds.plain.secureJsonDataEncoded), { basicAuthPassword: passwords.prometheus });
        for (const password of Object.values(passwords)) {
            const leaks = run.resources.flatMap((r) => plainOccurrences(r.inputs, password).map((at) => `${r.type} ${r.name} ${at}`));
            assert.deepEqual(leaks, [], "the passwords are secret wherever they go");
        }
        const hashes = run.resources.flatMap((r) => plainOccurrences(r.inputs, "$2a$10$").map((at) => `${r.type} ${r.name} ${at}`));
        assert.deepEqual(hashes, [], "the bcrypt hashes are kept secret too");
    });

    it("creates the datasource with a fixed uid, the SGLang folder and the dashboard using it", () => {
        const ds = run.one("grafana:oss/dataSource:DataSource");
        assert.equal(ds.plain.type, "prometheus");
        assert.equal(ds.plain.url, "http://prometheus:9090");
        const folder = run.one("grafana:oss/folder:Folder");
        assert.equal(folder.plain.title, "SGLang");
        const dashboard = JSON.parse(run.one("grafana:oss/dashboard:Dashboard").plain.configJson);
        assert.equal(dashboard.uid, "sglang-ananke");
        assert.equal(dashboard.title, "SGLang Ananke Dashboard");
        const dsVar = dashboard.templating.list.find((v: any) => v.type === "datasource");
        assert.equal(dsVar.current.value, ds.plain.uid);
        const panels = dashboard.panels.flatMap((p: any) => [p, ...(p.panels ?? [])]).filter((p: any) => p.type !== "row");
        assert.ok(panels.length >= 9);
        for (const p of panels) assert.equal(p.datasource?.uid, "${datasource}", `panel ${p.title} uses the datasource variable`);
    });

    it("exports URLs, the admin user, and the password only as a secret", () => {
        const o = run.outputs;
        assert.equal(o.openaiBaseUrl, "http://localhost:30000/v1");
        assert.equal(o.sglangMetricsUrl, "http://localhost:30000/metrics");
        assert.equal(o.prometheusUrl, "http://localhost:9090");
        assert.equal(o.alertmanagerUrl, "http://localhost:9093");
        assert.equal(o.grafanaUrl, "http://localhost:3000");
        assert.equal(o.dashboardUrl, "http://localhost:3000/d/sglang-ananke");
        assert.equal(o.grafanaAdminUser, "admin");
        assert.ok(run.secretOutputs.has("grafanaAdminPassword"));
        assert.equal(o.monitoringWebUser, "sglang-ananke");
        assert.deepEqual([...run.secretOutputs].sort(), ["alertmanagerPassword", "grafanaAdminPassword", "prometheusPassword"]);
    });

    it("says where alerts go when Slack and PagerDuty are not configured", () => {
        const routing = run.outputs.alertRouting as Record<string, string>;
        assert.match(routing.critical, /no PagerDuty routing key or Slack webhook: stays visible in Alertmanager/);
        assert.match(routing.warning, /no Slack webhook/);
        const configured = withSecrets.outputs.alertRouting as Record<string, string>;
        assert.equal(configured.critical, "PagerDuty (Events API v2)");
        assert.equal(configured.warning, "Slack #llm-alerts");
    });

    it("says critical alerts go to Slack when only Slack is configured, as Alertmanager routes them", async () => {
        const slackOnly = await runProgram(
            { ...stackFileConfig("Pulumi.dev.yaml"), slackWebhookUrl: SECRETS.slackWebhookUrl },
            { secretKeys: ["slackWebhookUrl"] },
        );
        const routing = slackOnly.outputs.alertRouting as Record<string, string>;
        assert.equal(routing.critical, "Slack #llm-alerts (no PagerDuty routing key)");
        const config = upload(container(slackOnly, "alertmanager"), "/etc/alertmanager/alertmanager.yml");
        assert.match(config, /- matchers:\n\s+- severity="critical"\n\s+receiver: slack\n/);
    });

    it("never puts a secret value in a plain resource input or output", () => {
        for (const [key, value] of Object.entries(SECRETS)) {
            const leaks = withSecrets.resources.flatMap((r) => plainOccurrences(r.inputs, value).map((at) => `${r.type} ${r.name} ${at}`));
            assert.deepEqual(leaks, [], `${key} leaks`);
            for (const [name, out] of Object.entries(withSecrets.outputs)) {
                if (!withSecrets.secretOutputs.has(name)) assert.ok(!JSON.stringify(out ?? "").includes(value), `output ${name} holds ${key}`);
            }
        }
        const am = container(withSecrets, "alertmanager");
        const config = upload(am, "/etc/alertmanager/alertmanager.yml");
        for (const value of Object.values(SECRETS)) assert.ok(!config.includes(value));
        assert.match(config, /api_url_file: \/etc\/alertmanager\/secrets\//);
        assert.match(config, /routing_key_file: \/etc\/alertmanager\/secrets\//);
        assert.equal(upload(am, "/etc/alertmanager/secrets/pagerduty_routing_key"), SECRETS.pagerdutyRoutingKey);
        const sglang = container(withSecrets, "sglang");
        assert.ok(sglang.plain.envs.includes("HF_TOKEN_PATH=/run/secrets/sglang/hf_token"));
        assert.equal(upload(sglang, "/run/secrets/sglang/api_key"), SECRETS.sglangApiKey);
        // The launcher reads the key in-process: the container's command names only its file.
        assert.deepEqual(sglang.plain.entrypoints, ["python3", SGLANG_LAUNCHER_PATH, "--api-key-file", "/run/secrets/sglang/api_key"]);
        assert.equal(upload(sglang, SGLANG_LAUNCHER_PATH), SGLANG_LAUNCHER);
        assert.ok(![...sglang.plain.entrypoints, ...sglang.plain.command].some((a: string) => a.includes("$(") || a === "--api-key"));
    });

    it("remote write: the credential reaches Prometheus only as a secret file that prometheus.yml names", async () => {
        const token = "rw-bearer-secret-value";
        const config = {
            ...stackFileConfig("Pulumi.dev.yaml"),
            remoteWriteUrl: "https://mimir.example.com/api/v1/push",
            remoteWriteAuth: "bearer",
            clusterName: "dev-host",
            remoteWriteBearerToken: token,
        };
        const rw = await runProgram(config, { secretKeys: ["remoteWriteBearerToken"] });
        const leaks = rw.resources.flatMap((r) => plainOccurrences(r.inputs, token).map((at) => `${r.type} ${r.name} ${at}`));
        assert.deepEqual(leaks, []);
        for (const [name, out] of Object.entries(rw.outputs)) assert.ok(!JSON.stringify(out ?? "").includes(token), `output ${name} holds the token`);
        const prom = container(rw, "prometheus");
        assert.equal(upload(prom, "/etc/prometheus/secrets/remote_write_bearer_token"), token);
        const yml = upload(prom, "/etc/prometheus/prometheus.yml");
        assert.ok(!yml.includes(token));
        assert.match(yml, /credentials_file: \/etc\/prometheus\/secrets\/remote_write_bearer_token/);
        // The other credentials are not set: no file for them.
        assert.deepEqual(
            (prom.plain.uploads as any[]).map((u) => u.file).filter((f) => f.includes("/secrets/remote_write")),
            ["/etc/prometheus/secrets/remote_write_bearer_token"],
        );
    });

    it("points the Grafana datasource at the long-term store, its password only in the secure fields", async () => {
        const password = "ds-basic-secret-value";
        const config = {
            ...stackFileConfig("Pulumi.dev.yaml"),
            remoteWriteUrl: "https://mimir.example.com/api/v1/push",
            clusterName: "dev-host",
            grafanaDatasourceUrl: "https://mimir.example.com/prometheus",
            grafanaDatasourceUsername: "12345",
            grafanaDatasourcePassword: password,
        };
        const store = await runProgram(config, { secretKeys: ["grafanaDatasourcePassword"] });
        const ds = store.one("grafana:oss/dataSource:DataSource");
        assert.equal(ds.plain.url, "https://mimir.example.com/prometheus");
        assert.equal(ds.plain.basicAuthEnabled, true);
        assert.equal(ds.plain.basicAuthUsername, "12345");
        assert.deepEqual(JSON.parse(ds.plain.secureJsonDataEncoded), { basicAuthPassword: password });
        const leaks = store.resources.flatMap((r) => plainOccurrences(r.inputs, password).map((at) => `${r.type} ${r.name} ${at}`));
        assert.deepEqual(leaks, []);
        for (const [name, out] of Object.entries(store.outputs))
            assert.ok(!JSON.stringify(out ?? "").includes(password), `output ${name} holds the password`);
        // The dashboard still uses the datasource by its fixed uid.
        const dashboard = JSON.parse(store.one("grafana:oss/dashboard:Dashboard").plain.configJson);
        assert.equal(dashboard.templating.list.find((v: any) => v.type === "datasource").current.value, ds.plain.uid);
    });

    it("renders a Prometheus configuration promtool accepts, scraping every service", () => {
        const config = YAML.stringify(checkedPrometheusConfig(container(run, "prometheus")));
        for (const target of ["sglang:30000", "node-exporter:9100", "gpu-exporter:9400", "prometheus:9090", "alertmanager:9093"]) {
            assert.ok(config.includes(target), `scrapes ${target}`);
        }
    });

    it("renders an Alertmanager configuration amtool accepts, with and without receivers", () => {
        for (const r of [run, withSecrets]) {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sglang-ananke-am-"));
            try {
                const file = path.join(dir, "alertmanager.yml");
                fs.writeFileSync(file, forAmtool025(upload(container(r, "alertmanager"), "/etc/alertmanager/alertmanager.yml")));
                const out = execFileSync(tool("amtool"), ["check-config", file], { encoding: "utf8" });
                assert.match(out, /SUCCESS/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
    });
});

describe("dev stack: bad configuration", function () {
    this.timeout(60000);

    it("fails with the key, the value and what is allowed, and registers nothing", async () => {
        const cases: [Record<string, string>, RegExp][] = [
            [{ gpuCount: "3" }, /sglang-ananke:gpuCount = "3": must be one of 1, 2, 4, 8, 16/],
            [{ bindAddress: "localhost:80" }, /sglang-ananke:bindAddress = "localhost:80": must be an IPv4 address/],
            [{ dockerHost: "gpu-host" }, /sglang-ananke:dockerHost = "gpu-host": must be "" or unix:\/\/\/path or ssh:\/\/\[user@\]host\[:port\]/],
            [
                { prometheusImage: "prom/prometheus:latest" },
                /sglang-ananke:prometheusImage = "prom\/prometheus:latest": must be an image reference \[registry\[:port\]\/\]path:tag .*, pinned to a version tag or digest/,
            ],
            [{ gpuExporter: "rocm" }, /sglang-ananke:gpuExporter = "rocm": must be one of "dcgm", "nvidia-smi", "existing", "none"/],
        ];
        for (const [config, message] of cases) {
            let error: unknown;
            try {
                await runProgram({ ...stackFileConfig("Pulumi.dev.yaml"), ...config });
            } catch (e) {
                error = e;
            }
            assert.ok(error instanceof Error, `${JSON.stringify(config)} is refused`);
            assert.ok(pulumi.RunError.isInstance(error), "a RunError: the engine prints its message without a stack trace");
            assert.match(error.message, message);
            assert.equal((error as { registeredResources?: number }).registeredResources, 0, "no resource reaches a provider");
        }
    });
});
