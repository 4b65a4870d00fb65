/**
 * Metrics and alerting that outlive one process, proven on loopback with
 * Debian's real programs: Prometheus remote-writes the stack's series
 * through the default write filter to VictoriaMetrics (a long-term store
 * speaking the remote-write protocol and PromQL), which answers the
 * dashboard's queries as Prometheus does; Prometheus killed with SIGKILL and
 * restarted on its data directory; two Alertmanagers gossiping as one
 * cluster deliver one notification per alert group, and keep delivering
 * when one of them is killed.
 *
 * The tests are steps of one scenario and run in order.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DCGM_CONTRACTS } from "../../contracts/gpu";
import { renderPrometheusConfig } from "../../monitoring";
import { alertmanagerClusterFlags } from "../../monitoring/prometheus-ha";
import { JOB } from "../../monitoring/types";
import { durationSeconds } from "../../settings";
import { tool } from "../debian-tools";
import { e2eSettings } from "./config";
import { type LocalTargets, localTopology, withLocalPasswordFiles, writeGeneratedFiles } from "./generate";
import { dashboardPromQl } from "./queries";
import { GpuExporterStandIn, simulatedGpus } from "./standins/gpu";
import { GrafanaMetricsStandIn } from "./standins/grafana";
import { mentions, type Notification, NotificationReceiver, notificationStatus } from "./standins/receiver";
import { SglangStandIn } from "./standins/sglang";
import { AlertmanagerApi, PrometheusApi, type PromSample } from "./support/apis";
import { requireBinaries, requirePrometheusClient } from "./support/binaries";
import { freePorts, LOOPBACK } from "./support/ports";
import { type ManagedProcess, startProcess, stopAllProcesses } from "./support/processes";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { sleep, waitFor } from "./support/wait";

/** Labels Prometheus adds to what it sends (external labels); its own queries do not show them. */
const EXTERNAL = ["cluster", "stack"];

/** How long an Alertmanager waits per position in the cluster before notifying in its peers' stead (the default is 15s). */
const PEER_TIMEOUT_SECONDS = 2;

/** Dashboard values read from the store may differ from Prometheus' by this share: the store computes rate() over raw counters without Prometheus' extrapolation. */
const VALUE_TOLERANCE = 0.1;

/** The suite's report: printed when the end-to-end suites run alone (`npm run test:e2e`), kept out of `npm test`'s results. */
function log(line: string): void {
    if (process.env.npm_lifecycle_event === "test:e2e") console.log(`      ${line}`);
}

function labelKey(metric: Record<string, string>): string {
    const own = Object.entries(metric).filter(([k]) => !EXTERNAL.includes(k));
    return JSON.stringify(own.sort(([a], [b]) => a.localeCompare(b)));
}

/** Finite values by label set (without external labels). */
function finiteByLabels(result: PromSample[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of result) {
        const v = Number(s.value[1]);
        if (Number.isFinite(v)) out.set(labelKey(s.metric), v);
    }
    return out;
}

async function getJson<T>(url: string): Promise<T> {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
}

/** Raw sample timestamps (ms) Prometheus holds for a selector over the last `seconds`. */
async function localTimestamps(prometheus: string, selector: string, seconds: number): Promise<number[]> {
    const params = new URLSearchParams({ query: `${selector}[${seconds}s]` });
    const res = await getJson<{ data: { result: { values: [number, string][] }[] } }>(`${prometheus}/api/v1/query?${params}`);
    return res.data.result.flatMap((r) => r.values.map(([t]) => Math.round(t * 1000))).sort((a, b) => a - b);
}

/** Raw sample timestamps (ms) the store holds for a selector between two times (VictoriaMetrics' export API). */
async function storeTimestamps(store: string, selector: string, startMs: number, endMs: number): Promise<number[]> {
    const params = new URLSearchParams({ "match[]": selector, start: String(startMs / 1000), end: String(endMs / 1000) });
    const res = await fetch(`${store}/api/v1/export?${params}`, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`export ${selector}: ${res.status} ${text.slice(0, 300)}`);
    return text
        .split("\n")
        .filter((l) => l.trim())
        .flatMap((l) => (JSON.parse(l) as { timestamps: number[] }).timestamps)
        .sort((a, b) => a - b);
}

function largestGapMs(timestamps: number[]): number {
    let gap = 0;
    for (let i = 1; i < timestamps.length; i++) gap = Math.max(gap, timestamps[i] - timestamps[i - 1]);
    return gap;
}

describe("durability end to end (remote write to VictoriaMetrics, an Alertmanager cluster)", function () {
    this.timeout(60_000);

    let root = "";
    let victoriaBinary = "";
    let binaries: ReturnType<typeof requireBinaries>;
    const settings = (storePort: number) =>
        e2eSettings("durable", {
            canaryEnabled: false,
            remoteWriteUrl: `http://${LOOPBACK}:${storePort}/api/v1/write`,
            clusterName: "e2e-loopback",
            remoteWriteBatchSendDeadline: "1s",
        });
    let s: ReturnType<typeof settings>;
    let ports: Record<"sglang" | "gpu" | "grafana" | "receiver" | "node" | "prometheus" | "store" | "am1" | "am2" | "gossip1" | "gossip2", number>;
    let sglang: SglangStandIn;
    let gpu: GpuExporterStandIn;
    let grafana: GrafanaMetricsStandIn;
    let receiver: NotificationReceiver;
    let prometheus: ManagedProcess;
    let alertmanagers: ManagedProcess[] = [];
    let prometheusArgs: string[] = [];
    let prometheusApi: PrometheusApi;
    let storeApi: PrometheusApi;
    const addr = (port: number) => `${LOOPBACK}:${port}`;
    const logFile = (name: string) => path.join(root, "logs", `${name}.log`);

    async function ready(proc: ManagedProcess, url: string, what: string): Promise<void> {
        await waitFor(
            async () => {
                proc.assertRunning();
                const res = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
                return res?.ok ?? false;
            },
            { what, timeoutMs: 30_000, intervalMs: 100 },
        ).catch((err: Error) => {
            throw new Error(`${err.message}\nlog:\n${proc.logTail()}`);
        });
    }

    function startPrometheus(): ManagedProcess {
        return startProcess({ name: "prometheus", binary: binaries.prometheus, args: prometheusArgs, logFile: logFile("prometheus") });
    }

    /** SIGKILL: no shutdown, no flush; resolves once the process is gone. */
    async function kill(proc: ManagedProcess): Promise<void> {
        process.kill(proc.pid, "SIGKILL");
        await waitFor(() => !proc.running, { what: `${proc.opts.name} to exit`, timeoutMs: 10_000, intervalMs: 20 });
    }

    before(async function () {
        this.timeout(60_000);
        binaries = requireBinaries();
        requirePrometheusClient();
        victoriaBinary = tool("victoria-metrics"); // missing: fails in one line naming its Debian package
        root = makeRunDir();
        fs.mkdirSync(path.join(root, "logs"));
        const names = ["sglang", "gpu", "grafana", "receiver", "node", "prometheus", "store", "am1", "am2", "gossip1", "gossip2"] as const;
        const picked = await freePorts(names.length);
        ports = Object.fromEntries(names.map((n, i) => [n, picked[i]])) as typeof ports;
        s = settings(ports.store);

        const sglangDir = path.join(root, "sglang");
        fs.mkdirSync(sglangDir);
        sglang = new SglangStandIn({ port: ports.sglang, dir: sglangDir, modelName: s.sglang.servedModelName, tpSize: s.sglang.gpuCount });
        gpu = new GpuExporterStandIn({ port: ports.gpu, contract: DCGM_CONTRACTS[0], gpus: simulatedGpus(s.sglang.gpuCount) });
        grafana = new GrafanaMetricsStandIn(ports.grafana, s.services.grafana.image.split(":").pop() ?? "unknown");
        receiver = new NotificationReceiver(ports.receiver);
        await Promise.all([sglang.start(), gpu.start(), grafana.start(), receiver.start()]);

        const store = startProcess({
            name: "victoria-metrics",
            binary: victoriaBinary,
            args: [
                `-storageDataPath=${path.join(root, "store-data")}`,
                `-httpListenAddr=${addr(ports.store)}`,
                "-retentionPeriod=1d",
                // Answer from what has arrived, at once: no response cache, no 30 s hold-back of recent samples.
                "-search.disableCache",
                "-search.latencyOffset=0s",
                "-loggerLevel=WARN",
            ],
            logFile: logFile("victoria-metrics"),
        });
        storeApi = new PrometheusApi(`http://${addr(ports.store)}`);

        // The generated files, then the Prometheus configuration again with both Alertmanagers.
        const rewrites: string[] = [];
        const targets: LocalTargets = {
            [JOB.sglang]: sglang.address,
            [JOB.gpu]: gpu.address,
            [JOB.node]: addr(ports.node),
            [JOB.prometheus]: addr(ports.prometheus),
            [JOB.alertmanager]: addr(ports.am1),
            [JOB.grafana]: grafana.address,
        };
        const files = writeGeneratedFiles({
            settings: s,
            dir: root,
            targets,
            alertmanagerAddress: addr(ports.am1),
            receiver: { slack: receiver.urlOf("slack"), pagerduty: receiver.urlOf("pagerduty"), heartbeat: receiver.urlOf("heartbeat") },
            alertmanagerBinary: binaries.alertmanager,
            rewrites,
        });
        const topology = {
            ...withLocalPasswordFiles(localTopology(s, targets, addr(ports.am1), path.join(files.rulesDir, "*.yaml"), []), files.web),
            alertmanagers: [addr(ports.am1), addr(ports.am2)],
        };
        fs.writeFileSync(files.prometheusConfig, renderPrometheusConfig(s, topology));

        startProcess({
            name: "node-exporter",
            binary: binaries.nodeExporter,
            args: [`--web.listen-address=${addr(ports.node)}`],
            logFile: logFile("node-exporter"),
        });
        const gossip = [ports.gossip1, ports.gossip2];
        alertmanagers = [ports.am1, ports.am2].map((web, i) =>
            startProcess({
                name: `alertmanager-${i + 1}`,
                binary: binaries.alertmanager,
                args: [
                    `--config.file=${files.alertmanagerConfig}`,
                    `--storage.path=${path.join(root, `alertmanager-${i + 1}-data`)}`,
                    `--web.listen-address=${addr(web)}`,
                    `--web.external-url=http://${addr(web)}`,
                    ...alertmanagerClusterFlags({
                        listenAddress: addr(gossip[i]),
                        advertiseAddress: addr(gossip[i]),
                        peers: gossip.filter((_, j) => j !== i).map(addr),
                    }),
                    `--cluster.peer-timeout=${PEER_TIMEOUT_SECONDS}s`,
                ],
                logFile: logFile(`alertmanager-${i + 1}`),
            }),
        );
        prometheusArgs = [
            `--config.file=${files.prometheusConfig}`,
            `--storage.tsdb.path=${path.join(root, "prometheus-data")}`,
            `--web.listen-address=${addr(ports.prometheus)}`,
            `--web.external-url=http://${addr(ports.prometheus)}`,
            // Alerts reach an Alertmanager discovered after the first evaluation within seconds, not the default minute.
            "--rules.alert.resend-delay=1s",
        ];
        prometheus = startPrometheus();
        prometheusApi = new PrometheusApi(`http://${addr(ports.prometheus)}`);
        await Promise.all([
            ready(store, `${storeApi.baseUrl}/health`, "VictoriaMetrics to be ready"),
            ready(prometheus, `${prometheusApi.baseUrl}/-/ready`, "Prometheus to be ready"),
            ...alertmanagers.map((am, i) => ready(am, `http://${addr([ports.am1, ports.am2][i])}/-/ready`, `alertmanager-${i + 1} to be ready`)),
        ]);
    });

    after(async function () {
        this.timeout(30_000);
        await Promise.all([sglang?.stop(), gpu?.stop(), grafana?.stop(), receiver?.stop()]);
        await stopAllProcesses();
        if (root) removeRunDir(root);
    });

    it("the store answers the dashboard's queries with Prometheus' series and values", async function () {
        this.timeout(45_000);
        const queries = dashboardPromQl(s);
        // Data in both: every rate window has samples, and the store has received them.
        await waitFor(async () => (await storeApi.query('up{job="sglang"}')).length > 0, {
            what: 'the store to hold up{job="sglang"}',
            timeoutMs: 20_000,
        });
        await sleep(12_000);
        const at = Math.floor(Date.now() / 1000) - 3;
        let compared = 0;
        let worst = 0;
        const problems: string[] = [];
        for (const q of queries) {
            const [local, stored] = await Promise.all([prometheusApi.query(q.expr, at), storeApi.query(q.expr, at)]);
            const a = finiteByLabels(local);
            const b = finiteByLabels(stored);
            if (a.size === 0) continue;
            compared++;
            const missing = [...a.keys()].filter((k) => !b.has(k));
            const extra = [...b.keys()].filter((k) => !a.has(k));
            if (missing.length || extra.length) {
                problems.push(`${q.source}: ${q.expr}\n    only in Prometheus: ${missing.join(" ")}\n    only in the store: ${extra.join(" ")}`);
                continue;
            }
            for (const [k, va] of a) {
                const vb = b.get(k)!;
                const deviation = Math.abs(va - vb) / Math.max(Math.abs(va), Math.abs(vb), 1e-9);
                worst = Math.max(worst, Math.abs(va - vb) < 1e-9 ? 0 : deviation);
                if (Math.abs(va - vb) > 1e-9 && deviation > VALUE_TOLERANCE)
                    problems.push(`${q.source}: ${q.expr}\n    ${k}: Prometheus ${va}, store ${vb}`);
            }
        }
        log(
            `${compared} of ${queries.length} dashboard queries with data compared at one instant; largest relative deviation ${(worst * 100).toFixed(2)} %`,
        );
        assert.ok(compared >= queries.length / 2, `only ${compared} of ${queries.length} dashboard queries had data in Prometheus`);
        assert.deepEqual(problems, []);
    });

    it("the store keeps every sample Prometheus scraped before a SIGKILL, except those in flight, and every one after its restart", async function () {
        this.timeout(45_000);
        const selector = `up{job="${JOB.node}"}`;
        const interval = durationSeconds(s.prometheus.scrapeInterval) * 1000;
        const batch = durationSeconds(s.prometheus.remoteWrite!.queue.batchSendDeadline) * 1000;
        const killedAt = Date.now();
        await kill(prometheus);
        prometheus = startPrometheus();
        await ready(prometheus, `${prometheusApi.baseUrl}/-/ready`, "Prometheus to be ready after the restart");
        const readyAt = Date.now();
        await sleep(8_000);
        const endAt = Date.now() - 2 * batch;
        const from = killedAt - 15_000;
        const local = (await localTimestamps(prometheusApi.baseUrl, selector, Math.ceil((Date.now() - from) / 1000))).filter(
            (t) => t >= from && t <= endAt,
        );
        const stored = (await storeTimestamps(storeApi.baseUrl, selector, from, endAt)).filter((t) => t >= from && t <= endAt);
        const storedSet = new Set(stored);
        const missing = local.filter((t) => !storedSet.has(t));
        const localGap = largestGapMs(local);
        const storeGap = largestGapMs(stored);
        log(
            `Prometheus down ${((readyAt - killedAt) / 1000).toFixed(1)} s; largest gap between samples: ${(localGap / 1000).toFixed(1)} s in Prometheus, ${(storeGap / 1000).toFixed(1)} s in the store; ${missing.length} of ${local.length} samples missing in the store${missing.length ? ` (${missing.map((t) => `${((t - killedAt) / 1000).toFixed(1)} s`).join(", ")} from the kill)` : ""}`,
        );
        assert.ok(local.length > 10, `Prometheus holds ${local.length} samples around the restart`);
        assert.ok(
            stored.some((t) => t > readyAt),
            "the store receives samples again after the restart",
        );
        // What a crash can lose: the samples scraped but not yet sent (at most one batch deadline before the kill).
        for (const t of missing)
            assert.ok(t > killedAt - batch - interval && t <= killedAt, `sample at ${t - killedAt} ms from the kill is missing in the store`);
        assert.ok(
            storeGap <= localGap + batch + interval,
            `the store's gap (${storeGap} ms) exceeds Prometheus' own (${localGap} ms) by more than a batch deadline and a scrape interval`,
        );
    });

    function groupsOf(ns: Notification[], key: (n: Notification) => string | undefined): Map<string, number> {
        const counts = new Map<string, number>();
        for (const n of ns) {
            const k = key(n) ?? "(none)";
            counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        return counts;
    }

    it("two clustered Alertmanagers deliver one notification per alert group", async function () {
        this.timeout(45_000);
        const first = await waitFor(() => receiver.delivered("heartbeat").find((n) => mentions(n, "Watchdog")), {
            what: "the Watchdog's heartbeat",
            timeoutMs: 30_000,
        });
        // Long enough for the second Alertmanager to have sent too, were the cluster not deduplicating.
        await sleep((PEER_TIMEOUT_SECONDS * 2 + 3) * 1000);
        const watchdog = receiver.delivered("heartbeat").filter((n) => mentions(n, "Watchdog"));
        const groups = groupsOf(watchdog, (n) => (n.body as { groupKey?: string }).groupKey);
        log(
            `Watchdog: ${watchdog.length} heartbeat notification(s) in ${groups.size} group(s) from 2 Alertmanagers; the first ${((first.receivedAt - Date.now()) / -1000).toFixed(1)} s ago`,
        );
        assert.equal(groups.size, 1);
        assert.deepEqual([...groups.values()], [1]);
        for (const port of [ports.am1, ports.am2]) {
            const held = await new AlertmanagerApi(`http://${addr(port)}`).alerts();
            assert.ok(
                held.some((a) => a.labels.alertname === "Watchdog"),
                `the Alertmanager on ${port} holds the Watchdog too (each one could have notified)`,
            );
        }
        const peers = await getJson<{ cluster: { peers: unknown[]; status: string } }>(`http://${addr(ports.am1)}/api/v2/status`);
        assert.equal(peers.cluster.peers.length, 2, "the two Alertmanagers see each other");
    });

    it("with one Alertmanager killed, a new alert still arrives, once", async function () {
        this.timeout(60_000);
        await kill(alertmanagers[0]);
        const stoppedAt = Date.now();
        await sglang.setMode("down");
        const paged = (n: Notification) => mentions(n, "SGLangServerDown") && notificationStatus(n) === "firing";
        const first = await waitFor(() => receiver.delivered("pagerduty").find(paged), {
            what: "SGLangServerDown at PagerDuty from the surviving Alertmanager",
            timeoutMs: 45_000,
        });
        await sleep((PEER_TIMEOUT_SECONDS * 2 + 3) * 1000);
        const pages = receiver.delivered("pagerduty").filter(paged);
        const groups = groupsOf(pages, (n) => (n.body as { dedup_key?: string }).dedup_key);
        const forSeconds = durationSeconds(s.alerts.serverDown.for);
        log(
            `SGLangServerDown: delivered ${((first.receivedAt - stoppedAt) / 1000).toFixed(1)} s after SGLang stopped (for: ${forSeconds} s) by the surviving Alertmanager; ${pages.length} page(s) in ${groups.size} group(s)`,
        );
        assert.deepEqual([...groups.values()], [1]);
    });
});
