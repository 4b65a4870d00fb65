/**
 * Several models, end to end: a Docker stack configured with two models
 * (`coder`, one server; `chat`, served as "chat", two servers) runs its
 * generated Prometheus, Alertmanager and blackbox configuration (Debian's
 * binaries) against three SGLang stand-ins, each writing the SGLang
 * contract's series with its own `model_name`, and a router stand-in that
 * routes by the request's `model` as smg v1.9.0 does. Each model's requests
 * and canary reach only its servers; when `coder` loses its only server,
 * `chat` keeps answering and only `coder` is paged.
 *
 * The tests are steps of one scenario and run in order.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { canaryTargets } from "../../monitoring/canary";
import { JOB_CANARY, JOB_ROUTER } from "../../monitoring/types";
import { assertDetectedWithin, canaryDetectionBound, e2eSettings, stackDetectionBound } from "./config";
import { mentions, type Notification, type NotificationReceiver, notificationStatus } from "./standins/receiver";
import type { RouterStandIn } from "./standins/router";
import type { SglangWorkerStandIn } from "./standins/sglang-worker";
import type { PrometheusApi } from "./support/apis";
import { chatCompletion } from "./support/clients";
import { type RouterScene, startRouterScene } from "./support/router-scene";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { sleep, waitFor } from "./support/wait";

/** The two models: `coder` served under its model name, `chat` under its own served name, on two servers. */
const CODER_MODEL = "Qwen/Qwen2.5-Coder-7B-Instruct";
const CHAT_SERVED = "chat";
const MODELS = [
    { name: "coder", model: CODER_MODEL, gpuCount: 1 },
    { name: "chat", model: "meta-llama/Llama-3.1-8B-Instruct", servedModelName: CHAT_SERVED, gpuCount: 1, workers: 2 },
];

/** The prompt of the suite's own requests, told apart from the canary's. */
const CLIENT_PROMPT = "status?";

interface ReceivedChat {
    model?: string;
    messages?: { content?: string }[];
}

/** The chat requests a server received: the model each named, and whether it was one of the suite's (not the canary's). */
function receivedChats(w: SglangWorkerStandIn): { model: string | undefined; client: boolean }[] {
    return w.openai.received
        .map((r) => r.body as ReceivedChat | undefined)
        .filter((b): b is ReceivedChat => b !== undefined)
        .map((b) => ({ model: b.model, client: b.messages?.[0]?.content === CLIENT_PROMPT }));
}

/** The suite's own requests a server answered. */
function clientRequests(w: SglangWorkerStandIn): number {
    return receivedChats(w).filter((c) => c.client).length;
}

/** The alerts a notification carries, as label sets: PagerDuty's details and Slack's text list them as `name = value` lines. */
function labelValues(n: Notification, label: string): string[] {
    return [...n.raw.matchAll(new RegExp(`\\b${label} = ([^\\\\"\\s]+)`, "g"))].map((m) => m[1]);
}

describe("two models behind the router, end to end (Prometheus, Alertmanager and the blackbox exporter from Debian)", function () {
    this.timeout(90_000);

    const settings = e2eSettings("models", {
        models: JSON.stringify(MODELS),
        dockerHostGpus: 3,
        canaryEnabled: true,
        alertRouterModelWithoutWorkersFor: "5s",
    });
    let root = "";
    let scene: RouterScene;
    /** One stand-in per server, in the order the Docker stack names and scrapes them. */
    let servers: { name: string; served: string; worker: SglangWorkerStandIn }[] = [];
    let router: RouterStandIn;
    let receiver: NotificationReceiver;
    let prometheusApi: PrometheusApi;
    const ofModel = (served: string) => servers.filter((s) => s.served === served).map((s) => s.worker);

    before(async function () {
        this.timeout(60_000);
        root = makeRunDir();
        scene = await startRouterScene(settings, path.join(root, "models"), "models");
        ({ router, receiver, prometheusApi } = scene);
        servers = scene.servers.map((s) => ({ name: s.layout.name, served: s.layout.model.servedModelName, worker: s.worker }));
    });

    after(async function () {
        this.timeout(30_000);
        await scene?.stop();
        if (root) removeRunDir(root);
    });

    it("routes each model's requests to its servers only, answers an unknown model 404 model_not_found, and each model's canary succeeds", async () => {
        assert.deepEqual(
            servers.map((s) => s.served),
            [CODER_MODEL, CHAT_SERVED, CHAT_SERVED],
            "one coder server, then two chat servers",
        );
        const [coder] = ofModel(CODER_MODEL);
        const chat = ofModel(CHAT_SERVED);
        for (let i = 0; i < 6; i++) {
            for (const model of [CODER_MODEL, CHAT_SERVED]) {
                const answer = await chatCompletion(router.url, model);
                assert.equal(answer.status, 200, `${model}: ${answer.body}`);
            }
        }
        assert.equal(clientRequests(coder), 6, "coder's server answered every coder request");
        assert.deepEqual(
            chat.map((w) => clientRequests(w) > 0),
            [true, true],
            "both chat servers took chat requests (round robin)",
        );
        assert.equal(
            chat.reduce((n, w) => n + clientRequests(w), 0),
            6,
            "the chat servers answered every chat request, and only those",
        );

        const unknown = await chatCompletion(router.url, "no-such-model");
        assert.equal(unknown.status, 404);
        assert.equal(unknown.errorCode, "model_not_found");
        assert.equal((JSON.parse(unknown.body) as { error: { code: string } }).error.code, "model_not_found");

        const probes = canaryTargets(settings);
        assert.deepEqual(
            probes.map((p) => p.servedModelName),
            [CODER_MODEL, CHAT_SERVED],
        );
        let last: string[] = [];
        await waitFor(
            async () => {
                const r = await prometheusApi.query(`probe_success{job="${JOB_CANARY}"}`);
                last = r.map((s) => `${s.metric.model_name}=${s.value[1]}`).sort();
                return (
                    last.join(" ") ===
                    probes
                        .map((p) => `${p.servedModelName}=1`)
                        .sort()
                        .join(" ")
                );
            },
            { what: "a successful canary probe of each model", timeoutMs: 30_000 },
        ).catch(() => assert.fail(`probe_success by model: ${last.join(" ")}`));

        // Every request a server received, the canary's included, named that server's model.
        for (const s of servers) {
            const models = new Set(receivedChats(s.worker).map((c) => c.model));
            assert.deepEqual([...models], [s.served], `${s.name} received requests for ${[...models].join(", ")}`);
        }
        const pools = await prometheusApi.query(`smg_worker_pool_size{job="${JOB_ROUTER}"}`);
        assert.deepEqual(
            pools.map((s) => `${s.metric.model}=${s.value[1]}`).sort(),
            [`${CODER_MODEL}=1`, `${CHAT_SERVED}=2`].sort(),
            "the router counts one coder worker and two chat workers",
        );
        await waitFor(
            async () =>
                (await prometheusApi.query(`smg_http_responses_total{job="${JOB_ROUTER}", status_code="404", error_code="model_not_found"}`))
                    .length === 1,
            { what: "the router's 404 model_not_found in Prometheus", timeoutMs: 10_000 },
        );
    });

    it("keeps answering chat when coder's only server dies, and pages coder alone: its canary and SGLangServerDown within their bounds", async () => {
        const [coder] = ofModel(CODER_MODEL);
        const chat = ofModel(CHAT_SERVED);
        const chatBefore = chat.reduce((n, w) => n + clientRequests(w), 0);
        const faultAt = Date.now();
        await coder.kill();
        const statuses: number[] = [];
        let sending = true;
        const client = (async () => {
            while (sending) {
                statuses.push(
                    await chatCompletion(router.url, CHAT_SERVED).then(
                        (a) => a.status,
                        () => 0,
                    ),
                );
                await sleep(250);
            }
        })();
        let serverDown: Notification;
        let canaryFailing: Notification;
        const firingAt = (alert: string, timeoutMs: number) =>
            waitFor(
                () =>
                    [...receiver.delivered("pagerduty"), ...receiver.delivered("slack")].find(
                        (n) => n.receivedAt >= faultAt && mentions(n, alert) && notificationStatus(n) === "firing",
                    ),
                { what: `${alert} at a receiver`, timeoutMs },
            );
        try {
            [serverDown, canaryFailing] = await Promise.all([firingAt("SGLangServerDown", 60_000), firingAt("SGLangCanaryFailing", 60_000)]);
        } finally {
            sending = false;
            await client;
        }

        assertDetectedWithin("SGLangServerDown", {
            faultAt,
            receivedAt: serverDown.receivedAt,
            forDuration: settings.alerts.serverDown.for,
            bound: stackDetectionBound(settings),
        });
        assertDetectedWithin("SGLangCanaryFailing", {
            faultAt,
            receivedAt: canaryFailing.receivedAt,
            forDuration: settings.alerts.canaryFailing.for,
            bound: canaryDetectionBound(settings),
        });
        assert.deepEqual(labelValues(serverDown, "instance"), [coder.address], "SGLangServerDown names coder's server, and only it");
        assert.deepEqual(labelValues(canaryFailing, "model_name"), [CODER_MODEL], "SGLangCanaryFailing names coder, and only it");

        assert.ok(
            statuses.length > 0 && statuses.every((st) => st === 200),
            `every chat request after the fault was answered 200: ${statuses.join(" ")}`,
        );
        assert.equal(chat.reduce((n, w) => n + clientRequests(w), 0) - chatBefore, statuses.length, "the chat servers answered them");
        const coderNow = await chatCompletion(router.url, CODER_MODEL);
        assert.equal(coderNow.status, 503, "coder's server is registered but not Ready");
        assert.equal(coderNow.errorCode, "no_available_workers");

        // Nothing fired names chat: no notification carries a chat server or chat's model.
        const chatAddresses = new Set(chat.map((w) => w.address));
        for (const n of [...receiver.delivered("pagerduty"), ...receiver.delivered("slack")]) {
            assert.ok(!labelValues(n, "instance").some((i) => chatAddresses.has(i)), `a notification names a chat server:\n${n.raw}`);
            assert.ok(!labelValues(n, "model_name").includes(CHAT_SERVED), `a notification names chat:\n${n.raw}`);
            assert.ok(!labelValues(n, "model").includes(CHAT_SERVED), `a notification names chat:\n${n.raw}`);
        }
        const firing = await prometheusApi.query('ALERTS{alertstate="firing", alertname="SGLangRouterNoHealthyWorker"}');
        assert.deepEqual(firing, [], "chat's servers are healthy: the router has healthy workers");
    });

    it("counts no worker for coder once its server is removed from the router, and pages SGLangRouterModelWithoutWorkers for coder alone", async () => {
        const [coder] = ofModel(CODER_MODEL);
        // What `DELETE /workers/{worker_id}` does: a dead server stays registered (and counted) until removed.
        const removedAt = Date.now();
        router.removeWorker(coder.url);
        const coderNow = await chatCompletion(router.url, CODER_MODEL);
        assert.equal(coderNow.status, 404, "no worker serves coder any more");
        assert.equal(coderNow.errorCode, "model_not_found");
        assert.equal((await chatCompletion(router.url, CHAT_SERVED)).status, 200, "chat still answers");

        const page = await waitFor(
            () =>
                receiver
                    .delivered("pagerduty")
                    .find((n) => n.receivedAt >= removedAt && mentions(n, "SGLangRouterModelWithoutWorkers") && notificationStatus(n) === "firing"),
            { what: "SGLangRouterModelWithoutWorkers paged", timeoutMs: 45_000 },
        );
        assert.deepEqual(labelValues(page, "model"), [CODER_MODEL], "the page names coder, and only it");
        const pools = await prometheusApi.query(`smg_worker_pool_size{job="${JOB_ROUTER}"}`);
        assert.deepEqual(pools.map((s) => `${s.metric.model}=${s.value[1]}`).sort(), [`${CODER_MODEL}=0`, `${CHAT_SERVED}=2`].sort());
    });
});
