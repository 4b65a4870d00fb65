/**
 * The plan the Python SGLang stand-in runs (sglang_standin.py): from a metric
 * contract, through `sglangSeries`, the metrics to declare and, per writer
 * process, every series with its value in each traffic mode. `sglangSeries`
 * is the one source of which series exist, on which rank, in which spelling.
 */
import { baseName, type Instance, type SglangTopology, sglangSeries } from "../../../contracts/generate";
import type { ExporterContract, MetricEntry } from "../../../contracts/types";
import { gaugeMotion, RUNNING_MODES, type RunningMode, sglangTraffic } from "./sglang-traffic";

/** A metric as the Python side declares it (counters without `_total`: prometheus_client appends it). */
export interface PlanMetric {
    name: string;
    type: MetricEntry["type"];
    documentation: string;
    /** Without `pid`, which prometheus_client adds itself to gauges in mode `all`. */
    labels: string[];
    buckets?: number[];
    multiprocessMode?: string;
}

export type PlanValue = { level: number; spread: number; integer: boolean } | { rate: number } | { rate: number; mix: [number, number][] };

export interface PlanSeries {
    /** The declared metric's name. */
    metric: string;
    labels: Record<string, string>;
    /** Whether the series exists before its first event. */
    atStart: boolean;
    /** Its value in each mode that has one (a mode without it leaves the series as it is). */
    byMode: Partial<Record<RunningMode, PlanValue>>;
}

export interface PlanWriter {
    /** `tokenizer`, `scheduler dp0 tp1`, …: the writer names of `sglangSeries`. */
    name: string;
    series: PlanSeries[];
}

export interface StandInPlan {
    port: number;
    multiprocDir: string;
    /** A file holding the current mode's name. */
    controlFile: string;
    /** Where each writer leaves `writer-<index>` once its start-up series exist. */
    readyDir: string;
    tickSeconds: number;
    seed: number;
    metrics: PlanMetric[];
    /** The tokenizer first: it runs in the HTTP server's process, as in SGLang. */
    writers: PlanWriter[];
}

export interface PlanOptions {
    contract: ExporterContract;
    topology: SglangTopology;
    requestsPerSecond: number;
    port: number;
    multiprocDir: string;
    controlFile: string;
    readyDir: string;
    seed: number;
}

const TICK_SECONDS = 0.2;
const PID = "pid";

/** The name prometheus_client is given for the name a scrape shows. */
function declaredName(entry: MetricEntry, scraped: string): string {
    return entry.type === "counter" ? scraped.replace(/_total$/, "") : scraped;
}

/** The metric's name as scraped, from one of its series (histogram parts carry a suffix). */
function metricName(i: Instance): string {
    return i.entry.type === "histogram" ? i.name.replace(/_(bucket|count|sum)$/, "") : i.name;
}

/** The declaration of the metric of one series: its labels are the series' own (sglangSeries appends `dp_rank` with data parallelism). */
function declaration(contract: ExporterContract, i: Instance): PlanMetric {
    const entry = i.entry;
    // A histogram's `le` is prometheus_client's own; a gauge may have an `le` label of its own.
    const labels = Object.keys(i.labels).filter((l) => l !== PID && !(l === "le" && entry.type === "histogram"));
    const metric: PlanMetric = { name: declaredName(entry, metricName(i)), type: entry.type, documentation: entry.note ?? entry.name, labels };
    if (entry.type === "histogram") metric.buckets = entry.buckets ?? [];
    if (entry.type === "gauge") metric.multiprocessMode = gaugeMode(contract, entry);
    return metric;
}

/**
 * The multiprocess mode a gauge is declared with. Mode `all` (prometheus_client's
 * default) and only it adds a `pid` label, so the mode must agree with the
 * contract's labels, which `sglangSeries` follows. Where the contract leaves
 * the mode unset, its labels decide: `all` with a pid label, else
 * `mostrecent` (SGLang's choice for its other gauges).
 */
function gaugeMode(contract: ExporterContract, entry: MetricEntry): string {
    const hasPid = entry.labels.includes(PID);
    const mode = entry.multiprocessMode ?? (hasPid ? "all" : "mostrecent");
    const addsPid = mode === "all" || mode === "liveall";
    if (addsPid !== hasPid) {
        throw new Error(
            `contract ${contract.id}: gauge ${entry.name} has multiprocessMode ${mode}, which ${addsPid ? "adds" : "does not add"} a pid label, ` +
                `but its labels [${entry.labels.join(", ")}] ${hasPid ? "include" : "lack"} pid (only modes all and liveall add one)`,
        );
    }
    return mode;
}

function planValue(i: Instance, mode: RunningMode, requestsPerSecond: number, contract: ExporterContract): PlanValue {
    const t = sglangTraffic(mode, requestsPerSecond);
    const base = baseName(contract, i.entry.name);
    if (i.value.kind === "gauge") return { level: i.value.level, ...gaugeMotion(t, base) };
    if (i.entry.type !== "histogram") return { rate: i.value.perSecond };
    const spec = t.traffic[base];
    const mix = spec && "histogram" in spec ? Object.entries(spec.histogram.mix).map(([v, share]) => [Number(v), share] as [number, number]) : [];
    return mix.length ? { rate: i.value.perSecond, mix } : { rate: 0 };
}

/** Histogram parts collapse into one series: the `_count` part carries the observation rate. */
function carriesSeries(i: Instance): boolean {
    return i.entry.type !== "histogram" || i.name.endsWith("_count");
}

export function sglangPlan(o: PlanOptions): StandInPlan {
    const metrics = new Map<string, PlanMetric>();
    const writers = new Map<string, Map<string, PlanSeries>>([["tokenizer", new Map()]]);
    for (const mode of RUNNING_MODES) {
        for (const i of sglangSeries(o.contract, o.topology, sglangTraffic(mode, o.requestsPerSecond).traffic)) {
            if (!carriesSeries(i)) continue;
            const declared = declaration(o.contract, i);
            const known = metrics.get(declared.name);
            if (known && known.labels.join() !== declared.labels.join()) {
                throw new Error(
                    `${o.contract.id}: ${declared.name} has series with labels [${known.labels.join(", ")}] and [${declared.labels.join(", ")}]; prometheus_client declares one label set per metric`,
                );
            }
            metrics.set(declared.name, declared);
            const labels = Object.fromEntries(Object.entries(i.labels).filter(([k]) => k !== PID));
            const key = `${declared.name}${JSON.stringify(labels)}`;
            const series = writers.get(i.writer) ?? new Map<string, PlanSeries>();
            writers.set(i.writer, series);
            const s = series.get(key) ?? { metric: declared.name, labels, atStart: i.entry.appears === "at-start", byMode: {} };
            s.byMode[mode] = planValue(i, mode, o.requestsPerSecond, o.contract);
            series.set(key, s);
        }
    }
    assertOneWriterPerGauge(writers, metrics);
    return {
        port: o.port,
        multiprocDir: o.multiprocDir,
        controlFile: o.controlFile,
        readyDir: o.readyDir,
        tickSeconds: TICK_SECONDS,
        seed: o.seed,
        metrics: [...metrics.values()],
        writers: [...writers.entries()].map(([name, series]) => ({ name, series: [...series.values()] })),
    };
}

/**
 * Every `mostrecent` gauge label set has one writer. The stand-in relies on
 * it: Debian's prometheus_client predates that mode, and `max` writes the
 * same exposition when a single process holds each label set. (Other modes
 * and counters and histograms of several writers behave as in SGLang.)
 */
function assertOneWriterPerGauge(writers: Map<string, Map<string, PlanSeries>>, metrics: Map<string, PlanMetric>): void {
    const owner = new Map<string, string>();
    for (const [writer, series] of writers) {
        for (const [key, s] of series) {
            if (!/^(live)?mostrecent$/.test(metrics.get(s.metric)?.multiprocessMode ?? "")) continue;
            const other = owner.get(key);
            if (other) {
                throw new Error(
                    `mostrecent gauge ${key} is written by both ${other} and ${writer}: the stand-in's prometheus_client cannot tell which wrote last`,
                );
            }
            owner.set(key, writer);
        }
    }
}
