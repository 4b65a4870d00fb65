/**
 * Scaled to zero, no SGLang replica is the idle state, not an outage: the
 * server-down and router-without-worker alerts stay silent then, yet a
 * registered worker that is not Ready still pages (promtool, on the series
 * the pinned router's contract writes).
 */
import { parseSettings, type Settings } from "../settings";
import * as F from "../tests/support/monitoring/fixtures";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { alertRuleGroups } from "./alerts";
import { defaultLinks } from "./links";
import { toYaml } from "./yaml";

const AUTOSCALED = { target: "kubernetes", autoscalingEnabled: true, autoscalingMaxReplicas: 4, modelCacheAccessMode: "ReadWriteMany" };
const TO_ZERO = parseSettings("prod", { ...AUTOSCALED, autoscalingMinReplicas: 0, autoscalingScaleToZero: true, canaryEnabled: false });
const AT_LEAST_ONE = parseSettings("prod", AUTOSCALED);
const ALERTS = ["SGLangServerDown", "SGLangRouterNoHealthyWorker"];
const [W0, W1] = F.ROUTER_WORKERS;

/** The router up, its workers at these health values (-1 removed), and no SGLang target. */
function routerWith(health: Record<string, number>): F.InputSeries[] {
    return [F.up("sglang-router", F.ROUTER_INSTANCE, 1), ...F.router({ smg_worker_health: F.perWorker(health) }, { workers: Object.keys(health) })];
}

function firing(name: string, input: F.InputSeries[], alerts: string[]) {
    return {
        name,
        interval: "1m",
        input_series: input,
        promql_expr_test: ALERTS.map((alert) => ({
            expr: `count by (alertname) (ALERTS{alertname="${alert}", alertstate="firing"})`,
            eval_time: "30m",
            exp_samples: alerts.includes(alert) ? [{ labels: `{alertname="${alert}"}`, value: 1 }] : [],
        })),
    };
}

function check(settings: Settings, tests: object[], what: string): void {
    const groups = alertRuleGroups(settings, defaultLinks(settings)).filter((g) => g.name === "sglang.alerts" || g.name === "sglang-router.alerts");
    const dir = new TempDir();
    try {
        dir.write("alerts.yaml", toYaml({ groups }));
        dir.write("test.yaml", toYaml({ rule_files: ["alerts.yaml"], evaluation_interval: "1m", tests }));
        expectSuccess(run("promtool", ["test", "rules", "test.yaml"], dir.path), what);
    } finally {
        dir.remove();
    }
}

describe("alerts when autoscaling may stop every replica (promtool)", function () {
    this.timeout(120_000);

    it("scaled to zero: silent with no replica, paging for a registered worker that is not Ready", () => {
        check(
            TO_ZERO,
            [
                firing("every worker removed, no SGLang target", routerWith({ [W0]: -1, [W1]: -1 }), []),
                firing("no worker registered since the router started", routerWith({}), []),
                firing("one worker registered and not Ready, one removed", routerWith({ [W0]: 0, [W1]: -1 }), ["SGLangRouterNoHealthyWorker"]),
            ],
            "promtool test rules (scale to zero)",
        );
    });

    it("with at least one replica, the same idle state pages (the check can fail)", () => {
        check(
            AT_LEAST_ONE,
            [firing("every worker removed, no SGLang target", routerWith({ [W0]: -1, [W1]: -1 }), ALERTS)],
            "promtool test rules (at least one replica)",
        );
    });
});
