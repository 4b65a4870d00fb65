/**
 * The autoscaler's triggers: every query parses (Prometheus' Lezer grammar),
 * reads only recorded series, returns a number with no pod at all, and gives,
 * through the recording rules on series generated from the pinned SGLang and
 * router contracts, the value a made-up load implies (promtool).
 */
import * as assert from "node:assert/strict";
import { parsePromql } from "../../dashboards/promql-check";
import { recordingRuleGroups } from "../../monitoring/recording";
import { recordedSeriesNames } from "../../monitoring/series";
import { toYaml } from "../../monitoring/yaml";
import { parseSettings, type Settings } from "../../settings";
import { stackFileConfig } from "../../tests/harness";
import * as F from "../../tests/support/monitoring/fixtures";
import { expectSuccess, run, TempDir } from "../../tests/support/monitoring/tools";
import { withProductionSecrets } from "../../tests/support/production-secrets";
import { kvCacheQuery, queueDepthQuery, routerRequestsQuery, scaledObject, triggerSpecs, ttftQuery } from "./scaledObject";

const NAMESPACE = "sglang";
const PROD = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml")).config;
const settingsWith = (raw: Record<string, string>): Settings =>
    parseSettings("prod", { ...PROD, namespace: NAMESPACE, autoscalingEnabled: "true", autoscalingMaxReplicas: "6", ...raw });
const SCALING = settingsWith({});
const TO_ZERO = settingsWith({ autoscalingMinReplicas: "0", autoscalingScaleToZero: "true", canaryEnabled: "false" });
/** Two models, each scaled on its own: their servers tell them apart by SGLang's `model_name`, the router by the request's `model`. */
const TWO_MODELS = settingsWith({
    autoscalingMinReplicas: "0",
    autoscalingScaleToZero: "true",
    canaryEnabled: "false",
    models: JSON.stringify([
        { name: "chat", model: "Qwen/Qwen2.5-7B-Instruct", servedModelName: "qwen-chat", gpuCount: 1 },
        { name: "code", model: "Qwen/Qwen2.5-Coder-7B-Instruct", servedModelName: "qwen-coder", gpuCount: 1 },
    ]),
});

/** Series as Kubernetes service discovery labels them: the pods' namespace on every one. */
function inNamespace(input: F.InputSeries[]): F.InputSeries[] {
    return input.map((s) => ({ ...s, series: s.series.replace("{", `{namespace="${NAMESPACE}", `) }));
}

describe("autoscaling triggers", function () {
    this.timeout(120_000);

    it("scale on queue depth, KV-cache usage and TTFT P95 (per replica, AverageValue), with thresholds and windows from config", () => {
        const so = scaledObject(
            settingsWith({ autoscalingKvCacheThreshold: "0.9", autoscalingScaleUpSeconds: "120", sloTtftThresholdSeconds: "4" }),
            "sglang",
        );
        const triggers = so.spec.triggers as any[];
        assert.deepEqual(
            triggers.map((t) => [t.name, t.metricType, t.metadata.threshold]),
            [
                ["queue-depth", "AverageValue", "5"],
                ["kv-cache-usage", "AverageValue", "0.9"],
                ["ttft-p95", "AverageValue", "4"],
            ],
        );
        const behavior = (so.spec.advanced as any).horizontalPodAutoscalerConfig.behavior;
        assert.equal(behavior.scaleUp.stabilizationWindowSeconds, 120);
        assert.equal(behavior.scaleDown.stabilizationWindowSeconds, 300);
        assert.equal(so.spec.minReplicaCount, 1);
        // Without scale to zero, no trigger has an activation threshold: at one replica or more KEDA ignores it.
        assert.ok(triggers.every((t) => t.metadata.activationThreshold === undefined));
    });

    it("scale to zero: minReplicaCount 0 and a router trigger that activates on any request", () => {
        const so = scaledObject(TO_ZERO, "sglang");
        assert.equal(so.spec.minReplicaCount, 0);
        const wake = (so.spec.triggers as any[]).find((t) => t.name === "router-requests");
        assert.deepEqual([wake.metadata.threshold, wake.metadata.activationThreshold], ["1", "0"]);
        assert.ok(wake.metadata.query.includes('job="sglang-router"'), wake.metadata.query);
    });

    it("every query parses and reads recorded series of the stack's namespace only", () => {
        const recorded = new Set(recordedSeriesNames());
        for (const t of triggerSpecs(TO_ZERO)) {
            const parsed = parsePromql(t.query);
            assert.deepEqual(parsed.errors, [], t.query);
            assert.ok(parsed.selectors.length > 0, t.query);
            for (const sel of parsed.selectors) {
                assert.ok(recorded.has(sel.metric), `${t.name}: ${sel.metric} is a recorded series`);
                assert.ok(sel.labels.includes("namespace") && sel.labels.includes("job"), `${t.name}: selects by job and namespace`);
            }
        }
        // The check can fail: a raw name is not a recorded series, a broken query has errors.
        assert.ok(!recorded.has("sglang:num_queue_reqs"));
        assert.notDeepEqual(parsePromql("sum(x{job=}) or").errors, []);
    });

    it("on contract series, each query returns the made-up load's number, and 0 with no pod (promtool)", () => {
        // Three replicas: two loaded, one just started (no request yet: its TTFT quantile is NaN and must not count).
        const pod = (instance: string, queued: number, usage: number, ttft?: number) =>
            F.sglang(
                {
                    num_queue_reqs: { gauge: queued },
                    token_usage: { gauge: usage },
                    ...(ttft !== undefined ? { num_requests_total: { rate: 2 }, time_to_first_token_seconds: F.latency(2, { [ttft]: 1 }) } : {}),
                },
                { instance },
            );
        // Usages are binary fractions: their sum is exact in whatever order Prometheus adds them.
        const loaded = inNamespace([
            ...pod("10.0.0.1:30000", 7, 0.875, 0.5),
            ...pod("10.0.0.2:30000", 5, 0.75, 3),
            ...pod("10.0.0.3:30000", 0, 0.125),
        ]);
        // Every observation in one bucket: P95 = lower + 0.95 × width, (0.4, 0.6] and (2, 4].
        const ttftSum = 0.4 + 0.95 * 0.2 + (2 + 0.95 * 2);
        const routerAt = (rate: number) =>
            inNamespace(
                F.router({ smg_http_responses_total: F.routerResponses([{ status_code: "503", error_code: "no_available_workers", rate }]) }),
            );
        const at = "20m";
        const value = (expr: string, v: number) => ({ expr, eval_time: at, exp_samples: [{ labels: "{}", value: v }] });
        const tests = [
            {
                name: "three replicas under load",
                interval: "1m",
                input_series: loaded,
                promql_expr_test: [
                    value(queueDepthQuery(TO_ZERO), 12),
                    value(kvCacheQuery(TO_ZERO), 1.75),
                    value(`round(${ttftQuery(TO_ZERO)}, 0.0001)`, Math.round(ttftSum * 10000) / 10000),
                ],
            },
            {
                name: "no pod at all: every query still answers, 0",
                interval: "1m",
                input_series: routerAt(0),
                promql_expr_test: [queueDepthQuery, kvCacheQuery, ttftQuery, routerRequestsQuery].map((q) => value(q(TO_ZERO), 0)),
            },
            {
                name: "requests at the router with no worker (503s) wake the replicas",
                interval: "1m",
                input_series: routerAt(0.5),
                promql_expr_test: [value(routerRequestsQuery(TO_ZERO), 1)],
            },
            {
                name: "another namespace's servers are not ours",
                interval: "1m",
                input_series: loaded.map((s) => ({ ...s, series: s.series.replace(`namespace="${NAMESPACE}"`, 'namespace="other"') })),
                promql_expr_test: [value(queueDepthQuery(TO_ZERO), 0), value(kvCacheQuery(TO_ZERO), 0)],
            },
        ];
        const dir = new TempDir();
        try {
            dir.write("recording.yaml", toYaml({ groups: recordingRuleGroups(SCALING) }));
            dir.write("triggers.test.yaml", toYaml({ rule_files: ["recording.yaml"], evaluation_interval: "1m", tests }));
            expectSuccess(run("promtool", ["test", "rules", "triggers.test.yaml"], dir.path), "promtool test rules (autoscaling triggers)");
        } finally {
            dir.remove();
        }
    });

    it("with several models, each model's triggers read only its own servers and wake on the requests naming it (promtool)", () => {
        const [chat, code] = TWO_MODELS.models;
        const so = scaledObject(TWO_MODELS, chat.serviceName, false, chat);
        assert.equal((so.spec.scaleTargetRef as any).name, "sglang-chat");
        for (const model of [chat, code]) {
            for (const t of triggerSpecs(TWO_MODELS, model)) assert.deepEqual(parsePromql(t.query).errors, [], t.query);
        }
        const pod = (instance: string, modelName: string, queued: number, usage: number) =>
            F.sglang({ num_queue_reqs: { gauge: queued }, token_usage: { gauge: usage } }, { instance, modelName });
        const servers = inNamespace([
            ...pod("10.0.0.1:30000", "qwen-chat", 7, 0.875),
            ...pod("10.0.0.2:30000", "qwen-chat", 1, 0.125),
            ...pod("10.0.1.1:30000", "qwen-coder", 3, 0.5),
        ]);
        // The router counts each request by its model at arrival, a worker or none (smg_router_requests_total).
        const requests = (model: string, perSecond: number) =>
            F.series(
                "smg_router_requests_total",
                {
                    job: "sglang-router",
                    instance: F.ROUTER_INSTANCE,
                    namespace: NAMESPACE,
                    router_type: "http",
                    backend_type: "regular",
                    connection_mode: "http",
                    model,
                    endpoint: "chat",
                    streaming: "false",
                },
                F.counter(perSecond),
            );
        const value = (expr: string, v: number) => ({ expr, eval_time: "20m", exp_samples: [{ labels: "{}", value: v }] });
        const tests = [
            {
                name: "each model's servers only",
                interval: "1m",
                input_series: servers,
                promql_expr_test: [
                    value(queueDepthQuery(TWO_MODELS, chat), 8),
                    value(queueDepthQuery(TWO_MODELS, code), 3),
                    value(kvCacheQuery(TWO_MODELS, chat), 1),
                    value(kvCacheQuery(TWO_MODELS, code), 0.5),
                ],
            },
            {
                name: "requests for the coder wake the coder only",
                interval: "1m",
                input_series: [requests("qwen-coder", 0.5)],
                promql_expr_test: [value(routerRequestsQuery(TWO_MODELS, code), 1), value(routerRequestsQuery(TWO_MODELS, chat), 0)],
            },
        ];
        const dir = new TempDir();
        try {
            dir.write("recording.yaml", toYaml({ groups: recordingRuleGroups(TWO_MODELS) }));
            dir.write("models.test.yaml", toYaml({ rule_files: ["recording.yaml"], evaluation_interval: "1m", tests }));
            expectSuccess(run("promtool", ["test", "rules", "models.test.yaml"], dir.path), "promtool test rules (per-model triggers)");
        } finally {
            dir.remove();
        }
    });
});
