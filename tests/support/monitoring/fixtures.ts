/**
 * Input series for `promtool test rules`, generated from the metric
 * contracts (`contracts/`): each builder asks the contract of a named
 * version which series a scrape of that exporter shows, with its real names,
 * labels, buckets and writers, and gives them values from a traffic
 * description. Nothing here spells an exporter's metric by hand.
 */
import {
    baseName,
    type Gpu,
    gpuSeries,
    type Instance,
    nodeSeries,
    routerSeries,
    sglangSeries,
    type Traffic,
    type ValueSpec,
} from "../../../contracts/generate";
import { DCGM_CONTRACTS, NODE_EXPORTER_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../../../contracts/gpu";
import { DEFAULT_SGLANG_CONTRACT } from "../../../contracts/sglang";
import { SGLANG_ROUTER_CONTRACTS } from "../../../contracts/sglang-router";

export { DEFAULT_SGLANG_CONTRACT };

import type { ExporterContract } from "../../../contracts/types";
import { JOB } from "../../../monitoring/types";
import { afterMetricRelabels } from "./relabel";

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
export const GPU_HOST = "gpu-host-1";

function labelText(labels: Record<string, string>): string {
    return Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
        .join(", ");
}

/** A series not written by an exporter: `up` and the monitoring stack's own metrics. */
export function series(name: string, labels: Record<string, string>, values: string): InputSeries {
    return { series: `${name}{${labelText(labels)}}`, values };
}

/** Round to avoid float noise in promtool's notation. */
function num(x: number): string {
    return String(Number(x.toPrecision(12)));
}

/** A gauge holding `value` for `samples` samples. */
export function constant(value: number, samples = DEFAULT_SAMPLES): string {
    return `${num(value)}+0x${samples}`;
}

/** A counter growing by `perSecond` from zero. */
export function counter(perSecond: number, samples = DEFAULT_SAMPLES): string {
    return `0+${num(perSecond * STEP_SECONDS)}x${samples}`;
}

/** Generated instances as promtool input, with the target labels Prometheus adds. */
function asInput(instances: Instance[], target: Record<string, string>): InputSeries[] {
    return instances.map((i) =>
        series(i.name, { ...target, ...i.labels }, i.value.kind === "counter" ? counter(i.value.perSecond) : constant(i.value.level)),
    );
}

/** One SGLang server as the tests run it. */
export interface SglangServer {
    /** Default: the default image's contract. */
    contract?: ExporterContract;
    /** Default `sglang:`. */
    spelling?: "sglang:" | "sglang_";
    /** Default 2: scheduler series of two TP ranks where the version writes them per rank. */
    tpSize?: number;
    /** Default 1. */
    dpSize?: number;
    /** `--enable-metrics-for-all-schedulers`; default off. */
    allSchedulers?: boolean;
    instance?: string;
    modelName?: string;
}

/** The series of one SGLang server for this traffic, before promtool's notation. */
function sglangInstances(traffic: Traffic, server: SglangServer): Instance[] {
    return sglangSeries(
        server.contract ?? DEFAULT_SGLANG_CONTRACT,
        {
            modelName: server.modelName ?? MODEL,
            tpSize: server.tpSize ?? 2,
            dpSize: server.dpSize ?? 1,
            allSchedulers: server.allSchedulers ?? false,
            spelling: server.spelling ?? "sglang:",
        },
        traffic,
    );
}

const sglangTarget = (server: SglangServer) => ({ job: "sglang", instance: server.instance ?? SGLANG_INSTANCE });

/** Every series a scrape of the SGLang server shows, for this traffic. */
export function sglang(traffic: Traffic, server: SglangServer = {}): InputSeries[] {
    return asInput(sglangInstances(traffic, server), sglangTarget(server));
}

/** One stretch of time with its own traffic. */
export interface Phase<T> {
    minutes: number;
    traffic: T;
}

/**
 * Series whose traffic changes over time: each phase lasts its minutes, then
 * the next begins. Counters go on from where they were; a series that a
 * phase does not show is missing from the scrape then (and stale after it).
 */
function phased<T>(phases: Phase<T>[], instancesOf: (traffic: T) => Instance[], target: Record<string, string>): InputSeries[] {
    const keyOf = (i: Instance) => `${i.name}${JSON.stringify(i.labels)}`;
    const perPhase = phases.map((p) => new Map(instancesOf(p.traffic).map((i) => [keyOf(i), i] as const)));
    const all = new Map<string, Instance>();
    for (const m of perPhase) for (const [k, i] of m) if (!all.has(k)) all.set(k, i);
    return [...all].map(([key, first]) => {
        let total = 0;
        const segments = phases.map((p, n) => {
            const i = perPhase[n].get(key);
            const samples = p.minutes;
            if (!i) return `_x${samples}`;
            if (i.value.kind === "gauge") return `${num(i.value.level)}x${samples - 1}`;
            const step = i.value.perSecond * STEP_SECONDS;
            const text = `${num(total)}+${num(step)}x${samples - 1}`;
            total += step * samples;
            return text;
        });
        return series(first.name, { ...target, ...first.labels }, segments.join(" "));
    });
}

/** One SGLang server whose traffic changes over time. */
export function sglangPhases(phases: Phase<Traffic>[], server: SglangServer = {}): InputSeries[] {
    return phased(phases, (t) => sglangInstances(t, server), sglangTarget(server));
}

/** The pinned router version. */
export const DEFAULT_ROUTER_CONTRACT = SGLANG_ROUTER_CONTRACTS[0];
export const ROUTER_INSTANCE = "sglang-router:29000";
/** Two workers, as the router registers them from `--worker-urls`. */
export const ROUTER_WORKERS = ["http://sglang-0:30000", "http://sglang-1:30000"];

/** One router as the tests run it. */
export interface RouterSetup {
    contract?: ExporterContract;
    workers?: string[];
    instance?: string;
}

const routerTarget = (r: RouterSetup) => ({ job: "sglang-router", instance: r.instance ?? ROUTER_INSTANCE });

function routerInstances(traffic: Traffic, r: RouterSetup): Instance[] {
    return routerSeries(r.contract ?? DEFAULT_ROUTER_CONTRACT, { workers: r.workers ?? ROUTER_WORKERS }, traffic);
}

/** Every series a scrape of the router shows, for this traffic. */
export function router(traffic: Traffic, r: RouterSetup = {}): InputSeries[] {
    return asInput(routerInstances(traffic, r), routerTarget(r));
}

/** A router whose traffic or workers change over time. */
export function routerPhases(phases: Phase<Traffic>[], r: RouterSetup = {}): InputSeries[] {
    return phased(phases, (t) => routerInstances(t, r), routerTarget(r));
}

/** A gauge whose value differs per worker: `values[url]`. */
export function perWorker(values: Record<string, number>): ValueSpec {
    return { gauge: (s) => values[s.labels.worker] ?? 0 };
}

/** Responses of the router by status code (and the router's error code) on one route. */
export function routerResponses(byStatus: { status_code: string; error_code?: string; rate: number }[], path = "/v1/chat/completions"): ValueSpec {
    return { bySeries: byStatus.map(({ status_code, error_code, rate }) => ({ labels: { path, status_code, error_code: error_code ?? "" }, rate })) };
}

/** The GPUs every GPU test describes. */
export const GPUS: Gpu[] = [
    { index: 0, uuid: "GPU-1b2c3d4e-0000-1111-2222-333344445555", name: "NVIDIA H100 80GB HBM3", pciBusId: "00000000:18:00.0" },
    { index: 1, uuid: "GPU-9f8e7d6c-0000-1111-2222-333344445555", name: "NVIDIA H100 80GB HBM3", pciBusId: "00000000:2A:00.0" },
];

/** The pinned defaults. */
export const DEFAULT_DCGM_CONTRACT = DCGM_CONTRACTS[0];
export const DEFAULT_SMI_CONTRACT = NVIDIA_GPU_EXPORTER_CONTRACTS[0];
export const DEFAULT_NODE_CONTRACT = NODE_EXPORTER_CONTRACTS[0];

const gpuIndexOf = (s: Instance) => Number(s.writer.replace(/^gpu /, ""));

/** A gauge whose value differs per GPU: `values[i]` on GPU i. */
export function perGpu(values: number[]): ValueSpec {
    return { gauge: (s) => values[gpuIndexOf(s)] ?? 0 };
}

/** A counter whose rate differs per GPU: `perSecond[i]` on GPU i. */
export function perGpuRate(perSecond: number[]): ValueSpec {
    return { rate: (s) => perSecond[gpuIndexOf(s)] ?? 0 };
}

/** `node`: the target label the stack's scrape configuration adds (the node, or the Docker host). */
function gpuTarget(contract: ExporterContract): Record<string, string> {
    return { job: "gpu-exporter", instance: contract.exporter === "dcgm-exporter" ? GPU_INSTANCE : SMI_INSTANCE, node: GPU_HOST };
}

/** The GPU exporter's series as Prometheus stores them: with the scrape's metric relabelings applied. */
function gpuInstances(contract: ExporterContract, traffic: Traffic, gpus: Gpu[]): Instance[] {
    return gpuSeries(contract, { hostName: GPU_HOST, gpus, cpus: 0, filesystems: [] }, traffic).flatMap((i) => {
        const labels = afterMetricRelabels(JOB.gpu, i.name, i.labels);
        return labels ? [{ ...i, labels }] : [];
    });
}

/** Every series a GPU exporter of this version shows for the GPUs, with this traffic. */
export function gpuExporter(contract: ExporterContract, traffic: Traffic, gpus: Gpu[] = GPUS): InputSeries[] {
    return asInput(gpuInstances(contract, traffic, gpus), gpuTarget(contract));
}

/** A GPU exporter whose GPUs or traffic change over time. */
export function gpuExporterPhases(contract: ExporterContract, phases: Phase<{ traffic: Traffic; gpus?: Gpu[] }>[]): InputSeries[] {
    return phased(phases, (p) => gpuInstances(contract, p.traffic, p.gpus ?? GPUS), gpuTarget(contract));
}

export interface NodeHost {
    cpus?: number;
    filesystems?: { mountpoint: string; fstype: string; device: string }[];
    contract?: ExporterContract;
}

/** Every series node exporter shows for the metrics its contract lists, with this traffic. */
export function nodeExporter(traffic: Traffic, host: NodeHost = {}): InputSeries[] {
    const topology = {
        hostName: GPU_HOST,
        gpus: [],
        cpus: host.cpus ?? 4,
        filesystems: host.filesystems ?? [{ mountpoint: "/", fstype: "ext4", device: "/dev/nvme0n1p2" }],
    };
    return asInput(nodeSeries(host.contract ?? DEFAULT_NODE_CONTRACT, topology, traffic), { job: "node-exporter", instance: NODE_INSTANCE });
}

/** CPU time per mode for every CPU: busy `busyShare` of each second in `user`, the rest `idle`. */
export function cpuBusy(busyShare: number): ValueSpec {
    return { byLabel: { label: "mode", rates: { idle: 1 - busyShare, user: busyShare } } };
}

/** A gauge per filesystem, by mount point. */
export function perFilesystem(values: Record<string, number>): ValueSpec {
    return { gauge: (s) => values[s.labels.mountpoint] ?? 0 };
}

/** `up` of a target. */
export function up(job: string, instance: string, value: 0 | 1): InputSeries {
    return series("up", { job, instance }, constant(value));
}

/** Counter rates split by HTTP status on one endpoint, as SGLang's HTTP middleware counts them. */
export function httpResponses(byStatus: Record<string, number>, endpoint = "/v1/chat/completions", method = "POST"): ValueSpec {
    return { bySeries: Object.entries(byStatus).map(([status_code, rate]) => ({ labels: { endpoint, method, status_code }, rate })) };
}

/** A latency histogram: `rate` observations per second, `mix` the share of observations at each latency. */
export function latency(rate: number, mix: Record<number, number>): ValueSpec {
    return { histogram: { rate, mix } };
}

/** Traffic that makes every metric a version writes move: each counter and histogram grows, each gauge holds 1. */
export function busyTraffic(contract: ExporterContract): Traffic {
    const traffic: Traffic = {};
    for (const m of contract.metrics) {
        traffic[baseName(contract, m.name)] =
            m.type === "histogram" ? latency(1, { [m.buckets?.[0] ?? 1]: 1 }) : m.type === "counter" ? { rate: 1 } : { gauge: 1 };
    }
    return traffic;
}

/**
 * The series one blackbox exporter HTTP probe writes, as Prometheus stores a
 * scrape of the canary job (names and labels as the exporter writes them:
 * tests/e2e/canary.test.ts compares this list with a real exporter's answer).
 */
export const BLACKBOX_HTTP_PROBE_SERIES: readonly { name: string; labels?: Record<string, string> }[] = [
    { name: "probe_dns_lookup_time_seconds" },
    { name: "probe_duration_seconds" },
    { name: "probe_failed_due_to_regex" },
    { name: "probe_http_content_length" },
    ...["connect", "processing", "resolve", "tls", "transfer"].map((phase) => ({ name: "probe_http_duration_seconds", labels: { phase } })),
    { name: "probe_http_redirects" },
    { name: "probe_http_ssl" },
    { name: "probe_http_status_code" },
    { name: "probe_http_uncompressed_body_length" },
    { name: "probe_http_version" },
    { name: "probe_ip_addr_hash" },
    { name: "probe_ip_protocol" },
    { name: "probe_success" },
];

/** The canary's probe of a model (default the default model's, of the server's own URL), succeeding (or not) in `seconds`. */
export function canaryProbe(success: 0 | 1, seconds: number, model = MODEL, instance = "http://sglang:30000/v1/chat/completions"): InputSeries[] {
    const target = { job: "sglang-canary", instance, model_name: model };
    const value: Record<string, number> = {
        probe_success: success,
        probe_duration_seconds: seconds,
        probe_http_status_code: success ? 200 : 500,
        probe_http_version: 1.1,
        probe_ip_protocol: 4,
    };
    return BLACKBOX_HTTP_PROBE_SERIES.map((s) => series(s.name, { ...target, ...s.labels }, constant(value[s.name] ?? 0)));
}
