/**
 * Scaling out, end to end: a stack configured with two SGLang workers
 * (`sglangWorkers: 2`) runs its generated Prometheus and Alertmanager
 * configuration (Debian's binaries) against two SGLang worker stand-ins and
 * a router stand-in in front of them, whose metrics follow smg v1.9.0's
 * contract. Requests and the canary reach both workers through the router;
 * when one worker dies the router marks it unhealthy, keeps answering
 * through the other, and the alerts reach the receiver within their bound.
 *
 * The tests are steps of one scenario and run in order.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { routerSeries, type Traffic } from "../../contracts/generate";
import { SGLANG_ROUTER_CONTRACTS } from "../../contracts/sglang-router";
import { dockerTopology } from "../../monitoring/topology";
import { JOB, JOB_CANARY, JOB_ROUTER } from "../../monitoring/types";
import { assertDetectedWithin, e2eSettings, ROUTER_TIMINGS, stackDetectionBound } from "./config";
import { mentions, type Notification, type NotificationReceiver, notificationStatus } from "./standins/receiver";
import type { RouterStandIn } from "./standins/router";
import type { SglangWorkerStandIn } from "./standins/sglang-worker";
import type { PrometheusApi } from "./support/apis";
import { complete } from "./support/clients";
import { type RouterScene, startRouterScene } from "./support/router-scene";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { sleep, waitFor } from "./support/wait";

const ROUTER_CONTRACT = SGLANG_ROUTER_CONTRACTS[0];

/** A scrape's series: `name` and labels, in the order written. */
function parseExposition(text: string): { name: string; labels: Record<string, string> }[] {
    const out: { name: string; labels: Record<string, string> }[] = [];
    for (const line of text.split("\n")) {
        if (!line || line.startsWith("#")) continue;
        const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+\S+$/.exec(line);
        if (!m) throw new Error(`not a sample line: ${line}`);
        const labels: Record<string, string> = {};
        for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
        out.push({ name: m[1], labels });
    }
    return out;
}

/** A series' shape: its name and label names, with the `worker` value kept (the per-worker series must name each worker). */
function shape(s: { name: string; labels: Record<string, string> }): string {
    const names = Object.keys(s.labels)
        .filter((l) => l !== "worker")
        .sort();
    return `${s.name}{${names.join(",")}}${s.labels.worker !== undefined ? ` worker=${s.labels.worker}` : ""}`;
}

function shapes(series: { name: string; labels: Record<string, string> }[]): string[] {
    return [...new Set(series.map(shape))].sort();
}

describe("the SGLang router in front of two workers, end to end (Prometheus and Alertmanager from Debian)", function () {
    this.timeout(90_000);

    const settings = e2eSettings("router", {
        sglangWorkers: 2,
        alertRouterWorkerUnhealthyFor: "5s",
        alertRouterWorkerEjectedFor: "5s",
    });
    let root = "";
    let scene: RouterScene;
    let workers: SglangWorkerStandIn[] = [];
    let router: RouterStandIn;
    let receiver: NotificationReceiver;
    let prometheusApi: PrometheusApi;

    before(async function () {
        this.timeout(60_000);
        root = makeRunDir();
        scene = await startRouterScene(settings, path.join(root, "router"), "router");
        ({ router, receiver, prometheusApi } = scene);
        workers = scene.servers.map((s) => s.worker);
    });

    after(async function () {
        this.timeout(30_000);
        await scene?.stop();
        if (root) removeRunDir(root);
    });

    it("writes, before any request, exactly the series routerSeries gives smg v1.9.0 for the same workers", async () => {
        const scraped = parseExposition(await (await fetch(`http://${router.metricsAddress}/metrics`)).text());
        const expected = routerSeries(ROUTER_CONTRACT, { workers: workers.map((w) => w.url) }, {});
        assert.deepEqual(shapes(scraped), shapes(expected));
        // And the worker label is each worker URL as registered.
        const health = scraped.filter((s) => s.name === "smg_worker_health").map((s) => s.labels.worker);
        assert.deepEqual(health.sort(), workers.map((w) => w.url).sort());
    });

    it("scrapes both workers (one target each) and the router, every target up", async () => {
        const docker = dockerTopology(settings);
        const jobs = [...docker.jobs.map((j) => j.job as string), ...(docker.canary ? [JOB_CANARY] : [])];
        const sglangJob = docker.jobs.find((j) => j.job === JOB.sglang);
        assert.ok(sglangJob?.discovery.kind === "static" && sglangJob.discovery.targets.length === 2, "one SGLang target per worker");
        assert.ok(jobs.includes(JOB_ROUTER), "the Docker topology scrapes the router");
        let last: Awaited<ReturnType<typeof prometheusApi.targets>> = [];
        await waitFor(
            async () => {
                last = await prometheusApi.targets();
                return last.length === jobs.length + 1 && last.every((t) => t.health === "up");
            },
            { what: "every target up", timeoutMs: 20_000 },
        ).catch(() =>
            assert.fail(`not every target is up:\n${last.map((t) => `  ${t.labels.job} ${t.scrapeUrl}: ${t.health} ${t.lastError}`).join("\n")}`),
        );
        const sglangTargets = last.filter((t) => t.labels.job === JOB.sglang).map((t) => t.labels.instance);
        assert.deepEqual(sglangTargets.sort(), workers.map((w) => w.address).sort());
    });

    it("routes requests through the router to both workers, and the canary through the router succeeds", async () => {
        const before = workers.map((w) => w.completions);
        for (let i = 0; i < 10; i++) assert.equal(await complete(router.url, settings.sglang.servedModelName), 200);
        const served = workers.map((w, i) => w.completions - before[i]);
        assert.ok(
            served.every((n) => n > 0),
            `each worker served some of the 10 requests: ${served.join(", ")}`,
        );
        // Round robin over two Ready workers: an even split, give or take a canary probe in between.
        assert.ok(
            served.every((n) => n >= 4),
            `round robin splits 10 requests about evenly: ${served.join(", ")}`,
        );
        await waitFor(
            async () => {
                const r = await prometheusApi.query(`probe_success{job="${JOB_CANARY}"}`);
                return r.length === 1 && r[0].value[1] === "1";
            },
            { what: "a successful canary probe through the router", timeoutMs: 30_000 },
        );
        assert.ok(
            workers.some((w) => w.openai.received.some((r) => JSON.stringify(r.body).includes("json_schema"))),
            "the canary's constrained request reached a worker",
        );
        const health = await prometheusApi.query(`smg_worker_health{job="${JOB_ROUTER}"}`);
        assert.deepEqual(health.map((s) => [s.metric.worker, s.value[1]]).sort(), workers.map((w) => [w.url, "1"]).sort());
    });

    let unhealthyNotice: Notification | undefined;

    it("marks a killed worker unhealthy, keeps answering through the other, and notifies SGLangRouterWorkerUnhealthy within its bound", async () => {
        const [alive, dead] = workers;
        const aliveBefore = alive.completions;
        const faultAt = Date.now();
        await dead.kill();
        // Clients keep sending: the router retries on the live worker, and the dead one's breaker sees the failures.
        const statuses: number[] = [];
        let sending = true;
        const client = (async () => {
            while (sending) {
                statuses.push(await complete(router.url, settings.sglang.servedModelName).catch(() => 0));
                await sleep(200);
            }
        })();
        try {
            await waitFor(() => router.workers[1].ready === false, { what: "the router to mark the dead worker not Ready", timeoutMs: 15_000 });
            const text = await (await fetch(`http://${router.metricsAddress}/metrics`)).text();
            assert.match(text, new RegExp(`^smg_worker_health\\{worker="${dead.url}"\\} 0$`, "m"));
            assert.match(text, new RegExp(`^smg_worker_health\\{worker="${alive.url}"\\} 1$`, "m"));
            assert.match(text, new RegExp(`^smg_worker_cb_state\\{worker="${dead.url}"\\} 1$`, "m"), "the failed requests opened its breaker");

            unhealthyNotice = await waitFor(
                () => receiver.delivered("slack").find((n) => mentions(n, "SGLangRouterWorkerUnhealthy") && notificationStatus(n) === "firing"),
                { what: "SGLangRouterWorkerUnhealthy at the Slack receiver", timeoutMs: 45_000 },
            );
        } finally {
            sending = false;
            await client;
        }
        const routerSeconds = (ROUTER_TIMINGS.healthIntervalMs * ROUTER_TIMINGS.healthFailureThreshold) / 1000;
        const stack = stackDetectionBound(settings);
        assertDetectedWithin("SGLangRouterWorkerUnhealthy", {
            faultAt,
            receivedAt: unhealthyNotice.receivedAt,
            forDuration: settings.alerts.routerWorkerUnhealthy.for,
            bound: {
                seconds: routerSeconds + stack.seconds,
                parts: `router health checks ${ROUTER_TIMINGS.healthFailureThreshold} x ${ROUTER_TIMINGS.healthIntervalMs / 1000} s + ${stack.parts}`,
            },
        });
        assert.match(unhealthyNotice.raw, new RegExp(dead.url.replace(/[.:/]/g, "\\$&")), "the notice names the dead worker");
        assert.ok(statuses.length > 0 && statuses.every((s) => s === 200), `every request after the fault was answered 200: ${statuses.join(" ")}`);
        assert.ok(alive.completions > aliveBefore, "the live worker served them");
        const health = await prometheusApi.query(`smg_worker_health{job="${JOB_ROUTER}"}`);
        assert.deepEqual(
            health.map((s) => [s.metric.worker, s.value[1]]).sort(),
            [
                [alive.url, "1"],
                [dead.url, "0"],
            ].sort(),
        );
    });

    it("pages the lost worker on PagerDuty (SGLangServerDown for its target) and reports the breaker's ejection", async () => {
        const dead = workers[1];
        const page = await waitFor(
            () => receiver.delivered("pagerduty").find((n) => mentions(n, "SGLangServerDown") && notificationStatus(n) === "firing"),
            { what: "SGLangServerDown at the PagerDuty receiver", timeoutMs: 30_000 },
        );
        assert.match(page.raw, new RegExp(dead.address.replace(/[.:]/g, "\\$&")), "the page names the dead worker's target");
        await waitFor(() => receiver.delivered("slack").find((n) => mentions(n, "SGLangRouterWorkerEjected") && notificationStatus(n) === "firing"), {
            what: "SGLangRouterWorkerEjected at the Slack receiver",
            timeoutMs: 30_000,
        });
        const firing = await prometheusApi.query('ALERTS{alertstate="firing", alertname="SGLangRouterNoHealthyWorker"}');
        assert.deepEqual(firing, [], "one worker left: the router still has a healthy worker");
    });

    it("still writes only series of the contract's shapes for the same workers, after traffic and a failure", async () => {
        const scraped = parseExposition(await (await fetch(`http://${router.metricsAddress}/metrics`)).text());
        // The series smg writes on the events that happened: requests, responses, probes, breaker outcomes and transitions.
        const happened: Traffic = Object.fromEntries(
            ["smg_http_requests_total", "smg_router_requests_total", "smg_worker_health_checks_total", "smg_worker_cb_outcomes_total"].map((name) => [
                name,
                { rate: 1 },
            ]),
        );
        // Every response was a success: smg writes its error code as "", which Prometheus drops (routerSeries leaves it out too).
        const responses: Traffic = { smg_http_responses_total: { bySeries: [{ labels: { error_code: "" }, rate: 1 }] } };
        // Only the dead worker's breaker moved: closed to open.
        const transitions: Traffic = {
            smg_worker_cb_transitions_total: { bySeries: [{ labels: { worker: workers[1].url, from: "closed", to: "open" }, rate: 1 }] },
        };
        const gauges: Traffic = { smg_worker_cb_consecutive_failures: { gauge: 0 }, smg_worker_cb_consecutive_successes: { gauge: 0 } };
        const expected = routerSeries(
            ROUTER_CONTRACT,
            { workers: workers.map((w) => w.url) },
            { ...happened, ...responses, ...transitions, ...gauges },
        );
        assert.deepEqual(shapes(scraped), shapes(expected));
    });
});
