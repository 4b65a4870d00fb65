/**
 * The end-to-end harness itself: stand-ins export what the real programs do,
 * only addresses are rewritten in the generated configuration, and a missing
 * program fails loudly. Fast: no Prometheus is started here.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { gpuSeries, sglangSeries } from "../../contracts/generate";
import { DCGM_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../../contracts/gpu";
import { SGLANG_CONTRACTS } from "../../contracts/sglang";
import type { ExporterContract } from "../../contracts/types";
import { alertmanagerConfig, defaultLinks, dockerTopology } from "../../monitoring";
import { JOB, JOB_ROUTER, type JobName } from "../../monitoring/types";
import { e2eSettings } from "./config";
import { localTopology, pointAtReceiver } from "./generate";
import { substituteVariables } from "./queries";
import { ExpositionWriter, goFloat } from "./standins/exposition";
import { GpuExporterStandIn, gpuHost, simulatedGpus } from "./standins/gpu";
import { SglangStandIn, type SglangStandInOptions } from "./standins/sglang";
import { sglangTraffic } from "./standins/sglang-traffic";
import { DEBIAN_PYTHON, requireBinaries, requirePrometheusClient } from "./support/binaries";
import { freePorts } from "./support/ports";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { sleep, waitFor } from "./support/wait";

/**
 * A small SGLang contract with HTTP series, of the shape the fork and newer
 * upstream releases write (no model_name on HTTP series, 5xx by status code).
 */
const HTTP_CONTRACT: ExporterContract = {
    exporter: "sglang",
    id: "test-sglang-with-http",
    version: "test",
    images: [],
    source: { repository: "test", commit: "0000000" },
    spellings: ["sglang:", "sglang_"],
    labelValues: { endpoint: ["/v1/chat/completions"], method: ["POST"], engine_type: ["unified"] },
    metrics: [
        { name: "sglang:num_requests_total", type: "counter", labels: ["model_name"], writers: "tokenizer", appears: "at-start", source: "test" },
        {
            name: "sglang:num_aborted_requests_total",
            type: "counter",
            labels: ["model_name"],
            writers: "tokenizer",
            appears: "first-event",
            source: "test",
        },
        {
            name: "sglang:e2e_request_latency_seconds",
            type: "histogram",
            labels: ["model_name"],
            buckets: [0.5, 1, 2, 5],
            writers: "tokenizer",
            appears: "at-start",
            source: "test",
        },
        {
            name: "sglang:http_requests_total",
            type: "counter",
            labels: ["endpoint", "method"],
            writers: "tokenizer",
            appears: "first-event",
            source: "test",
        },
        {
            name: "sglang:http_responses_total",
            type: "counter",
            labels: ["endpoint", "status_code", "method"],
            writers: "tokenizer",
            appears: "first-event",
            source: "test",
        },
        {
            name: "sglang:num_running_reqs",
            type: "gauge",
            labels: ["model_name", "engine_type", "tp_rank", "pp_rank"],
            multiprocessMode: "mostrecent",
            writers: "scheduler-rank0",
            appears: "at-start",
            source: "test",
        },
    ],
};

/** A scrape as Prometheus makes it, with the Accept header given. */
async function scrape(s: SglangStandIn, accept = "text/plain;version=0.0.4"): Promise<{ contentType: string; body: string }> {
    const res = await fetch(`${s.url}/metrics`, { headers: { accept } });
    return { contentType: res.headers.get("content-type") ?? "", body: await res.text() };
}

/** Whether a process runs (a zombie waiting for its parent does not). */
function alive(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
    } catch {
        return false;
    }
}

interface Sample {
    name: string;
    labels: Record<string, string>;
    value: number;
}

/** Parses exposition text samples (enough for the stand-ins' output). */
function parseSamples(text: string): Sample[] {
    return text
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((line) => {
            const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
            assert.ok(m, `not an exposition line: ${line}`);
            const labels: Record<string, string> = {};
            for (const [, k, v] of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
            return { name: m[1], labels, value: m[3] === "+Inf" ? Infinity : Number(m[3]) };
        });
}

const only = (samples: Sample[], name: string) => samples.filter((s) => s.name === name);

/** The quantile of a cumulative histogram, as histogram_quantile would estimate it (bucket upper bound). */
function quantileUpperBound(samples: Sample[], name: string, q: number): number {
    const buckets = only(samples, `${name}_bucket`)
        .map((s) => ({ le: s.labels.le === "+Inf" ? Infinity : Number(s.labels.le), n: s.value }))
        .sort((a, b) => a.le - b.le);
    const total = buckets[buckets.length - 1].n;
    return buckets.find((b) => b.n >= q * total)!.le;
}

function refusesConnections(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
            socket.destroy();
            resolve(false);
        });
        socket.once("error", () => resolve(true));
    });
}

describe("end-to-end harness", () => {
    describe("SGLang stand-in (the real prometheus_client, multiprocess)", function () {
        // Each test starts a Python process group; the first import of prometheus_client is the slow part.
        this.timeout(30_000);
        let dir = "";
        const running: SglangStandIn[] = [];

        before(() => {
            dir = makeRunDir();
        });
        afterEach(async () => {
            await Promise.all(running.splice(0).map((s) => s.stop()));
        });
        after(() => removeRunDir(dir));

        async function standIn(opts: Omit<SglangStandInOptions, "port" | "dir">): Promise<SglangStandIn> {
            const [port] = await freePorts(1);
            const own = fs.mkdtempSync(path.join(dir, "sglang-"));
            const s = new SglangStandIn({ port, dir: own, ...opts });
            running.push(s);
            await s.start();
            return s;
        }

        it("serves prometheus_client's own exposition: float le, no _created in multiprocess mode, OpenMetrics when asked, names as the plan says", async () => {
            const s = await standIn({ modelName: "m", tpSize: 2, requestsPerSecond: 50 });
            await sleep(600);
            const text = await scrape(s);
            const samples = parseSamples(text.body);
            assert.equal(text.contentType, "text/plain; version=0.0.4; charset=utf-8");
            const e2e = only(samples, "sglang:e2e_request_latency_seconds_bucket");
            assert.ok(
                e2e.some((b) => b.labels.le === "2.0"),
                `le values: ${e2e.map((b) => b.labels.le).join(" ")}`,
            );
            assert.ok(
                samples.filter((x) => x.labels.le !== undefined).every((b) => b.labels.le === "+Inf" || b.labels.le.includes(".")),
                "every le is a Python float",
            );
            // MultiProcessCollector merges only the values in the mmap files: SGLang's scrape has no _created series.
            assert.deepEqual(
                samples.filter((x) => x.name.endsWith("_created")).map((x) => x.name),
                [],
            );
            // Counters are declared without _total, as SGLang declares them; the library appends it.
            const declared = new Map(s.plan.metrics.map((m) => [m.name, m]));
            assert.equal(declared.get("sglang:num_requests")?.type, "counter");
            assert.ok(only(samples, "sglang:num_requests_total").length === 1);
            const allowed = new Set(
                s.plan.metrics.flatMap((m) =>
                    m.type === "counter"
                        ? [`${m.name}_total`]
                        : m.type === "histogram"
                          ? [`${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`]
                          : [m.name],
                ),
            );
            assert.deepEqual(
                [...new Set(samples.map((x) => x.name))].filter((n) => !allowed.has(n)),
                [],
                "samples the plan does not name",
            );

            const om = await scrape(
                s,
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
            );
            assert.match(om.contentType, /^application\/openmetrics-text; version=/);
            assert.ok(om.body.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
            assert.match(om.body, /^# TYPE sglang:num_requests counter$/m);
            assert.match(om.body, /^sglang:num_requests_total\{model_name="m"\} /m);
        });

        for (const contract of SGLANG_CONTRACTS) {
            it(`${contract.id}: one process per writer, exactly sglangSeries' label sets, ranks and spelling`, async () => {
                const s = await standIn({ contract, modelName: "m", tpSize: 2, allSchedulers: true, spelling: "sglang_", requestsPerSecond: 100 });
                assert.deepEqual(
                    s.plan.writers.map((w) => w.name),
                    ["tokenizer", "scheduler dp0 tp0", "scheduler dp0 tp1"],
                );
                const pids = s.pids;
                assert.equal(pids.length, s.plan.writers.length, `processes ${pids.join(", ")}`);
                const expected = sglangSeries(s.contract, s.topology, sglangTraffic("healthy", s.requestsPerSecond).traffic);
                const key = (name: string, labels: Record<string, string>) =>
                    `${name}${JSON.stringify(
                        Object.entries(labels)
                            .filter(([k]) => k !== "pid")
                            .sort(),
                    )}`;
                const want = [...new Set(expected.map((i) => key(i.name, i.labels)))].sort();
                // Series that appear at their first event need a moment of traffic.
                let samples: Sample[] = [];
                let got: string[] = [];
                await waitFor(
                    async () => {
                        samples = parseSamples((await scrape(s)).body);
                        got = [...new Set(samples.map((x) => key(x.name, x.labels)))].sort();
                        return got.length >= want.length;
                    },
                    { what: "every series of sglangSeries", timeoutMs: 5000, intervalMs: 200 },
                ).catch(() => undefined);
                assert.deepEqual(got, want);
                assert.ok(only(samples, "sglang_num_requests_total")[0].value > 0, "requests do not grow");
                // Gauges of mode "all" carry the pid of the scheduler process that wrote them.
                for (const x of samples.filter((x) => x.labels.pid !== undefined)) {
                    assert.ok(pids.slice(1).includes(Number(x.labels.pid)), `${x.name} pid ${x.labels.pid} is no scheduler's`);
                }
            });
        }

        it("gives each data-parallel scheduler its own process and dp_rank", async () => {
            const s = await standIn({ modelName: "m", tpSize: 1, dpSize: 2, requestsPerSecond: 50 });
            assert.deepEqual(
                s.plan.writers.map((w) => w.name),
                ["tokenizer", "scheduler dp0 tp0", "scheduler dp1 tp0"],
            );
            assert.equal(s.pids.length, 3);
            await sleep(500);
            const running = only(parseSamples((await scrape(s)).body), "sglang:num_running_reqs");
            assert.deepEqual(running.map((x) => x.labels.dp_rank).sort(), ["0", "1"]);
        });

        it("goes down as a whole when a scheduler process dies, as SGLang does", async () => {
            const s = await standIn({ modelName: "m", tpSize: 2, requestsPerSecond: 50 });
            const [server, scheduler] = s.pids;
            process.kill(scheduler, "SIGKILL");
            await waitFor(() => !alive(server), { what: "the stand-in server to exit after its scheduler died", timeoutMs: 5000, intervalMs: 50 });
            assert.ok(await refusesConnections(s.opts.port));
        });

        it("grows its counters, and moves latency far above 30 s when slow", async () => {
            const s = await standIn({ modelName: "m", tpSize: 1, requestsPerSecond: 200 });
            await sleep(400);
            const first = parseSamples((await scrape(s)).body);
            assert.ok(quantileUpperBound(first, "sglang:e2e_request_latency_seconds", 0.95) <= 20);
            await s.setMode("slow");
            await sleep(1500);
            const second = parseSamples((await scrape(s)).body);
            assert.ok(only(second, "sglang:num_requests_total")[0].value > only(first, "sglang:num_requests_total")[0].value);
            assert.ok(quantileUpperBound(second, "sglang:e2e_request_latency_seconds", 0.95) > 30);
        });

        it("writes aborted requests when erroring, and 5xx responses only where the version has HTTP series", async () => {
            const plain = await standIn({ modelName: "m", tpSize: 1, requestsPerSecond: 200 });
            const withHttp = await standIn({ modelName: "m", tpSize: 1, requestsPerSecond: 200, contract: HTTP_CONTRACT });
            await sleep(400);
            for (const s of [plain, withHttp]) {
                const healthy = parseSamples((await scrape(s)).body);
                assert.deepEqual(only(healthy, "sglang:num_aborted_requests_total"), [], `${s.contract.id}: aborted requests before the first abort`);
                assert.ok(only(healthy, "sglang:http_responses_total").every((x) => x.labels.status_code === "200"));
                await s.setMode("erroring");
                assert.equal((await fetch(`${s.url}/health_generate`)).status, 503);
                assert.equal((await fetch(`${s.url}/health`)).status, 200);
            }
            await sleep(600);
            const plainErrors = parseSamples((await scrape(plain)).body);
            assert.ok(only(plainErrors, "sglang:num_aborted_requests_total")[0]?.value > 0, "no aborted requests");
            assert.deepEqual(
                plainErrors.filter((x) => x.name.startsWith("sglang:http_")),
                [],
                "HTTP series on a version without them",
            );
            const httpErrors = parseSamples((await scrape(withHttp)).body);
            const responses = only(httpErrors, "sglang:http_responses_total");
            const fivexx = responses.filter((x) => x.labels.status_code.startsWith("5")).reduce((a, x) => a + x.value, 0);
            const total = responses.reduce((a, x) => a + x.value, 0);
            assert.ok(fivexx / total > 0.1, `${fivexx} of ${total} responses are 5xx`);
            assert.ok(responses.every((x) => x.labels.model_name === undefined && x.labels.endpoint && x.labels.method));
        });

        it("kills the whole process group when down, and comes back as a restarted server with fresh counters", async () => {
            const s = await standIn({ modelName: "m", tpSize: 2, requestsPerSecond: 200 });
            await sleep(500);
            const before = only(parseSamples((await scrape(s)).body), "sglang:num_requests_total")[0].value;
            const pids = s.pids;
            await s.setMode("down");
            assert.ok(await refusesConnections(s.opts.port));
            assert.deepEqual(pids.filter(alive), [], "processes of the stand-in still running");
            await s.setMode("healthy");
            const after = only(parseSamples((await scrape(s)).body), "sglang:num_requests_total")[0]?.value ?? 0;
            assert.ok(after < before, `counter went from ${before} to ${after} across a restart`);
            assert.equal(s.pids.filter((p) => pids.includes(p)).length, 0, "the restart reused processes");
        });

        it("refuses a gauge whose multiprocess mode disagrees with its pid label, naming both", () => {
            const gauge = HTTP_CONTRACT.metrics.find((m) => m.name === "sglang:num_running_reqs")!;
            const contract = { ...HTTP_CONTRACT, metrics: [{ ...gauge, multiprocessMode: "all" }] };
            assert.throws(
                () => new SglangStandIn({ contract, port: 1, dir, modelName: "m", tpSize: 1 }),
                /gauge sglang:num_running_reqs has multiprocessMode all, which adds a pid label, but its labels \[model_name, engine_type, tp_rank, pp_rank\] lack pid/,
            );
        });

        it("names the Debian package when Python or its prometheus_client is missing", () => {
            const fake = path.join(dir, "python-without-site-packages");
            // -S: no site directories, so no Debian prometheus_client.
            fs.writeFileSync(fake, `#!/bin/sh\nexec ${DEBIAN_PYTHON} -S "$@"\n`, { mode: 0o755 });
            for (const python of ["/nonexistent/python3", fake]) {
                assert.throws(
                    () => requirePrometheusClient(python),
                    (err: Error) => {
                        assert.ok(err.message.includes("apt-get install -y python3 python3-prometheus-client"), err.message);
                        assert.equal(err.message.split("\n").length, 1, err.message);
                        return true;
                    },
                );
            }
            assert.equal(requirePrometheusClient(), DEBIAN_PYTHON);
        });
    });

    describe("GPU exporter stand-ins", () => {
        const gpus = simulatedGpus(2);

        it("DCGM: exactly gpuSeries' series, labels in the render template's order, framebuffer in MiB", () => {
            for (const contract of DCGM_CONTRACTS) {
                const text = new GpuExporterStandIn({ port: 1, contract, gpus }).metricsText();
                const samples = parseSamples(text);
                const expected = gpuSeries(contract, gpuHost(gpus, "gpu-host"), {});
                assert.deepEqual(
                    samples.map((x) => `${x.name}${JSON.stringify(x.labels)}`).sort(),
                    expected.map((i) => `${i.name}${JSON.stringify(i.labels)}`).sort(),
                    contract.id,
                );
                const used = only(samples, "DCGM_FI_DEV_FB_USED");
                const free = only(samples, "DCGM_FI_DEV_FB_FREE");
                assert.equal(used.length, 2);
                used.forEach((x, i) => assert.equal(x.value + free[i].value, gpus[i].totalMiB));
                const line = text.split("\n").find((l) => l.startsWith("DCGM_FI_DEV_FB_USED{"))!;
                const order = [...line.matchAll(/(\w+)="/g)].map((m) => m[1]);
                assert.deepEqual(order, contract.metrics.find((m) => m.name === "DCGM_FI_DEV_FB_USED")!.labels, contract.id);
                assert.match(line, / \d+$/, "an integer field is written with %d");
            }
        });

        for (const contract of NVIDIA_GPU_EXPORTER_CONTRACTS) {
            it(`${contract.id}: exactly gpuSeries' series in client_golang's text (sorted labels, Go floats), bytes and the lower-case uuid`, () => {
                const text = new GpuExporterStandIn({ port: 1, contract, gpus }).metricsText();
                const samples = parseSamples(text);
                const expected = gpuSeries(contract, gpuHost(gpus, "gpu-host"), {});
                assert.deepEqual(
                    samples.map((x) => `${x.name}${JSON.stringify(x.labels)}`).sort(),
                    expected.map((i) => `${i.name}${JSON.stringify(i.labels)}`).sort(),
                );
                assert.deepEqual(
                    only(samples, "nvidia_smi_memory_total_bytes").map((x) => x.value),
                    gpus.map((g) => g.totalMiB * 1024 * 1024),
                );
                assert.match(text, /^nvidia_smi_memory_total_bytes\{uuid="5f1c0a2e-7d3b-4c8e-9a61-0c4e2b7f0000"\} 8\.5520809984e\+10$/m);
                assert.deepEqual(
                    only(samples, "nvidia_smi_index").map((x) => x.value),
                    [0, 1],
                );
                assert.ok(only(samples, "nvidia_smi_utilization_gpu_ratio").every((x) => x.value > 0 && x.value <= 1));
                const info = text.split("\n").find((l) => l.startsWith("nvidia_smi_gpu_info{"))!;
                const names = [...info.matchAll(/(\w+)="/g)].map((m) => m[1]);
                assert.deepEqual(names, [...names].sort(), "client_golang sorts label names");
            });
        }

        it("writes floats as Go does", () => {
            assert.deepEqual([0, 1, 0.5, 123456, 1234567, 85520809984, 0.0001, 0.00001].map(goFloat), [
                "0",
                "1",
                "0.5",
                "123456",
                "1.234567e+06",
                "8.5520809984e+10",
                "0.0001",
                "1e-05",
            ]);
        });

        it("refuses a contract that is not a GPU exporter's", () => {
            assert.throws(() => new GpuExporterStandIn({ port: 1, contract: HTTP_CONTRACT, gpus }), /not a GPU exporter's/);
        });
    });

    it("groups each metric family's lines together whatever order samples are added in", () => {
        const text = new ExpositionWriter()
            .sample("a", "gauge", "a", {}, 1)
            .sample("b", "counter", "b", {}, 2)
            .sample("a", "gauge", "a", { x: "1" }, 2)
            .render();
        const names = parseSamples(text).map((s) => s.name);
        assert.deepEqual(names, ["a", "a", "b"]);
        assert.equal(text.match(/# TYPE a gauge/g)?.length, 1);
    });

    describe("configuration rewrite", () => {
        const settings = e2eSettings("unit");

        it("changes the scrape targets, Alertmanager and rule paths only", () => {
            const targets = {
                ...Object.fromEntries(Object.values(JOB).map((j, i) => [j, `127.0.0.1:${10000 + i}`])),
                "blackbox-exporter": "127.0.0.1:9115",
            } as Record<JobName, string>;
            const rewrites: string[] = [];
            const local = localTopology(settings, targets, "127.0.0.1:9", "/tmp/rules/*.yaml", rewrites, "http://127.0.0.1:8/v1");
            const docker = dockerTopology(settings);
            assert.deepEqual(local.canary, { proberAddress: targets["blackbox-exporter"], openaiBaseUrl: "http://127.0.0.1:8/v1" });
            assert.deepEqual(
                local.jobs.map((j) => ({ ...j, discovery: undefined })),
                docker.jobs.map((j) => ({ ...j, discovery: undefined })),
            );
            assert.deepEqual(
                local.jobs.map((j) => (j.discovery.kind === "static" ? j.discovery.targets : [])),
                docker.jobs.map((j) => [targets[j.job]]),
            );
            assert.deepEqual(local.alertmanagers, ["127.0.0.1:9"]);
            // Each job, Alertmanager, the rule files and the canary.
            assert.equal(rewrites.length, docker.jobs.length + 3);
        });

        it("gives a job with one target per worker one local stand-in each, and refuses a count that differs", () => {
            const workers = e2eSettings("unit", { sglangWorkers: 2 });
            const targets = {
                ...Object.fromEntries(Object.values(JOB).map((j, i) => [j, `127.0.0.1:${10000 + i}`])),
                [JOB_ROUTER]: "127.0.0.1:11000",
                [JOB.sglang]: ["127.0.0.1:12000", "127.0.0.1:12001"],
                "blackbox-exporter": "127.0.0.1:9115",
            };
            const local = localTopology(workers, targets, "127.0.0.1:9", "/r/*.yaml", [], "http://127.0.0.1:8/v1");
            const sglang = local.jobs.find((j) => j.job === JOB.sglang)!;
            assert.deepEqual(sglang.discovery.kind === "static" && sglang.discovery.targets, ["127.0.0.1:12000", "127.0.0.1:12001"]);
            const short = { ...targets, [JOB.sglang]: ["127.0.0.1:12000"] };
            assert.throws(
                () => localTopology(workers, short, "127.0.0.1:9", "/r/*.yaml", [], "http://127.0.0.1:8/v1"),
                /2 targets, 1 local stand-ins/,
            );
        });

        it("fails when a scrape job has no stand-in, instead of dropping it", () => {
            const targets = { [JOB.sglang]: "127.0.0.1:1" } as Record<JobName, string>;
            assert.throws(() => localTopology(settings, targets, "127.0.0.1:9", "/r/*.yaml", []), /has no local stand-in/);
        });

        it("points PagerDuty and the heartbeat at the receiver and leaves everything else as generated", () => {
            const files = { slackWebhookUrl: "/s/slack", pagerdutyRoutingKey: "/s/pd", heartbeatUrl: "/s/hb" };
            const generated = alertmanagerConfig(settings, files, defaultLinks(settings)) as Record<string, unknown>;
            const urls = { slack: "http://127.0.0.1:1/slack", pagerduty: "http://127.0.0.1:1/pagerduty", heartbeat: "http://127.0.0.1:1/heartbeat" };
            const local = pointAtReceiver(generated, urls, false, []);
            const strip = (config: Record<string, unknown>) =>
                JSON.parse(JSON.stringify(config, (key, value) => (["url", "url_file"].includes(key) ? undefined : value)));
            assert.deepEqual(strip(local), strip(generated));
            const receivers = local.receivers as {
                name: string;
                pagerduty_configs?: { url: string }[];
                webhook_configs?: { url: string }[];
                slack_configs?: { api_url_file: string }[];
            }[];
            assert.deepEqual(
                receivers.flatMap((r) => r.pagerduty_configs ?? []).map((p) => p.url),
                [urls.pagerduty],
            );
            assert.deepEqual(
                receivers.flatMap((r) => r.webhook_configs ?? []).map((w) => w.url),
                [urls.heartbeat],
            );
            assert.deepEqual(
                receivers.flatMap((r) => r.slack_configs ?? []).map((s) => s.api_url_file),
                [files.slackWebhookUrl],
            );
            // An Alertmanager that reads url_file keeps it (its file then holds the receiver's URL).
            const modern = pointAtReceiver(generated, urls, true, []) as { receivers: { webhook_configs?: { url?: string; url_file?: string }[] }[] };
            const hooks = modern.receivers.flatMap((r) => r.webhook_configs ?? []);
            assert.ok(hooks.length > 0 && hooks.every((h) => h.url_file === files.heartbeatUrl && h.url === undefined));
        });
    });

    it("replaces Grafana's variables the way 'All' does, and refuses unknown ones", () => {
        assert.equal(
            substituteVariables('rate(x{instance=~"$instance", model_name=~"${model}"}[$__rate_interval])'),
            'rate(x{instance=~".*", model_name=~".*"}[1m])',
        );
        assert.throws(() => substituteVariables('x{pod=~"$pod"}'), /\$pod/);
    });

    it("names the Debian package of every missing program", () => {
        const saved = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
            assert.throws(
                () => requireBinaries(),
                (err: Error) => {
                    for (const text of [
                        "prometheus (Debian package prometheus)",
                        "prometheus-alertmanager (Debian package prometheus-alertmanager)",
                        "prometheus-node-exporter (Debian package prometheus-node-exporter)",
                        "apt-get install -y prometheus prometheus-alertmanager prometheus-node-exporter",
                    ]) {
                        assert.ok(err.message.includes(text), `${text} missing from: ${err.message}`);
                    }
                    return true;
                },
            );
        } finally {
            process.env.PATH = saved;
        }
    });
});
