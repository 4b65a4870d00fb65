import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { DCGM_CONTRACTS, NODE_EXPORTER_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../contracts/gpu";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { buildDashboard, DATASOURCE_UID, dashboardQueries } from "../dashboards";
import { recordingRuleGroups } from "../monitoring/recording";
import type { RuleGroup } from "../monitoring/types";
import { toYaml } from "../monitoring/yaml";
import { parseSettings } from "../settings";
import { substituteVariables } from "../tests/e2e/queries";
import { isReady } from "../tests/e2e/support/apis";
import { cleanupNow, trackDir, untrackDir } from "../tests/e2e/support/cleanup";
import { freePort, LOOPBACK } from "../tests/e2e/support/ports";
import { type ManagedProcess, startProcess } from "../tests/e2e/support/processes";
import { waitFor } from "../tests/e2e/support/wait";
import { chooseContract } from "./contract-choice";
import { type FleetSpec, gpuIdentity, instances, sglangWriterCounts, whyUnwritten, writeOpenMetrics, writtenNames } from "./fleet";
import { rawGuideQueries, unwrittenNames } from "./guide-raw";
import { mentions, planRules } from "./rule-plan";
import { median, summarize, table } from "./stats";
import { runTool } from "./tools";

const HOUR = 3600;
/** promtool picks the largest block range (2h × 3^k) not above this: 54h, so 24 h of data make one block and one pass. */
const MAX_BLOCK_DURATION = "54h";
const BLOCK_SECONDS = 54 * HOUR;
/** Grafana's step for a 24-hour range on a panel about 1000 pixels wide (86.4 s rounds to 1m). */
const STEP_SECONDS = 60;
const TARGET_SPEEDUP = 5;
const TIME_BUDGET_SECONDS = 600;

interface Timed {
    /**
     * Wall time of the HTTP request as Grafana sends it (no stats), until the
     * answer's last byte: evaluation, JSON encoding and transfer. The client's
     * own parsing is left out: it is the same for both and not Prometheus' cost.
     */
    ms: number;
    /** Prometheus' own evaluation time (stats=all: evalTotalTime). */
    evalMs: number;
    /** Samples Prometheus read to answer (stats=all: totalQueryableSamples): the work, independent of machine load. */
    samples: number;
    series: number;
}

class Phases {
    private readonly started = Date.now();
    private last = Date.now();
    readonly rows: string[][] = [["phase", "seconds"]];
    done(what: string): void {
        const now = Date.now();
        this.rows.push([what, ((now - this.last) / 1000).toFixed(1)]);
        console.log(`  ${what}: ${((now - this.last) / 1000).toFixed(1)} s`);
        this.last = now;
    }
    get totalSeconds(): number {
        return (Date.now() - this.started) / 1000;
    }
}

class Prometheus {
    /** Kept-alive connections, as Grafana's data proxy keeps them. */
    private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    private constructor(
        readonly url: string,
        private readonly proc: ManagedProcess,
    ) {}

    /** GETs a path and returns the whole body, resolving at its last byte. */
    private get(pathAndQuery: string): Promise<Buffer> {
        return new Promise((resolve, reject) => {
            const req = http.get(`${this.url}${pathAndQuery}`, { agent: this.agent, timeout: 120_000 }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve(Buffer.concat(chunks)));
                res.on("error", reject);
            });
            req.on("timeout", () => req.destroy(new Error(`GET ${pathAndQuery}: timed out`)));
            req.on("error", reject);
        });
    }

    static async start(dir: string, dataDir: string, name: string): Promise<Prometheus> {
        const port = await freePort();
        const config = path.join(dir, "prometheus.yml");
        fs.writeFileSync(config, toYaml({ global: { scrape_interval: "15s", evaluation_interval: "15s" } }));
        const proc = startProcess({
            name,
            binary: "prometheus",
            args: [
                `--config.file=${config}`,
                `--storage.tsdb.path=${dataDir}`,
                `--storage.tsdb.retention.time=30d`,
                `--web.listen-address=${LOOPBACK}:${port}`,
                "--log.level=warn",
            ],
            logFile: path.join(dir, `${name}.log`),
        });
        const url = `http://${LOOPBACK}:${port}`;
        await waitFor(
            async () => {
                proc.assertRunning();
                return isReady(`${url}/-/ready`);
            },
            { what: `${name} ready`, timeoutMs: 120_000, intervalMs: 200 },
        );
        return new Prometheus(url, proc);
    }

    stop(): Promise<void> {
        this.agent.destroy();
        return this.proc.stop();
    }

    /** A range query: wall time, then (untimed, with stats=all) Prometheus' evaluation time and samples read. */
    async queryRange(expr: string, start: number, end: number): Promise<Timed> {
        const params = { query: expr, start: String(start), end: String(end), step: String(STEP_SECONDS) };
        type Body = {
            status: string;
            error?: string;
            data?: { result: unknown[]; stats?: { timings?: { evalTotalTime?: number }; samples?: { totalQueryableSamples?: number } } };
        };
        const t = performance.now();
        const raw = await this.get(`/api/v1/query_range?${new URLSearchParams(params)}`);
        const ms = performance.now() - t;
        const answer = JSON.parse(raw.toString("utf8")) as Body;
        if (answer.status !== "success") throw new Error(`query_range ${expr}: ${answer.error}`);
        const withStats = JSON.parse(
            (await this.get(`/api/v1/query_range?${new URLSearchParams({ ...params, stats: "all" })}`)).toString("utf8"),
        ) as Body;
        return {
            ms,
            evalMs: (withStats.data?.stats?.timings?.evalTotalTime ?? NaN) * 1000,
            samples: withStats.data?.stats?.samples?.totalQueryableSamples ?? NaN,
            series: answer.data?.result.length ?? 0,
        };
    }

    /** An instant query returning one number (e.g. a count), 0 when empty. */
    async scalar(expr: string, time: number): Promise<number> {
        const params = new URLSearchParams({ query: expr, time: String(time) });
        const res = await fetch(`${this.url}/api/v1/query?${params}`, { signal: AbortSignal.timeout(120_000) });
        const body = (await res.json()) as { status: string; error?: string; data: { result: { value: [number, string] }[] } };
        if (body.status !== "success") throw new Error(`query ${expr}: ${body.error}`);
        return body.data.result.length === 0 ? 0 : Number(body.data.result[0].value[1]);
    }

    /**
     * Waits until Prometheus has merged the backfilled blocks the way a live
     * server keeps its data (raw and recorded series in the same blocks): the
     * first compaction runs a minute after start; then until it idles.
     */
    async settle(): Promise<{ blocksBefore: number; blocksAfter: number }> {
        const blocksBefore = await this.ownMetric("prometheus_tsdb_blocks_loaded");
        await waitFor(async () => (await this.ownMetric("prometheus_tsdb_compactions_total")) >= 1, {
            what: "the first compaction",
            timeoutMs: 300_000,
            intervalMs: 1000,
        });
        let cpu = await this.ownMetric("process_cpu_seconds_total");
        await waitFor(
            async () => {
                const now = await this.ownMetric("process_cpu_seconds_total");
                const idle = now - cpu < 0.1;
                cpu = now;
                return idle;
            },
            { what: "compactions to finish", timeoutMs: 300_000, intervalMs: 2000 },
        );
        return { blocksBefore, blocksAfter: await this.ownMetric("prometheus_tsdb_blocks_loaded") };
    }

    /** A counter of Prometheus' own /metrics (summed over its label sets). */
    async ownMetric(name: string): Promise<number> {
        const text = await (await fetch(`${this.url}/metrics`)).text();
        return text
            .split("\n")
            .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
            .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
    }
}

/** Moves every block directory of `from` into `to`. */
function moveBlocks(from: string, to: string): number {
    if (!fs.existsSync(from)) return 0;
    let moved = 0;
    for (const entry of fs.readdirSync(from)) {
        if (fs.existsSync(path.join(from, entry, "meta.json"))) {
            fs.renameSync(path.join(from, entry), path.join(to, entry));
            moved++;
        }
    }
    return moved;
}

/** `--name value` from the command line, if given. */
function stringOption(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`--${name} takes a value`);
    return value;
}

/** `--name N` from the command line, or `fallback`. */
function intOption(argv: string[], name: string, fallback: number): number {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer`);
    return value;
}

const ms = (x: number) => x.toFixed(0);
const thousands = (x: number) =>
    Number.isNaN(x) ? "?" : x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(0)} k` : String(x);

/** Runs `tasks` with at most `parallel` at a time (the machine has two CPUs). */
async function limited(tasks: (() => Promise<void>)[], parallel: number): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < tasks.length) await tasks[next++]();
    };
    await Promise.all(Array.from({ length: Math.min(parallel, tasks.length) }, worker));
}

/** Repeated measurements of one panel (its queries summed) or one raw query. */
class Measured {
    readonly wall: number[] = [];
    readonly evalMs: number[] = [];
    series = 0;
    samples = 0;
    add(t: Timed, first: boolean): void {
        if (first) {
            this.series = t.series;
            this.samples = t.samples;
        } else {
            this.wall.push(t.ms);
            this.evalMs.push(t.evalMs);
        }
    }
}

function sum(timings: Timed[]): Timed {
    return timings.reduce((a, t) => ({ ms: a.ms + t.ms, evalMs: a.evalMs + t.evalMs, samples: a.samples + t.samples, series: a.series + t.series }), {
        ms: 0,
        evalMs: 0,
        samples: 0,
        series: 0,
    });
}

async function main(): Promise<void> {
    const argv = process.argv.slice(2);
    const runs = intOption(argv, "runs", 5);
    const phases = new Phases();
    const settings = parseSettings("dev", {});

    // What is queried: the dashboard's panels (variables at "All") and the guide's examples on raw series.
    const model = buildDashboard(settings, { datasourceUid: DATASOURCE_UID }) as unknown as Parameters<typeof dashboardQueries>[0];
    const panels = new Map<string, string[]>();
    for (const q of dashboardQueries(model)) panels.set(q.panelTitle, [...(panels.get(q.panelTitle) ?? []), substituteVariables(q.expr)]);
    const allRaw = rawGuideQueries();
    for (const r of allRaw)
        if (!panels.has(r.panelTitle)) throw new Error(`the dashboard has no panel "${r.panelTitle}" for the guide's "${r.guideTitle}"`);

    // The 24 hours lie inside one 54h-aligned block range, in the past.
    const now = Math.floor(Date.now() / 1000);
    const start = Math.floor((now - 24 * HOUR) / BLOCK_SECONDS) * BLOCK_SECONDS;
    const spec: FleetSpec = {
        contracts: {
            sglang: chooseContract("sglang", SGLANG_CONTRACTS, stringOption(argv, "sglang")),
            gpu: chooseContract("gpu-exporter", [...DCGM_CONTRACTS, ...NVIDIA_GPU_EXPORTER_CONTRACTS], stringOption(argv, "gpu-exporter")),
            node: NODE_EXPORTER_CONTRACTS[0],
        },
        replicas: intOption(argv, "replicas", 16),
        gpusPerReplica: 8,
        server: { modelName: settings.sglang.servedModelName, dpSize: 1, allSchedulers: argv.includes("--all-schedulers"), spelling: "sglang:" },
        cpusPerHost: 4,
        startSeconds: start,
        durationSeconds: 24 * HOUR,
        intervalSeconds: 15,
        unreadTailSeconds: HOUR,
    };
    const end = start + spec.durationSeconds;

    // A guide query on series the chosen versions never write would time an empty answer: report it instead.
    const written = writtenNames(spec);
    const unwritten = new Map(allRaw.map((r) => [r.guideTitle, unwrittenNames(r.rawExpr, written)]));
    const raw = allRaw.filter((r) => unwritten.get(r.guideTitle)!.length === 0);
    const queried = [...[...panels.values()].flat(), ...raw.map((r) => r.rawExpr)];
    const ruleGroups = recordingRuleGroups(settings);
    const plan = planRules(ruleGroups, queried);
    const isRead = (family: string) => ["", "_bucket", "_sum", "_count"].some((suffix) => plan.readExprs.some((e) => mentions(e, family + suffix)));
    const evalInterval = settings.prometheus.evaluationInterval;
    /** Rules no benchmarked query reads are evaluated over this last stretch only: enough to count their series. */
    const unreadRulesSeconds = 60;

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-queries-"));
    trackDir(dir);
    const dataDir = path.join(dir, "data");
    fs.mkdirSync(dataDir);
    const running: Prometheus[] = [];
    try {
        console.log(
            `Query benchmark: ${spec.replicas} SGLang replicas × ${spec.gpusPerReplica} GPUs, 24 h at ${spec.intervalSeconds} s, ` +
                `${panels.size} dashboard panels, ${raw.length} of ${allRaw.length} guide queries, ${runs} timed runs each (after one warm-up), step ${STEP_SECONDS} s`,
        );
        const { sglang: sg, gpu: gx, node: nx } = spec.contracts;
        console.log(
            `Exporters (metric contracts): ${sg.id} (TP ${spec.gpusPerReplica / spec.server.dpSize}, DP ${spec.server.dpSize}${spec.server.allSchedulers ? ", metrics on every scheduler" : ""}), ${gx.id}, ${nx.id}`,
        );
        console.log(
            `Machine: ${os.cpus().length} CPUs, load average at start ${os
                .loadavg()
                .map((l) => l.toFixed(1))
                .join(" ")}; working in ${dir}`,
        );

        // 1. Raw data in four parts: promtool imports a part while the next is generated.
        const parts = 4;
        let samples = 0;
        let bytes = 0;
        const pending = new Set<Promise<void>>();
        for (let part = 0; part < parts; part++) {
            const replicas = Array.from({ length: spec.replicas }, (_, r) => r).filter((r) => r % parts === part);
            if (replicas.length === 0) continue;
            const file = path.join(dir, `fleet-${part}.om`);
            const stats = await writeOpenMetrics(file, spec, replicas, (family) => (isRead(family) ? Infinity : spec.unreadTailSeconds));
            samples += stats.samples;
            bytes += stats.bytes;
            // At most two imports run beside the generator.
            while (pending.size >= 2) await Promise.race(pending);
            const args = ["tsdb", "create-blocks-from", "openmetrics", `--max-block-duration=${MAX_BLOCK_DURATION}`, "--quiet", file, dataDir];
            const job: Promise<void> = runTool("promtool", args, path.join(dir, `import-${part}.log`)).finally(() => {
                fs.rmSync(file, { force: true });
                pending.delete(job);
            });
            job.catch(() => undefined); // awaited below; do not report it as unhandled meanwhile
            pending.add(job);
        }
        await Promise.all(pending);
        phases.done(`raw data: ${(samples / 1e6).toFixed(1)} M samples (${(bytes / 1e9).toFixed(1)} GB of OpenMetrics) generated and imported`);

        // 2. Recording rules, level by level; two promtool processes at a time, each with its own rule groups.
        for (const [l, level] of plan.levels.entries()) {
            const prom = await Prometheus.start(dir, dataDir, `prometheus-backfill-${l}`);
            running.push(prom);
            const jobs: { groups: RuleGroup[]; from: number }[] = [
                ...[0, 1].map((half) => ({ groups: level.read.filter((_, i) => i % 2 === half), from: start })),
                { groups: level.unread, from: end - unreadRulesSeconds },
            ].filter((j) => j.groups.length > 0);
            await limited(
                jobs.map((job, j) => async () => {
                    const file = path.join(dir, `rules-${l}-${j}.yaml`);
                    fs.writeFileSync(file, toYaml({ groups: job.groups }));
                    const args = [
                        "tsdb",
                        "create-blocks-from",
                        "rules",
                        `--url=${prom.url}`,
                        `--start=${job.from}`,
                        `--end=${end}`,
                        `--eval-interval=${evalInterval}`,
                        `--output-dir=${path.join(dir, `rules-${l}-${j}`)}`,
                        "--quiet",
                        file,
                    ];
                    await runTool("promtool", args, path.join(dir, `rules-${l}-${j}.log`));
                }),
                2,
            );
            await prom.stop();
            running.pop();
            const blocks = jobs.reduce((a, _, j) => a + moveBlocks(path.join(dir, `rules-${l}-${j}`), dataDir), 0);
            const count = (gs: RuleGroup[]) => gs.reduce((a, g) => a + g.rules.length, 0);
            phases.done(
                `recording rules level ${l}: ${count(level.read)} over 24 h, ${count(level.unread)} not read by the dashboard over the last minute; ${blocks} blocks`,
            );
        }

        // 3. Queries, on data compacted as a live server keeps it.
        const prom = await Prometheus.start(dir, dataDir, "prometheus");
        running.push(prom);
        const blocks = await prom.settle();
        phases.done(`Prometheus started and compacted the backfilled data (${blocks.blocksBefore} blocks → ${blocks.blocksAfter})`);
        const compactionsBefore = await prom.ownMetric("prometheus_tsdb_compactions_total");
        const panelRuns = new Map([...panels.keys()].map((title) => [title, new Measured()]));
        const rawRuns = new Map(raw.map((r) => [r.guideTitle, new Measured()]));
        // The load the timings met: the 1-minute average as the queries start and end.
        const loadBefore = os.loadavg()[0];
        // Round 0 warms the caches; panels and raw queries alternate so background load hits both alike.
        for (let run = 0; run <= runs; run++) {
            for (const [title, exprs] of panels) {
                const timings: Timed[] = [];
                for (const e of exprs) timings.push(await prom.queryRange(e, start, end));
                panelRuns.get(title)!.add(sum(timings), run === 0);
            }
            for (const r of raw) rawRuns.get(r.guideTitle)!.add(await prom.queryRange(r.rawExpr, start, end), run === 0);
        }
        const compactionsDuring = (await prom.ownMetric("prometheus_tsdb_compactions_total")) - compactionsBefore;
        phases.done(
            `queries: ${runs + 1} rounds of ${[...panels.values()].flat().length} dashboard and ${raw.length} raw queries (load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)})`,
        );

        // 4. Cardinality, at the last sample.
        const at = end - 30;
        const first = instances(spec, 0);
        const recordedNames = [
            ...new Set(
                ruleGroups
                    .flatMap((g) => g.rules)
                    .map((r) => ("record" in r ? r.record : ""))
                    .filter(Boolean),
            ),
        ];
        // Recorded names are plain [a-zA-Z0-9_:] strings: no regex escaping needed.
        const recorded = `__name__=~"${recordedNames.join("|")}"`;
        const count = (selector: string) => prom.scalar(`count({${selector}})`, at);
        // The GPU as its exporter labels it; the recording rules carry it as `uuid` (DCGM's `UUID` renamed).
        const gpuId = gpuIdentity(spec, 0, 0);
        const gpuRaw = await count(`${gpuId.label}="${gpuId.value}"`);
        const gpuRecorded = await count(`uuid="${gpuId.value}", ${recorded}`);
        const cardinality = [
            [
                `one SGLang replica (instance ${first.sglang})`,
                await count(`instance="${first.sglang}"`),
                await count(`instance="${first.sglang}", ${recorded}`),
            ],
            [`one GPU (${gx.exporter}, ${gpuId.label} ${gpuId.value})`, gpuId.label === "uuid" ? gpuRaw : gpuRaw + gpuRecorded, gpuRecorded],
            [
                `node exporter of one host (${spec.cpusPerHost} CPUs: grows with CPUs, disks, NICs)`,
                await count(`instance="${first.node}"`),
                await count(`instance="${first.node}", ${recorded}`),
            ],
            [
                `whole fleet (${spec.replicas} replicas, ${spec.replicas * spec.gpusPerReplica} GPUs)`,
                await count(`__name__=~".+"`),
                await count(recorded),
            ],
        ];
        phases.done("cardinality counted");

        // Report.
        console.log(`\nDashboard panels over 24 h (step ${STEP_SECONDS} s), ${runs} runs each; a panel's figures are the sums over its queries:`);
        const panelRows: string[][] = [["panel", "queries", "series", "samples read", "wall median ms", "wall p95 ms", "eval median ms"]];
        for (const [title, exprs] of panels) {
            const m = panelRuns.get(title)!;
            const w = summarize(m.wall);
            panelRows.push([
                title,
                String(exprs.length),
                m.series === 0 ? "0 (no data)" : String(m.series),
                thousands(m.samples),
                ms(w.median),
                ms(w.p95),
                ms(median(m.evalMs)),
            ]);
        }
        console.log(table(panelRows));

        console.log(`\nPanels the guide's examples share: the guide's query on raw series vs our panel on recorded series.`);
        console.log(
            `Wall = the HTTP request as Grafana waits for it (same-sized answers cost the same to encode); eval = Prometheus' evaluation alone.`,
        );
        const sharedRows: string[][] = [
            [
                "panel (guide example)",
                "raw wall median/p95 ms",
                "ours wall median/p95 ms",
                "wall speed-up",
                "eval speed-up",
                "samples read raw / ours",
            ],
        ];
        // A pair where either side answers nothing compares empty answers: shown, not counted.
        const compared = raw.filter((r) => rawRuns.get(r.guideTitle)!.series > 0 && panelRuns.get(r.panelTitle)!.series > 0);
        let met = 0;
        for (const r of raw) {
            const rm = rawRuns.get(r.guideTitle)!;
            const pm = panelRuns.get(r.panelTitle)!;
            const [rw, pw] = [summarize(rm.wall), summarize(pm.wall)];
            if (!compared.includes(r)) {
                sharedRows.push([
                    `${r.panelTitle} (${r.guideTitle})`,
                    `${ms(rw.median)} (${rm.series} series)`,
                    `${ms(pw.median)} (${pm.series} series)`,
                    "no data",
                    "",
                    "",
                ]);
                continue;
            }
            const speedup = rw.median / pw.median;
            if (speedup >= TARGET_SPEEDUP) met++;
            sharedRows.push([
                `${r.panelTitle} (${r.guideTitle})`,
                `${ms(rw.median)} / ${ms(rw.p95)}`,
                `${ms(pw.median)} / ${ms(pw.p95)}`,
                `${speedup.toFixed(1)}×`,
                `${(median(rm.evalMs) / median(pm.evalMs)).toFixed(1)}×`,
                `${thousands(rm.samples)} / ${thousands(pm.samples)}`,
            ]);
        }
        console.log(table(sharedRows));
        for (const r of allRaw.filter((x) => !raw.includes(x))) {
            console.log(`not timed: ${r.panelTitle} (${r.guideTitle}): ${whyUnwritten(unwritten.get(r.guideTitle)!, spec)}`);
        }
        const total = (m: Map<string, Measured>, keys: string[], f: (x: Measured) => number[]) => keys.reduce((a, k) => a + median(f(m.get(k)!)), 0);
        const rawWall = total(
            rawRuns,
            compared.map((r) => r.guideTitle),
            (x) => x.wall,
        );
        const ourWall = total(
            panelRuns,
            compared.map((r) => r.panelTitle),
            (x) => x.wall,
        );
        const rawEval = total(
            rawRuns,
            compared.map((r) => r.guideTitle),
            (x) => x.evalMs,
        );
        const ourEval = total(
            panelRuns,
            compared.map((r) => r.panelTitle),
            (x) => x.evalMs,
        );
        console.log(
            `compared panels together: wall ${ms(rawWall)} vs ${ms(ourWall)} ms = ${(rawWall / ourWall).toFixed(1)}×, eval ${ms(rawEval)} vs ${ms(ourEval)} ms = ${(rawEval / ourEval).toFixed(1)}×; ` +
                `target ≥ ${TARGET_SPEEDUP}× (wall) met on ${met} of ${compared.length} panels compared`,
        );
        if (compactionsDuring > 0)
            console.log(`note: Prometheus compacted ${compactionsDuring} time(s) while the queries ran; timings include that load`);

        console.log(`\nCardinality (series at the last sample; to size Prometheus):`);
        console.log(table([["source", "series", "of which recorded"], ...cardinality.map((row) => row.map(String))]));
        const writers = sglangWriterCounts(spec);
        console.log(`SGLang series of one replica by writer (${sg.id}): ${[...writers].map(([w, n]) => `${w} ${n}`).join(", ")}`);
        console.log(`\nPhases:\n${table(phases.rows)}`);
        console.log(
            `total ${phases.totalSeconds.toFixed(0)} s (budget ${TIME_BUDGET_SECONDS} s); load average at end ${os
                .loadavg()
                .map((l) => l.toFixed(1))
                .join(" ")}`,
        );
        if (met < compared.length || phases.totalSeconds > TIME_BUDGET_SECONDS) process.exitCode = 1;
    } finally {
        for (const p of running) await p.stop();
        fs.rmSync(dir, { recursive: true, force: true });
        untrackDir(dir);
    }
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    cleanupNow();
    process.exit(1);
});
