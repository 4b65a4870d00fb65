/**
 * The stacks of the end-to-end suite: one per SGLang contract, so every
 * version the project knows runs through a real Prometheus and
 * Alertmanager, paired with GPU exporter contracts so that every GPU
 * exporter version runs too. The first stack is the default image's with the
 * default DCGM exporter: the alert scenarios and faults run there.
 */
import { DCGM_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../../contracts/gpu";
import { SGLANG_CONTRACTS } from "../../contracts/sglang";
import type { ExporterContract } from "../../contracts/types";
import type { StackSpec } from "./stack";

/** GPU exporter contracts in the order stacks take them: the formats in turn, each version once, the default DCGM first. */
function gpuContractsInTurn(): ExporterContract[] {
    const out: ExporterContract[] = [];
    for (let i = 0; i < Math.max(DCGM_CONTRACTS.length, NVIDIA_GPU_EXPORTER_CONTRACTS.length); i++) {
        out.push(...[DCGM_CONTRACTS[i], NVIDIA_GPU_EXPORTER_CONTRACTS[i]].filter((c) => c !== undefined));
    }
    return out;
}

/**
 * The other stacks vary what a real deployment varies: the `sglang_` spelling
 * (prometheus_client >= 0.23 behind an OpenMetrics scrape), four tensor-parallel
 * ranks, another served model name.
 */
export function e2eStacks(): StackSpec[] {
    const gpus = gpuContractsInTurn();
    const count = Math.max(SGLANG_CONTRACTS.length, gpus.length);
    return Array.from({ length: count }, (_, i) => {
        const sglang = SGLANG_CONTRACTS[i % SGLANG_CONTRACTS.length];
        const gpu = gpus[i % gpus.length];
        const gpuExporter = gpu.exporter === "nvidia-gpu-exporter" ? "nvidia-smi" : "dcgm";
        const variant = i % 2 === 1 ? { gpuCount: 4, servedModelName: "qwen-coder" } : {};
        return {
            name: `${sglang.id}+${gpu.id}`,
            config: { gpuExporter, ...variant },
            sglang: { contract: sglang, spelling: i % 2 === 1 ? "sglang_" : "sglang:" },
            gpu,
        };
    });
}
