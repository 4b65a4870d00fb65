/**
 * The upgrade gate as a policy (advisory): for the SGLang server, the GPU
 * exporter and node exporter, the metric contract their image follows (by
 * tag), the closest verified one when none is known, and the alerts and
 * dashboard panels that version cannot give data to. The same facts as the
 * preview's warnings (monitoring/upgrade-gate.ts), from the same table.
 *
 * A policy sees resources, not stack configuration: a custom image whose
 * contract a `*MetricsContract` key names is still reported as unknown here
 * (the preview's own check uses the key).
 */

import type { ServiceName } from "../components/platform/types";
import {
    availabilityTable,
    type ContractSummary,
    closestContract,
    contractForImage,
    contractLabel,
    lackingByContract,
    notEmittedBy,
} from "../contracts/gate";
import type { ExporterKind } from "../contracts/types";
import { type ResourceLike, workloadOf } from "./workloads";

/** The Docker label the program sets to the container's image reference (its `image` is the image id). */
const DOCKER_IMAGE_LABEL = "org.opencontainers.image.source";

/** The services whose metrics the alerts and panels read, and the key naming a custom image's contract. */
const WATCHED: Partial<Record<ServiceName, { key: string; kinds: ExporterKind[] }>> = {
    sglang: { key: "sglangMetricsContract", kinds: ["sglang"] },
    "gpu-exporter": { key: "gpuExporterMetricsContract", kinds: ["dcgm-exporter", "nvidia-gpu-exporter"] },
    "node-exporter": { key: "nodeExporterMetricsContract", kinds: ["node-exporter"] },
};

/** The image reference a workload runs: the label on Docker, the first container's image on Kubernetes. */
function imageOf(resource: ResourceLike): string | undefined {
    const w = workloadOf(resource);
    if (!w) return undefined;
    if (w.platform === "docker") return w.labels[DOCKER_IMAGE_LABEL];
    const image = w.containers.map((c) => c.image).find((i): i is string => typeof i === "string");
    return image;
}

/** Which exporter an image is: the kind with a contract for it, else the one whose image names resemble it. */
function kindOf(kinds: ExporterKind[], image: string): ExporterKind {
    const exact = kinds.find((k) => contractForImage(k, image));
    if (exact) return exact;
    return kinds.find((k) => /nvidia_gpu_exporter|nvidia-smi/.test(image) === (k === "nvidia-gpu-exporter")) ?? kinds[0];
}

/** What a version cannot feed, whatever the other exporters are. */
function cannotFeed(contract: ContractSummary): string[] {
    const table = availabilityTable();
    const names = (kind: "alerts" | "panels") => [...new Set(table.combinations.flatMap((c) => Object.keys(c[kind])))];
    const out: string[] = [];
    for (const [kind, what] of [
        ["alerts", "alert"],
        ["panels", "dashboard panel"],
    ] as const) {
        for (const name of names(kind)) {
            const l = lackingByContract(kind, name).find((x) => x.contract.id === contract.id);
            if (l) out.push(`${what} ${kind === "panels" ? `"${name}"` : name} cannot have data: ${notEmittedBy(contract, l.needs)}`);
        }
    }
    return out;
}

/** The policy's check: the findings for one resource. */
export function metricContractFindings(resource: ResourceLike): string[] {
    const w = workloadOf(resource);
    const watched = w?.service ? WATCHED[w.service as ServiceName] : undefined;
    const image = imageOf(resource);
    if (!w || !watched || !image) return [];
    const kind = kindOf(watched.kinds, image);
    const known = contractForImage(kind, image);
    const contract = known ?? closestContract(kind, image);
    if (!contract) return [];
    const unknown = known
        ? []
        : [
              `${w.service} image ${image} has no verified metric contract; the closest verified one is ${contractLabel(contract)} (set ${watched.key} to the contract it follows)`,
          ];
    return [...unknown, ...cannotFeed(contract).map((f) => `${w.service} (${contractLabel(contract)}): ${f}`)];
}
