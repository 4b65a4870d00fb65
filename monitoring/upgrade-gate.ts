/**
 * The upgrade gate for one stack: which metric contracts its images follow,
 * and which enabled alerts and panels cannot have data on them. Pure (no
 * Pulumi); the stack logs `gateFindings` at every preview and the dashboard
 * marks the panels.
 */

import {
    availabilityTable,
    type Combination,
    type ContractSummary,
    combination,
    notEmittedBy,
    type Resolution,
    resolveContract,
    slotOf,
    slotOfMetric,
} from "../contracts/gate";
import type { ExporterKind } from "../contracts/types";
import type { ModelSettings, Settings } from "../settings";

/** The contracts a stack's exporters follow; `gpu` is undefined without a GPU exporter. */
export interface ConfiguredContracts {
    sglang: Resolution;
    gpu?: Resolution;
    node: Resolution;
}

function gpuChoice(settings: Settings): { exporter: ExporterKind; image?: string } | undefined {
    switch (settings.gpuExporter) {
        case "dcgm":
            return { exporter: "dcgm-exporter", image: settings.services["gpu-exporter"].dcgmImage };
        case "nvidia-smi":
            return { exporter: "nvidia-gpu-exporter", image: settings.services["gpu-exporter"].nvidiaSmiImage };
        case "existing":
            // The GPU Operator's exporter: its version is whatever the cluster runs.
            return { exporter: "dcgm-exporter" };
        default:
            return undefined;
    }
}

/** Resolves each exporter's contract from its key or image tag; SGLang's from one model's image (the first model's by default). */
export function configuredContracts(settings: Settings, model: ModelSettings = settings.models[0]): ConfiguredContracts {
    const m = settings.metricsContracts;
    const gpu = gpuChoice(settings);
    const known = (e: ExporterKind) => availabilityTable().contracts.some((c) => c.exporter === e);
    return {
        sglang: resolveContract({ exporter: "sglang", image: model.image, key: "sglangMetricsContract", id: m.sglang }),
        // An exporter kind without any verified contract is not checked (there is nothing to check against).
        gpu:
            gpu && (known(gpu.exporter) || m.gpuExporter)
                ? resolveContract({ ...gpu, key: "gpuExporterMetricsContract", id: m.gpuExporter })
                : undefined,
        node: resolveContract({
            exporter: "node-exporter",
            image: settings.services["node-exporter"].image,
            key: "nodeExporterMetricsContract",
            id: m.nodeExporter,
        }),
    };
}

/**
 * The table's combination for these contracts. Without a checked GPU exporter,
 * the pinned default GPU contract's: GPU items then have data, so only SGLang
 * and host items are reported (GPU panels already say why they may be empty).
 */
function combinationOf(c: ConfiguredContracts): Combination {
    const gpu = c.gpu?.contract.id ?? availabilityTable().contracts.find((x) => slotOf(x.exporter) === "gpu")?.id ?? "";
    return combination(c.sglang.contract.id, gpu, c.node.contract.id);
}

/** Which of the chosen contracts a missing metric belongs to, by its name. */
function ownerOf(c: ConfiguredContracts, metric: string): ContractSummary {
    const slot = slotOfMetric(metric);
    return slot === "node" ? c.node.contract : slot === "gpu" ? (c.gpu?.contract ?? c.sglang.contract) : c.sglang.contract;
}

/** "not emitted by SGLang v0.5.4.post1: needs a and b, or c", naming the contracts the metrics belong to. */
export function whyNoData(c: ConfiguredContracts, needs: string[][]): string {
    const owners = [...new Set(needs.flat().map((m) => ownerOf(c, m)))];
    return notEmittedBy(owners, needs);
}

/** A dashboard panel that cannot have (all its) data on the stack's contracts. */
export interface PanelWithoutData {
    /** "not emitted by SGLang v0.5.4.post1: needs …". */
    reason: string;
    /** RefIds of the panel's queries that cannot have data. */
    queries: string[];
}

/** Panels, by title, with queries that cannot have data on the stack's contracts (SGLang's: one model's image, the first's by default). */
export function panelsWithoutData(settings: Settings, model: ModelSettings = settings.models[0]): Map<string, PanelWithoutData> {
    const c = configuredContracts(settings, model);
    const combo = combinationOf(c);
    const out = new Map<string, PanelWithoutData>();
    for (const [title, needs] of Object.entries(combo.panels)) {
        const prefix = `${title} [`;
        const queries = Object.keys(combo.queries)
            .filter((q) => q.startsWith(prefix))
            .map((q) => q.slice(prefix.length, -1));
        out.set(title, { reason: whyNoData(c, needs), queries });
    }
    return out;
}

/**
 * What a preview says: one line per image without a verified contract, and
 * one per enabled alert or panel that needs a series its contract does not
 * write. Empty when everything can have data. Models on images of different
 * contracts are gated each on its own, their lines naming the models.
 */
export function gateFindings(settings: Settings, enabled: { alerts: readonly string[]; panels: readonly string[] }): string[] {
    const byImage = new Map<string, ModelSettings[]>();
    for (const m of settings.models) byImage.set(m.image, [...(byImage.get(m.image) ?? []), m]);
    const groups = [...byImage.values()];
    const lines = groups.flatMap((models) => {
        const found = findingsFor(settings, models[0], enabled);
        if (groups.length === 1) return found;
        const named = `models ${models.map((m) => m.name).join(", ")} (${models[0].image})`;
        return found.map((line) => `${named}: ${line}`);
    });
    return [...new Set(lines)];
}

function findingsFor(settings: Settings, model: ModelSettings, enabled: { alerts: readonly string[]; panels: readonly string[] }): string[] {
    const c = configuredContracts(settings, model);
    const combo = combinationOf(c);
    const lines = [c.sglang, c.gpu, c.node].flatMap((r) => (r?.warning ? [r.warning] : []));
    for (const alert of enabled.alerts) {
        const missing = combo.alerts[alert];
        if (missing) lines.push(`alert ${alert} cannot fire: ${whyNoData(c, missing)}`);
    }
    const without = panelsWithoutData(settings, model);
    for (const panel of enabled.panels) {
        const found = without.get(panel);
        if (!found) continue;
        const all = (availabilityTable().panelQueries[panel] ?? []).every((r) => found.queries.includes(r));
        lines.push(`dashboard panel "${panel}" has no data${all ? "" : ` in queries ${found.queries.join(", ")}`}: ${found.reason}`);
    }
    return lines;
}
