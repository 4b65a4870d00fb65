/**
 * How SGLang servers are laid out: on a Docker host, several servers
 * (`sglangWorkers`) each on its own GPUs; on Kubernetes, the Deployment's
 * pods, or the LeaderWorkerSet's groups when a server spans nodes (one server
 * per group). Pure: the settings' GPU checks, the SGLang and router specs and the
 * Docker scrape targets read the same layout.
 */
import type { Settings } from "../../settings/types";

/** One SGLang server on the Docker host. */
export interface DockerWorker {
    /** Its name on the Docker network (and the suffix of its container's name). */
    name: string;
    /** The GPUs it gets; empty = any `gpuCount` GPUs (a single server without `gpuDevices`). */
    deviceIds: number[];
}

/**
 * The SGLang servers of a Docker host. One server keeps the service's own
 * name and `gpuDevices` as given. Several are `sglang-0`, `sglang-1`, …, the
 * i-th taking the i-th `gpuCount` indices of `gpuDevices`, or of 0, 1, … when
 * none are listed: a count request would give every container the same first
 * GPUs, so several servers always get explicit, disjoint indices.
 */
export function dockerWorkers(settings: Pick<Settings, "sglang">): DockerWorker[] {
    const { workers, gpuCount, gpuDevices } = settings.sglang;
    if (workers <= 1) return [{ name: "sglang", deviceIds: [...gpuDevices] }];
    const ids = gpuDevices.length > 0 ? gpuDevices : Array.from({ length: workers * gpuCount }, (_, i) => i);
    return Array.from({ length: workers }, (_, i) => ({ name: `sglang-${i}`, deviceIds: ids.slice(i * gpuCount, (i + 1) * gpuCount) }));
}

/** How many SGLang servers may run at once: Docker's workers, or Kubernetes' replicas (the autoscaler's maximum when it owns the count). */
export function sglangServerCount(settings: Pick<Settings, "target" | "sglang" | "kubernetes">): number {
    if (settings.target === "docker") return settings.sglang.workers;
    const { replicas, autoscaling } = settings.kubernetes;
    return autoscaling.enabled ? Math.max(replicas, autoscaling.maxReplicas) : replicas;
}
