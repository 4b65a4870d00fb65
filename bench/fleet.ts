/**
 * A synthetic fleet for bench/queries: SGLang replicas on GPU hosts, with the
 * series the real exporters emit (names, labels, bucket bounds and units of
 * the project's metrics reference): SGLang's tokenizer metrics (counters and
 * latency histograms, `model_name` only), its scheduler metrics (rank labels;
 * only TP rank 0 reports, SGLang's default without
 * `--enable-metrics-for-all-schedulers`), HTTP metrics, DCGM's default fields
 * for every GPU (MiB, `UUID`/`Hostname`/`modelName`), node exporter, and the
 * `up`/`scrape_*` series Prometheus adds per target. Values follow a daily
 * load curve per replica so that rates, quantiles and ratios move as they
 * would in production.
 *
 * Written as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
 */
import * as fs from "fs";
import { E2E_BUCKETS, MODEL, TTFT_BUCKETS, pythonLe } from "../monitoring/testing/fixtures";
import { JOB } from "../monitoring/types";

export interface FleetSpec {
    /** SGLang replicas, one per GPU host. */
    replicas: number;
    gpusPerReplica: number;
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

/** SGLang's inter-token latency buckets (seconds). */
const ITL_BUCKETS = [0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8];
/** SGLang's queue-time buckets (seconds). */
const QUEUE_BUCKETS = [0, 0.1, 0.2, 0.5, 1, 2, 3, 4, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1200, 1400, 1600, 1800, 2000, 2500, 3000];
/** SGLang's retractions-per-request buckets. */
const RETRACTION_BUCKETS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 75, 100];
/** SGLang's grammar compilation time buckets (seconds). */
const GRAMMAR_COMPILE_BUCKETS = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 90, 120, 240];

const GPU_MODEL = "NVIDIA H100 80GB HBM3";
const GPU_MEMORY_MIB = 81559;
const DCGM_RESERVED_MIB = 512;
const DRIVER_VERSION = "570.124.06";
const ANANKE_DOMAINS = ["syntax", "types", "imports", "controlflow", "semantics"];
const CPU_MODES = ["idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"];

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

/** Standard normal CDF (Abramowitz–Stegun 7.1.26), enough for bucket shares. */
function normalCdf(z: number): number {
    const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2);
    const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-(z * z) / 2);
    return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Share of a log-normal distribution (median `median`, shape `sigma`) at or below `le`. */
function logNormalShare(le: number, median: number, sigma: number): number {
    if (le <= 0) return 0;
    return normalCdf(Math.log(le / median) / sigma);
}

type Series = Float64Array;

/** Running sum of per-interval increments: a counter's values. */
function cumulative(increments: Series, offset = 0): Series {
    const out = new Float64Array(increments.length);
    let total = offset;
    for (let i = 0; i < increments.length; i++) {
        total += increments[i];
        out[i] = total;
    }
    return out;
}

function map(points: number, f: (i: number) => number): Series {
    const out = new Float64Array(points);
    for (let i = 0; i < points; i++) out[i] = f(i);
    return out;
}

/** One series to write: name, label text and values (one per sample time). */
export interface SeriesDef {
    name: string;
    labels: Record<string, string>;
    values: Series;
}

/** A metric family: its name (histograms without `_bucket`) and its series. */
export interface Family {
    name: string;
    series: SeriesDef[];
}

/** Histogram series (buckets, +Inf, _count, _sum) from per-interval observation counts and bucket shares. */
function histogram(name: string, labels: Record<string, string>, bounds: number[], observations: Series, share: (le: number, i: number) => number, mean: (i: number) => number): SeriesDef[] {
    const n = observations.length;
    const out: SeriesDef[] = bounds.map((le) => ({
        name: `${name}_bucket`,
        labels: { ...labels, le: pythonLe(le) },
        values: cumulative(map(n, (i) => observations[i] * share(le, i))),
    }));
    const count = cumulative(observations);
    out.push({ name: `${name}_bucket`, labels: { ...labels, le: "+Inf" }, values: count });
    out.push({ name: `${name}_count`, labels, values: count });
    out.push({ name: `${name}_sum`, labels, values: cumulative(map(n, (i) => observations[i] * mean(i))) });
    return out;
}

/** Host name of replica `r` (zero-based): gpu-node-01, … */
export function hostName(r: number): string {
    return `gpu-node-${String(r + 1).padStart(2, "0")}`;
}

/** Scrape addresses of replica `r`'s targets. */
export function instances(r: number): { sglang: string; gpu: string; node: string } {
    const host = hostName(r);
    return { sglang: `${host}:30000`, gpu: `${host}:9400`, node: `${host}:9100` };
}

/** The UUID of GPU `g` on replica `r`. */
export function gpuUuid(r: number, g: number): string {
    return `GPU-${(0x5a000000 + r * 256 + g).toString(16)}-7c1e-4f2a-9b3d-${String(r).padStart(6, "0")}${String(g).padStart(6, "0")}`;
}

/** Every metric family of replica `r` (its SGLang server, its host's GPUs and node exporter). */
export function replicaFamilies(spec: FleetSpec, r: number): Family[] {
    const n = Math.floor(spec.durationSeconds / spec.intervalSeconds) + 1;
    const dt = spec.intervalSeconds;
    const rnd = random(1000 + r);
    const inst = instances(r);
    const host = hostName(r);

    // Daily load curve with a per-replica phase and slow noise, 0.05–1.
    const phase = rnd() * 0.6;
    let drift = 0;
    const load = map(n, (i) => {
        drift = drift * 0.98 + (rnd() - 0.5) * 0.02;
        const day = 0.55 + 0.35 * Math.sin(2 * Math.PI * ((i * dt) / 86400 + phase));
        return Math.min(1, Math.max(0.05, day + drift * 5));
    });
    const requests = map(n, (i) => 6 * load[i] * dt); // requests finished per interval
    const aborted = map(n, (i) => requests[i] * (0.004 + (rnd() < 0.01 ? 0.08 : 0)));
    const structured = map(n, (i) => requests[i] * 0.7);
    const promptTokens = map(n, (i) => requests[i] * 1200);
    const generationTokens = map(n, (i) => requests[i] * 350);
    const cachedShare = map(n, (i) => 0.3 + 0.2 * load[i]);
    const e2eMedian = map(n, (i) => 2.5 * (1 + 1.5 * load[i] * load[i]));
    const ttftMedian = map(n, (i) => 0.15 * (1 + 3 * load[i] * load[i]));
    const itlMedian = map(n, (i) => 0.012 * (1 + load[i]));
    const queueMedian = map(n, (i) => 0.05 * (1 + 10 * load[i] ** 3));
    const tokenUsage = map(n, (i) => Math.min(0.99, 0.25 + 0.65 * load[i] + (rnd() - 0.5) * 0.04));
    const grammars = structured;
    const grammarHitShare = 0.8;

    const sg = { job: JOB.sglang, instance: inst.sglang, model_name: MODEL };
    const sched = { ...sg, engine_type: "unified", tp_rank: "0", pp_rank: "0" };
    const counter = (name: string, increments: Series, labels: Record<string, string> = sg): Family => ({ name, series: [{ name, labels, values: cumulative(increments) }] });
    const gauge = (name: string, values: Series, labels: Record<string, string> = sched): Family => ({ name, series: [{ name, labels, values }] });
    const constant = (value: number) => map(n, () => value);

    const sglang: Family[] = [
        counter("sglang:num_requests_total", requests),
        counter("sglang:num_aborted_requests_total", aborted),
        counter("sglang:num_so_requests_total", structured),
        counter("sglang:prompt_tokens_total", promptTokens),
        counter("sglang:generation_tokens_total", generationTokens),
        counter("sglang:cached_tokens_total", map(n, (i) => promptTokens[i] * cachedShare[i])),
        {
            name: "sglang:e2e_request_latency_seconds",
            series: histogram("sglang:e2e_request_latency_seconds", sg, E2E_BUCKETS, requests, (le, i) => logNormalShare(le, e2eMedian[i], 0.9), (i) => e2eMedian[i] * 1.5),
        },
        {
            name: "sglang:time_to_first_token_seconds",
            series: histogram("sglang:time_to_first_token_seconds", sg, TTFT_BUCKETS, requests, (le, i) => logNormalShare(le, ttftMedian[i], 0.8), (i) => ttftMedian[i] * 1.4),
        },
        {
            // Counts tokens, not requests (SGLang observes one interval per new token).
            name: "sglang:inter_token_latency_seconds",
            series: histogram("sglang:inter_token_latency_seconds", sg, ITL_BUCKETS, generationTokens, (le, i) => logNormalShare(le, itlMedian[i], 0.4), (i) => itlMedian[i] * 1.1),
        },
        {
            name: "sglang:num_retractions",
            series: histogram("sglang:num_retractions", sg, RETRACTION_BUCKETS, requests, (le, i) => (le >= 1 ? 1 : 1 - Math.max(0, tokenUsage[i] - 0.85)), () => 0.02),
        },
        {
            name: "sglang:http_requests_total",
            series: [
                { endpoint: "/v1/chat/completions", method: "POST", increments: map(n, (i) => requests[i] * 1.001) },
                { endpoint: "/generate", method: "POST", increments: map(n, (i) => requests[i] * 0.05) },
                { endpoint: "/health", method: "GET", increments: constant(dt / 10) },
                { endpoint: "/metrics", method: "GET", increments: constant(1) },
            ].map((h) => ({ name: "sglang:http_requests_total", labels: { ...sg, endpoint: h.endpoint, method: h.method }, values: cumulative(h.increments) })),
        },
        {
            name: "sglang:http_responses_total",
            series: [
                { endpoint: "/v1/chat/completions", status_code: "200", increments: map(n, (i) => requests[i] - aborted[i]) },
                { endpoint: "/v1/chat/completions", status_code: "500", increments: map(n, (i) => aborted[i] * 0.3) },
                { endpoint: "/v1/chat/completions", status_code: "400", increments: map(n, (i) => requests[i] * 0.001) },
                { endpoint: "/generate", status_code: "200", increments: map(n, (i) => requests[i] * 0.05) },
                { endpoint: "/health", status_code: "200", increments: constant(dt / 10) },
                { endpoint: "/metrics", status_code: "200", increments: constant(1) },
            ].map((h) => ({
                name: "sglang:http_responses_total",
                labels: { ...sg, endpoint: h.endpoint, status_code: h.status_code, method: h.endpoint.startsWith("/v1") || h.endpoint === "/generate" ? "POST" : "GET" },
                values: cumulative(h.increments),
            })),
        },
        // Scheduler (TP rank 0).
        gauge("sglang:num_running_reqs", map(n, (i) => Math.round((requests[i] / dt) * e2eMedian[i] * 1.5))),
        gauge("sglang:num_queue_reqs", map(n, (i) => Math.max(0, Math.round((load[i] - 0.8) * 300 * (0.5 + rnd()))))),
        gauge("sglang:num_grammar_queue_reqs", map(n, (i) => Math.round(load[i] * 3 * rnd()))),
        gauge("sglang:token_usage", tokenUsage),
        gauge("sglang:num_used_tokens", map(n, (i) => Math.round(tokenUsage[i] * 420000))),
        gauge("sglang:max_total_num_tokens", constant(420000)),
        gauge("sglang:gen_throughput", map(n, (i) => generationTokens[i] / dt)),
        gauge("sglang:cache_hit_rate", cachedShare),
        gauge("sglang:utilization", load),
        gauge("sglang:new_token_ratio", constant(0.7)),
        gauge("sglang:is_cuda_graph", constant(1)),
        gauge("sglang:num_paused_reqs", constant(0)),
        gauge("sglang:engine_startup_time", constant(212.5)),
        counter("sglang:num_retracted_requests_total", map(n, (i) => (tokenUsage[i] > 0.9 ? requests[i] * 0.01 : 0)), sched),
        counter("sglang:num_grammar_total", grammars, sched),
        counter("sglang:num_grammar_cache_hit_total", map(n, (i) => grammars[i] * grammarHitShare), sched),
        counter("sglang:num_grammar_timeout_total", map(n, (i) => grammars[i] * 0.0005), sched),
        counter("sglang:num_grammar_aborted_total", map(n, (i) => grammars[i] * 0.0002), sched),
        {
            name: "sglang:queue_time_seconds",
            series: histogram("sglang:queue_time_seconds", sched, QUEUE_BUCKETS, requests, (le, i) => logNormalShare(le, queueMedian[i], 1.2), (i) => queueMedian[i] * 2),
        },
        {
            name: "sglang:grammar_compilation_time_seconds",
            series: histogram(
                "sglang:grammar_compilation_time_seconds",
                sched,
                GRAMMAR_COMPILE_BUCKETS,
                map(n, (i) => grammars[i] * (1 - grammarHitShare)),
                (le) => logNormalShare(le, 0.08, 1),
                () => 0.13,
            ),
        },
        // Ananke's optional exporter, as if wired: violations (relaxations) by domain.
        {
            name: "ananke_relaxation_events_by_domain_total",
            series: ANANKE_DOMAINS.map((domain, d) => ({
                name: "ananke_relaxation_events_by_domain_total",
                labels: { ...sg, domain },
                values: cumulative(map(n, (i) => structured[i] * 0.02 * (d + 1) * (0.5 + rnd()))),
            })),
        },
    ];

    // DCGM exporter: default fields for each GPU; memory in MiB.
    const gpuLabels = (g: number) => ({
        job: JOB.gpu,
        instance: inst.gpu,
        gpu: String(g),
        UUID: gpuUuid(r, g),
        device: `nvidia${g}`,
        modelName: GPU_MODEL,
        Hostname: host,
        DCGM_FI_DRIVER_VERSION: DRIVER_VERSION,
        pci_bus_id: `00000000:${(0x18 + g * 0x10).toString(16).toUpperCase()}:00.0`,
    });
    const gpus = Array.from({ length: spec.gpusPerReplica }, (_, g) => {
        const jitter = map(n, () => rnd() - 0.5);
        const util = map(n, (i) => Math.round(Math.min(100, Math.max(0, 100 * (0.15 + 0.8 * load[i]) + 8 * jitter[i]))));
        const used = map(n, (i) => Math.round(GPU_MEMORY_MIB * 0.9 + 300 * jitter[i]));
        return { g, util, used, jitter };
    });
    const dcgmField = (name: string, value: (gpu: (typeof gpus)[number], i: number) => number, isCounter = false): Family => ({
        name,
        series: gpus.map((gpu) => {
            const values = map(n, (i) => value(gpu, i));
            return { name, labels: gpuLabels(gpu.g), values: isCounter ? cumulative(values) : values };
        }),
    });
    const dcgm: Family[] = [
        dcgmField("DCGM_FI_DEV_GPU_UTIL", (gpu, i) => gpu.util[i]),
        dcgmField("DCGM_FI_DEV_FB_USED", (gpu, i) => gpu.used[i]),
        dcgmField("DCGM_FI_DEV_FB_FREE", (gpu, i) => GPU_MEMORY_MIB - DCGM_RESERVED_MIB - gpu.used[i]),
        dcgmField("DCGM_FI_DEV_FB_RESERVED", () => DCGM_RESERVED_MIB),
        dcgmField("DCGM_FI_DEV_GPU_TEMP", (gpu, i) => Math.round(38 + 35 * load[i] + 2 * gpu.jitter[i])),
        dcgmField("DCGM_FI_DEV_MEMORY_TEMP", (gpu, i) => Math.round(45 + 30 * load[i])),
        dcgmField("DCGM_FI_DEV_POWER_USAGE", (gpu, i) => 110 + 560 * (gpu.util[i] / 100) + 10 * gpu.jitter[i]),
        dcgmField("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", (gpu, i) => (110 + 560 * (gpu.util[i] / 100)) * dt * 1000, true),
        dcgmField("DCGM_FI_DEV_SM_CLOCK", (gpu, i) => (gpu.util[i] > 10 ? 1980 : 345)),
        dcgmField("DCGM_FI_DEV_MEM_CLOCK", () => 2619),
        dcgmField("DCGM_FI_DEV_MEM_COPY_UTIL", (gpu, i) => Math.round(gpu.util[i] * 0.6)),
        dcgmField("DCGM_FI_DEV_ENC_UTIL", () => 0),
        dcgmField("DCGM_FI_DEV_DEC_UTIL", () => 0),
        dcgmField("DCGM_FI_DEV_XID_ERRORS", () => 0),
        dcgmField("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", () => 0),
        dcgmField("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", (gpu, i) => gpu.util[i] * 2e6, true),
        dcgmField("DCGM_FI_DEV_VGPU_LICENSE_STATUS", () => 0),
        dcgmField("DCGM_FI_PROF_GR_ENGINE_ACTIVE", (gpu, i) => gpu.util[i] / 110),
        dcgmField("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", (gpu, i) => gpu.util[i] / 250),
        dcgmField("DCGM_FI_PROF_DRAM_ACTIVE", (gpu, i) => gpu.util[i] / 160),
        dcgmField("DCGM_FI_PROF_PCIE_TX_BYTES", (gpu, i) => 2e7 * (1 + gpu.jitter[i])),
        dcgmField("DCGM_FI_PROF_PCIE_RX_BYTES", (gpu, i) => 3e7 * (1 + gpu.jitter[i])),
    ];

    // Node exporter.
    const nodeLabels = { job: JOB.node, instance: inst.node };
    const busy = map(n, (i) => 0.08 + 0.3 * load[i]);
    const modeShare: Record<string, (i: number) => number> = {
        user: (i) => busy[i] * 0.7,
        system: (i) => busy[i] * 0.22,
        iowait: (i) => busy[i] * 0.03,
        irq: () => 0.002,
        softirq: (i) => busy[i] * 0.04,
        steal: () => 0,
        nice: () => 0.001,
        idle: (i) => 1 - busy[i] - 0.003,
    };
    const memTotal = 2 * 1024 ** 4;
    const filesystems = [
        { mountpoint: "/", fstype: "ext4", device: "/dev/nvme0n1p2", size: 1.8e12, used: 0.42 },
        { mountpoint: "/boot", fstype: "ext4", device: "/dev/nvme0n1p1", size: 1.0e9, used: 0.3 },
        { mountpoint: "/models", fstype: "xfs", device: "/dev/md0", size: 7.0e12, used: 0.61 },
        { mountpoint: "/run", fstype: "tmpfs", device: "tmpfs", size: 2.0e11, used: 0.01 },
        { mountpoint: "/var/lib/docker/overlay2/3f1c/merged", fstype: "overlay", device: "overlay", size: 1.8e12, used: 0.42 },
    ];
    const node: Family[] = [
        {
            name: "node_cpu_seconds_total",
            series: Array.from({ length: spec.cpusPerHost }, (_, cpu) =>
                CPU_MODES.map((mode) => ({ name: "node_cpu_seconds_total", labels: { ...nodeLabels, cpu: String(cpu), mode }, values: cumulative(map(n, (i) => modeShare[mode](i) * dt), 86400 * 30 * modeShare[mode](0)) })),
            ).flat(),
        },
        gauge("node_memory_MemTotal_bytes", constant(memTotal), nodeLabels),
        gauge("node_memory_MemAvailable_bytes", map(n, (i) => memTotal * (0.7 - 0.2 * load[i])), nodeLabels),
        gauge("node_memory_MemFree_bytes", map(n, (i) => memTotal * (0.4 - 0.15 * load[i])), nodeLabels),
        gauge("node_memory_Cached_bytes", constant(memTotal * 0.25), nodeLabels),
        gauge("node_memory_Buffers_bytes", constant(memTotal * 0.01), nodeLabels),
        ...(["size", "avail", "free"] as const).map((kind) => ({
            name: `node_filesystem_${kind}_bytes`,
            series: filesystems.map((f) => ({
                name: `node_filesystem_${kind}_bytes`,
                labels: { ...nodeLabels, mountpoint: f.mountpoint, fstype: f.fstype, device: f.device },
                values: constant(kind === "size" ? f.size : f.size * (1 - f.used)),
            })),
        })),
        ...["load1", "load5", "load15"].map((l) => gauge(`node_${l}`, map(n, (i) => spec.cpusPerHost * busy[i]), nodeLabels)),
        ...(["receive", "transmit"] as const).map((dir) => ({
            name: `node_network_${dir}_bytes_total`,
            series: ["eth0", "ib0"].map((device) => ({
                name: `node_network_${dir}_bytes_total`,
                labels: { ...nodeLabels, device },
                values: cumulative(map(n, (i) => (device === "eth0" ? 2e7 : 5e8) * load[i] * dt)),
            })),
        })),
    ];

    // What Prometheus itself writes for every target.
    const targets = [
        { job: JOB.sglang, instance: inst.sglang, samples: 180 },
        { job: JOB.gpu, instance: inst.gpu, samples: 22 * spec.gpusPerReplica },
        { job: JOB.node, instance: inst.node, samples: 900 },
    ];
    const scrape: Family[] = [
        { name: "up", series: targets.map((t) => ({ name: "up", labels: { job: t.job, instance: t.instance }, values: constant(1) })) },
        { name: "scrape_duration_seconds", series: targets.map((t) => ({ name: "scrape_duration_seconds", labels: { job: t.job, instance: t.instance }, values: map(n, () => 0.01 + 0.02 * rnd()) })) },
        ...["scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"].map((name) => ({
            name,
            series: targets.map((t) => ({ name, labels: { job: t.job, instance: t.instance }, values: constant(name === "scrape_series_added" ? 0 : t.samples) })),
        })),
    ];

    return [...sglang, ...dcgm, ...node, ...scrape];
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

/**
 * Writes replicas `replicaIndices` as one OpenMetrics file. Families whose
 * name `isRead` rejects get samples for the last `unreadTailSeconds` only.
 */
export async function writeOpenMetrics(file: string, spec: FleetSpec, replicaIndices: number[], isRead: (family: string) => boolean): Promise<WriteStats> {
    const out = fs.createWriteStream(file);
    const stats: WriteStats = { series: 0, samples: 0, bytes: 0 };
    let buffer = "";
    const flush = async () => {
        stats.bytes += Buffer.byteLength(buffer);
        if (!out.write(buffer)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
        buffer = "";
    };
    const points = Math.floor(spec.durationSeconds / spec.intervalSeconds) + 1;
    const tailFrom = points - Math.floor(spec.unreadTailSeconds / spec.intervalSeconds) - 1;
    for (const r of replicaIndices) {
        for (const family of replicaFamilies(spec, r)) {
            const from = isRead(family.name) ? 0 : Math.max(0, tailFrom);
            for (const s of family.series) {
                const prefix = `${s.name}{${labelText(s.labels)}} `;
                stats.series++;
                for (let i = from; i < points; i++) {
                    buffer += `${prefix}${valueText(s.values[i])} ${spec.startSeconds + i * spec.intervalSeconds}\n`;
                    stats.samples++;
                }
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
