import { strict as assert } from "node:assert";
import { parseSettings, type Settings } from "../settings";
import { expectSuccess, forAmtool025, run, TempDir } from "../tests/support/monitoring/tools";
import { renderAlertmanagerFile } from "./alertmanager";
import { allAlerts } from "./alerts";
import { ALERTMANAGER_CREDENTIALS, ALERTMANAGER_SECRET_FILES, type CredentialKey } from "./credentials";
import { defaultLinks } from "./links";
import { ALERT_KINDS, type AlertKind, alertRouting, describeRouting, RECEIVER, type ReceiverName } from "./routing";

/** Every combination of Slack, PagerDuty and heartbeat, set or not. */
const COMBINATIONS: Record<CredentialKey, boolean>[] = [0, 1, 2, 3, 4, 5, 6, 7].map(
    (bits) => Object.fromEntries(ALERTMANAGER_CREDENTIALS.map((c, i) => [c.key, (bits & (1 << i)) !== 0])) as Record<CredentialKey, boolean>,
);
const nameOf = (set: Record<CredentialKey, boolean>) =>
    Object.entries(set)
        .filter(([, on]) => on)
        .map(([k]) => k)
        .join(" + ") || "nothing";

function settingsWith(set: Record<CredentialKey, boolean>): Settings {
    const s = parseSettings("dev", { slackChannel: "#llm-oncall" });
    return { ...s, secrets: { ...s.secrets, ...set } };
}

/** Labels of an alert of each kind, as amtool routes them. */
const SAMPLE: Record<AlertKind, string[]> = {
    critical: ["alertname=SGLangServerDown", "severity=critical", "instance=sglang:30000", "job=sglang"],
    warning: ["alertname=SGLangHighLatency", "severity=warning", "instance=sglang:30000"],
    info: ["alertname=AnankeMetricsMissing", "severity=info", "instance=sglang:30000"],
    watchdog: ["alertname=Watchdog", "severity=none"],
};

/** What a person must read for each receiver, whatever else the line says. */
const SAYS: Record<ReceiverName, RegExp> = {
    [RECEIVER.pagerduty]: /^PagerDuty/,
    [RECEIVER.slack]: /^Slack #llm-oncall/,
    [RECEIVER.heartbeat]: /^heartbeat URL/,
    [RECEIVER.null]: /^null receiver/,
    [RECEIVER.alertmanagerOnly]: /stays visible in Alertmanager only \(http:\/\/am\.example\)$/,
};

describe("Alert routing: one decision, rendered to the configuration and to what people read", () => {
    for (const set of COMBINATIONS) {
        it(`routes and says the same for every kind of alert (${nameOf(set)})`, function () {
            this.timeout(20000);
            const settings = settingsWith(set);
            const routing = alertRouting(settings, defaultLinks(settings));
            const said = describeRouting(settings, routing.destinations, "http://am.example");
            const dir = new TempDir();
            try {
                const file = dir.write("alertmanager.yml", forAmtool025(renderAlertmanagerFile(routing, ALERTMANAGER_SECRET_FILES)));
                expectSuccess(run("amtool", ["check-config", file]), "amtool check-config");
                for (const kind of ALERT_KINDS) {
                    const r = run("amtool", ["config", "routes", "test", `--config.file=${file}`, ...SAMPLE[kind]]);
                    expectSuccess(r, `routing ${kind}`);
                    const receiver = r.stdout.trim() as ReceiverName;
                    assert.equal(receiver, routing.destinations[kind], `${kind} is routed where the decision says`);
                    assert.match(said[kind], SAYS[receiver], `${kind}: "${said[kind]}" names ${receiver}`);
                }
            } finally {
                dir.remove();
            }
        });
    }

    it("pages the GPU health alerts of the counters file and XIDs on PagerDuty when critical, Slack when warning (amtool, labels as the rules write them)", () => {
        const settings = settingsWith({ slackWebhookUrl: true, pagerdutyRoutingKey: true, heartbeatUrl: true });
        const routing = alertRouting(settings, defaultLinks(settings));
        const rules = new Map(allAlerts(settings, defaultLinks(settings)).map((r) => [r.alert, r]));
        const expected: Record<string, ReceiverName> = {
            GPUEccUncorrectableErrors: RECEIVER.pagerduty,
            GPUXidCritical: RECEIVER.pagerduty,
            GPUThermalThrottling: RECEIVER.slack,
        };
        const dir = new TempDir();
        try {
            const file = dir.write("alertmanager.yml", forAmtool025(renderAlertmanagerFile(routing, ALERTMANAGER_SECRET_FILES)));
            for (const [alert, receiver] of Object.entries(expected)) {
                const rule = rules.get(alert);
                assert.ok(rule, `no rule ${alert}`);
                const labels = [
                    `alertname=${alert}`,
                    `severity=${rule.labels.severity}`,
                    "job=gpu-exporter",
                    "instance=gpu-host:9400",
                    "gpu=1",
                    "hostname=gpu-host",
                ];
                const r = run("amtool", ["config", "routes", "test", `--config.file=${file}`, ...labels]);
                expectSuccess(r, `routing ${alert}`);
                assert.equal(r.stdout.trim(), receiver, `${alert} (${rule.labels.severity})`);
            }
        } finally {
            dir.remove();
        }
    });

    it("sends critical alerts to Slack, and says so, when Slack is set and PagerDuty is not", () => {
        const settings = settingsWith({ slackWebhookUrl: true, pagerdutyRoutingKey: false, heartbeatUrl: false });
        const routing = alertRouting(settings, defaultLinks(settings));
        assert.equal(routing.destinations.critical, RECEIVER.slack);
        assert.equal(describeRouting(settings, routing.destinations, "x").critical, "Slack #llm-oncall (no PagerDuty routing key)");
    });

    it("has a receiver for every route, and integrations only for set credentials", () => {
        for (const set of COMBINATIONS) {
            const settings = settingsWith(set);
            const routing = alertRouting(settings, defaultLinks(settings));
            const names = routing.receivers.map((r) => r.name);
            for (const r of [routing.route, ...(routing.route.routes ?? [])]) assert.ok(names.includes(r.receiver), `${nameOf(set)}: ${r.receiver}`);
            const credentials = routing.receivers.flatMap((r) => r.integrations.map((i) => i.credential));
            for (const c of credentials) assert.ok(set[c], `${nameOf(set)}: ${c} is used only when set`);
        }
    });
});
