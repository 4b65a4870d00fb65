/**
 * Stand-ins for the two GPU exporters the stack can run, serving exactly the
 * series their contract gives (`gpuSeries`): NVIDIA's DCGM exporter and
 * nvidia_gpu_exporter, each in the text its Go program writes. Both are
 * single-process exporters, so they stay in TypeScript. The simulated GPUs'
 * load drifts at every scrape; memory used and free come from one reading,
 * so they always add up to the card's memory.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Gpu, gpuSeries, type HostTopology, type Instance, type Traffic } from "../../../contracts/generate";
import type { ExporterContract } from "../../../contracts/types";
import { EXPOSITION_CONTENT_TYPE, goFloat, type Labels } from "./exposition";
import { Random } from "./random";
import { HttpStandIn } from "./server";

export interface SimulatedGpu {
    index: number;
    uuid: string;
    name: string;
    /** Framebuffer size in MiB (what used + free add up to). */
    totalMiB: number;
}

const MIB = 1024 * 1024;

export function simulatedGpus(count: number): SimulatedGpu[] {
    return Array.from({ length: count }, (_, index) => ({
        index,
        uuid: `GPU-5f1c${index}a2e-7d3b-4c8e-9a61-0c4e2b7f${String(index).padStart(4, "0")}`,
        name: "NVIDIA H100 80GB HBM3",
        totalMiB: 81559,
    }));
}

/** The host as the exporters' contracts describe machines. */
export function gpuHost(gpus: SimulatedGpu[], hostName: string): HostTopology {
    const asGpu = (g: SimulatedGpu): Gpu => ({
        index: g.index,
        uuid: g.uuid,
        name: g.name,
        pciBusId: `00000000:${(0x18 + g.index * 0x10).toString(16).toUpperCase()}:00.0`,
    });
    return { hostName, gpus: gpus.map(asGpu), cpus: 0, filesystems: [] };
}

/** One reading of a GPU: what its gauges show in one scrape. */
interface Reading {
    utilPercent: number;
    usedMiB: number;
    totalMiB: number;
    temperature: number;
    powerWatts: number;
}

/** Gauges that follow the reading, by metric name; other gauges hold their contract level. */
const FROM_READING: Record<string, (r: Reading, gpu: SimulatedGpu) => number> = {
    DCGM_FI_DEV_GPU_UTIL: (r) => r.utilPercent,
    DCGM_FI_DEV_MEM_COPY_UTIL: (r) => Math.round(r.utilPercent * 0.4),
    DCGM_FI_DEV_FB_USED: (r) => r.usedMiB,
    DCGM_FI_DEV_FB_FREE: (r) => r.totalMiB - r.usedMiB,
    DCGM_FI_DEV_GPU_TEMP: (r) => r.temperature,
    DCGM_FI_DEV_MEMORY_TEMP: (r) => r.temperature + 6,
    DCGM_FI_DEV_POWER_USAGE: (r) => r.powerWatts,
    DCGM_FI_PROF_GR_ENGINE_ACTIVE: (r) => r.utilPercent / 100,
    DCGM_FI_PROF_PIPE_TENSOR_ACTIVE: (r) => (r.utilPercent / 100) * 0.6,
    DCGM_FI_PROF_DRAM_ACTIVE: (r) => (r.utilPercent / 100) * 0.5,
    nvidia_smi_utilization_gpu_ratio: (r) => r.utilPercent / 100,
    nvidia_smi_utilization_memory_ratio: (r) => Math.round(r.utilPercent * 0.4) / 100,
    nvidia_smi_memory_used_bytes: (r) => r.usedMiB * MIB,
    nvidia_smi_memory_free_bytes: (r) => (r.totalMiB - r.usedMiB) * MIB,
    nvidia_smi_memory_total_bytes: (r) => r.totalMiB * MIB,
    nvidia_smi_temperature_gpu: (r) => r.temperature,
    nvidia_smi_power_draw_watts: (r) => r.powerWatts,
    nvidia_smi_index: (_, gpu) => gpu.index,
};

/** Levels and rates of what does not follow the reading: clocks, counters, info series. */
const GPU_TRAFFIC: Traffic = {
    DCGM_FI_DEV_SM_CLOCK: { gauge: 1980 },
    DCGM_FI_DEV_MEM_CLOCK: { gauge: 2619 },
    // Millijoules: about 450 W.
    DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION: { rate: 450_000 },
    DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL: { rate: 2_000_000 },
    nvidia_smi_gpu_info: { gauge: 1 },
    nvidia_gpu_exporter_build_info: { gauge: 1 },
    nvidia_smi_command_exit_code: { gauge: 0 },
};

export interface GpuStandInOptions {
    port: number;
    /** The exporter version's contract: DCGM exporter or nvidia_gpu_exporter. */
    contract: ExporterContract;
    gpus: SimulatedGpu[];
    hostname?: string;
    seed?: number;
}

export class GpuExporterStandIn extends HttpStandIn {
    readonly series: Instance[];
    private readonly random: Random;
    private readonly startedAt = Date.now();
    /** XIDs reported per GPU index: the last code and its text. */
    private readonly xids = new Map<number, { code: number; message: string }>();

    constructor(private readonly opts: GpuStandInOptions) {
        super(opts.contract.id, opts.port);
        if (opts.contract.exporter !== "dcgm-exporter" && opts.contract.exporter !== "nvidia-gpu-exporter") {
            throw new Error(`GPU stand-in: contract ${opts.contract.id} is a ${opts.contract.exporter} contract, not a GPU exporter's`);
        }
        this.random = new Random(opts.seed ?? 7);
        this.series = gpuSeries(opts.contract, gpuHost(opts.gpus, opts.hostname ?? "gpu-host"), GPU_TRAFFIC);
    }

    private read(gpu: SimulatedGpu): Reading {
        const r = this.random;
        // SGLang preallocates most of the memory for the KV cache: usage stays high and steady.
        return {
            utilPercent: Math.round(r.between(55, 98)),
            usedMiB: Math.round(gpu.totalMiB * r.between(0.82, 0.9)),
            totalMiB: gpu.totalMiB,
            temperature: Math.round(r.between(52, 71)),
            powerWatts: Math.round(r.between(280, 640) * 1000) / 1000,
        };
    }

    /**
     * Makes a GPU report an XID the way the DCGM exporter does: the last
     * code as the value of `DCGM_FI_DEV_XID_ERRORS`, with `err_code` and
     * `err_msg` naming it, so the GPU's XID series is a new one.
     */
    reportXid(gpuIndex: number, code: number, message: string): void {
        if (this.opts.contract.exporter !== "dcgm-exporter")
            throw new Error(`GPU stand-in ${this.opts.contract.id}: only the DCGM exporter reports XIDs`);
        this.xids.set(gpuIndex, { code, message });
    }

    /** The XID series of a GPU that reported one: its code as value and labels. */
    private withXid(instance: Instance): Valued | undefined {
        const gpu = /^gpu (\d+)$/.exec(instance.writer);
        const xid = instance.name === "DCGM_FI_DEV_XID_ERRORS" && gpu ? this.xids.get(Number(gpu[1])) : undefined;
        if (!xid) return undefined;
        return { instance: { ...instance, labels: { ...instance.labels, err_code: String(xid.code), err_msg: xid.message } }, value: xid.code };
    }

    /** Each series with its value now. */
    private values(): { instance: Instance; value: number }[] {
        const readings = new Map(this.opts.gpus.map((g) => [`gpu ${g.index}`, { gpu: g, reading: this.read(g) }]));
        const elapsed = (Date.now() - this.startedAt) / 1000;
        return this.series.map((instance) => {
            const ofGpu = readings.get(instance.writer);
            const follow = FROM_READING[instance.name] as ((r: Reading, gpu: SimulatedGpu) => number) | undefined;
            const xid = this.withXid(instance);
            if (xid) return xid;
            if (instance.value.kind === "counter") return { instance, value: Math.floor(instance.value.perSecond * elapsed) };
            return { instance, value: follow && ofGpu ? follow(ofGpu.reading, ofGpu.gpu) : instance.value.level };
        });
    }

    metricsText(): string {
        return this.opts.contract.exporter === "dcgm-exporter" ? dcgmText(this.values()) : clientGolangText(this.values());
    }

    protected handle(req: IncomingMessage, res: ServerResponse): void {
        if ((req.url ?? "/").split("?")[0] === "/metrics") {
            res.writeHead(200, { "content-type": EXPOSITION_CONTENT_TYPE }).end(this.metricsText());
        } else {
            res.writeHead(404).end("not found");
        }
    }
}

type Valued = { instance: Instance; value: number };

function byMetric(values: Valued[]): Map<string, Valued[]> {
    const families = new Map<string, Valued[]>();
    for (const v of values) families.set(v.instance.name, [...(families.get(v.instance.name) ?? []), v]);
    return families;
}

function help(i: Instance): string {
    return (i.entry.note ?? i.entry.name).replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/**
 * The DCGM exporter's render template: families in counter-file order,
 * labels in the contract's order, values as DCGM formats them (`%d` for its
 * integer fields, `%f` for its floating ones).
 */
function dcgmText(values: Valued[]): string {
    const lines: string[] = [];
    for (const [name, family] of byMetric(values)) {
        lines.push(`# HELP ${name} ${help(family[0].instance)}`, `# TYPE ${name} ${family[0].instance.entry.type}`);
        for (const { instance, value } of family) {
            lines.push(`${name}${labelText(instance.labels, instance.entry.labels)} ${Number.isInteger(value) ? String(value) : value.toFixed(6)}`);
        }
    }
    return `${lines.join("\n")}\n`;
}

/** client_golang's text format (nvidia_gpu_exporter): families and label names sorted, Go's shortest float format. */
function clientGolangText(values: Valued[]): string {
    const lines: string[] = [];
    for (const [name, family] of [...byMetric(values)].sort(([a], [b]) => (a < b ? -1 : 1))) {
        lines.push(
            `# HELP ${name} ${help(family[0].instance)}`,
            `# TYPE ${name} ${family[0].instance.entry.type === "counter" ? "counter" : "gauge"}`,
        );
        for (const { instance, value } of family) {
            lines.push(`${name}${labelText(instance.labels, Object.keys(instance.labels).sort())} ${goFloat(value)}`);
        }
    }
    return `${lines.join("\n")}\n`;
}

function labelText(labels: Labels, order: string[]): string {
    const names = order.filter((l) => l in labels);
    if (names.length === 0) return "";
    const escaped = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
    return `{${names.map((l) => `${l}="${escaped(labels[l])}"`).join(",")}}`;
}
