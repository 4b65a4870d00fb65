/**
 * Realistic input series for `promtool test rules`, written with the metric
 * names and labels the exporters really use (see the project's metrics
 * reference): SGLang under `sglang:` (or `sglang_`) with `model_name` and
 * rank labels, histograms with SGLang's buckets (le as Python formats it,
 * "2.0"), DCGM fields in MiB with `UUID`/`Hostname`/`modelName`, and
 * nvidia_gpu_exporter series with `uuid` joined by `nvidia_smi_gpu_info`.
 */

/** One input series in promtool's notation. */
export interface InputSeries {
    series: string;
    values: string;
}

/** Samples every test uses: one per minute. */
export const STEP_SECONDS = 60;
/** How many samples each series has (enough for the longest case). */
export const DEFAULT_SAMPLES = 90;

export const MODEL = "Qwen/Qwen2.5-Coder-7B-Instruct";
export const SGLANG_INSTANCE = "sglang:30000";
export const GPU_INSTANCE = "gpu-exporter:9400";
export const SMI_INSTANCE = "gpu-exporter:9835";
export const NODE_INSTANCE = "node-exporter:9100";

function labelText(labels: Record<string, string>): string {
    return Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
        .join(", ");
}

export function series(name: string, labels: Record<string, string>, values: string): InputSeries {
    return { series: `${name}{${labelText(labels)}}`, values };
}

/** Round to avoid float noise in promtool's notation. */
function n(x: number): string {
    return String(Number(x.toPrecision(12)));
}

/** A gauge holding `value` for `samples` samples. */
export function constant(value: number, samples = DEFAULT_SAMPLES): string {
    return `${n(value)}+0x${samples}`;
}

/** A counter growing by `perSecond` from zero. */
export function counter(perSecond: number, samples = DEFAULT_SAMPLES): string {
    return `0+${n(perSecond * STEP_SECONDS)}x${samples}`;
}

export interface SglangOptions {
    prefix?: "sglang:" | "sglang_";
    instance?: string;
    /** Tensor-parallel ranks the scheduler metrics are split over. */
    ranks?: number;
}

function sglangLabels(o: SglangOptions, rank?: number): Record<string, string> {
    const base: Record<string, string> = { job: "sglang", instance: o.instance ?? SGLANG_INSTANCE, model_name: MODEL };
    return rank === undefined ? base : { ...base, engine_type: "unified", tp_rank: String(rank), pp_rank: "0" };
}

/** A scheduler gauge split over ranks: `perRank[i]` on rank i. */
export function sglangGauge(name: string, perRank: number[], o: SglangOptions = {}): InputSeries[] {
    return perRank.map((v, rank) => series(`${o.prefix ?? "sglang:"}${name}`, sglangLabels(o, rank), constant(v)));
}

/** A counter whose total rate `perSecond` is split evenly over the ranks. */
export function sglangCounter(name: string, perSecond: number, o: SglangOptions = {}, extra: Record<string, string> = {}): InputSeries[] {
    const ranks = o.ranks ?? 2;
    return Array.from({ length: ranks }, (_, rank) =>
        series(`${o.prefix ?? "sglang:"}${name}`, { ...sglangLabels(o, rank), ...extra }, counter(perSecond / ranks)),
    );
}

/** SGLang's buckets (seconds). */
export const E2E_BUCKETS = [0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400, 600, 1200, 1800, 2400];
export const TTFT_BUCKETS = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400];

/** `le` as Python's prometheus_client writes it: always with a decimal point. */
export function pythonLe(x: number): string {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
}

/**
 * A histogram of `requestsPerSecond` observations, `mix` giving the share of
 * observations at each latency (shares sum to 1), split over the ranks.
 */
export function sglangHistogram(
    name: string,
    buckets: number[],
    requestsPerSecond: number,
    mix: Record<number, number>,
    o: SglangOptions = {},
): InputSeries[] {
    const ranks = o.ranks ?? 2;
    const out: InputSeries[] = [];
    const perRank = requestsPerSecond / ranks;
    const observations = Object.entries(mix).map(([v, share]) => [Number(v), share] as const);
    for (let rank = 0; rank < ranks; rank++) {
        const labels = sglangLabels(o, rank);
        const full = `${o.prefix ?? "sglang:"}${name}`;
        for (const le of buckets) {
            const share = observations.filter(([v]) => v <= le).reduce((a, [, s]) => a + s, 0);
            out.push(series(`${full}_bucket`, { ...labels, le: pythonLe(le) }, counter(perRank * share)));
        }
        out.push(series(`${full}_bucket`, { ...labels, le: "+Inf" }, counter(perRank)));
        out.push(series(`${full}_count`, labels, counter(perRank)));
        const meanValue = observations.reduce((a, [v, s]) => a + v * s, 0);
        out.push(series(`${full}_sum`, labels, counter(perRank * meanValue)));
    }
    return out;
}

/** `up` of a target. */
export function up(job: string, instance: string, value: 0 | 1): InputSeries {
    return series("up", { job, instance }, constant(value));
}

export interface Gpu {
    index: number;
    uuid: string;
    name: string;
}

export const GPUS: Gpu[] = [
    { index: 0, uuid: "GPU-1b2c3d4e-0000-1111-2222-333344445555", name: "NVIDIA H100 80GB HBM3" },
    { index: 1, uuid: "GPU-9f8e7d6c-0000-1111-2222-333344445555", name: "NVIDIA H100 80GB HBM3" },
];

/** A DCGM field for each GPU (`perGpu[i]` on GPU i), with DCGM's labels. */
export function dcgm(field: string, perGpu: number[]): InputSeries[] {
    return perGpu.map((v, i) =>
        series(
            field,
            {
                job: "gpu-exporter",
                instance: GPU_INSTANCE,
                gpu: String(GPUS[i].index),
                UUID: GPUS[i].uuid,
                device: `nvidia${GPUS[i].index}`,
                modelName: GPUS[i].name,
                Hostname: "gpu-host-1",
                DCGM_FI_DRIVER_VERSION: "570.124.06",
            },
            constant(v),
        ),
    );
}

/** An nvidia_gpu_exporter metric for each GPU, plus its `nvidia_smi_gpu_info`. */
export function nvidiaSmi(metric: string, perGpu: number[], withInfo = true): InputSeries[] {
    const labels = (i: number) => ({ job: "gpu-exporter", instance: SMI_INSTANCE, uuid: GPUS[i].uuid });
    const values = perGpu.map((v, i) => series(metric, labels(i), constant(v)));
    const info = withInfo
        ? perGpu.map((_, i) =>
              series("nvidia_smi_gpu_info", { ...labels(i), index: String(GPUS[i].index), name: GPUS[i].name, driver_version: "570.124.06" }, constant(1)),
          )
        : [];
    return [...values, ...info];
}

/** node_cpu_seconds_total for `cpus` CPUs, each idle `idleShare` of the time. */
export function nodeCpu(cpus: number, idleShare: number): InputSeries[] {
    const out: InputSeries[] = [];
    for (let cpu = 0; cpu < cpus; cpu++) {
        const labels = { job: "node-exporter", instance: NODE_INSTANCE, cpu: String(cpu) };
        out.push(series("node_cpu_seconds_total", { ...labels, mode: "idle" }, counter(idleShare)));
        out.push(series("node_cpu_seconds_total", { ...labels, mode: "user" }, counter(1 - idleShare)));
    }
    return out;
}

export function nodeGauge(name: string, value: number, extra: Record<string, string> = {}): InputSeries {
    return series(name, { job: "node-exporter", instance: NODE_INSTANCE, ...extra }, constant(value));
}

/** A filesystem: size and available bytes. */
export function nodeFilesystem(mountpoint: string, fstype: string, device: string, sizeBytes: number, availBytes: number): InputSeries[] {
    const extra = { mountpoint, fstype, device };
    return [nodeGauge("node_filesystem_size_bytes", sizeBytes, extra), nodeGauge("node_filesystem_avail_bytes", availBytes, extra)];
}
