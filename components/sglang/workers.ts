/**
 * How SGLang servers are laid out: on a Docker host, each model's servers
 * (`workers`) each on its own GPUs; on Kubernetes, each model's Deployment
 * pods, or LeaderWorkerSet groups when a server spans nodes (one server per
 * group). Pure: the settings' GPU checks, the SGLang and router specs and the
 * Docker scrape targets read the same layout.
 */
import type { ModelSettings, Settings } from "../../settings/types";
import type { ServiceSpec } from "../platform/types";
import { MODEL_LABEL } from "./service";

/** One SGLang server on the Docker host. */
export interface DockerWorker {
    /** Its name on the Docker network (and the suffix of its container's name). */
    name: string;
    /** The model it serves. */
    model: ModelSettings;
    /** The GPUs it gets; empty = any `gpuCount` GPUs (a stack's only server without `gpuDevices`). */
    deviceIds: number[];
}

/**
 * The settings as one model sees them: the code written for one server reads
 * `settings.sglang`, and its Kubernetes replicas `settings.kubernetes.replicas`.
 */
export function modelView(settings: Settings, model: ModelSettings): Settings {
    return { ...settings, sglang: model, kubernetes: { ...settings.kubernetes, replicas: model.replicas } };
}

/** Whether the stack lists its models (the `models` key): each then named `sglang-<name>`, behind the router. False for the short form. */
export function listsModels(settings: Pick<Settings, "models">): boolean {
    return settings.models.some((m) => m.name !== "");
}

/**
 * A model's workload of the SGLang service: its objects named after its
 * service, its pods labelled with its name. None for the short form's model,
 * the service's only workload, named after the service.
 */
export function modelWorkload(model: Pick<ModelSettings, "name" | "serviceName">): ServiceSpec["workload"] {
    return model.name ? { name: model.serviceName, labels: { [MODEL_LABEL]: model.name } } : undefined;
}

/**
 * The SGLang servers of a Docker host, every model's in the models' order.
 * A model with one server names it after its service (`sglang`,
 * `sglang-<name>`); with several, `<service>-0`, `<service>-1`, … The only
 * server of a stack keeps `gpuDevices` as given. Otherwise each model's
 * i-th server takes the i-th `gpuCount` indices of its `gpuDevices`, or,
 * when no model lists any, the next free indices from 0: a count request
 * would give every container the same first GPUs, so several servers always
 * get explicit, disjoint indices.
 */
export function dockerWorkers(settings: Pick<Settings, "models">): DockerWorker[] {
    const { models } = settings;
    if (models.length === 1 && models[0].workers <= 1)
        return [{ name: models[0].serviceName, model: models[0], deviceIds: [...models[0].gpuDevices] }];
    const listed = models.some((m) => m.gpuDevices.length > 0);
    let next = 0;
    return models.flatMap((m) => {
        const ids = listed ? m.gpuDevices : Array.from({ length: m.workers * m.gpuCount }, () => next++);
        return Array.from({ length: m.workers }, (_, i) => ({
            name: m.workers > 1 ? `${m.serviceName}-${i}` : m.serviceName,
            model: m,
            deviceIds: ids.slice(i * m.gpuCount, (i + 1) * m.gpuCount),
        }));
    });
}

/** How many servers of one model may run at once: its Docker workers, or its Kubernetes replicas (the autoscaler's maximum when it owns the count). */
export function modelServerCount(settings: Pick<Settings, "target" | "kubernetes">, model: ModelSettings): number {
    if (settings.target === "docker") return model.workers;
    const { autoscaling } = settings.kubernetes;
    return autoscaling.enabled ? Math.max(model.replicas, autoscaling.maxReplicas) : model.replicas;
}

/** How many SGLang servers may run at once, over every model. */
export function sglangServerCount(settings: Pick<Settings, "target" | "models" | "kubernetes">): number {
    return settings.models.reduce((n, m) => n + modelServerCount(settings, m), 0);
}
