/**
 * A synthetic fleet for bench/queries: SGLang replicas on GPU hosts whose
 * series are exactly those the metric contracts say a scrape shows
 * (`contracts/generate.ts`: names, labels, buckets, which ranks write, which
 * series appear only at their first event, which are never written), for
 * the SGLang, GPU exporter and node exporter versions chosen, plus the
 * `up`/`scrape_*` series Prometheus adds per target.
 *
 * Values follow a daily load curve per replica (and a jitter per GPU), so
 * that rates, quantiles and ratios move as they would in production: the
 * generator is called at a few load levels (bench/traffic.ts) and every
 * sample interpolates between the two levels around its load.
 *
 * Written as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
 */
import * as fs from "node:fs";
import { gpuSeries, type HostTopology, type Instance, nodeSeries, type SglangTopology, sglangSeries, spelled } from "../contracts/generate";
import type { ExporterContract } from "../contracts/types";
import { JOB } from "../monitoring/types";
import { afterMetricRelabels } from "../tests/support/monitoring/relabel";
import { gpuTraffic, HOST_FILESYSTEMS, nodeTraffic, sglangTraffic } from "./traffic";

/** The exporter versions the fleet runs. */
export interface FleetContracts {
    sglang: ExporterContract;
    /** DCGM exporter or nvidia_gpu_exporter. */
    gpu: ExporterContract;
    node: ExporterContract;
}

export interface FleetSpec {
    contracts: FleetContracts;
    /** SGLang replicas, one per GPU host. */
    replicas: number;
    /** GPUs per host; each replica's server uses them all (tensor parallel size × data parallel size). */
    gpusPerReplica: number;
    /** How each server runs, beyond its GPUs. */
    server: {
        modelName: string;
        /** `--dp-size`: data-parallel groups (each of `gpusPerReplica / dpSize` TP ranks). */
        dpSize: number;
        /** `--enable-metrics-for-all-schedulers`. */
        allSchedulers: boolean;
        /** The spelling Prometheus scrapes: `sglang:` or `sglang_`. */
        spelling: string;
    };
    /** CPUs per host reported by node exporter (real GPU hosts have far more; see README). */
    cpusPerHost: number;
    /** First sample, seconds since the epoch. */
    startSeconds: number;
    durationSeconds: number;
    intervalSeconds: number;
    /**
     * Series whose names no benchmarked query reads get samples only for this
     * last stretch: they count for cardinality and the index, and would only
     * add generation and import time.
     */
    unreadTailSeconds: number;
}

/** Load levels the generator is called at; each sample interpolates between two neighbours. */
export const LOAD_LEVELS = [0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 1];
/** How long each exporter has been running before the first sample: counters start at the quiet rate times this. */
const UPTIME_BEFORE_START_SECONDS = 86400;
/** How far one GPU's load strays from its replica's (GPUs of one server are not in lockstep). */
const GPU_JITTER = 0.08;
const GPU_MODEL = "NVIDIA H100 80GB HBM3";

/** A deterministic pseudo-random generator (mulberry32), so every run loads the same data. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Host name of replica `r` (zero-based): gpu-node-01, … */
export function hostName(r: number): string {
    return `gpu-node-${String(r + 1).padStart(2, "0")}`;
}

/** The port a GPU exporter listens on. */
function gpuExporterPort(contract: ExporterContract): number {
    return contract.exporter === "nvidia-gpu-exporter" ? 9835 : 9400;
}

/** Scrape addresses of replica `r`'s targets. */
export function instances(spec: FleetSpec, r: number): { sglang: string; gpu: string; node: string } {
    const host = hostName(r);
    return { sglang: `${host}:30000`, gpu: `${host}:${gpuExporterPort(spec.contracts.gpu)}`, node: `${host}:9100` };
}

/** The UUID of GPU `g` on replica `r`, in DCGM's form. */
export function gpuUuid(r: number, g: number): string {
    return `GPU-${(0x5a000000 + r * 256 + g).toString(16)}-7c1e-4f2a-9b3d-${String(r).padStart(6, "0")}${String(g).padStart(6, "0")}`;
}

/** How every replica's SGLang server runs, as the generator needs it. */
export function sglangTopology(spec: FleetSpec): SglangTopology {
    const { dpSize, allSchedulers, modelName, spelling } = spec.server;
    if (spec.gpusPerReplica % dpSize !== 0) throw new Error(`server.dpSize ${dpSize} must divide gpusPerReplica ${spec.gpusPerReplica}`);
    return { modelName, tpSize: spec.gpusPerReplica / dpSize, dpSize, allSchedulers, spelling };
}

/** Replica `r`'s host as its GPU and node exporters see it. */
export function hostTopology(spec: FleetSpec, r: number): HostTopology {
    return {
        hostName: hostName(r),
        cpus: spec.cpusPerHost,
        filesystems: HOST_FILESYSTEMS,
        gpus: Array.from({ length: spec.gpusPerReplica }, (_, g) => ({
            index: g,
            uuid: gpuUuid(r, g),
            name: GPU_MODEL,
            pciBusId: `00000000:${(0x18 + g * 0x10).toString(16).toUpperCase()}:00.0`,
        })),
    };
}

/** One series to write: name, labels (`job` and `instance` included) and values (one per sample time). */
export interface SeriesDef {
    name: string;
    labels: Record<string, string>;
    values: Float64Array;
    /** A counter (histogram parts included): its values only grow. */
    counter: boolean;
}

/** A metric family: its name (histograms without `_bucket`) and its series. */
export interface Family {
    name: string;
    series: SeriesDef[];
}

/** Where each sample's load falls among LOAD_LEVELS: the lower level's index and the weight of the upper one. */
interface LoadTrack {
    level: Uint8Array;
    weight: Float64Array;
}

function loadTrack(load: Float64Array): LoadTrack {
    const level = new Uint8Array(load.length);
    const weight = new Float64Array(load.length);
    for (let i = 0; i < load.length; i++) {
        const x = Math.min(LOAD_LEVELS[LOAD_LEVELS.length - 1], Math.max(LOAD_LEVELS[0], load[i]));
        let k = 0;
        while (k < LOAD_LEVELS.length - 2 && x > LOAD_LEVELS[k + 1]) k++;
        level[i] = k;
        weight[i] = (x - LOAD_LEVELS[k]) / (LOAD_LEVELS[k + 1] - LOAD_LEVELS[k]);
    }
    return { level, weight };
}

function seriesKey(s: Instance): string {
    return `${s.name}${JSON.stringify(s.labels)}`;
}

function levelValue(s: Instance): number {
    return s.value.kind === "gauge" ? s.value.level : s.value.perSecond;
}

/**
 * The exporter's series at every load level, checked to be the same label
 * sets (a series that appears at its first event must have a non-zero rate
 * at every level, or the fleet would depend on where the load curve starts).
 */
function atLevels(what: string, generate: (load: number) => Instance[]): { instances: Instance[]; values: number[][] } {
    const levels = LOAD_LEVELS.map((l) => {
        const generated = generate(l);
        const byKey = new Map(generated.map((s) => [seriesKey(s), s]));
        if (byKey.size !== generated.length) throw new Error(`${what}: the generator wrote the same series twice at load ${l}`);
        return byKey;
    });
    const first = levels[0];
    for (const [l, level] of levels.entries()) {
        const differ = [...first.keys()].filter((k) => !level.has(k)).concat([...level.keys()].filter((k) => !first.has(k)));
        if (differ.length > 0) {
            throw new Error(
                `${what}: the series at load ${LOAD_LEVELS[l]} differ from those at load ${LOAD_LEVELS[0]} (${differ.slice(0, 3).join(", ")}): give every first-event metric a non-zero rate at every load`,
            );
        }
    }
    const keys = [...first.keys()];
    return { instances: [...first.values()], values: keys.map((k) => levels.map((level) => levelValue(level.get(k)!))) };
}

/** A series' values over time: its level values interpolated along the load track; counters accumulate. */
function sampleValues(instance: Instance, levels: number[], track: LoadTrack, dt: number): Float64Array {
    const n = track.level.length;
    const out = new Float64Array(n);
    // Integer gauges (request counts, MiB, °C) stay integers, as the exporters write them.
    const integral = instance.value.kind === "gauge" && levels.every(Number.isInteger);
    let total = levels[0] * UPTIME_BEFORE_START_SECONDS;
    for (let i = 0; i < n; i++) {
        const k = track.level[i];
        const v = levels[k] + (levels[k + 1] - levels[k]) * track.weight[i];
        if (instance.value.kind === "counter") out[i] = total += v * dt;
        else out[i] = integral ? Math.round(v) : v;
    }
    return out;
}

/** Instances grouped into families (histogram parts under the histogram's name), in generator order. */
function families(
    generated: { instances: Instance[]; values: number[][] },
    target: { job: string; instance: string },
    trackOf: (s: Instance) => LoadTrack,
    dt: number,
): Family[] {
    const byEntry = new Map<Instance["entry"], Family>();
    generated.instances.forEach((s, i) => {
        let family = byEntry.get(s.entry);
        if (!family) {
            family = { name: s.entry.type === "histogram" ? s.name.replace(/_(bucket|count|sum)$/, "") : s.name, series: [] };
            byEntry.set(s.entry, family);
        }
        // An empty label value is no label once Prometheus stores the sample.
        const labels = Object.fromEntries(Object.entries(s.labels).filter(([, v]) => v !== ""));
        family.series.push({
            name: s.name,
            labels: { ...target, ...labels },
            values: sampleValues(s, generated.values[i], trackOf(s), dt),
            counter: s.value.kind === "counter",
        });
    });
    return [...byEntry.values()];
}

/** The series Prometheus itself writes for every target it scrapes. */
export const PER_TARGET_NAMES = [
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added",
] as const;

/** Every metric family of replica `r`: its SGLang server, its host's GPU exporter and node exporter, and Prometheus' own per-target series. */
export function replicaFamilies(spec: FleetSpec, r: number): Family[] {
    const n = Math.floor(spec.durationSeconds / spec.intervalSeconds) + 1;
    const dt = spec.intervalSeconds;
    const rnd = random(1000 + r);
    const targets = instances(spec, r);
    const host = hostTopology(spec, r);
    const { contracts } = spec;

    // Daily load curve with a per-replica phase and slow noise, 0.05–1.
    const phase = rnd() * 0.6;
    let drift = 0;
    const load = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        drift = drift * 0.98 + (rnd() - 0.5) * 0.02;
        const day = 0.55 + 0.35 * Math.sin(2 * Math.PI * ((i * dt) / 86400 + phase));
        load[i] = Math.min(1, Math.max(0.05, day + drift * 5));
    }
    const replicaTrack = loadTrack(load);
    const gpuTracks = host.gpus.map(() => loadTrack(load.map((x) => x + GPU_JITTER * (rnd() - 0.5) * 2)));
    const gpuTrackOf = (s: Instance) => {
        const g = /^gpu (\d+)$/.exec(s.writer);
        return g ? gpuTracks[Number(g[1])] : replicaTrack;
    };

    const topology = sglangTopology(spec);
    const sglang = families(
        atLevels(contracts.sglang.id, (l) => sglangSeries(contracts.sglang, topology, sglangTraffic(contracts.sglang, l))),
        { job: JOB.sglang, instance: targets.sglang },
        () => replicaTrack,
        dt,
    );
    const gpu = families(
        atLevels(contracts.gpu.id, (l) => gpuSeries(contracts.gpu, host, gpuTraffic(l))),
        { job: JOB.gpu, instance: targets.gpu },
        gpuTrackOf,
        dt,
    );
    const node = families(
        atLevels(contracts.node.id, (l) => nodeSeries(contracts.node, host, nodeTraffic(contracts.node, host, l))),
        { job: JOB.node, instance: targets.node },
        () => replicaTrack,
        dt,
    );

    // What Prometheus itself writes for every target; a scrape's sample count is its exporter's series count.
    const scraped = [
        { job: JOB.sglang, instance: targets.sglang, samples: sglang },
        { job: JOB.gpu, instance: targets.gpu, samples: gpu },
        { job: JOB.node, instance: targets.node, samples: node },
    ].map((t) => ({ labels: { job: t.job, instance: t.instance }, samples: t.samples.reduce((a, f) => a + f.series.length, 0) }));
    const perTarget = (name: string, value: (t: (typeof scraped)[number]) => () => number): Family => ({
        name,
        series: scraped.map((t) => {
            const next = value(t);
            return { name, labels: t.labels, values: new Float64Array(n).map(() => next()), counter: false };
        }),
    });
    const value: Record<(typeof PER_TARGET_NAMES)[number], (t: (typeof scraped)[number]) => () => number> = {
        up: () => () => 1,
        scrape_duration_seconds: () => () => 0.01 + 0.02 * rnd(),
        scrape_samples_scraped: (t) => () => t.samples,
        scrape_samples_post_metric_relabeling: (t) => () => t.samples,
        scrape_series_added: () => () => 0,
    };
    const scrape = PER_TARGET_NAMES.map((name) => perTarget(name, value[name]));

    return [...sglang, ...gpu, ...node, ...scrape];
}

/** The metric names the fleet's exporters write (each replica writes the same names). */
export function writtenNames(spec: FleetSpec): Set<string> {
    const names = new Set<string>();
    for (const family of replicaFamilies({ ...spec, durationSeconds: 0 }, 0)) for (const s of family.series) names.add(s.name);
    return names;
}

/** Why the fleet has no series of these names: which of its versions registers them without writing them. */
export function whyUnwritten(names: string[], spec: FleetSpec): string {
    const contracts: ExporterContract[] = [spec.contracts.sglang, spec.contracts.gpu, spec.contracts.node];
    const registeredBy = (name: string) =>
        contracts.find((c) =>
            c.metrics.some((m) => {
                const spellings = c.spellings?.length ? c.spellings : [""];
                const parts = m.type === "histogram" ? ["_bucket", "_count", "_sum"] : [""];
                return spellings.some((sp) => parts.some((part) => spelled(c, m.name, sp) + part === name));
            }),
        );
    return names
        .map((name) => {
            const c = registeredBy(name);
            return c
                ? `${name} is registered but never written by ${c.id}`
                : `${name} is written by none of ${contracts.map((x) => x.id).join(", ")}`;
        })
        .join("; ");
}

/** How one replica's SGLang series divide among the processes that write them (tokenizer, each scheduler rank). */
export function sglangWriterCounts(spec: FleetSpec): Map<string, number> {
    const generated = sglangSeries(spec.contracts.sglang, sglangTopology(spec), sglangTraffic(spec.contracts.sglang, 1));
    const counts = new Map<string, number>();
    for (const s of generated) counts.set(s.writer, (counts.get(s.writer) ?? 0) + 1);
    return counts;
}

/** The label and value that identify GPU `g` of replica `r` in its exporter's series (DCGM `UUID`, nvidia_gpu_exporter `uuid`). */
export function gpuIdentity(spec: FleetSpec, r: number, g: number): { label: string; value: string } {
    const series = gpuSeries(spec.contracts.gpu, hostTopology(spec, r), gpuTraffic(1)).find((s) => s.writer === `gpu ${g}`);
    const label = series && ["UUID", "uuid"].find((l) => l in series.labels);
    if (!series || !label) throw new Error(`${spec.contracts.gpu.id}: no series labels GPU ${g} by UUID or uuid`);
    return { label, value: series.labels[label] };
}

function labelText(labels: Record<string, string>): string {
    return Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
        .join(",");
}

/** Compact decimal text of a sample value. */
function valueText(v: number): string {
    return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
}

/** Counts of what was written. */
export interface WriteStats {
    series: number;
    samples: number;
    bytes: number;
}

/** A series' identity within the fleet: its name and labels as generated (before metric relabelings). */
export function seriesId(s: { name: string; labels: Record<string, string> }): string {
    return `${s.name}{${labelText(s.labels)}}`;
}

/**
 * Writes replicas `replicaIndices` as one OpenMetrics file: of each series,
 * the samples of the last `secondsOf(family, series)` seconds (Infinity: all;
 * 0: the last sample; negative: none). With `last`, each written series' last
 * value is put there under its seriesId.
 */
export async function writeOpenMetrics(
    file: string,
    spec: FleetSpec,
    replicaIndices: number[],
    secondsOf: (family: string, series: SeriesDef) => number,
    last?: Map<string, number>,
): Promise<WriteStats> {
    const out = fs.createWriteStream(file);
    const stats: WriteStats = { series: 0, samples: 0, bytes: 0 };
    let buffer = "";
    const flush = async () => {
        stats.bytes += Buffer.byteLength(buffer);
        if (!out.write(buffer)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
        buffer = "";
    };
    const points = Math.floor(spec.durationSeconds / spec.intervalSeconds) + 1;
    for (const r of replicaIndices) {
        for (const family of replicaFamilies(spec, r)) {
            for (const s of family.series) {
                const seconds = secondsOf(family.name, s);
                if (seconds < 0) continue;
                const from = Math.max(0, points - 1 - Math.floor(seconds / spec.intervalSeconds));
                // Stored as Prometheus stores a scrape: with the job's metric relabelings applied.
                const labels = afterMetricRelabels(s.labels.job, s.name, s.labels);
                if (!labels) continue;
                const prefix = `${s.name}{${labelText(labels)}} `;
                stats.series++;
                for (let i = from; i < points; i++) {
                    buffer += `${prefix}${valueText(s.values[i])} ${spec.startSeconds + i * spec.intervalSeconds}\n`;
                    stats.samples++;
                }
                last?.set(seriesId(s), s.values[points - 1]);
                if (buffer.length > 1 << 20) await flush();
            }
        }
    }
    buffer += "# EOF\n";
    await flush();
    await new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(() => resolve());
    });
    return stats;
}
