/**
 * What the benchmark fleet's exporters show at a given load, as the traffic
 * descriptions `contracts/generate.ts` turns into series values. A load of 1
 * is a replica's daily peak (6 finished requests per second on an 8-GPU
 * server), 0.05 its quietest night. Metric names are those of every contract
 * version; a version that does not write a name simply ignores it, and a name
 * left out keeps its start value (0), as the contracts say of SGLang's
 * never-assigned gauges.
 */

import type { HostTopology, Instance, Traffic } from "../contracts/generate";
import type { ExporterContract } from "../contracts/types";

/** Finished requests per second of one replica at peak load. */
const PEAK_REQUESTS_PER_SECOND = 6;
const PROMPT_TOKENS_PER_REQUEST = 1200;
const GENERATED_TOKENS_PER_REQUEST = 350;
const STRUCTURED_SHARE = 0.7;
const ABORTED_SHARE = 0.004;
const GRAMMAR_CACHE_HIT_SHARE = 0.8;
const KV_CACHE_TOKENS = 420_000;
/** An 80 GB card's framebuffer, MiB, and what DCGM reports as reserved. */
const GPU_MEMORY_MIB = 81_559;
const GPU_RESERVED_MIB = 512;
const HOST_MEMORY_BYTES = 2 * 1024 ** 4;

/** Inverse of the standard normal CDF by bisection: enough for a dozen quantile points. */
function normalQuantile(p: number): number {
    const cdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
    let lo = -8;
    let hi = 8;
    for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (cdf(mid) < p) lo = mid;
        else hi = mid;
    }
    return (lo + hi) / 2;
}

/** Abramowitz–Stegun 7.1.26. */
function erf(x: number): number {
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
}

const MIX_POINTS = 12;

/**
 * A log-normal distribution (median, shape) as the generator's observation
 * mix: `MIX_POINTS` equally likely values at its quantiles.
 */
export function logNormalMix(median: number, sigma: number): Record<number, number> {
    const mix: Record<number, number> = {};
    for (let k = 0; k < MIX_POINTS; k++) {
        const value = median * Math.exp(sigma * normalQuantile((k + 0.5) / MIX_POINTS));
        mix[value] = (mix[value] ?? 0) + 1 / MIX_POINTS;
    }
    return mix;
}

/** `sets` restricted to those whose label values the contract lists (a label it lists no values for passes). */
function known<T extends Record<string, unknown>>(contract: ExporterContract, sets: T[]): T[] {
    return sets.filter((set) =>
        Object.entries(set).every(
            ([label, value]) => typeof value !== "string" || !contract.labelValues?.[label] || contract.labelValues[label].includes(value),
        ),
    );
}

/** HTTP requests per second by endpoint at `requests` API requests per second, with the API's server errors. */
function httpTraffic(requests: number): { endpoint: string; method: string; rate: number; errors: number }[] {
    return [
        { endpoint: "/v1/chat/completions", method: "POST", rate: requests, errors: requests * ABORTED_SHARE * 0.3 },
        { endpoint: "/generate", method: "POST", rate: requests * 0.05, errors: 0 },
        { endpoint: "/health", method: "GET", rate: 0.1, errors: 0 },
        { endpoint: "/metrics", method: "GET", rate: 1 / 15, errors: 0 },
    ];
}

/** SGLang at `load` (0.05–1), by metric name without the `sglang:`/`sglang_` spelling. */
export function sglangTraffic(contract: ExporterContract, load: number): Traffic {
    const requests = PEAK_REQUESTS_PER_SECOND * load;
    const structured = requests * STRUCTURED_SHARE;
    const generated = requests * GENERATED_TOKENS_PER_REQUEST;
    const e2eMedian = 2.5 * (1 + 1.5 * load * load);
    const queueMedian = 0.05 * (1 + 10 * load ** 3);
    const tokenUsage = Math.min(0.99, 0.25 + 0.65 * load);
    const grammarMisses = structured * (1 - GRAMMAR_CACHE_HIT_SHARE);
    return {
        num_requests_total: { rate: requests },
        num_aborted_requests_total: { rate: requests * ABORTED_SHARE },
        num_so_requests_total: { rate: structured },
        prompt_tokens_total: { rate: requests * PROMPT_TOKENS_PER_REQUEST },
        generation_tokens_total: { rate: generated },
        cached_tokens_total: { rate: requests * PROMPT_TOKENS_PER_REQUEST * (0.3 + 0.2 * load) },
        e2e_request_latency_seconds: { histogram: { rate: requests, mix: logNormalMix(e2eMedian, 0.9) } },
        time_to_first_token_seconds: { histogram: { rate: requests, mix: logNormalMix(0.15 * (1 + 3 * load * load), 0.8) } },
        // One observation per generated token.
        inter_token_latency_seconds: { histogram: { rate: generated, mix: logNormalMix(0.012 * (1 + load), 0.4) } },
        queue_time_seconds: { histogram: { rate: requests, mix: logNormalMix(queueMedian, 1.2) } },
        per_stage_req_latency_seconds: { histogram: { rate: requests, mix: logNormalMix(queueMedian, 1.2) } },
        num_running_reqs: { gauge: Math.round(requests * e2eMedian) },
        num_queue_reqs: { gauge: Math.max(0, Math.round((load - 0.8) * 300)) },
        num_grammar_queue_reqs: { gauge: Math.round(load * 3) },
        token_usage: { gauge: tokenUsage },
        num_used_tokens: { gauge: Math.round(tokenUsage * KV_CACHE_TOKENS) },
        max_total_num_tokens: { gauge: KV_CACHE_TOKENS },
        gen_throughput: { gauge: generated },
        cache_hit_rate: { gauge: 0.3 + 0.2 * load },
        num_retracted_reqs: { gauge: load > 0.9 ? 1 : 0 },
        num_retracted_requests_total: { rate: requests * 0.002 },
        // Retractions per finished request: almost always none.
        num_retractions: { histogram: { rate: requests, mix: { 0: 0.998, 1: 0.002 } } },
        // Written by the versions that call the grammar metrics' writer.
        num_grammar_total: { rate: structured },
        num_grammar_cache_hit_total: { rate: structured * GRAMMAR_CACHE_HIT_SHARE },
        num_grammar_timeout_total: { rate: structured * 0.0005 },
        num_grammar_aborted_total: { rate: structured * 0.0002 },
        grammar_compilation_time_seconds: { histogram: { rate: grammarMisses, mix: logNormalMix(0.08, 1) } },
        http_requests_total: {
            bySeries: known(contract, httpTraffic(requests)).map(({ endpoint, method, rate }) => ({ labels: { endpoint, method }, rate })),
        },
        http_responses_total: {
            bySeries: known(contract, httpTraffic(requests)).flatMap(({ endpoint, method, rate, errors }) => [
                { labels: { endpoint, method, status_code: "200" }, rate: rate - errors },
                ...(errors > 0 ? [{ labels: { endpoint, method, status_code: "500" }, rate: errors }] : []),
            ]),
        },
        http_requests_active: { gauge: Math.round(requests * e2eMedian) },
    };
}

/** GPU utilization (percent) of a busy replica's GPU at `load`. */
function gpuUtilPercent(load: number): number {
    return Math.round(Math.min(100, 100 * (0.15 + 0.8 * load)));
}

/** GPU exporters at `load` (per GPU: the fleet gives each GPU its own load track), DCGM and nvidia_gpu_exporter names. */
export function gpuTraffic(load: number): Traffic {
    const util = gpuUtilPercent(load);
    // The model's weights and the KV-cache pool are allocated at start: memory used hardly moves with load.
    const usedMib = Math.round(GPU_MEMORY_MIB * (0.88 + 0.02 * load));
    const watts = 110 + 560 * (util / 100);
    return {
        DCGM_FI_DEV_GPU_UTIL: { gauge: util },
        DCGM_FI_DEV_MEM_COPY_UTIL: { gauge: Math.round(util * 0.6) },
        DCGM_FI_DEV_FB_USED: { gauge: usedMib },
        DCGM_FI_DEV_FB_FREE: { gauge: GPU_MEMORY_MIB - GPU_RESERVED_MIB - usedMib },
        DCGM_FI_DEV_FB_RESERVED: { gauge: GPU_RESERVED_MIB },
        DCGM_FI_DEV_GPU_TEMP: { gauge: Math.round(38 + 35 * load) },
        DCGM_FI_DEV_MEMORY_TEMP: { gauge: Math.round(45 + 30 * load) },
        DCGM_FI_DEV_POWER_USAGE: { gauge: watts },
        DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION: { rate: watts * 1000 }, // mJ per second
        DCGM_FI_DEV_SM_CLOCK: { gauge: util > 10 ? 1980 : 345 },
        DCGM_FI_DEV_MEM_CLOCK: { gauge: 2619 },
        DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL: { rate: util * 2e6 },
        DCGM_FI_PROF_GR_ENGINE_ACTIVE: { gauge: util / 110 },
        DCGM_FI_PROF_PIPE_TENSOR_ACTIVE: { gauge: util / 250 },
        DCGM_FI_PROF_DRAM_ACTIVE: { gauge: util / 160 },
        DCGM_FI_PROF_PCIE_TX_BYTES: { gauge: 2e7 * (0.5 + load) },
        DCGM_FI_PROF_PCIE_RX_BYTES: { gauge: 3e7 * (0.5 + load) },
        nvidia_smi_utilization_gpu_ratio: { gauge: util / 100 },
        nvidia_smi_utilization_memory_ratio: { gauge: (util * 0.6) / 100 },
        nvidia_smi_memory_used_bytes: { gauge: usedMib * 1024 * 1024 },
        nvidia_smi_memory_free_bytes: { gauge: (GPU_MEMORY_MIB - GPU_RESERVED_MIB - usedMib) * 1024 * 1024 },
        nvidia_smi_memory_total_bytes: { gauge: GPU_MEMORY_MIB * 1024 * 1024 },
        nvidia_smi_temperature_gpu: { gauge: Math.round(38 + 35 * load) },
        nvidia_smi_power_draw_watts: { gauge: watts },
        nvidia_smi_clocks_current_sm_clock_hz: { gauge: (util > 10 ? 1980 : 345) * 1e6 },
        nvidia_smi_temperature_memory: { gauge: Math.round(45 + 30 * load) },
        nvidia_smi_power_limit_watts: { gauge: 700 },
        nvidia_smi_enforced_power_limit_watts: { gauge: 700 },
        nvidia_smi_power_default_limit_watts: { gauge: 700 },
        nvidia_smi_power_max_limit_watts: { gauge: 700 },
        nvidia_smi_power_min_limit_watts: { gauge: 200 },
        nvidia_smi_clocks_max_sm_clock_hz: { gauge: 1980e6 },
        nvidia_smi_clocks_current_memory_clock_hz: { gauge: 2619e6 },
        nvidia_smi_index: { gauge: (s: Instance) => Number(s.labels.index ?? s.writer.replace(/^gpu /, "")) },
        nvidia_smi_gpu_info: { gauge: 1 },
    };
}

/**
 * The filesystems node exporter reports on a GPU host with its default
 * mount-point and type filters (container overlays under /var/lib/docker are
 * excluded; tmpfs is not), with their sizes and used shares.
 */
const FILESYSTEMS = [
    { mountpoint: "/", fstype: "ext4", device: "/dev/nvme0n1p2", bytes: 1.8e12, used: 0.42 },
    { mountpoint: "/boot", fstype: "ext4", device: "/dev/nvme0n1p1", bytes: 1.0e9, used: 0.3 },
    { mountpoint: "/models", fstype: "xfs", device: "/dev/md0", bytes: 7.0e12, used: 0.61 },
    { mountpoint: "/run", fstype: "tmpfs", device: "tmpfs", bytes: 2.0e11, used: 0.01 },
];

/** The mounted filesystems of a fleet host, as `HostTopology` lists them. */
export const HOST_FILESYSTEMS: HostTopology["filesystems"] = FILESYSTEMS.map(({ mountpoint, fstype, device }) => ({ mountpoint, fstype, device }));

/** Node exporter at `load` on `host`. */
export function nodeTraffic(contract: ExporterContract, host: HostTopology, load: number): Traffic {
    const busy = 0.08 + 0.3 * load;
    const modeShare: Record<string, number> = {
        user: busy * 0.7,
        system: busy * 0.22,
        iowait: busy * 0.03,
        irq: 0.002,
        softirq: busy * 0.04,
        steal: 0,
        nice: 0.001,
        idle: 1 - busy - 0.003,
    };
    const filesystem = (s: Instance) => FILESYSTEMS.find((f) => f.mountpoint === s.labels.mountpoint) ?? { bytes: 1e12, used: 0.5 };
    const sizeOf = (s: Instance) => filesystem(s).bytes;
    const freeOf = (s: Instance) => filesystem(s).bytes * (1 - filesystem(s).used);
    return {
        // Only the modes the version writes (the generator adds any it writes that are not named here, at 0).
        node_cpu_seconds_total: {
            byLabel: {
                label: "mode",
                rates: Object.fromEntries(
                    known(
                        contract,
                        Object.entries(modeShare).map(([mode, rate]) => ({ mode, rate })),
                    ).map((m) => [m.mode, m.rate]),
                ),
            },
        },
        node_memory_MemTotal_bytes: { gauge: HOST_MEMORY_BYTES },
        node_memory_MemAvailable_bytes: { gauge: HOST_MEMORY_BYTES * (0.7 - 0.2 * load) },
        node_filesystem_size_bytes: { gauge: sizeOf },
        // ext4 keeps 5 % for root: available to users is below free.
        node_filesystem_avail_bytes: { gauge: (s) => freeOf(s) * 0.95 },
        node_filesystem_free_bytes: { gauge: freeOf },
        node_load1: { gauge: host.cpus * busy },
        node_load5: { gauge: host.cpus * busy },
        node_load15: { gauge: host.cpus * busy },
    };
}
