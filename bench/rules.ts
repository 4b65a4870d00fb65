/**
 * Rule evaluation and remote-write volume for a fleet: 128 SGLang replicas
 * × 8 GPUs (by default) whose exporters' series come from the metric
 * contracts (bench/fleet.ts), served live on loopback and scraped by a real
 * Prometheus every 15 s with the program's recording and alerting rules and
 * two remote-write queues to a local sink: the default write filter and
 * `remoteWriteSendAll`.
 *
 * Measured from Prometheus' own metrics, per evaluation cycle:
 * - rule evaluation time: the sum over rule groups of
 *   `prometheus_rule_group_last_duration_seconds` (a group with a longer
 *   interval for its share), read once per evaluation interval and set
 *   against it (groups run concurrently, so the sum bounds the wall time and
 *   measures the CPU they take);
 * - remote write: samples/s and bytes/s (`prometheus_remote_storage_samples_total`,
 *   `prometheus_remote_storage_bytes_total`) of each queue, cross-checked by
 *   the bytes the sink received.
 *
 * - per rule: `evaluationTime` of each rule from `/api/v1/rules`, read once
 *   per cycle; the ten costliest by median are printed, and with `--alone N`
 *   the ten costliest expressions run alone (fastest of N queries);
 * - Prometheus' CPU time per cycle (`process_cpu_seconds_total`): on a
 *   loaded machine the evaluation times above include waiting for a core,
 *   CPU time does not. The rules' share is the difference with a run whose
 *   `--rules-dir` holds an empty rule file;
 * - this process's own CPU time per cycle (the fleet's exporters, the sink
 *   and these readings), taken from the same cores.
 *
 * Before the live run, each exporter series the rules read through a range
 * selector gets as much history as its longest range (bench/history.ts),
 * written from the same fleet and imported
 * with `promtool tsdb create-blocks-from openmetrics`; the live counters
 * continue from it. `--no-history` leaves it out.
 *
 * Measuring starts after a warm-up (`--warm-up`, 360 s by default): the
 * figures describe a server that has run for minutes, and one run measured
 * from its second minute had its sums fall by a quarter by the eighth
 * (Prometheus settling or the machine's load; runs warmed up for six
 * minutes showed no such drift). The sum of every cycle is printed in order.
 *
 * npm run bench:rules -- [--replicas 128] [--cycles 40] [--warm-up 360] [--rules-dir DIR] [--alone N] [--keep-duplicates] [--no-history]
 *
 * `--rules-dir` loads the rule files (`*.yaml`) of DIR instead of the
 * program's, to time two versions of the rules back to back on the same load.
 * The fleet is scraped with the program's metric relabelings
 * (monitoring/scrape-relabel.ts); `--keep-duplicates` scrapes it without them.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { DCGM_CONTRACTS, NODE_EXPORTER_CONTRACTS } from "../contracts/gpu";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { defaultLinks, prometheusConfig, renderRuleFiles, toYaml } from "../monitoring";
import { remoteWriteConfig } from "../monitoring/remote-write";
import { metricRelabelConfigs } from "../monitoring/scrape-relabel";
import { JOB } from "../monitoring/types";
import { durationSeconds, parseSettings } from "../settings";
import { isReady } from "../tests/e2e/support/apis";
import { cleanupNow, trackDir, untrackDir } from "../tests/e2e/support/cleanup";
import { freePorts, LOOPBACK } from "../tests/e2e/support/ports";
import { startProcess } from "../tests/e2e/support/processes";
import { sleep, waitFor } from "../tests/e2e/support/wait";
import { type FleetSpec, hostName, instances, PER_TARGET_NAMES, replicaFamilies, seriesId, writeOpenMetrics, writtenNames } from "./fleet";
import { historySeconds, type RangeRead, rangeReads } from "./history";
import { summarize, table } from "./stats";
import { runTool } from "./tools";

/** The evaluation interval's share the rules may take (the target). */
const TARGET_SHARE = 0.05;

function intOption(argv: string[], name: string, fallback: number): number {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer`);
    return value;
}

type TargetJob = typeof JOB.sglang | typeof JOB.gpu | typeof JOB.node;
const FLEET_JOBS: TargetJob[] = [JOB.sglang, JOB.gpu, JOB.node];

/** One target's exposition: each series' line prefix and its values over time. */
interface Exposition {
    prefixes: string[];
    values: Float64Array[];
}

function labelText(labels: Record<string, string>): string {
    return Object.entries(labels)
        .filter(([k]) => k !== "job" && k !== "instance")
        .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
        .join(",");
}

/**
 * Every target's series, as Prometheus' text format will show them (its own
 * per-target series left to it). A counter with history (`last`: its last
 * written value) continues from it.
 */
function expositions(spec: FleetSpec, last: ReadonlyMap<string, number>): Map<string, Exposition> {
    const out = new Map<string, Exposition>();
    const perTarget = new Set<string>(PER_TARGET_NAMES);
    for (let r = 0; r < spec.replicas; r++) {
        for (const family of replicaFamilies(spec, r)) {
            if (perTarget.has(family.name)) continue;
            for (const s of family.series) {
                const key = `${r}/${s.labels.job}`;
                let e = out.get(key);
                if (!e) out.set(key, (e = { prefixes: [], values: [] }));
                const labels = labelText(s.labels);
                e.prefixes.push(labels ? `${s.name}{${labels}} ` : `${s.name} `);
                const before = s.counter ? last.get(seriesId(s)) : undefined;
                // One interval's increase after the last written sample, so the join is no counter reset.
                e.values.push(before === undefined ? s.values : s.values.map((v) => v - s.values[0] + before + (s.values[1] - s.values[0])));
            }
        }
    }
    return out;
}

/** Prometheus' /metrics text → value of each `name{labels}` line of the wanted names. */
function parseMetrics(text: string, names: string[]): { name: string; labels: string; value: number }[] {
    const out: { name: string; labels: string; value: number }[] = [];
    for (const line of text.split("\n")) {
        if (line.startsWith("#")) continue;
        const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
        if (m && names.includes(m[1])) out.push({ name: m[1], labels: m[2] ?? "", value: Number(m[3]) });
    }
    return out;
}

/** A string option's value, or undefined when absent. */
function stringOption(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const value = argv[i + 1];
    if (!value || value.startsWith("--")) throw new Error(`--${name} takes a value`);
    return value;
}

/** The part of `/api/v1/rules` read here. */
interface RulesResponse {
    data: { groups: { name: string; rules: { name: string; query: string; evaluationTime?: number }[] }[] };
}

/** Each rule's key (group and rule name; a name recorded by several rules of a group gets its position) and expression. */
async function listRules(prometheusUrl: string): Promise<{ key: string; query: string; evaluationTime: number }[]> {
    const body = JSON.parse(await getText(`${prometheusUrl}/api/v1/rules`)) as RulesResponse;
    return body.data.groups.flatMap((g) =>
        g.rules.map((r, i) => ({
            key: g.rules.filter((x) => x.name === r.name).length > 1 ? `${g.name} / ${r.name} (#${i + 1})` : `${g.name} / ${r.name}`,
            query: r.query,
            evaluationTime: r.evaluationTime ?? NaN,
        })),
    );
}

/**
 * Each rule's expression run alone through `/api/v1/query` at one instant,
 * `runs` times: the fastest run, in seconds. Unlike the evaluation times of
 * the running groups, the fastest of a few lone runs hardly depends on what
 * else the machine is doing.
 */
async function aloneTimes(prometheusUrl: string, rules: { key: string; query: string }[], runs: number): Promise<Map<string, number>> {
    const at = (Date.now() / 1000).toFixed(3);
    const out = new Map<string, number>();
    for (const r of rules) {
        let best = Infinity;
        for (let i = 0; i < runs; i++) {
            const t0 = performance.now();
            const res = await fetch(`${prometheusUrl}/api/v1/query`, {
                method: "POST",
                body: new URLSearchParams({ query: r.query, time: at }),
                signal: AbortSignal.timeout(60_000),
            });
            await res.text();
            if (!res.ok) throw new Error(`${r.key}: query failed with ${res.status}`);
            best = Math.min(best, (performance.now() - t0) / 1000);
        }
        out.set(r.key, best);
    }
    return out;
}

async function getText(url: string): Promise<string> {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
    return res.text();
}

const QUEUE = { filtered: "default-filter", everything: "send-all" } as const;

/** Time allowed for writing and importing the history: the live fleet starts this long after the program, where the history ends. */
const HISTORY_PREPARATION_SECONDS = 90;

/** promtool's largest block for the history: 54 h (2 h × 3³), so three days make two or three blocks. */
const HISTORY_BLOCK_DURATION = "54h";

function longestRange(reads: ReadonlyMap<string, RangeRead[]>): number {
    return Math.max(...[...reads.values()].flat().map((r) => r.seconds));
}

/** Every rule expression of the rule files' text. */
function ruleExprs(ruleFiles: Record<string, string>): string[] {
    return Object.values(ruleFiles).flatMap((text) =>
        ((parse(text) as { groups?: { rules?: { expr?: unknown }[] }[] }).groups ?? []).flatMap((g) => (g.rules ?? []).map((r) => String(r.expr))),
    );
}

/**
 * Writes the fleet's history up to one interval before `spec.startSeconds`
 * into `dataDir` as TSDB blocks: each series read through a range in `reads`,
 * over the longest range that selects it. Returns each written series' last value and what was written.
 */
async function writeHistory(
    spec: FleetSpec,
    reads: ReadonlyMap<string, RangeRead[]>,
    dir: string,
    dataDir: string,
): Promise<{ last: Map<string, number>; samples: number; series: number }> {
    const seconds = longestRange(reads);
    const history: FleetSpec = { ...spec, startSeconds: spec.startSeconds - seconds, durationSeconds: seconds - spec.intervalSeconds };
    const last = new Map<string, number>();
    const file = path.join(dir, "history.om");
    const stats = await writeOpenMetrics(
        file,
        history,
        Array.from({ length: spec.replicas }, (_, r) => r),
        (_, s) => historySeconds(reads, s),
        last,
    );
    const args = ["tsdb", "create-blocks-from", "openmetrics", `--max-block-duration=${HISTORY_BLOCK_DURATION}`, "--quiet", file, dataDir];
    await runTool("promtool", args, path.join(dir, "history-import.log"));
    fs.rmSync(file, { force: true });
    return { last, samples: stats.samples, series: stats.series };
}

async function main(): Promise<void> {
    const argv = process.argv.slice(2);
    const replicas = intOption(argv, "replicas", 128);
    const cycles = intOption(argv, "cycles", 40);
    const warmUpSeconds = intOption(argv, "warm-up", 360);
    const rulesFrom = stringOption(argv, "rules-dir");
    const aloneRuns = argv.includes("--alone") ? intOption(argv, "alone", 3) : 0;
    const keepDuplicates = argv.includes("--keep-duplicates");
    const withHistory = !argv.includes("--no-history");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-rules-"));
    trackDir(dir);
    const [scrapePort, sinkPort, prometheusPort] = await freePorts(3);
    const sinkUrl = `http://${LOOPBACK}:${sinkPort}/api/v1/write`;
    const base = { prometheusScrapeInterval: "15s", prometheusEvaluationInterval: "15s", remoteWriteUrl: sinkUrl, clusterName: "bench" };
    const settings = parseSettings("bench", base);
    const everything = parseSettings("bench", { ...base, remoteWriteSendAll: true });
    const interval = durationSeconds(settings.prometheus.evaluationInterval);
    if (warmUpSeconds < 4 * interval) throw new Error(`--warm-up ${warmUpSeconds}: at least ${4 * interval} s (four evaluation intervals)`);

    // Enough samples for the warm-up and the measured cycles, from the live start on: now, or once the history is written.
    const runSeconds = warmUpSeconds + (cycles + 4) * interval;
    const start = Math.ceil(Date.now() / 1000 / interval) * interval + (withHistory ? HISTORY_PREPARATION_SECONDS : 0);
    const spec: FleetSpec = {
        contracts: { sglang: SGLANG_CONTRACTS[0], gpu: DCGM_CONTRACTS[0], node: NODE_EXPORTER_CONTRACTS[0] },
        replicas,
        gpusPerReplica: 8,
        server: { modelName: settings.sglang.servedModelName, dpSize: 1, allSchedulers: false, spelling: "sglang:" },
        cpusPerHost: 4,
        startSeconds: start,
        durationSeconds: runSeconds + 120,
        intervalSeconds: interval,
        unreadTailSeconds: 0,
    };
    // The generated configuration: rules and remote write as the program writes them; targets are the fleet's.
    const rulesDir = path.join(dir, "rules");
    fs.mkdirSync(rulesDir);
    const ruleFiles = rulesFrom
        ? Object.fromEntries(
              fs
                  .readdirSync(rulesFrom)
                  .filter((f) => f.endsWith(".yaml"))
                  .map((f) => [f, fs.readFileSync(path.join(rulesFrom, f), "utf8")]),
          )
        : renderRuleFiles(settings, defaultLinks(settings));
    if (Object.keys(ruleFiles).length === 0) throw new Error(`--rules-dir ${rulesFrom}: no *.yaml rule files`);
    // History first: the live counters continue from it.
    const dataDir = path.join(dir, "data");
    const t0 = Date.now();
    const reads = withHistory ? rangeReads(ruleExprs(ruleFiles), writtenNames(spec)) : new Map<string, RangeRead[]>();
    const history = reads.size > 0 ? await writeHistory(spec, reads, dir, dataDir) : { last: new Map<string, number>(), samples: 0, series: 0 };
    if (reads.size > 0) {
        console.log(
            `History: ${history.series} series read through ranges (${reads.size} names, up to ${longestRange(reads) / 3600} h), ${(history.samples / 1e6).toFixed(1)} M samples, imported in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
        );
    }
    const targets = expositions(spec, history.last);
    const early = start - Date.now() / 1000;
    if (early > 0) {
        console.log(`Waiting ${early.toFixed(0)} s for the live start, where the history ends`);
        await sleep(early * 1000);
    } else if (reads.size > 0)
        console.log(`The history took ${(-early).toFixed(0)} s longer than allowed: that much is missing between it and the live data`);
    const seriesCount = [...targets.values()].reduce((a, e) => a + e.prefixes.length, 0);
    console.log(
        `Rule and remote-write benchmark: ${replicas} SGLang replicas × ${spec.gpusPerReplica} GPUs, ${targets.size} targets, ${seriesCount} scraped series (${spec.contracts.sglang.id}, ${spec.contracts.gpu.id}, ${spec.contracts.node.id}), scrape and evaluation every ${interval} s; generated in ${((Date.now() - t0) / 1000).toFixed(0)} s (history included)`,
    );

    // The fleet's exporters: each target's series at the sample time closest to now.
    const exporters = http.createServer((req, res) => {
        const e = targets.get((req.url ?? "").replace(/^\/metrics\//, ""));
        if (!e) return void res.writeHead(404).end();
        const i = Math.min(Math.max(0, Math.round((Date.now() / 1000 - start) / interval)), e.values[0].length - 1);
        const lines = e.prefixes.map((p, k) => `${p}${e.values[k][i]}\n`);
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(lines.join(""));
    });
    // The store: accepts every write and counts the bytes.
    let sinkBytes = 0;
    const sink = http.createServer((req, res) => {
        req.on("data", (c: Buffer) => (sinkBytes += c.length));
        req.on("end", () => res.writeHead(204).end());
    });
    await Promise.all([
        new Promise<void>((r) => exporters.listen(scrapePort, LOOPBACK, r)),
        new Promise<void>((r) => sink.listen(sinkPort, LOOPBACK, r)),
    ]);

    for (const [name, content] of Object.entries(ruleFiles)) fs.writeFileSync(path.join(rulesDir, name), content);
    console.log(
        `Rules: ${rulesFrom ? `the files of ${rulesFrom}` : "the program's"} (${Object.keys(ruleFiles).join(", ")}); scrape-time drops: ${keepDuplicates ? "none" : "the program's"}`,
    );
    const config = prometheusConfig(settings, { jobs: [], alertmanagers: [], ruleFiles: [path.join(rulesDir, "*.yaml")] }) as Record<string, unknown>;
    // The program's scrape-time drops of each job, as its own scrape configuration has them.
    const scrapeConfigs = FLEET_JOBS.map((job) => ({
        job_name: job,
        ...(metricRelabelConfigs(job).length && !keepDuplicates ? { metric_relabel_configs: metricRelabelConfigs(job) } : {}),
        static_configs: Array.from({ length: replicas }, (_, r) => {
            const at = instances(spec, r);
            const instance = job === JOB.sglang ? at.sglang : job === JOB.gpu ? at.gpu : at.node;
            // Each target is one path of the local server, labelled with its host's address as a real scrape would be.
            return {
                targets: [`${LOOPBACK}:${scrapePort}`],
                labels: { __metrics_path__: `/metrics/${r}/${job}`, instance, ...(job === JOB.gpu ? { node: hostName(r) } : {}) },
            };
        }),
    }));
    const remoteWrite = [
        { ...(remoteWriteConfig(settings)[0] as object), name: QUEUE.filtered },
        { ...(remoteWriteConfig(everything)[0] as object), name: QUEUE.everything },
    ];
    const configFile = path.join(dir, "prometheus.yml");
    fs.writeFileSync(configFile, toYaml({ ...config, scrape_configs: scrapeConfigs, remote_write: remoteWrite }, "bench/rules"));

    const prometheusUrl = `http://${LOOPBACK}:${prometheusPort}`;
    const prometheus = startProcess({
        name: "prometheus",
        binary: "prometheus",
        args: [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=${LOOPBACK}:${prometheusPort}`],
        logFile: path.join(dir, "prometheus.log"),
    });
    try {
        await waitFor(async () => (prometheus.assertRunning(), isReady(`${prometheusUrl}/-/ready`)), {
            what: "Prometheus to be ready",
            timeoutMs: 60_000,
        });
        const metrics = async () =>
            parseMetrics(await getText(`${prometheusUrl}/metrics`), [
                "prometheus_rule_group_last_duration_seconds",
                "prometheus_rule_group_interval_seconds",
                "prometheus_remote_storage_samples_total",
                "prometheus_remote_storage_bytes_total",
                "prometheus_tsdb_head_series",
                "prometheus_rule_evaluation_failures_total",
                "process_cpu_seconds_total",
            ]);
        // Warm-up: every target scraped and every rule group evaluated on a full head, until the times settle.
        console.log(`Warm-up: ${warmUpSeconds} s`);
        await sleep(warmUpSeconds * 1000);
        const queueTotals = (m: Awaited<ReturnType<typeof metrics>>, name: string, queue: string) =>
            m.filter((x) => x.name === name && x.labels.includes(`remote_name="${queue}"`)).reduce((a, x) => a + x.value, 0);
        const first = await metrics();
        const harnessFirst = process.cpuUsage();
        const firstAt = Date.now();
        const sinkFirst = sinkBytes;
        const evalSums: number[] = [];
        const byGroup = new Map<string, number[]>();
        const byRule = new Map<string, number[]>();
        console.log(`Measuring ${cycles} evaluation cycles (${(cycles * interval) / 60} min)`);
        // Once per interval: each group's latest evaluation, groups with a longer interval counted for their share of it.
        while (evalSums.length < cycles) {
            await sleep(interval * 1000);
            prometheus.assertRunning();
            const m = await metrics();
            const groupInterval = new Map(m.filter((x) => x.name === "prometheus_rule_group_interval_seconds").map((x) => [x.labels, x.value]));
            const durations = m.filter((x) => x.name === "prometheus_rule_group_last_duration_seconds");
            evalSums.push(durations.reduce((a, x) => a + x.value * (interval / (groupInterval.get(x.labels) ?? interval)), 0));
            for (const x of durations) byGroup.set(x.labels, [...(byGroup.get(x.labels) ?? []), x.value]);
            for (const r of await listRules(prometheusUrl)) byRule.set(r.key, [...(byRule.get(r.key) ?? []), r.evaluationTime]);
        }
        const last = await metrics();
        const harness = process.cpuUsage(harnessFirst);
        const seconds = (Date.now() - firstAt) / 1000;
        const rate = (name: string, queue: string) => (queueTotals(last, name, queue) - queueTotals(first, name, queue)) / seconds;
        const failures = last.filter((x) => x.name === "prometheus_rule_evaluation_failures_total").reduce((a, x) => a + x.value, 0);
        const heads = last.find((x) => x.name === "prometheus_tsdb_head_series")?.value ?? NaN;
        const cpu = (m: typeof last) => m.find((x) => x.name === "process_cpu_seconds_total")?.value ?? NaN;
        const cpuPerCycle = ((cpu(last) - cpu(first)) / seconds) * interval;
        const harnessPerCycle = ((harness.user + harness.system) / 1e6 / seconds) * interval;

        const e = summarize(evalSums);
        const share = (x: number) => `${((x / interval) * 100).toFixed(2)} %`;
        console.log(
            `\nRule evaluation per cycle (sum over groups; interval ${interval} s, target under ${TARGET_SHARE * 100} %), ${evalSums.length} cycles, ${heads} head series, ${failures} failed evaluations:`,
        );
        console.log(
            table([
                ["", "median", "p95", "max"],
                ["seconds", e.median.toFixed(3), e.p95.toFixed(3), e.max.toFixed(3)],
                ["share of the interval", share(e.median), share(e.p95), share(e.max)],
            ]),
        );
        console.log(`Per cycle, in order (seconds): ${evalSums.map((x) => x.toFixed(2)).join(" ")}`);
        const groups = [...byGroup.entries()]
            .map(([labels, values]) => ({ group: /rule_group="[^"]*;([^"]*)"/.exec(labels)?.[1] ?? labels, ...summarize(values) }))
            .sort((a, b) => b.median - a.median);
        console.log(
            `\nPrometheus' CPU time (all its work: scrapes, rules, remote write): ${cpuPerCycle.toFixed(2)} s per ${interval} s cycle; unlike the evaluation times, it does not count waiting for a core (run with an empty rule file to subtract the rest)`,
        );
        console.log(
            `This benchmark's own process (the fleet's exporters and the remote-write sink) took ${harnessPerCycle.toFixed(2)} s of CPU per cycle on the same ${os.cpus().length} cores`,
        );
        console.log(`\nRule groups, costliest first (seconds per evaluation):`);
        console.log(table([["group", "median", "max"], ...groups.map((g) => [g.group, g.median.toFixed(3), g.max.toFixed(3)])]));
        const rules = [...byRule.entries()]
            .map(([rule, values]) => ({ rule, values: values.filter((v) => !Number.isNaN(v)) }))
            .filter((r) => r.values.length > 0)
            .map((r) => ({ rule: r.rule, ...summarize(r.values) }))
            .sort((a, b) => b.median - a.median);
        console.log(`\nThe ten costliest rules (seconds per evaluation, from /api/v1/rules):`);
        console.log(table([["group / rule", "median", "max"], ...rules.slice(0, 10).map((r) => [r.rule, r.median.toFixed(3), r.max.toFixed(3)])]));
        if (aloneRuns > 0) {
            const alone = [...(await aloneTimes(prometheusUrl, await listRules(prometheusUrl), aloneRuns)).entries()].sort((a, b) => b[1] - a[1]);
            const aloneSum = alone.reduce((a, [, t]) => a + t, 0);
            console.log(
                `\nEach rule's expression run alone (fastest of ${aloneRuns} queries; all rules together ${aloneSum.toFixed(3)} s), the ten costliest:`,
            );
            console.log(table([["group / rule", "seconds"], ...alone.slice(0, 10).map(([rule, t]) => [rule, t.toFixed(3)])]));
        }
        const rows = (["filtered", "everything"] as const).map((q) => {
            const samples = rate("prometheus_remote_storage_samples_total", QUEUE[q]);
            const bytes = rate("prometheus_remote_storage_bytes_total", QUEUE[q]);
            return { q, samples, bytes };
        });
        console.log(
            `\nRemote write over ${seconds.toFixed(0)} s (compressed request bytes; the sink received ${((sinkBytes - sinkFirst) / seconds / 1024).toFixed(0)} KiB/s for both queues):`,
        );
        console.log(
            table([
                ["queue", "samples/s", "KiB/s", "share of everything"],
                ...rows.map((r) => [
                    r.q === "filtered" ? "default filter" : "remoteWriteSendAll",
                    r.samples.toFixed(0),
                    (r.bytes / 1024).toFixed(0),
                    `${((r.samples / rows[1].samples) * 100).toFixed(1)} %`,
                ]),
            ]),
        );
        console.log(
            `\nMachine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), load average ${os
                .loadavg()
                .map((x) => x.toFixed(2))
                .join(" ")}`,
        );
        if (e.p95 > TARGET_SHARE * interval) process.exitCode = 2;
        if (failures > 0) throw new Error(`${failures} rule evaluations failed; see ${path.join(dir, "prometheus.log")}`);
    } finally {
        await prometheus.stop();
        exporters.close();
        sink.close();
        fs.rmSync(dir, { recursive: true, force: true });
        untrackDir(dir);
    }
}

main().catch((err: Error) => {
    console.error(err.message);
    cleanupNow();
    process.exit(1);
});
