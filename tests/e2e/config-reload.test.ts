/**
 * A configuration change reaches a running Prometheus and Alertmanager the
 * way it does on Kubernetes, with Debian's real programs on loopback: their
 * files sit in a directory laid out as the kubelet lays out a projected
 * volume (every name a symbolic link through `..data` into a timestamped
 * directory, swapped atomically on a change), each reads its configuration
 * by the mounted path, and a POST to `/-/reload`, as the config-reloader
 * sidecar sends, applies the swapped files: a stricter alert threshold, a
 * new Slack channel. Same processes throughout: nothing restarts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { alertmanagerConfig, defaultLinks, renderPrometheusConfig, renderRuleFiles } from "../../monitoring";
import type { AlertmanagerSecretFiles } from "../../monitoring/types";
import type { Settings } from "../../settings";
import { e2eSettings } from "./config";
import { alertmanagerVersion, type LocalTargets, localTopology, pointAtReceiver } from "./generate";
import { requireBinaries } from "./support/binaries";
import { freePorts, LOOPBACK } from "./support/ports";
import { type ManagedProcess, startProcess, stopAllProcesses } from "./support/processes";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { waitFor } from "./support/wait";

/** Nothing listens here: scrapes and notifications fail, which this test does not look at. */
const NOWHERE = `${LOOPBACK}:9`;
const DEFAULT_SETTINGS = e2eSettings("dev");
const CHANGED_SETTINGS = e2eSettings("dev", { alertLatencyP95Seconds: 7.5, slackChannel: "#llm-oncall" });

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

async function getJson(url: string): Promise<any> {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
    return res.json();
}

/** What the sidecar does once it sees a change. */
async function reload(baseUrl: string): Promise<void> {
    const res = await fetch(`${baseUrl}/-/reload`, { method: "POST", signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200, `POST ${baseUrl}/-/reload: ${await res.text()}`);
}

describe("end-to-end: a configuration change is reloaded from a projected volume, without a restart", function () {
    this.timeout(120_000);
    let root: string;
    let prometheusDir: string;
    let alertmanagerDir: string;
    let prometheus: ManagedProcess;
    let alertmanager: ManagedProcess;
    let prometheusUrl: string;
    let alertmanagerUrl: string;
    let amVersion: number[];

    /** Prometheus' files, referring to each other by their mounted paths. */
    function prometheusFiles(settings: Settings, alertmanagerAddress: string): Record<string, string> {
        const links = defaultLinks(settings);
        const targets: LocalTargets = new Proxy({}, { get: () => NOWHERE });
        const topology = localTopology(
            settings,
            targets,
            alertmanagerAddress,
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

    /** The latency alert's expression as the running Prometheus evaluates it. */
    async function latencyAlertQuery(): Promise<string> {
        const body = await getJson(`${prometheusUrl}/api/v1/rules?type=alert`);
        const rules = body.data.groups.flatMap((g: any) => g.rules);
        const rule = rules.find((r: any) => /latency/i.test(r.name) && /0\.95|p95/i.test(`${r.name} ${r.query}`));
        assert.ok(rule, `a p95 latency alert among ${rules.map((r: any) => r.name).join(", ")}`);
        return rule.query;
    }

    const alertmanagerConfigText = async () => (await getJson(`${alertmanagerUrl}/api/v2/status`)).config.original as string;

    before(async function () {
        this.timeout(60_000);
        const binaries = requireBinaries();
        amVersion = alertmanagerVersion(binaries.alertmanager);
        root = makeRunDir();
        prometheusDir = path.join(root, "prometheus-config");
        alertmanagerDir = path.join(root, "alertmanager-config");
        for (const dir of [prometheusDir, alertmanagerDir, path.join(root, "logs")]) fs.mkdirSync(dir);
        const [promPort, amPort] = await freePorts(2);
        prometheusUrl = `http://${LOOPBACK}:${promPort}`;
        alertmanagerUrl = `http://${LOOPBACK}:${amPort}`;

        project(prometheusDir, 1, prometheusFiles(DEFAULT_SETTINGS, `${LOOPBACK}:${amPort}`));
        project(alertmanagerDir, 1, alertmanagerFiles(DEFAULT_SETTINGS));
        prometheus = startProcess({
            name: "prometheus",
            binary: binaries.prometheus,
            args: [
                `--config.file=${path.join(prometheusDir, "prometheus.yml")}`,
                `--storage.tsdb.path=${path.join(root, "prometheus-data")}`,
                `--web.listen-address=${LOOPBACK}:${promPort}`,
                // As the program runs it: /-/reload answers only with the lifecycle API on.
                "--web.enable-lifecycle",
            ],
            logFile: path.join(root, "logs", "prometheus.log"),
        });
        alertmanager = startProcess({
            name: "alertmanager",
            binary: binaries.alertmanager,
            args: [
                `--config.file=${path.join(alertmanagerDir, "alertmanager.yml")}`,
                `--storage.path=${path.join(root, "alertmanager-data")}`,
                `--web.listen-address=${LOOPBACK}:${amPort}`,
                "--cluster.listen-address=",
            ],
            logFile: path.join(root, "logs", "alertmanager.log"),
        });
        for (const [proc, url] of [
            [prometheus, prometheusUrl],
            [alertmanager, alertmanagerUrl],
        ] as const) {
            await waitFor(
                async () => {
                    proc.assertRunning();
                    return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) })).ok;
                },
                { what: `${proc.opts.name} ready`, timeoutMs: 30_000 },
            );
        }
    });

    after(async () => {
        await stopAllProcesses();
        if (root) removeRunDir(root);
    });

    it("Prometheus applies a stricter threshold once the volume is swapped and /-/reload is posted", async () => {
        const before = await latencyAlertQuery();
        assert.doesNotMatch(before, /7\.5/);
        const loadedAt = (await getJson(`${prometheusUrl}/api/v1/status/runtimeinfo`)).data.lastConfigTime;
        project(prometheusDir, 2, prometheusFiles(CHANGED_SETTINGS, alertmanagerUrl.replace("http://", "")));
        // The files changed under it; Prometheus still runs the old rules until told.
        assert.equal(await latencyAlertQuery(), before);
        await reload(prometheusUrl);
        assert.match(await latencyAlertQuery(), /7\.5/);
        const runtime = (await getJson(`${prometheusUrl}/api/v1/status/runtimeinfo`)).data;
        assert.equal(runtime.reloadConfigSuccess, true);
        assert.ok(Date.parse(runtime.lastConfigTime) >= Date.parse(loadedAt), "the configuration was loaded again");
    });

    it("Alertmanager applies a new Slack channel the same way", async () => {
        assert.doesNotMatch(await alertmanagerConfigText(), /#llm-oncall/);
        project(alertmanagerDir, 2, alertmanagerFiles(CHANGED_SETTINGS));
        assert.doesNotMatch(await alertmanagerConfigText(), /#llm-oncall/);
        await reload(alertmanagerUrl);
        assert.match(await alertmanagerConfigText(), /#llm-oncall/);
    });

    it("both kept running: the change needed no restart", () => {
        prometheus.assertRunning();
        alertmanager.assertRunning();
        assert.equal(
            fs.readFileSync(path.join(root, "logs", "prometheus.log"), "utf8").match(/Starting Prometheus/g)?.length,
            1,
            "Prometheus started once",
        );
    });
});
