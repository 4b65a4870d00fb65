/**
 * The end-to-end harness itself: stand-ins export what the real programs do,
 * only addresses are rewritten in the generated configuration, and a missing
 * program fails loudly. Fast: no Prometheus is started here.
 */
import { strict as assert } from "node:assert";
import * as net from "node:net";
import { alertmanagerConfig, defaultLinks, dockerTopology } from "../../monitoring";
import { JOB, type JobName } from "../../monitoring/types";
import { e2eSettings } from "./config";
import { localTopology, pointAtReceiver } from "./generate";
import { substituteVariables } from "./queries";
import { ExpositionWriter, HistogramSeries } from "./standins/exposition";
import { GpuExporterStandIn, simulatedGpus } from "./standins/gpu";
import { SglangStandIn } from "./standins/sglang";
import { requireBinaries } from "./support/binaries";
import { freePorts } from "./support/ports";
import { sleep } from "./support/wait";

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
    const buckets = only(samples, `${name}_bucket`).map((s) => ({ le: Number(s.labels.le === "+Inf" ? Infinity : s.labels.le), n: s.value }));
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
    describe("SGLang stand-in", () => {
        it("exports SGLang's real metric names, labels and buckets, scheduler series once per tp_rank", async () => {
            const [port] = await freePorts(1);
            const sglang = new SglangStandIn({ port, modelName: "m", tpSize: 2, requestsPerSecond: 200 });
            await sleep(50);
            const samples = parseSamples(sglang.metricsText());
            for (const name of ["num_requests_total", "num_aborted_requests_total", "prompt_tokens_total", "generation_tokens_total", "cached_tokens_total", "num_so_requests_total"]) {
                assert.equal(only(samples, `sglang:${name}`).length, 1, name);
                assert.deepEqual(only(samples, `sglang:${name}`)[0].labels, { model_name: "m" });
            }
            for (const name of ["num_running_reqs", "num_queue_reqs", "token_usage", "num_used_tokens", "max_total_num_tokens", "gen_throughput", "cache_hit_rate", "num_grammar_cache_hit_total", "num_grammar_total"]) {
                const series = only(samples, `sglang:${name}`);
                assert.deepEqual(series.map((s) => s.labels.tp_rank), ["0", "1"], name);
                assert.ok(series.every((s) => s.labels.model_name === "m" && s.labels.engine_type && s.labels.pp_rank === "0"), name);
            }
            const e2e = only(samples, "sglang:e2e_request_latency_seconds_bucket");
            assert.equal(e2e[e2e.length - 2].labels.le, "2400");
            assert.equal(e2e[e2e.length - 1].labels.le, "+Inf");
            assert.ok(e2e.every((b, i) => i === 0 || b.value >= e2e[i - 1].value), "buckets are cumulative");
            assert.equal(e2e[e2e.length - 1].value, only(samples, "sglang:e2e_request_latency_seconds_count")[0].value);
            assert.ok(only(samples, "sglang:http_responses_total").every((s) => s.labels.status_code && s.labels.endpoint && s.labels.method));
        });

        it("grows its counters over time, and shifts latency above 30 s when slow", async () => {
            const [port] = await freePorts(1);
            const sglang = new SglangStandIn({ port, modelName: "m", tpSize: 1, requestsPerSecond: 400 });
            sglang.metricsText();
            await sleep(100);
            const first = parseSamples(sglang.metricsText());
            assert.ok(quantileUpperBound(first, "sglang:e2e_request_latency_seconds", 0.95) <= 20);
            await sglang.setMode("slow");
            await sleep(300);
            const second = parseSamples(sglang.metricsText());
            assert.ok(only(second, "sglang:num_requests_total")[0].value > only(first, "sglang:num_requests_total")[0].value);
            assert.ok(quantileUpperBound(second, "sglang:e2e_request_latency_seconds", 0.95) > 30);
        });

        it("answers 5xx and aborts requests when erroring", async () => {
            const [port] = await freePorts(1);
            const sglang = new SglangStandIn({ port, modelName: "m", tpSize: 1, requestsPerSecond: 400 });
            await sglang.setMode("erroring");
            sglang.metricsText();
            await sleep(200);
            const samples = parseSamples(sglang.metricsText());
            const total = only(samples, "sglang:num_requests_total")[0].value;
            const errors = only(samples, "sglang:http_responses_total").filter((s) => s.labels.status_code.startsWith("5")).reduce((a, s) => a + s.value, 0);
            assert.ok(errors / total > 0.2, `${errors} of ${total} requests failed`);
            assert.ok(only(samples, "sglang:num_aborted_requests_total")[0].value > 0);
        });

        it("refuses connections when down, and comes back as a restarted server with fresh counters", async () => {
            const [port] = await freePorts(1);
            const sglang = new SglangStandIn({ port, modelName: "m", tpSize: 1, prefix: "sglang_", requestsPerSecond: 400 });
            await sglang.start();
            try {
                await sleep(100);
                const before = only(parseSamples(await (await fetch(`http://${sglang.address}/metrics`)).text()), "sglang_num_requests_total")[0].value;
                assert.equal((await fetch(`http://${sglang.address}/health`)).status, 200);
                await sglang.setMode("down");
                assert.ok(await refusesConnections(port));
                await sglang.setMode("healthy");
                const after = only(parseSamples(await (await fetch(`http://${sglang.address}/metrics`)).text()), "sglang_num_requests_total")[0].value;
                assert.ok(after < before, `counter went from ${before} to ${after} across a restart`);
            } finally {
                await sglang.stop();
            }
        });
    });

    describe("GPU exporter stand-ins", () => {
        it("DCGM: framebuffer in MiB with gpu, UUID, device, modelName and Hostname labels", async () => {
            const gpus = simulatedGpus(2);
            const samples = parseSamples(new GpuExporterStandIn({ port: 1, format: "dcgm", gpus }).metricsText());
            const used = only(samples, "DCGM_FI_DEV_FB_USED");
            const free = only(samples, "DCGM_FI_DEV_FB_FREE");
            assert.equal(used.length, 2);
            used.forEach((s, i) => {
                assert.deepEqual(Object.keys(s.labels).filter((k) => ["gpu", "UUID", "device", "modelName", "Hostname"].includes(k)).sort(), ["Hostname", "UUID", "device", "gpu", "modelName"]);
                assert.equal(s.value + free[i].value, gpus[i].totalMiB);
            });
        });

        it("nvidia_gpu_exporter: bytes and a 0-1 ratio keyed by uuid, index and name on nvidia_smi_gpu_info", () => {
            const gpus = simulatedGpus(2);
            const samples = parseSamples(new GpuExporterStandIn({ port: 1, format: "nvidia-smi", gpus }).metricsText());
            assert.deepEqual(only(samples, "nvidia_smi_memory_total_bytes").map((s) => s.value), gpus.map((g) => g.totalMiB * 1024 * 1024));
            assert.ok(only(samples, "nvidia_smi_utilization_gpu_ratio").every((s) => s.value > 0 && s.value <= 1));
            assert.deepEqual(only(samples, "nvidia_smi_gpu_info").map((s) => [s.labels.uuid, s.labels.index]), gpus.map((g) => [g.uuid, String(g.index)]));
        });
    });

    it("groups each metric family's lines together whatever order samples are added in", () => {
        const h = new HistogramSeries([1, 2]);
        h.observe(1.5);
        const text = new ExpositionWriter().sample("a", "gauge", "a", {}, 1).histogram("h", "h", {}, h).sample("a", "gauge", "a", { x: "1" }, 2).render();
        const names = parseSamples(text).map((s) => s.name);
        assert.deepEqual(names, ["a", "a", "h_bucket", "h_bucket", "h_bucket", "h_sum", "h_count"]);
        assert.equal(text.match(/# TYPE a gauge/g)?.length, 1);
    });

    describe("configuration rewrite", () => {
        const settings = e2eSettings("unit");

        it("changes the scrape targets, Alertmanager and rule paths only", () => {
            const targets = Object.fromEntries(Object.values(JOB).map((j, i) => [j, `127.0.0.1:${10000 + i}`])) as Record<JobName, string>;
            const rewrites: string[] = [];
            const local = localTopology(settings, targets, "127.0.0.1:9", "/tmp/rules/*.yaml", rewrites);
            const docker = dockerTopology(settings);
            assert.deepEqual(local.jobs.map((j) => ({ ...j, discovery: undefined })), docker.jobs.map((j) => ({ ...j, discovery: undefined })));
            assert.deepEqual(local.jobs.map((j) => (j.discovery.kind === "static" ? j.discovery.targets : [])), docker.jobs.map((j) => [targets[j.job]]));
            assert.deepEqual(local.alertmanagers, ["127.0.0.1:9"]);
            assert.equal(rewrites.length, docker.jobs.length + 2);
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
            const receivers = local.receivers as { name: string; pagerduty_configs?: { url: string }[]; webhook_configs?: { url: string }[]; slack_configs?: { api_url_file: string }[] }[];
            assert.deepEqual(receivers.flatMap((r) => r.pagerduty_configs ?? []).map((p) => p.url), [urls.pagerduty]);
            assert.deepEqual(receivers.flatMap((r) => r.webhook_configs ?? []).map((w) => w.url), [urls.heartbeat]);
            assert.deepEqual(receivers.flatMap((r) => r.slack_configs ?? []).map((s) => s.api_url_file), [files.slackWebhookUrl]);
            // An Alertmanager that reads url_file keeps it (its file then holds the receiver's URL).
            const modern = pointAtReceiver(generated, urls, true, []) as { receivers: { webhook_configs?: { url?: string; url_file?: string }[] }[] };
            const hooks = modern.receivers.flatMap((r) => r.webhook_configs ?? []);
            assert.ok(hooks.length > 0 && hooks.every((h) => h.url_file === files.heartbeatUrl && h.url === undefined));
        });
    });

    it("replaces Grafana's variables the way 'All' does, and refuses unknown ones", () => {
        assert.equal(substituteVariables('rate(x{instance=~"$instance", model_name=~"${model}"}[$__rate_interval])'), 'rate(x{instance=~".*", model_name=~".*"}[1m])');
        assert.throws(() => substituteVariables('x{pod=~"$pod"}'), /\$pod/);
    });

    it("names the Debian package of every missing program", () => {
        const saved = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
            assert.throws(() => requireBinaries(), (err: Error) => {
                for (const text of ["prometheus (Debian package prometheus)", "prometheus-alertmanager (Debian package prometheus-alertmanager)", "prometheus-node-exporter (Debian package prometheus-node-exporter)", "apt-get install -y prometheus prometheus-alertmanager prometheus-node-exporter"]) {
                    assert.ok(err.message.includes(text), `${text} missing from: ${err.message}`);
                }
                return true;
            });
        } finally {
            process.env.PATH = saved;
        }
    });
});
