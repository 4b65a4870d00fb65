import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { parseSettings, type Settings } from "../settings";
import { expectSuccess, forAmtool025, run, TempDir } from "../tests/support/monitoring/tools";
import { ALERTMANAGER_SECRET_FILES, alertmanagerConfig, RECEIVER, renderAlertmanagerConfig } from "./alertmanager";
import { allAlerts } from "./alerts";
import { defaultLinks } from "./links";
import type { AlertmanagerSecretFiles } from "./types";

type Secrets = Pick<Settings["secrets"], "slackWebhookUrl" | "pagerdutyRoutingKey" | "heartbeatUrl">;

function settingsWith(secrets: Partial<Secrets>): Settings {
    const s = parseSettings("dev", {});
    return { ...s, secrets: { ...s.secrets, ...secrets } };
}

/** Writes the config (secret paths inside `dir`, with dummy secret files) and returns its path. */
function writeConfig(dir: TempDir, settings: Settings, transform: (config: string) => string = (c) => c): string {
    const files: AlertmanagerSecretFiles = {
        slackWebhookUrl: dir.write("secrets/slack_webhook_url", "https://hooks.slack.invalid/services/T/B/X"),
        pagerdutyRoutingKey: dir.write("secrets/pagerduty_routing_key", "0123456789abcdef0123456789abcdef"),
        heartbeatUrl: dir.write("secrets/heartbeat_url", "https://heartbeat.invalid/ping/abc"),
    };
    return dir.write("alertmanager.yml", transform(renderAlertmanagerConfig(settings, files, defaultLinks(settings))));
}

const variants: [string, Partial<Secrets>][] = [
    ["no secrets", {}],
    ["Slack only", { slackWebhookUrl: true }],
    ["PagerDuty only", { pagerdutyRoutingKey: true }],
    ["Slack and PagerDuty", { slackWebhookUrl: true, pagerdutyRoutingKey: true }],
    ["everything with a heartbeat", { slackWebhookUrl: true, pagerdutyRoutingKey: true, heartbeatUrl: true }],
];

/** Expected receiver per kind of alert, given which secrets are set. */
function expectedReceivers(secrets: Partial<Secrets>) {
    const other = secrets.slackWebhookUrl ? RECEIVER.slack : RECEIVER.alertmanagerOnly;
    return {
        critical: secrets.pagerdutyRoutingKey ? RECEIVER.pagerduty : other,
        warning: other,
        info: other,
        watchdog: secrets.heartbeatUrl ? RECEIVER.heartbeat : RECEIVER.null,
    };
}

describe("Alertmanager configuration", () => {
    for (const [name, secrets] of variants) {
        it(`passes amtool check-config and routes every severity and Watchdog (${name})`, () => {
            const dir = new TempDir();
            try {
                const file = writeConfig(dir, settingsWith(secrets), forAmtool025);
                expectSuccess(run("amtool", ["check-config", file]), "amtool check-config");
                const expected = expectedReceivers(secrets);
                const route = (labels: string[]) => {
                    const r = run("amtool", ["config", "routes", "test", `--config.file=${file}`, ...labels]);
                    expectSuccess(r, "amtool config routes test");
                    return r.stdout.trim();
                };
                assert.equal(route(["alertname=SGLangServerDown", "severity=critical", "instance=sglang:30000", "job=sglang"]), expected.critical);
                assert.equal(route(["alertname=GPUMemoryHigh", "severity=critical", "instance=gpu-exporter:9400"]), expected.critical);
                assert.equal(route(["alertname=SGLangHighLatency", "severity=warning", "instance=sglang:30000"]), expected.warning);
                assert.equal(route(["alertname=AnankeMetricsMissing", "severity=info", "instance=sglang:30000"]), expected.info);
                assert.equal(route(["alertname=Watchdog", "severity=none"]), expected.watchdog);
            } finally {
                dir.remove();
            }
        });
    }

    it("routes every alert of the rule files to a receiver that exists (amtool, Slack and PagerDuty set)", () => {
        const dir = new TempDir();
        try {
            const settings = settingsWith({ slackWebhookUrl: true, pagerdutyRoutingKey: true });
            const file = writeConfig(dir, settings);
            const expected = expectedReceivers({ slackWebhookUrl: true, pagerdutyRoutingKey: true });
            for (const alert of allAlerts(settings, defaultLinks(settings))) {
                const r = run("amtool", [
                    "config",
                    "routes",
                    "test",
                    `--config.file=${file}`,
                    `alertname=${alert.alert}`,
                    `severity=${alert.labels.severity}`,
                ]);
                expectSuccess(r, `routing ${alert.alert}`);
                const want =
                    alert.alert === "Watchdog" ? expected.watchdog : alert.labels.severity === "critical" ? expected.critical : expected.warning;
                assert.equal(r.stdout.trim(), want, alert.alert);
            }
        } finally {
            dir.remove();
        }
    });

    it("reads every credential from a file and never holds one, uses matchers and Events v2", () => {
        const s = settingsWith({ slackWebhookUrl: true, pagerdutyRoutingKey: true, heartbeatUrl: true });
        const text = renderAlertmanagerConfig(s, ALERTMANAGER_SECRET_FILES, defaultLinks(s));
        const doc = parse(text);
        const byName = new Map<string, any>(doc.receivers.map((r: any) => [r.name, r]));
        assert.equal(byName.get("slack").slack_configs[0].api_url_file, "/etc/alertmanager/secrets/slack_webhook_url");
        assert.equal(byName.get("slack").slack_configs[0].channel, "#alerts");
        assert.equal(byName.get("pagerduty").pagerduty_configs[0].routing_key_file, "/etc/alertmanager/secrets/pagerduty_routing_key");
        assert.equal(byName.get("heartbeat").webhook_configs[0].url_file, "/etc/alertmanager/secrets/heartbeat_url");
        for (const r of [byName.get("slack").slack_configs[0], byName.get("pagerduty").pagerduty_configs[0]]) assert.equal(r.send_resolved, true);
        assert.doesNotMatch(text, /\b(api_url|routing_key|service_key|url):/);
        assert.doesNotMatch(text, /\bmatch(_re)?:/);
        assert.doesNotMatch(text, /hooks\.slack\.com/);
    });

    it("inhibits warning and info by critical of the same alert and instance, SGLang alerts while the server is down, a router's other alerts while it has no healthy worker, and unserved-model answers while a model has no server", () => {
        const s = settingsWith({});
        const config = alertmanagerConfig(s, ALERTMANAGER_SECRET_FILES, defaultLinks(s)) as any;
        assert.deepEqual(config.inhibit_rules, [
            { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ["alertname", "instance"] },
            {
                source_matchers: ['alertname="SGLangServerDown"'],
                target_matchers: ['job="sglang"', 'alertname!="SGLangServerDown"'],
                equal: ["instance"],
            },
            {
                source_matchers: ['alertname="SGLangRouterNoHealthyWorker"'],
                target_matchers: ['alertname=~"SGLangRouterErrors|SGLangRouterWorkerUnhealthy|SGLangRouterWorkerEjected"'],
                equal: ["instance"],
            },
            {
                source_matchers: ['alertname="SGLangRouterModelWithoutWorkers"'],
                target_matchers: ['alertname="SGLangRouterModelNotFound"'],
                equal: ["instance"],
            },
        ]);
        // The target matcher relies on every SGLang-derived alert keeping job="sglang": the rules aggregate by job.
        assert.deepEqual(config.route.group_by, ["alertname", "instance", "model_name", "model"]);
    });

    it("takes its timings and Slack channel from settings", () => {
        const s = parseSettings("dev", { alertGroupWait: "10s", alertGroupInterval: "2m", alertRepeatInterval: "1h", slackChannel: "#llm-oncall" });
        const config = alertmanagerConfig(
            { ...s, secrets: { ...s.secrets, slackWebhookUrl: true } },
            ALERTMANAGER_SECRET_FILES,
            defaultLinks(s),
        ) as any;
        assert.equal(config.route.group_wait, "10s");
        assert.equal(config.route.group_interval, "2m");
        assert.equal(config.route.repeat_interval, "1h");
        assert.equal(config.receivers.find((r: any) => r.name === "slack").slack_configs[0].channel, "#llm-oncall");
    });
});
