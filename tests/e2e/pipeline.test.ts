/**
 * The monitoring pipeline, proven end to end on this machine: Debian's real
 * Prometheus, Alertmanager and node exporter run the program's generated
 * configuration against stand-in exporters, and a local receiver records
 * what Slack, PagerDuty and the heartbeat would get.
 *
 * One stack runs per SGLang version the project has a metric contract for
 * (tests/e2e/versions.ts), each with its own Prometheus, Alertmanager and
 * node exporter, and a GPU exporter version beside it: every version's
 * series feed the same rules, dashboard and guide queries. The stand-in
 * SGLang is the real Python prometheus_client writing exactly what the
 * version's contract says. The first stack (the default image, DCGM) also
 * runs every alerting scenario and fault.
 *
 * The tests are steps of one scenario and run in order.
 */

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { writtenEntry } from "../../contracts/generate";
import { NODE_EXPORTER_CONTRACTS } from "../../contracts/gpu";
import { alertRuleGroups, defaultLinks, recordingRuleGroups, series } from "../../monitoring";
import { AvailabilityChecker } from "../../monitoring/availability";
import { dockerTopology } from "../../monitoring/topology";
import { JOB_CANARY } from "../../monitoring/types";
import { WEB_USERNAME } from "../../monitoring/web-auth";
import { durationSeconds } from "../../settings";
import { describeQueries, queriesWithoutData } from "./checks";
import { assertDetectedWithin, canaryDetectionBound, E2E_PAGERDUTY_ROUTING_KEY, stackDetectionBound } from "./config";
import { dashboardPromQl, guidePromQl, type NamedQuery } from "./queries";
import { E2eStack } from "./stack";
import { simulatedGpus } from "./standins/gpu";
import { mentions, type Notification, notificationStatus } from "./standins/receiver";
import type { AmAlert, PromRule } from "./support/apis";
import { requireBinaries, requirePrometheusClient } from "./support/binaries";
import { processesMentioning, startedProcesses, stopAllProcesses } from "./support/processes";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { sleep, waitFor } from "./support/wait";
import { e2eStacks } from "./versions";

/** What the versions of a stack can feed: its SGLang, GPU exporter and node exporter contracts through the stack's rules. */
function availabilityOf(stack: E2eStack): AvailabilityChecker {
    const s = stack.settings;
    const contracts = [stack.spec.sglang.contract, stack.spec.gpu, NODE_EXPORTER_CONTRACTS[0]];
    return new AvailabilityChecker(contracts, [...recordingRuleGroups(s), ...alertRuleGroups(s, defaultLinks(s))]);
}

const INHIBITED_WHILE_DOWN = ["SGLangHighLatency", "SGLangErrorRateHigh"];

const MIB = 1024 * 1024;

/**
 * The suite's report (what it rewrote, the detection latency): printed when
 * the suite runs alone (`npm run test:e2e`), kept out of `npm test`'s results.
 */
function log(line: string): void {
    if (process.env.npm_lifecycle_event === "test:e2e") console.log(`      ${line}`);
}

describe("monitoring pipeline end to end (Prometheus, Alertmanager and node exporter from Debian)", function () {
    this.timeout(90_000);

    let root = "";
    /** The default image's stack, where the alert scenarios run. */
    let primary: E2eStack;
    const stacks: E2eStack[] = [];
    let tornDown = false;

    async function teardown(): Promise<void> {
        if (tornDown) return;
        tornDown = true;
        await Promise.all(stacks.map((s) => s.stop()));
        await stopAllProcesses();
        if (root) removeRunDir(root);
    }

    before(async function () {
        this.timeout(60_000);
        const binaries = requireBinaries();
        requirePrometheusClient();
        root = makeRunDir();
        for (const spec of e2eStacks()) stacks.push(await E2eStack.create(spec, root, binaries));
        primary = stacks[0];
        await Promise.all(stacks.map((s) => s.start()));
        for (const s of stacks) {
            log(`stack ${s.spec.name}: generated configuration used as is, except:`);
            for (const r of s.rewrites) log(`  ${r}`);
        }
    });

    after(async function () {
        this.timeout(30_000);
        await teardown();
    });

    it("scrapes every target of the generated configuration, and every one is up", async () => {
        for (const stack of stacks) {
            let last: Awaited<ReturnType<typeof stack.prometheusApi.targets>> = [];
            // The jobs the Docker topology scrapes, and the canary's probes.
            const docker = dockerTopology(stack.settings);
            const jobs = [...docker.jobs.map((j) => j.job as string), ...(docker.canary ? [JOB_CANARY] : [])].sort();
            await waitFor(
                async () => {
                    last = await stack.prometheusApi.targets();
                    return last.length === jobs.length && last.every((t) => t.health === "up");
                },
                { what: `every target of ${stack.spec.name} up`, timeoutMs: 20_000 },
            ).catch(() => {
                const state = last.map((t) => `  ${t.labels.job} ${t.scrapeUrl}: ${t.health} ${t.lastError}`).join("\n");
                assert.fail(`${stack.spec.name}: not every target is up after 20 s:\n${state}`);
            });
            assert.deepEqual(last.map((t) => t.labels.job).sort(), jobs);
            for (const t of last) assert.match(t.scrapeUrl, /^http:\/\/127\.0\.0\.1:\d+\//);
            assert.deepEqual(
                await stack.prometheusApi.alertmanagers(),
                [`${stack.alertmanagerApi.baseUrl}/api/v2/alerts`],
                "Prometheus sends to the stack's Alertmanager",
            );
        }
    });

    it("answers nothing without the generated password, the lifecycle API included; scrapes and alerts above authenticate", async () => {
        const stack = stacks[0];
        const status = async (method: string, url: string, password?: string) => {
            const headers: Record<string, string> = password
                ? { authorization: `Basic ${Buffer.from(`${WEB_USERNAME}:${password}`).toString("base64")}` }
                : {};
            return (await fetch(url, { method, headers, signal: AbortSignal.timeout(10_000) })).status;
        };
        const prometheus = stack.prometheusApi.baseUrl;
        const alertmanager = stack.alertmanagerApi.baseUrl;
        for (const [method, url] of [
            ["GET", `${prometheus}/api/v1/query?query=up`],
            ["GET", `${prometheus}/-/healthy`],
            ["POST", `${prometheus}/-/reload`],
            ["POST", `${prometheus}/-/quit`],
            ["POST", `${prometheus}/api/v1/admin/tsdb/delete_series?match[]=up`],
            ["GET", `${alertmanager}/api/v2/alerts`],
            ["POST", `${alertmanager}/-/reload`],
        ]) {
            assert.equal(await status(method, url), 401, `${method} ${url} without a password`);
            assert.equal(await status(method, url, "not-the-password"), 401, `${method} ${url} with a wrong password`);
        }
        assert.equal(await status("GET", `${prometheus}/-/healthy`, stack.prometheusApi.auth!.password), 200);
    });

    it("loads every recording and alerting rule, and evaluates each without error", async () => {
        const waitMs = 10_000;
        // Tile groups run every 5 minutes, longer than this waits: their expressions go through the query API, the same engine.
        const evaluatedWithin = (r: PromRule) => r.groupInterval * 1000 <= waitMs;
        for (const stack of stacks) {
            const rules = await waitFor(
                async () => {
                    const all = await stack.prometheusApi.rules();
                    return all.length > 0 && all.filter(evaluatedWithin).every((r) => r.health !== "unknown") ? all : undefined;
                },
                { what: `every rule of ${stack.spec.name} evaluated`, timeoutMs: waitMs },
            );
            const failing = rules.filter(evaluatedWithin).filter((r) => r.health !== "ok");
            assert.deepEqual(
                failing.map((r) => `${r.name}: ${r.lastError}`),
                [],
                `${stack.spec.name}: rules failing`,
            );
            const later = rules.filter((r) => !evaluatedWithin(r) && r.health === "unknown");
            for (const r of later) await stack.prometheusApi.query(r.query);
        }
    });

    it("answers every dashboard query and guide example with data on every version, unless the version does not emit what it reads", async () => {
        const results = await Promise.all(
            stacks.map(async (stack) => {
                const queries = [...dashboardPromQl(stack.settings), ...guidePromQl()];
                // The project's declaration of what each version cannot feed (monitoring/availability.ts).
                const checker = availabilityOf(stack);
                const notEmitted = queries.filter((q) => !checker.check(q.expr).ok);
                const expected = queries.filter((q) => !notEmitted.includes(q));
                const empty = await queriesWithoutData(stack.prometheusApi, expected, 30_000);
                // A declared gap must be real: such a query has no data either.
                const withData: NamedQuery[] = [];
                for (const q of notEmitted) if ((await stack.prometheusApi.query(q.expr)).length > 0) withData.push(q);
                return { stack, queries, notEmitted, empty, withData };
            }),
        );
        for (const { stack, queries, notEmitted, empty } of results) {
            assert.ok(queries.length > 20, `only ${queries.length} queries found in the dashboard and the guide`);
            log(
                `${stack.spec.name}: ${queries.length - notEmitted.length - empty.length} of ${queries.length} dashboard and guide queries return data, ${notEmitted.length} declared not emitted by this version`,
            );
        }
        const failures = results.flatMap((r) => [
            ...(r.empty.length > 0 ? [`${r.stack.spec.name}, no data:\n${describeQueries(r.empty)}`] : []),
            ...(r.withData.length > 0 ? [`${r.stack.spec.name}, data although declared not emitted:\n${describeQueries(r.withData)}`] : []),
        ]);
        assert.deepEqual(failures, [], "queries whose data disagrees with the versions' contracts");
    });

    it("raises AnankeMetricsMissing exactly where the version writes no Ananke metric", async () => {
        const missing = 'ALERTS{alertname="AnankeMetricsMissing"}';
        for (const stack of stacks) {
            const contract = stack.spec.sglang.contract;
            const writesAnanke = contract.metrics.some((m) => /ananke/.test(m.name) && writtenEntry(contract, m.name) !== undefined);
            const active = (await stack.prometheusApi.query(missing)).length > 0;
            assert.equal(
                active,
                !writesAnanke,
                `${stack.spec.name}: AnankeMetricsMissing ${active ? "active" : "inactive"}, the version ${writesAnanke ? "writes" : "writes no"} Ananke metric`,
            );
        }
    });

    it("normalizes both GPU exporters to the guide's names, units and gpu label", async () => {
        for (const stack of stacks) {
            const gpus = simulatedGpus(stack.settings.sglang.gpuCount);
            const total = await stack.prometheusApi.query(series.GPU_MEMORY_TOTAL_BYTES);
            assert.deepEqual(total.map((s) => s.metric.gpu).sort(), gpus.map((g) => String(g.index)).sort(), `${stack.spec.name}: gpu labels`);
            for (const s of total) {
                assert.equal(Number(s.value[1]), gpus[0].totalMiB * MIB, `${stack.spec.name}: total memory in bytes`);
                // nvidia_gpu_exporter writes the UUID lower-case without the GPU- prefix.
                const uuid = gpus[Number(s.metric.gpu)].uuid;
                const written = stack.spec.gpu.exporter === "nvidia-gpu-exporter" ? uuid.replace(/^GPU-/, "").toLowerCase() : uuid;
                assert.equal(s.metric.uuid, written, `${stack.spec.name}: uuid of GPU ${s.metric.gpu}`);
            }
            const percent = await stack.prometheusApi.query(`${series.GPU_MEMORY_USED_BYTES} / ${series.GPU_MEMORY_TOTAL_BYTES} * 100`);
            assert.equal(percent.length, gpus.length);
            // The stand-ins use 82-90 % of each card: DCGM's MiB and nvidia-smi's bytes must both land there.
            for (const s of percent) assert.ok(Number(s.value[1]) > 80 && Number(s.value[1]) < 91, `${stack.spec.name}: memory used ${s.value[1]} %`);
            const utilization = await stack.prometheusApi.query(series.GPU_UTILIZATION);
            for (const s of utilization)
                assert.ok(Number(s.value[1]) >= 55 && Number(s.value[1]) <= 98, `${stack.spec.name}: utilization ${s.value[1]} is not in percent`);
        }
    });

    it("records values that agree with the stand-ins' traffic: ranks aggregated away, either prefix, one series per server and model", async () => {
        for (const stack of stacks) {
            const value = async (expr: string, low: number, high: number) => {
                const result = await stack.prometheusApi.query(expr);
                assert.equal(result.length, 1, `${stack.spec.name}: ${expr} returned ${result.length} series`);
                assert.deepEqual(
                    { instance: result[0].metric.instance, model: result[0].metric.model_name, tp_rank: result[0].metric.tp_rank },
                    { instance: stack.sglang.address, model: stack.settings.sglang.servedModelName, tp_rank: undefined },
                    `${stack.spec.name}: labels of ${expr}`,
                );
                const v = Number(result[0].value[1]);
                assert.ok(v >= low && v <= high, `${stack.spec.name}: ${expr} = ${v}, expected ${low} to ${high}`);
            };
            // Healthy traffic (see the stand-in's profile). Rates are only checked for being
            // positive: over a 5m window, a series younger than 5 minutes gives a fraction of
            // its real rate (Prometheus divides by the whole window). Ratios and quantiles
            // divide that fraction out, so they are checked against the profile's ranges.
            await value(series.SGLANG_REQUESTS_RATE, Number.MIN_VALUE, stack.sglang.requestsPerSecond * 1.5);
            await value(series.SGLANG_ERROR_RATIO, 0, 0.05);
            await value(series.SGLANG_E2E_LATENCY_P95, 1, 20);
            await value(series.SGLANG_TTFT_P95, 0.05, 1);
            await value(series.SGLANG_ITL_P95, 0.008, 0.04);
            await value(series.SGLANG_RUNNING_REQUESTS, 4, 24);
            await value(series.SGLANG_KV_CACHE_USAGE, 0.3, 0.6);
            // Three in four grammars hit the cache; over the few constrained requests of a
            // young window every one may have hit, so 1 is a valid reading. Only versions
            // that write the grammar counters have a ratio.
            if (writtenEntry(stack.spec.sglang.contract, "num_grammar_cache_hit_total")) await value(series.SGLANG_GRAMMAR_CACHE_HIT_RATIO, 0.3, 1);
        }
    });

    it("sends SGLangHighLatency to Slack (retried through 500s), never to PagerDuty, when SGLang slows down", async () => {
        const failures = 3;
        const earlier = primary.receiver.all("slack").length;
        primary.receiver.failNext("slack", failures);
        await primary.sglang.setMode("slow");
        const isLatency = (n: Notification) => mentions(n, "SGLangHighLatency") && notificationStatus(n) === "firing";
        const delivered = await waitFor(() => primary.receiver.delivered("slack").find(isLatency), {
            what: "SGLangHighLatency at the Slack receiver",
            timeoutMs: 45_000,
        });
        const refused = primary.receiver
            .all("slack")
            .slice(earlier)
            .filter((n) => n.answered === 500);
        assert.equal(refused.length, failures, "Slack requests answered 500");
        assert.ok(
            refused.every((n) => isLatency(n) && n.receivedAt < delivered.receivedAt),
            "Alertmanager retried the same notification until accepted",
        );
        assert.equal((delivered.body as { channel?: string }).channel, primary.settings.alertmanager.slackChannel);
        await sleep(2_000); // a group interval and more: a PagerDuty copy would have arrived
        assert.ok(!primary.receiver.all("pagerduty").some((n) => mentions(n, "SGLangHighLatency")), "SGLangHighLatency reached PagerDuty");
    });

    it("sends SGLangErrorRateHigh to Slack when SGLang answers errors", async () => {
        await primary.sglang.setMode("erroring");
        await waitFor(
            () => primary.receiver.delivered("slack").find((n) => mentions(n, "SGLangErrorRateHigh") && notificationStatus(n) === "firing"),
            {
                what: "SGLangErrorRateHigh at the Slack receiver",
                timeoutMs: 45_000,
            },
        );
        assert.ok(!primary.receiver.all("pagerduty").some((n) => mentions(n, "SGLangErrorRateHigh")), "SGLangErrorRateHigh reached PagerDuty");
    });

    let page: Notification | undefined;

    it("pages SGLangServerDown on PagerDuty within the detection bound, inhibiting the server's other alerts", async () => {
        // Nothing critical so far: no page, and SGLangServerDown never fired (not even unseen, at startup).
        assert.deepEqual(
            primary.receiver.all("pagerduty").map((n) => n.raw),
            [],
            "paged before any critical fault",
        );
        const firedBefore = await primary.prometheusApi.query('count_over_time(ALERTS{alertname="SGLangServerDown", alertstate="firing"}[1h])');
        assert.deepEqual(firedBefore, [], "SGLangServerDown fired before the server went down");
        const faultAt = Date.now();
        await primary.sglang.setMode("down");
        page = await waitFor(
            () => primary.receiver.delivered("pagerduty").find((n) => mentions(n, "SGLangServerDown") && notificationStatus(n) === "firing"),
            { what: "SGLangServerDown at the PagerDuty receiver", timeoutMs: 45_000 },
        );
        const s = primary.settings;
        assertDetectedWithin("SGLangServerDown", {
            faultAt,
            receivedAt: page.receivedAt,
            forDuration: s.alerts.serverDown.for,
            bound: stackDetectionBound(s),
        });
        assert.equal((page.body as { routing_key?: string }).routing_key, E2E_PAGERDUTY_ROUTING_KEY, "the routing key is read from its file");
        assert.equal((page.body as { payload?: { severity?: string } }).payload?.severity, "critical", "PagerDuty sees the alert's severity");

        let last: AmAlert[] = [];
        await waitFor(
            async () => {
                last = await primary.alertmanagerApi.alerts();
                const down = last.find((a) => a.labels.alertname === "SGLangServerDown");
                return (
                    down !== undefined &&
                    INHIBITED_WHILE_DOWN.every((name) => {
                        const alert = last.find((a) => a.labels.alertname === name);
                        return alert?.status.state === "suppressed" && alert.status.inhibitedBy.includes(down.fingerprint);
                    })
                );
            },
            { what: "latency and error alerts inhibited by SGLangServerDown", timeoutMs: 10_000 },
        ).catch(() => {
            const state = last.map(
                (a) => `  ${a.labels.alertname} ${a.status.state} inhibitedBy=${a.status.inhibitedBy.join(",")} (${a.fingerprint})`,
            );
            assert.fail(
                `while SGLang is down, ${INHIBITED_WHILE_DOWN.join(" and ")} should be inhibited by SGLangServerDown; Alertmanager holds:\n${state.join("\n")}`,
            );
        });
    });

    it("resolves the page on PagerDuty when SGLang is back", async () => {
        assert.ok(page, "no page to resolve (the previous step failed)");
        const dedupKey = (page.body as { dedup_key?: string }).dedup_key;
        await primary.sglang.setMode("healthy");
        await waitFor(
            () =>
                primary.receiver
                    .delivered("pagerduty")
                    .find((n) => notificationStatus(n) === "resolved" && (n.body as { dedup_key?: string }).dedup_key === dedupKey),
            { what: "the resolve event of SGLangServerDown at the PagerDuty receiver", timeoutMs: 30_000 },
        );
    });

    /**
     * Injects a fault, waits for `alert` to reach PagerDuty firing, prints the
     * detection latency (delivery after the fault, minus the `for` duration)
     * against its bound and checks it, then returns the page.
     */
    async function pagedWithin(
        alert: string,
        fault: () => void | Promise<void>,
        forSeconds: number,
        bound: { seconds: number; parts: string },
    ): Promise<Notification> {
        const faultAt = Date.now();
        await fault();
        const paged = await waitFor(
            () =>
                primary.receiver
                    .delivered("pagerduty")
                    .find((n) => n.receivedAt >= faultAt && mentions(n, alert) && notificationStatus(n) === "firing"),
            {
                what: `${alert} at the PagerDuty receiver`,
                timeoutMs: (forSeconds + bound.seconds + 30) * 1000,
            },
        );
        assertDetectedWithin(alert, { faultAt, receivedAt: paged.receivedAt, forDuration: `${forSeconds}s`, bound });
        assert.equal((paged.body as { payload?: { severity?: string } }).payload?.severity, "critical", `${alert}: PagerDuty sees a critical alert`);
        return paged;
    }

    /** The bound of an alert on the canary: its probe runs once per canary interval, not per scrape interval. */
    function canaryBound(): { seconds: number; parts: string } {
        return canaryDetectionBound(primary.settings);
    }

    it("pages SGLangCanaryFailing on PagerDuty within the detection bound when constrained output is malformed", async () => {
        const s = primary.settings;
        await pagedWithin(
            "SGLangCanaryFailing",
            () => void (primary.openai.mode = "malformed"),
            durationSeconds(s.alerts.canaryFailing.for),
            canaryBound(),
        );
        assert.ok(
            !primary.receiver.all("slack").some((n) => mentions(n, "SGLangCanaryFailing") && notificationStatus(n) === "firing"),
            "SGLangCanaryFailing reached Slack",
        );
        primary.openai.mode = "ok";
        await waitFor(
            () => primary.receiver.delivered("pagerduty").find((n) => mentions(n, "SGLangCanaryFailing") && notificationStatus(n) === "resolved"),
            {
                what: "the resolve event of SGLangCanaryFailing",
                timeoutMs: 40_000,
            },
        );
    });

    it("pages SGLangCanaryFailing on PagerDuty within the detection bound when the engine hangs while /health and /metrics still answer", async () => {
        const s = primary.settings;
        const hungAt = Date.now();
        await pagedWithin(
            "SGLangCanaryFailing",
            async () => {
                await primary.sglang.setMode("hung");
                primary.openai.mode = "hung";
            },
            durationSeconds(s.alerts.canaryFailing.for),
            canaryBound(),
        );
        // The server still looks alive to scrapes and health checks: no SGLangServerDown, requests still running.
        assert.deepEqual(await primary.prometheusApi.query(`up{job="sglang"} == 0`), [], "SGLang's scrape failed while hung");
        const sinceHung = `${Math.ceil((Date.now() - hungAt) / 1000)}s`;
        assert.deepEqual(
            await primary.prometheusApi.query(`count_over_time(ALERTS{alertname="SGLangServerDown"}[${sinceHung}])`),
            [],
            "SGLangServerDown while the server answers",
        );
        const running = await primary.prometheusApi.query(series.SGLANG_REQUESTS_IN_SYSTEM);
        assert.ok(
            running.some((r) => Number(r.value[1]) > 0),
            "requests stay running while the engine hangs",
        );
        // SGLangEngineStalled needs the 5-minute request rate at 0, longer than this suite runs: its promtool cases cover it.
        primary.openai.mode = "ok";
        await primary.sglang.setMode("healthy");
    });

    it("pages GPUXidCritical on PagerDuty within the detection bound, naming the XID, when a GPU reports XID 79", async () => {
        const s = primary.settings;
        const scrape = stackDetectionBound(s);
        const paged = await pagedWithin(
            "GPUXidCritical",
            () => primary.gpu.reportXid(1, 79, "GPU has fallen off the bus"),
            durationSeconds(s.alerts.gpuXid.for),
            scrape,
        );
        const text = JSON.stringify(paged.body);
        // The description annotation reaches PagerDuty in the event's details.
        assert.match(text, /GPU 1 \([^)]*\) on instance [^ ]+ reported XID 79: /, `the page names the GPU and its XID code: ${text}`);
    });

    it("keeps an active silence when Alertmanager restarts on its data directory", async () => {
        const matchers = { alertname: "SGLangHighLatency", instance: primary.sglang.address };
        const id = await primary.alertmanagerApi.createSilence(matchers, 60, "maintenance window (end-to-end test)");
        await primary.restartAlertmanager();
        const silence = (await primary.alertmanagerApi.silences()).find((s) => s.id === id);
        assert.ok(silence, "the silence is gone after the restart");
        assert.equal(silence.status.state, "active");
        assert.deepEqual(Object.fromEntries(silence.matchers.map((m) => [m.name, m.value])), matchers);
    });

    it("delivers the Watchdog to the heartbeat receiver, and only there", async function () {
        // Prometheus sends its first Watchdog before it has discovered Alertmanager
        // (discovery settles after 5 s), then again after its resend delay of 1 minute.
        this.timeout(120_000);
        const beat = await waitFor(
            () =>
                primary.receiver
                    .delivered("heartbeat")
                    .find((n) =>
                        ((n.body as { alerts?: { labels: Record<string, string> }[] }).alerts ?? []).some((a) => a.labels.alertname === "Watchdog"),
                    ),
            { what: "Watchdog at the heartbeat receiver", timeoutMs: 100_000, intervalMs: 500 },
        );
        assert.equal((beat.body as { status?: string }).status, "firing");
        for (const channel of ["slack", "pagerduty"] as const) {
            assert.ok(!primary.receiver.all(channel).some((n) => mentions(n, "Watchdog")), `Watchdog reached ${channel}`);
        }
    });

    it("keeps its samples when Prometheus restarts on its data directory", async () => {
        const at = Math.floor(Date.now() / 1000) - 3;
        const expr = "sum(count_over_time(up[1h]))";
        const count = async () => Number((await primary.prometheusApi.query(expr, at))[0]?.value[1] ?? 0);
        const before = await count();
        assert.ok(before > 50, `only ${before} samples of up before the restart`);
        await primary.restartPrometheus();
        assert.equal(await count(), before, "samples of up before the restart");
    });

    it("stops every process it started and removes its files", async () => {
        const marker = root;
        await teardown();
        assert.deepEqual(
            startedProcesses()
                .filter((p) => p.running)
                .map((p) => `${p.opts.name} (${p.pid})`),
            [],
        );
        assert.deepEqual(processesMentioning(marker), [], "processes still running with the test directory in their command line");
        assert.ok(!fs.existsSync(marker), `${marker} is still there`);
    });
});
