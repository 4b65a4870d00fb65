/** Made-up availability tables (contracts/gate.ts), for tests of what is said about versions. */
import type { ExporterKind } from "../../contracts/types";

/** A contract summary without images. */
export function contractSummary(id: string, exporter: ExporterKind, version: string) {
    return { id, exporter, version, images: [] as string[] };
}

/** A combination of an SGLang and a GPU exporter contract, with the alerts it lacks. */
export function combination(sglang: string, gpu: string, alerts: Record<string, string[][]>) {
    return { sglang, gpu, node: "n", alerts, panels: {}, queries: {}, rules: {} };
}
