/**
 * From a contract to the series a scrape of a real exporter would show: which
 * label sets exist (ranks, spellings, first-event series, GPUs, CPUs), with
 * values from a traffic description. The one place that knows how writers
 * multiply series, shared by the promtool fixtures, the end-to-end stand-ins
 * and the benchmark fleet.
 */
import type { ExporterContract, MetricEntry } from "./types";

/** How an SGLang server runs, as far as its metrics are concerned. */
export interface SglangTopology {
    modelName: string;
    /** Tensor-parallel size (`--tp-size`). */
    tpSize: number;
    /** Data-parallel size (`--dp-size`). */
    dpSize: number;
    /** `--enable-metrics-for-all-schedulers`: every TP rank writes the scheduler series. */
    allSchedulers: boolean;
    /** The spelling the scrape sees: `sglang:` or `sglang_`. */
    spelling: string;
}

export interface Gpu {
    index: number;
    /** DCGM's form: `GPU-xxxxxxxx-…`. */
    uuid: string;
    name: string;
    /** PCI bus id, `00000000:18:00.0`. */
    pciBusId: string;
}

/** How a GPU or host exporter sees its machine. */
export interface HostTopology {
    hostName: string;
    gpus: Gpu[];
    cpus: number;
    filesystems: { mountpoint: string; fstype: string; device: string }[];
}

/**
 * What a metric's value does, by its name without spelling (`num_requests_total`,
 * `DCGM_FI_DEV_GPU_UTIL`). Counters and histograms are per-second rates of the
 * whole server (split over data-parallel groups); gauges are the value each
 * writer holds. `byLabel` gives one value per label value (e.g. per
 * `status_code`), `bySeries` one per combination of label values (e.g.
 * `endpoint` and `status_code`); a label set with a zero rate has no series
 * when the metric appears at its first event.
 */
export type ValueSpec =
    | { gauge: number | ((s: Instance) => number) }
    | { rate: number | ((s: Instance) => number) }
    | { byLabel: { label: string; rates: Record<string, number> } }
    | { bySeries: { labels: Record<string, string>; rate: number }[] }
    | { histogram: { rate: number; mix: Record<number, number> } };

/** A traffic description: metric base name → value. Metrics not named get no samples beyond their start value. */
export type Traffic = Record<string, ValueSpec>;

/** One series a scrape shows. */
export interface Instance {
    entry: MetricEntry;
    /** The name as scraped (spelling applied; `_bucket`, `_count`, `_sum` for histogram parts). */
    name: string;
    /** The exporter's own labels (no `job`/`instance`). */
    labels: Record<string, string>;
    /** The writer that holds it: `tokenizer`, `scheduler dp0 tp1`, `gpu 0`, … */
    writer: string;
    /** Its value: a gauge's level, or a counter's growth per second. */
    value: { kind: "gauge"; level: number } | { kind: "counter"; perSecond: number };
}

/** A metric's name without the SGLang spelling prefix (others unchanged). */
export function baseName(contract: ExporterContract, name: string): string {
    for (const s of contract.spellings ?? []) if (name.startsWith(s)) return name.slice(s.length);
    return name;
}

/** The name in a given spelling. */
export function spelled(contract: ExporterContract, name: string, spelling: string): string {
    const spellings = contract.spellings ?? [];
    return spellings.length ? spelling + baseName(contract, name) : name;
}

/** Whether a version writes this metric at all (registered-only metrics have no samples). */
export function written(entry: MetricEntry): boolean {
    return entry.appears !== "never";
}

/** The contract entry of a base name, if the version writes it. */
export function writtenEntry(contract: ExporterContract, base: string): MetricEntry | undefined {
    return contract.metrics.find((m) => written(m) && baseName(contract, m.name) === base);
}

function firstValue(contract: ExporterContract, label: string): string {
    return contract.labelValues?.[label]?.[0] ?? "";
}

/** Writers of an SGLang series and their rank labels. */
function sglangWriters(entry: MetricEntry, t: SglangTopology): { writer: string; ranks: Record<string, string>; share: number }[] {
    if (entry.writers === "tokenizer" || entry.writers === "exporter") return [{ writer: "tokenizer", ranks: {}, share: 1 }];
    const out: { writer: string; ranks: Record<string, string>; share: number }[] = [];
    for (let dp = 0; dp < t.dpSize; dp++) {
        const everyRank = entry.writers === "scheduler-every-rank" || t.allSchedulers;
        const tpRanks = everyRank ? t.tpSize : 1;
        for (let tp = 0; tp < tpRanks; tp++) {
            out.push({
                writer: `scheduler dp${dp} tp${tp}`,
                ranks: { tp_rank: String(tp), pp_rank: "0", moe_ep_rank: "0", dp_rank: String(dp) },
                // Every rank of a DP group sees the same batch: the same value, not a share of it.
                share: 1 / t.dpSize,
            });
        }
    }
    return out;
}

function sglangLabels(contract: ExporterContract, entry: MetricEntry, t: SglangTopology, ranks: Record<string, string>): Record<string, string> {
    const labels: Record<string, string> = {};
    // Schedulers append `dp_rank` when the server runs data-parallel.
    const names = t.dpSize > 1 && "tp_rank" in ranks && !entry.labels.includes("dp_rank") ? [...entry.labels, "dp_rank"] : entry.labels;
    for (const l of names) {
        if (l === "model_name") labels[l] = t.modelName;
        else if (l in ranks) labels[l] = ranks[l];
        else if (l === "pid") labels[l] = String(1000 + Number(ranks.tp_rank ?? 0));
        else labels[l] = firstValue(contract, l);
    }
    return labels;
}

/** `le` as Python's prometheus_client writes it: always with a decimal point. */
export function pythonLe(x: number): string {
    if (x === Infinity) return "+Inf";
    const s = String(x);
    return s.includes(".") || s.includes("e") ? s : `${s}.0`;
}

/** The parts of one histogram series: buckets, +Inf, count, sum, each as a counter. */
function histogramParts(
    entry: MetricEntry,
    name: string,
    labels: Record<string, string>,
    writer: string,
    rate: number,
    mix: Record<number, number>,
    leText: (x: number) => string = pythonLe,
): Instance[] {
    const observations = Object.entries(mix).map(([v, share]) => [Number(v), share] as const);
    const out: Instance[] = [];
    for (const le of [...(entry.buckets ?? []), Infinity]) {
        const share = observations.filter(([v]) => v <= le).reduce((a, [, s]) => a + s, 0);
        out.push({
            entry,
            name: `${name}_bucket`,
            labels: { ...labels, le: leText(le) },
            writer,
            value: { kind: "counter", perSecond: le === Infinity ? rate : rate * share },
        });
    }
    const mean = observations.reduce((a, [v, s]) => a + v * s, 0);
    out.push({ entry, name: `${name}_count`, labels, writer, value: { kind: "counter", perSecond: rate } });
    out.push({ entry, name: `${name}_sum`, labels, writer, value: { kind: "counter", perSecond: rate * mean } });
    return out;
}

/** Series of one metric for one writer with its labels, following the value spec. */
function metricInstances(
    entry: MetricEntry,
    name: string,
    labels: Record<string, string>,
    writer: string,
    share: number,
    spec: ValueSpec | undefined,
    leText?: (x: number) => string,
): Instance[] {
    const firstEvent = entry.appears === "first-event";
    if (entry.type === "histogram") {
        const h = spec && "histogram" in spec ? spec.histogram : undefined;
        if (!h && firstEvent) return [];
        return histogramParts(entry, name, labels, writer, (h?.rate ?? 0) * share, h?.mix ?? {}, leText);
    }
    if (spec && ("byLabel" in spec || "bySeries" in spec)) {
        const sets =
            "byLabel" in spec
                ? Object.entries(spec.byLabel.rates).map(([value, rate]) => ({ labels: { [spec.byLabel.label]: value }, rate }))
                : spec.bySeries;
        return sets
            .filter(({ rate }) => rate > 0 || !firstEvent)
            .map(
                ({ labels: own, rate }) =>
                    ({
                        entry,
                        name,
                        writer,
                        labels: { ...labels, ...own },
                        value: entry.type === "counter" ? { kind: "counter", perSecond: rate * share } : { kind: "gauge", level: rate },
                    }) satisfies Instance,
            );
    }
    if (entry.type === "counter") {
        const instance: Instance = { entry, name, labels, writer, value: { kind: "counter", perSecond: 0 } };
        const r = spec && "rate" in spec ? spec.rate : 0;
        instance.value = { kind: "counter", perSecond: (typeof r === "function" ? r(instance) : r) * share };
        if (firstEvent && instance.value.perSecond <= 0) return [];
        return [instance];
    }
    const instance: Instance = { entry, name, labels, writer, value: { kind: "gauge", level: 0 } };
    const g = spec && "gauge" in spec ? spec.gauge : 0;
    instance.value = { kind: "gauge", level: typeof g === "function" ? g(instance) : g };
    if (firstEvent && !(spec && "gauge" in spec)) return [];
    return [instance];
}

/** Every series an SGLang server of this version shows for the given traffic. */
export function sglangSeries(contract: ExporterContract, t: SglangTopology, traffic: Traffic): Instance[] {
    const out: Instance[] = [];
    for (const entry of contract.metrics.filter(written)) {
        const base = baseName(contract, entry.name);
        const name = spelled(contract, entry.name, t.spelling);
        for (const w of sglangWriters(entry, t)) {
            out.push(...metricInstances(entry, name, sglangLabels(contract, entry, t, w.ranks), w.writer, w.share, traffic[base]));
        }
    }
    return out;
}

/** The labels a GPU exporter writes for one GPU, from the label names the contract lists. */
function gpuLabels(contract: ExporterContract, entry: MetricEntry, gpu: Gpu, host: HostTopology): Record<string, string> {
    const smiUuid = gpu.uuid.replace(/^GPU-/, "").toLowerCase();
    const known: Record<string, string> = {
        gpu: String(gpu.index),
        index: String(gpu.index),
        UUID: gpu.uuid,
        uuid: contract.exporter === "nvidia-gpu-exporter" ? smiUuid : gpu.uuid,
        device: `nvidia${gpu.index}`,
        modelName: gpu.name,
        name: gpu.name,
        Hostname: host.hostName,
        hostname: host.hostName,
        pci_bus_id: gpu.pciBusId,
    };
    const labels: Record<string, string> = {};
    for (const l of entry.labels) labels[l] = known[l] ?? firstValue(contract, l);
    return labels;
}

/** Every series a GPU exporter of this version shows, one per GPU (info-like series included). */
export function gpuSeries(contract: ExporterContract, host: HostTopology, traffic: Traffic): Instance[] {
    const out: Instance[] = [];
    for (const entry of contract.metrics.filter(written)) {
        const perGpu = entry.labels.some((l) => ["gpu", "uuid", "UUID", "index"].includes(l));
        const spec = traffic[entry.name];
        if (!perGpu) {
            const labels = Object.fromEntries(entry.labels.map((l) => [l, firstValue(contract, l)]));
            out.push(...metricInstances(entry, entry.name, labels, "exporter", 1, spec));
            continue;
        }
        for (const gpu of host.gpus) {
            out.push(...metricInstances(entry, entry.name, gpuLabels(contract, entry, gpu, host), `gpu ${gpu.index}`, 1, spec));
        }
    }
    return out;
}

/** Every series node exporter shows for the metrics its contract lists: per CPU and mode, per filesystem, or one. */
export function nodeSeries(contract: ExporterContract, host: HostTopology, traffic: Traffic): Instance[] {
    const out: Instance[] = [];
    for (const entry of contract.metrics.filter(written)) {
        const spec = traffic[entry.name];
        if (entry.labels.includes("cpu")) {
            for (let cpu = 0; cpu < host.cpus; cpu++) {
                const base = Object.fromEntries(
                    entry.labels.filter((l) => l !== "mode").map((l) => [l, l === "cpu" ? String(cpu) : firstValue(contract, l)]),
                );
                // Every mode is written from the start; the traffic sets the rates of some.
                const idle = Object.fromEntries((contract.labelValues?.mode ?? []).map((m) => [m, 0]));
                const given = spec && "byLabel" in spec ? spec.byLabel.rates : {};
                out.push(...metricInstances(entry, entry.name, base, `cpu ${cpu}`, 1, { byLabel: { label: "mode", rates: { ...idle, ...given } } }));
            }
        } else if (entry.labels.includes("mountpoint")) {
            for (const fs of host.filesystems) {
                const labels = Object.fromEntries(entry.labels.map((l) => [l, (fs as Record<string, string>)[l] ?? firstValue(contract, l)]));
                out.push(...metricInstances(entry, entry.name, labels, `filesystem ${fs.mountpoint}`, 1, spec));
            }
        } else {
            const labels = Object.fromEntries(entry.labels.map((l) => [l, firstValue(contract, l)]));
            out.push(...metricInstances(entry, entry.name, labels, "exporter", 1, spec));
        }
    }
    return out;
}

/** How the SGLang router sees its workers. */
export interface RouterTopology {
    /** Worker URLs as registered (`--worker-urls`), the `worker` label of the per-worker series. */
    workers: string[];
}

/** A number as Rust's `Display` writes an f64 (`1`, `0.005`): how metrics-exporter-prometheus writes `le` and `quantile`. */
export function rustFloat(x: number): string {
    return x === Infinity ? "+Inf" : String(x);
}

/** The quantiles metrics-exporter-prometheus 0.18 writes for a histogram it was given no buckets for (its default). */
export const RUST_EXPORTER_QUANTILES = [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

/**
 * A summary's lines: one per quantile (each at the mix's mean: enough for
 * shapes, not for quantile values), then `_sum` and `_count`, from a
 * histogram-like spec; nothing before its first observation when it appears then.
 */
function summaryParts(entry: MetricEntry, labels: Record<string, string>, writer: string, spec: ValueSpec | undefined): Instance[] {
    const h = spec && "histogram" in spec ? spec.histogram : undefined;
    if (!h && entry.appears === "first-event") return [];
    const mix = Object.entries(h?.mix ?? {}).map(([v, share]) => [Number(v), share] as const);
    const mean = mix.reduce((a, [v, share]) => a + v * share, 0);
    const rate = h?.rate ?? 0;
    return [
        ...RUST_EXPORTER_QUANTILES.map(
            (q) =>
                ({
                    entry,
                    name: entry.name,
                    labels: { ...labels, quantile: rustFloat(q) },
                    writer,
                    value: { kind: "gauge", level: mean },
                }) satisfies Instance,
        ),
        { entry, name: `${entry.name}_sum`, labels, writer, value: { kind: "counter", perSecond: rate * mean } },
        { entry, name: `${entry.name}_count`, labels, writer, value: { kind: "counter", perSecond: rate } },
    ];
}

/** The router's tokio runtime metrics use `worker` for a runtime thread index, not a model worker. */
function isRuntimeMetric(entry: MetricEntry): boolean {
    return entry.name.startsWith("smg_tokio_");
}

/**
 * Every series the SGLang router (smg) shows for this traffic: one per worker
 * URL for the per-worker metrics, one otherwise, with bucket bounds and
 * quantiles written as the Rust exporter writes them. A label the exporter writes
 * as "" (a response without an error code) is not stored by Prometheus, so it
 * is left out. A `bySeries` value that names a `worker` is that worker's only.
 */
export function routerSeries(contract: ExporterContract, t: RouterTopology, traffic: Traffic): Instance[] {
    const out: Instance[] = [];
    for (const entry of contract.metrics.filter(written)) {
        const spec = traffic[entry.name];
        const perWorker = entry.labels.includes("worker") && !isRuntimeMetric(entry);
        const base = Object.fromEntries(entry.labels.map((l) => [l, l === "worker" && isRuntimeMetric(entry) ? "0" : firstValue(contract, l)]));
        const targets = perWorker
            ? t.workers.map((w) => ({ labels: { ...base, worker: w }, writer: `worker ${w}` }))
            : [{ labels: base, writer: "router" }];
        for (const target of targets) {
            const parts =
                entry.type === "summary"
                    ? summaryParts(entry, target.labels, target.writer, spec)
                    : metricInstances(entry, entry.name, target.labels, target.writer, 1, spec, rustFloat);
            for (const i of parts) {
                // A value spec that names a worker describes that worker only.
                if (perWorker && i.labels.worker !== target.labels.worker) continue;
                out.push({ ...i, labels: Object.fromEntries(Object.entries(i.labels).filter(([, v]) => v !== "")) });
            }
        }
    }
    return out;
}
