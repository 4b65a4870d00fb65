/**
 * A configuration change reaches a running Prometheus and Alertmanager the
 * way it does on Kubernetes, with Debian's real programs on loopback behind
 * their passwords: their files sit in a directory laid out as the kubelet
 * lays out a projected volume (every name a symbolic link through `..data`
 * into a hidden versioned directory, swapped atomically on a change), each
 * reads its configuration by the mounted path, and the sidecar's own script
 * (`RELOAD_SCRIPT`, run by /bin/sh with a 1 s interval) notices the swap and
 * sends SIGHUP: a stricter alert threshold, a new Slack channel. Same
 * processes throughout; a broken file leaves the old configuration running
 * with the reload-failed metric at 0.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { RELOAD_SCRIPT } from "../../components/platform/kubernetes/config-reloader";
import { alertmanagerConfig, defaultLinks, renderPrometheusConfig, renderRuleFiles } from "../../monitoring";
import type { AlertmanagerSecretFiles } from "../../monitoring/types";
import { WEB_USERNAME } from "../../monitoring/web-auth";
import type { Settings } from "../../settings";
import { tool } from "../debian-tools";
import { e2eSettings } from "./config";
import { alertmanagerVersion, type LocalTargets, type LocalWebAuth, localTopology, pointAtReceiver, writeLocalWebAuth } from "./generate";
import { requireBinaries } from "./support/binaries";
import { freePorts, LOOPBACK } from "./support/ports";
import { type ManagedProcess, startProcess, stopAllProcesses } from "./support/processes";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { sleep, waitFor } from "./support/wait";

/** Nothing listens here: scrapes and notifications fail, which this test does not look at. */
const NOWHERE = `${LOOPBACK}:9`;
const DEFAULT_SETTINGS = e2eSettings("dev");
const CHANGED_SETTINGS = e2eSettings("dev", { alertLatencyP95Seconds: 7.5, slackChannel: "#llm-oncall" });
/** The sidecar's loop interval here (30 s in the cluster). */
const INTERVAL_SECONDS = 1;
/** A change is live within a few intervals: one to notice, then the reload itself. */
const RELOAD_WITHIN_MS = 6 * INTERVAL_SECONDS * 1000;

/**
 * Writes `files` (paths relative to `root`) as the kubelet's atomic writer
 * does: into a new hidden directory, then `..data` repointed by a rename, and
 * each top-level name a link through `..data`. The previous version is removed.
 */
function project(root: string, version: number, files: Record<string, string>): void {
    const payload = `..v${version}`;
    for (const [relative, content] of Object.entries(files)) {
        const target = path.join(root, payload, relative);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
    }
    fs.symlinkSync(payload, path.join(root, "..data_tmp"));
    fs.renameSync(path.join(root, "..data_tmp"), path.join(root, "..data"));
    for (const top of new Set(Object.keys(files).map((f) => f.split("/")[0]))) {
        const link = path.join(root, top);
        if (!fs.existsSync(link)) fs.symlinkSync(path.join("..data", top), link);
    }
    if (version > 1) fs.rmSync(path.join(root, `..v${version - 1}`), { recursive: true });
}

describe("end-to-end: the sidecar's script reloads a changed projected volume by SIGHUP, behind the servers' passwords", function () {
    this.timeout(120_000);
    let root: string;
    let prometheusDir: string;
    let alertmanagerDir: string;
    let prometheus: ManagedProcess;
    let alertmanager: ManagedProcess;
    let prometheusUrl: string;
    let alertmanagerUrl: string;
    let amVersion: number[];
    let web: LocalWebAuth;
    const versions = { prometheus: 1, alertmanager: 1 };

    /** Prometheus' files, referring to each other by their mounted paths. */
    function prometheusFiles(settings: Settings): Record<string, string> {
        const links = defaultLinks(settings);
        const targets: LocalTargets = new Proxy({}, { get: () => NOWHERE });
        const topology = localTopology(
            settings,
            targets,
            alertmanagerUrl.replace("http://", ""),
            path.join(prometheusDir, "rules", "*.yaml"),
            [],
            `http://${NOWHERE}/v1`,
        );
        const rules = Object.entries(renderRuleFiles(settings, links)).map(([name, text]) => [`rules/${name}`, text]);
        return { "prometheus.yml": renderPrometheusConfig(settings, topology), ...Object.fromEntries(rules) };
    }

    /** Alertmanager's configuration and the credential files it names, in one volume as the Secret is projected with it. */
    function alertmanagerFiles(settings: Settings): Record<string, string> {
        const secrets: AlertmanagerSecretFiles = {
            slackWebhookUrl: path.join(alertmanagerDir, "secrets", "slack_webhook_url"),
            pagerdutyRoutingKey: path.join(alertmanagerDir, "secrets", "pagerduty_routing_key"),
            heartbeatUrl: path.join(alertmanagerDir, "secrets", "heartbeat_url"),
        };
        const urls = { slack: `http://${NOWHERE}/slack`, pagerduty: `http://${NOWHERE}/pagerduty`, heartbeat: `http://${NOWHERE}/heartbeat` };
        const config = pointAtReceiver(
            alertmanagerConfig(settings, secrets, defaultLinks(settings)) as Record<string, unknown>,
            urls,
            amVersion[1] >= 26,
            [],
        );
        return {
            "alertmanager.yml": stringify(config, { lineWidth: 0 }),
            "secrets/slack_webhook_url": urls.slack,
            "secrets/pagerduty_routing_key": "e2e0routing0key0000000000000000ab",
            "secrets/heartbeat_url": urls.heartbeat,
        };
    }

    /** The next version of a server's volume, as the kubelet writes it after a ConfigMap change. */
    function swap(which: "prometheus" | "alertmanager", files: Record<string, string>): void {
        versions[which] += 1;
        project(which === "prometheus" ? prometheusDir : alertmanagerDir, versions[which], files);
    }

    async function get(which: "prometheus" | "alertmanager", pathAndQuery: string): Promise<Response> {
        const base = which === "prometheus" ? prometheusUrl : alertmanagerUrl;
        const auth = Buffer.from(`${WEB_USERNAME}:${web.passwords[which]}`).toString("base64");
        const res = await fetch(`${base}${pathAndQuery}`, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new Error(`GET ${base}${pathAndQuery}: ${res.status}`);
        return res;
    }
    const getJson = async (which: "prometheus" | "alertmanager", pathAndQuery: string): Promise<any> => (await get(which, pathAndQuery)).json();

    /** One unlabelled sample of the server's own /metrics. */
    async function ownMetric(which: "prometheus" | "alertmanager", name: string): Promise<number> {
        const text = await (await get(which, "/metrics")).text();
        const line = text.split("\n").find((l) => l.startsWith(`${name} `));
        assert.ok(line, `${which} exports ${name}`);
        return Number(line.split(" ")[1]);
    }
    const reloadSucceeded = (which: "prometheus" | "alertmanager") => ownMetric(which, `${which}_config_last_reload_successful`);
    const lastReloadTime = (which: "prometheus" | "alertmanager") => ownMetric(which, `${which}_config_last_reload_success_timestamp_seconds`);

    /** The latency alert's expression as the running Prometheus evaluates it. */
    async function latencyAlertQuery(): Promise<string> {
        const body = await getJson("prometheus", "/api/v1/rules?type=alert");
        const rules = body.data.groups.flatMap((g: any) => g.rules);
        const rule = rules.find((r: any) => /latency/i.test(r.name) && /0\.95|p95/i.test(`${r.name} ${r.query}`));
        assert.ok(rule, `a p95 latency alert among ${rules.map((r: any) => r.name).join(", ")}`);
        return rule.query;
    }
    const alertmanagerConfigText = async () => (await getJson("alertmanager", "/api/v2/status")).config.original as string;

    /** The sidecar's script beside a server, matching it by its unique configuration path. */
    function startReloader(which: "prometheus" | "alertmanager", configDir: string, configFile: string): ManagedProcess {
        return startProcess({
            name: `${which}-reloader`,
            binary: "/bin/sh",
            args: ["-c", RELOAD_SCRIPT],
            env: { CONFIG_DIR: configDir, RELOAD_MATCH: `config.file=${configFile}`, RELOAD_INTERVAL_SECONDS: String(INTERVAL_SECONDS) },
            logFile: path.join(root, "logs", `${which}-reloader.log`),
            // The loop's own children (sleep, find) stop with it.
            processGroup: true,
        });
    }

    before(async function () {
        this.timeout(60_000);
        const binaries = requireBinaries();
        tool("pkill");
        amVersion = alertmanagerVersion(binaries.alertmanager);
        root = makeRunDir();
        prometheusDir = path.join(root, "prometheus-config");
        alertmanagerDir = path.join(root, "alertmanager-config");
        const secretsDir = path.join(root, "web-secrets");
        for (const dir of [prometheusDir, alertmanagerDir, secretsDir, path.join(root, "logs")]) fs.mkdirSync(dir);
        web = writeLocalWebAuth(secretsDir, []);
        const [promPort, amPort] = await freePorts(2);
        prometheusUrl = `http://${LOOPBACK}:${promPort}`;
        alertmanagerUrl = `http://${LOOPBACK}:${amPort}`;

        project(prometheusDir, 1, prometheusFiles(DEFAULT_SETTINGS));
        project(alertmanagerDir, 1, alertmanagerFiles(DEFAULT_SETTINGS));
        const prometheusConfig = path.join(prometheusDir, "prometheus.yml");
        const alertmanagerConfigFile = path.join(alertmanagerDir, "alertmanager.yml");
        prometheus = startProcess({
            name: "prometheus",
            binary: binaries.prometheus,
            args: [
                `--config.file=${prometheusConfig}`,
                `--storage.tsdb.path=${path.join(root, "prometheus-data")}`,
                `--web.listen-address=${LOOPBACK}:${promPort}`,
                `--web.config.file=${web.webConfigs.prometheus}`,
            ],
            logFile: path.join(root, "logs", "prometheus.log"),
        });
        alertmanager = startProcess({
            name: "alertmanager",
            binary: binaries.alertmanager,
            args: [
                `--config.file=${alertmanagerConfigFile}`,
                `--storage.path=${path.join(root, "alertmanager-data")}`,
                `--web.listen-address=${LOOPBACK}:${amPort}`,
                `--web.config.file=${web.webConfigs.alertmanager}`,
                "--cluster.listen-address=",
            ],
            logFile: path.join(root, "logs", "alertmanager.log"),
        });
        for (const [proc, which] of [
            [prometheus, "prometheus"],
            [alertmanager, "alertmanager"],
        ] as const) {
            await waitFor(
                async () => {
                    proc.assertRunning();
                    return (await get(which, "/-/ready")).ok;
                },
                { what: `${which} ready`, timeoutMs: 30_000 },
            );
        }
        // Both refuse an unauthenticated request: the HTTP reload could not pass.
        for (const url of [prometheusUrl, alertmanagerUrl]) {
            const res = await fetch(`${url}/-/reload`, { method: "POST", signal: AbortSignal.timeout(5000) });
            assert.equal(res.status, 401, `${url}/-/reload without a password`);
        }
        startReloader("prometheus", prometheusDir, prometheusConfig);
        startReloader("alertmanager", alertmanagerDir, alertmanagerConfigFile);
        // Its first pass only records the current state.
        await sleep(2 * INTERVAL_SECONDS * 1000);
    });

    after(async () => {
        await stopAllProcesses();
        if (root) removeRunDir(root);
    });

    it("a swap with the same content signals nothing (the versioned directory names are not hashed)", async () => {
        const before = { prometheus: await lastReloadTime("prometheus"), alertmanager: await lastReloadTime("alertmanager") };
        swap("prometheus", prometheusFiles(DEFAULT_SETTINGS));
        swap("alertmanager", alertmanagerFiles(DEFAULT_SETTINGS));
        await sleep(3 * INTERVAL_SECONDS * 1000 + 1000);
        assert.equal(await lastReloadTime("prometheus"), before.prometheus);
        assert.equal(await lastReloadTime("alertmanager"), before.alertmanager);
    });

    it("Prometheus applies a stricter threshold once the volume is swapped: same process, reload successful", async () => {
        const before = await latencyAlertQuery();
        assert.doesNotMatch(before, /7\.5/);
        const reloadedAt = await lastReloadTime("prometheus");
        swap("prometheus", prometheusFiles(CHANGED_SETTINGS));
        await waitFor(async () => /7\.5/.test(await latencyAlertQuery()), {
            what: "the stricter rule live",
            timeoutMs: RELOAD_WITHIN_MS,
            intervalMs: 200,
        });
        prometheus.assertRunning();
        assert.equal(await reloadSucceeded("prometheus"), 1);
        assert.ok((await lastReloadTime("prometheus")) > reloadedAt, "the configuration was loaded again");
        assert.match(fs.readFileSync(path.join(root, "logs", "prometheus-reloader.log"), "utf8"), /sent SIGHUP/);
    });

    it("Alertmanager applies a new Slack channel the same way", async () => {
        assert.doesNotMatch(await alertmanagerConfigText(), /#llm-oncall/);
        swap("alertmanager", alertmanagerFiles(CHANGED_SETTINGS));
        await waitFor(async () => /#llm-oncall/.test(await alertmanagerConfigText()), {
            what: "the new route live",
            timeoutMs: RELOAD_WITHIN_MS,
            intervalMs: 200,
        });
        alertmanager.assertRunning();
        assert.equal(await reloadSucceeded("alertmanager"), 1);
    });

    it("a broken configuration is refused: the old one keeps running and the reload-failed metric is 0", async () => {
        swap("prometheus", { ...prometheusFiles(CHANGED_SETTINGS), "prometheus.yml": "global:\n  scrape_interval: not-a-duration\n" });
        swap("alertmanager", { ...alertmanagerFiles(CHANGED_SETTINGS), "alertmanager.yml": "route:\n  receiver: nobody-defines-this\n" });
        for (const which of ["prometheus", "alertmanager"] as const) {
            await waitFor(async () => (await reloadSucceeded(which)) === 0, {
                what: `${which} reload failed`,
                timeoutMs: RELOAD_WITHIN_MS,
                intervalMs: 200,
            });
        }
        prometheus.assertRunning();
        alertmanager.assertRunning();
        assert.match(await latencyAlertQuery(), /7\.5/, "Prometheus keeps its last good rules");
        assert.match(await alertmanagerConfigText(), /#llm-oncall/, "Alertmanager keeps its last good routing");
        // Fixed again: the next swap reloads and the metric recovers.
        swap("prometheus", prometheusFiles(CHANGED_SETTINGS));
        swap("alertmanager", alertmanagerFiles(CHANGED_SETTINGS));
        for (const which of ["prometheus", "alertmanager"] as const) {
            await waitFor(async () => (await reloadSucceeded(which)) === 1, {
                what: `${which} reload recovered`,
                timeoutMs: RELOAD_WITHIN_MS,
                intervalMs: 200,
            });
        }
    });

    it("both kept running: every change needed no restart", () => {
        prometheus.assertRunning();
        alertmanager.assertRunning();
        for (const [log, started] of [
            ["prometheus.log", /Starting Prometheus/g],
            ["alertmanager.log", /Starting Alertmanager/g],
        ] as const) {
            assert.equal(fs.readFileSync(path.join(root, "logs", log), "utf8").match(started)?.length, 1, `${log}: started once`);
        }
    });
});
