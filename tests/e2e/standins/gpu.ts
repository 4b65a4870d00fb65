/**
 * Stand-ins for the two GPU exporters the stack can run, in their own
 * formats: NVIDIA's DCGM exporter (DCGM_FI_DEV_* with gpu/UUID/device/
 * modelName/Hostname labels, framebuffer in MiB) and nvidia_gpu_exporter
 * (nvidia_smi_* keyed by uuid, with index and name on nvidia_smi_gpu_info).
 * Both describe the same simulated GPUs, whose load drifts over time.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ExpositionWriter, EXPOSITION_CONTENT_TYPE } from "./exposition";
import { Random } from "./random";
import { HttpStandIn } from "./server";

export type GpuExporterFormat = "dcgm" | "nvidia-smi";

export interface SimulatedGpu {
    index: number;
    uuid: string;
    name: string;
    /** Framebuffer size in MiB. */
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

/** One reading of a GPU. */
interface Reading {
    utilPercent: number;
    usedMiB: number;
    temperature: number;
    powerWatts: number;
}

export interface GpuStandInOptions {
    port: number;
    format: GpuExporterFormat;
    gpus: SimulatedGpu[];
    hostname?: string;
    seed?: number;
}

export class GpuExporterStandIn extends HttpStandIn {
    private readonly random: Random;

    constructor(private readonly opts: GpuStandInOptions) {
        super(`gpu-${opts.format}`, opts.port);
        this.random = new Random(opts.seed ?? 7);
    }

    private read(gpu: SimulatedGpu): Reading {
        const r = this.random;
        // SGLang preallocates most of the memory for the KV cache: usage stays high and steady.
        return {
            utilPercent: Math.round(r.between(55, 98)),
            usedMiB: Math.round(gpu.totalMiB * r.between(0.82, 0.9)),
            temperature: Math.round(r.between(52, 71)),
            powerWatts: Math.round(r.between(280, 640) * 1000) / 1000,
        };
    }

    metricsText(): string {
        return this.opts.format === "dcgm" ? this.dcgm() : this.nvidiaSmi();
    }

    private dcgm(): string {
        const w = new ExpositionWriter();
        const hostname = this.opts.hostname ?? "gpu-host";
        for (const gpu of this.opts.gpus) {
            const reading = this.read(gpu);
            const labels = {
                gpu: String(gpu.index),
                UUID: gpu.uuid,
                pci_bus_id: `00000000:${(0x18 + gpu.index * 0x10).toString(16).toUpperCase()}:00.0`,
                device: `nvidia${gpu.index}`,
                modelName: gpu.name,
                Hostname: hostname,
                DCGM_FI_DRIVER_VERSION: "550.90.07",
            };
            w.sample("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %).", labels, reading.utilPercent);
            w.sample("DCGM_FI_DEV_MEM_COPY_UTIL", "gauge", "Memory utilization (in %).", labels, Math.round(reading.utilPercent * 0.4));
            w.sample("DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB).", labels, reading.usedMiB);
            w.sample("DCGM_FI_DEV_FB_FREE", "gauge", "Framebuffer memory free (in MiB).", labels, gpu.totalMiB - reading.usedMiB);
            w.sample("DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C).", labels, reading.temperature);
            w.sample("DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W).", labels, reading.powerWatts);
            w.sample("DCGM_FI_DEV_SM_CLOCK", "gauge", "SM clock frequency (in MHz).", labels, 1980);
            w.sample("DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error encountered.", labels, 0);
        }
        return w.render();
    }

    private nvidiaSmi(): string {
        const w = new ExpositionWriter();
        for (const gpu of this.opts.gpus) {
            const reading = this.read(gpu);
            const uuid = { uuid: gpu.uuid };
            w.sample("nvidia_smi_gpu_info", "gauge", "A metric with a constant '1' value labeled by gpu uuid, index and name.", {
                ...uuid, index: String(gpu.index), name: gpu.name, driver_version: "550.90.07", vbios_version: "96.00.99.00.01",
            }, 1);
            w.sample("nvidia_smi_index", "gauge", "index", uuid, gpu.index);
            w.sample("nvidia_smi_utilization_gpu_ratio", "gauge", "utilization.gpu [%]", uuid, reading.utilPercent / 100);
            w.sample("nvidia_smi_utilization_memory_ratio", "gauge", "utilization.memory [%]", uuid, Math.round(reading.utilPercent * 0.4) / 100);
            w.sample("nvidia_smi_memory_used_bytes", "gauge", "memory.used [MiB]", uuid, reading.usedMiB * MIB);
            w.sample("nvidia_smi_memory_free_bytes", "gauge", "memory.free [MiB]", uuid, (gpu.totalMiB - reading.usedMiB) * MIB);
            w.sample("nvidia_smi_memory_total_bytes", "gauge", "memory.total [MiB]", uuid, gpu.totalMiB * MIB);
            w.sample("nvidia_smi_temperature_gpu", "gauge", "temperature.gpu", uuid, reading.temperature);
            w.sample("nvidia_smi_power_draw_watts", "gauge", "power.draw [W]", uuid, reading.powerWatts);
        }
        w.sample("nvidia_gpu_exporter_build_info", "gauge", "A metric with a constant '1' value labeled by version, revision, branch, and goversion from which nvidia_gpu_exporter was built.", { version: "1.3.2" }, 1);
        return w.render();
    }

    protected handle(req: IncomingMessage, res: ServerResponse): void {
        if ((req.url ?? "/").split("?")[0] === "/metrics") {
            res.writeHead(200, { "content-type": EXPOSITION_CONTENT_TYPE }).end(this.metricsText());
        } else {
            res.writeHead(404).end("not found");
        }
    }
}
