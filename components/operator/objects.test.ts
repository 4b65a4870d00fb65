import * as assert from "node:assert/strict";
import { ALERTMANAGER_CREDENTIALS, alertDestinations, defaultLinks, RECEIVER, WATCHDOG } from "../../monitoring";
import { metricRelabelConfigs } from "../../monitoring/scrape-relabel";
import { JOB } from "../../monitoring/types";
import { parseSettings } from "../../settings";
import { validateObject } from "../../tests/support/kubernetes-schemas";
import { operatorMode } from "../../tests/support/operator-mode";
import { alertmanagerConfigObject, CREDENTIALS_SECRET, monitors } from "./objects";

const SECRET_KEYS = ALERTMANAGER_CREDENTIALS.map((c) => c.secretKey as string);

const OPERATOR = {
    target: "kubernetes",
    ...operatorMode("token"),
};

describe("Prometheus Operator objects", () => {
    it("carries every matcher operator of the routing as a typed matcher", () => {
        const spec = alertmanagerConfigObject(parseSettings("prod", OPERATOR), defaultLinks(parseSettings("prod", OPERATOR))).spec as any;
        assert.deepEqual(spec.inhibitRules[0].targetMatch, [{ name: "severity", matchType: "=~", value: "warning|info" }]);
        assert.deepEqual(spec.inhibitRules[1].targetMatch[1], { name: "alertname", matchType: "!=", value: "SGLangServerDown" });
    });

    it("routes like the bundled Alertmanager, for each combination of credentials", () => {
        const combos = [
            {},
            { slackWebhookUrl: "https://hooks.slack.com/x" },
            { pagerdutyRoutingKey: "a".repeat(32) },
            { slackWebhookUrl: "https://hooks.slack.com/x", pagerdutyRoutingKey: "a".repeat(32), heartbeatUrl: "https://hb.example.com" },
        ];
        for (const secrets of combos) {
            const s = parseSettings("prod", { ...OPERATOR, ...secrets });
            const to = alertDestinations(s.secrets);
            const spec = alertmanagerConfigObject(s, defaultLinks(s)).spec as any;
            assert.equal(spec.route.receiver, to.warning);
            const routeFor = (name: string, value: string) =>
                spec.route.routes.find((r: any) => r.matchers.some((m: any) => m.name === name && m.value === value));
            assert.equal(routeFor("severity", "critical").receiver, to.critical);
            assert.equal(routeFor("alertname", WATCHDOG).receiver, to.watchdog);
            // Every receiver a route names exists, and every credential is a Secret reference.
            const names = spec.receivers.map((r: any) => r.name);
            for (const r of [spec.route, ...spec.route.routes]) assert.ok(names.includes(r.receiver), r.receiver);
            const refs = JSON.stringify(spec).match(/"key":"[^"]+"/g) ?? [];
            for (const ref of refs) assert.ok(SECRET_KEYS.includes(JSON.parse(`{${ref}}`).key));
            assert.equal(names.includes(RECEIVER.pagerduty), "pagerdutyRoutingKey" in secrets);
            assert.ok(!JSON.stringify(spec).includes("_file"), "no file paths left over");
            if ("heartbeatUrl" in secrets) {
                const hb = spec.receivers.find((r: any) => r.name === RECEIVER.heartbeat);
                assert.deepEqual(hb.webhookConfigs[0].urlSecret, { name: CREDENTIALS_SECRET, key: "heartbeat-url" });
            }
        }
    });

    it("one monitor per discovered job, kinds by config", () => {
        const sm = monitors(parseSettings("prod", OPERATOR));
        assert.deepEqual(
            sm.map((m) => [m.kind, m.metadata.name]),
            [
                ["ServiceMonitor", "sglang-ananke-sglang"],
                ["ServiceMonitor", "sglang-ananke-gpu-exporter"],
            ],
        );
        const pm = monitors(parseSettings("prod", { ...OPERATOR, monitorKind: "podmonitor", gpuExporter: "none" }));
        assert.deepEqual(
            pm.map((m) => m.kind),
            ["PodMonitor"],
        );
        // The GPU Operator's exporter has no Service the stack knows: always a PodMonitor.
        const existing = monitors(parseSettings("prod", { ...OPERATOR, gpuExporter: "existing" }));
        assert.deepEqual(
            existing.map((m) => m.kind),
            ["ServiceMonitor", "PodMonitor"],
        );
    });
    it("drops at scrape time what the bundled Prometheus drops: the same relabelings, valid for the operator's schema", async () => {
        for (const monitorKind of ["servicemonitor", "podmonitor"]) {
            for (const m of monitors(parseSettings("prod", { ...OPERATOR, monitorKind }))) {
                const spec = m.spec as any;
                const endpoint = (spec.endpoints ?? spec.podMetricsEndpoints)[0];
                const job = m.metadata.name.replace(/^sglang-ananke-/, "");
                // prometheus.yml's snake_case keys, as the operator spells them.
                const expected = metricRelabelConfigs(job).map((r: any) => ({
                    sourceLabels: r.source_labels,
                    separator: r.separator,
                    regex: r.regex,
                    ...(r.target_label ? { targetLabel: r.target_label, replacement: r.replacement } : {}),
                    action: r.action,
                }));
                assert.deepEqual(endpoint.metricRelabelings ?? [], expected, `${m.kind} ${m.metadata.name}`);
                assert.deepEqual(await validateObject(`kubernetes:monitoring.coreos.com/v1:${m.kind}`, m as any), [], `${m.kind} ${m.metadata.name}`);
            }
        }
        assert.ok(metricRelabelConfigs(JOB.sglang).length > 0 && metricRelabelConfigs(JOB.gpu).length > 0, "monitors with relabelings to compare");
    });
});
