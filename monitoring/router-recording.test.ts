/**
 * The router's recording rules give the values a reader expects, on the
 * series smg v1.9.0 writes (generated from its contract), checked by promtool.
 */
import { parseSettings } from "../settings";
import * as F from "../tests/support/monitoring/fixtures";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { recordingRuleGroups } from "./recording";
import * as S from "./series";
import { toYaml } from "./yaml";

const [W0, W1] = F.ROUTER_WORKERS;
const MODEL = F.DEFAULT_ROUTER_CONTRACT.labelValues!.model[0];
const R = `{job="sglang-router", instance="${F.ROUTER_INSTANCE}"}`;

describe("SGLang router recording rules (promtool, smg v1.9.0 series)", function () {
    this.timeout(120_000);

    it("record requests, errors, latency, workers and the fleet's prefix-cache hit ratio", () => {
        const serving = {
            smg_router_requests_total: { rate: 10 },
            // 10 responses per second on the chat route, 1 of them 503 without an available worker; probes answer 503 too.
            smg_http_responses_total: {
                bySeries: [
                    { labels: { path: "/v1/chat/completions", status_code: "200", error_code: "" }, rate: 9 },
                    { labels: { path: "/v1/chat/completions", status_code: "503", error_code: "no_available_workers" }, rate: 1 },
                    { labels: { path: "/readiness", status_code: "503", error_code: "" }, rate: 5 },
                ],
            },
            // Every successful request takes 0.5 s: the median interpolates to 0.375 in the (0.25, 0.5] bucket.
            smg_router_request_duration_seconds: F.latency(9, { 0.5: 1 }),
            smg_worker_health: F.perWorker({ [W0]: 1, [W1]: 0 }),
            smg_worker_cb_state: F.perWorker({ [W0]: 0, [W1]: 1 }),
        };
        // Two workers: 80 of 100 prompt tokens/s cached on one, 60 of 300 on the other: 140 / 400 = 0.35 over the fleet.
        const worker = (instance: string, prompt: number, cached: number) =>
            F.sglang({ num_requests_total: { rate: 1 }, prompt_tokens_total: { rate: prompt }, cached_tokens_total: { rate: cached } }, { instance });
        const removed = { smg_worker_health: F.perWorker({ [W0]: 1, [W1]: -1 }), smg_worker_cb_state: F.perWorker({ [W0]: 0, [W1]: -1 }) };
        const at = "20m";
        const sample = (expr: string, labels: string, value: number) => ({ expr, eval_time: at, exp_samples: [{ labels, value }] });
        const tests = [
            {
                name: "serving, one worker not Ready and ejected",
                interval: "1m",
                input_series: [...F.router(serving), ...worker("sglang-0:30000", 100, 80), ...worker("sglang-1:30000", 300, 60)],
                promql_expr_test: [
                    sample(
                        S.ROUTER_REQUESTS_RATE,
                        `${S.ROUTER_REQUESTS_RATE}{job="sglang-router", instance="${F.ROUTER_INSTANCE}", model="${MODEL}", endpoint="chat"}`,
                        10,
                    ),
                    sample(S.ROUTER_INFERENCE_RATE, `${S.ROUTER_INFERENCE_RATE}${R}`, 10),
                    sample(
                        S.ROUTER_ERRORS_RATE,
                        `${S.ROUTER_ERRORS_RATE}{job="sglang-router", instance="${F.ROUTER_INSTANCE}", path="/v1/chat/completions"}`,
                        1,
                    ),
                    sample(S.ROUTER_ERROR_RATIO, `${S.ROUTER_ERROR_RATIO}${R}`, 0.1),
                    sample(
                        `round(${S.routerDurationQuantile("p50")}, 0.001)`,
                        `{job="sglang-router", instance="${F.ROUTER_INSTANCE}", model="${MODEL}"}`,
                        0.375,
                    ),
                    sample(S.ROUTER_WORKERS_HEALTHY, `${S.ROUTER_WORKERS_HEALTHY}${R}`, 1),
                    sample(S.ROUTER_WORKERS_UNHEALTHY, `${S.ROUTER_WORKERS_UNHEALTHY}${R}`, 1),
                    sample(S.ROUTER_WORKERS_EJECTED, `${S.ROUTER_WORKERS_EJECTED}${R}`, 1),
                    sample(`round(${S.FLEET_PREFIX_CACHE_HIT_RATIO}, 0.001)`, `{model_name="${F.MODEL}"}`, 0.35),
                ],
            },
            {
                name: "idle, a removed worker: 0 errors are not absent workers, removed is neither healthy nor unhealthy",
                interval: "1m",
                input_series: F.router({ ...removed, smg_http_responses_total: F.routerResponses([{ status_code: "200", rate: 2 }]) }),
                promql_expr_test: [
                    sample(S.ROUTER_ERROR_RATIO, `${S.ROUTER_ERROR_RATIO}${R}`, 0),
                    sample(S.ROUTER_WORKERS_HEALTHY, `${S.ROUTER_WORKERS_HEALTHY}${R}`, 1),
                    sample(S.ROUTER_WORKERS_UNHEALTHY, `${S.ROUTER_WORKERS_UNHEALTHY}${R}`, 0),
                    sample(S.ROUTER_WORKERS_EJECTED, `${S.ROUTER_WORKERS_EJECTED}${R}`, 0),
                ],
            },
        ];
        const dir = new TempDir();
        try {
            dir.write("recording.yaml", toYaml({ groups: recordingRuleGroups(parseSettings("dev", {})) }));
            dir.write("router.test.yaml", toYaml({ rule_files: ["recording.yaml"], evaluation_interval: "1m", tests }));
            expectSuccess(run("promtool", ["test", "rules", "router.test.yaml"], dir.path), "promtool test rules (router recording)");
        } finally {
            dir.remove();
        }
    });
});
