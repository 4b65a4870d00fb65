/**
 * The GPUs SGLang's servers get, over every model: each model's list of the
 * right length, no GPU given to two servers (of the same model or not), no
 * more GPUs than the Docker host declares. Each problem names the keys (or
 * `models[i]` fields) and values and what is allowed.
 */
import { dockerWorkers } from "../components/sglang/workers";
import { fieldNamer } from "./models";
import type { ModelSettings, Settings } from "./types";

const key = (k: string) => `sglang-ananke:${k}`;

export function gpuProblems(s: Settings): string[] {
    if (s.target === "kubernetes") return s.models.flatMap((m) => kubernetesProblems(m, fieldNamer(s.models, m)));
    const lengths = s.models.flatMap((m) => lengthProblems(m, fieldNamer(s.models, m)));
    if (lengths.length > 0) return lengths;
    const mixed = mixedListProblems(s.models);
    if (mixed.length > 0) return mixed;
    return [...sharedGpuProblems(s), ...hostProblems(s)];
}

function kubernetesProblems(m: ModelSettings, name: ReturnType<typeof fieldNamer>): string[] {
    const problems: string[] = [];
    if (m.gpuDevices.length > 0)
        problems.push(`${key(name("gpuDevices"))} only applies to target "docker"; on Kubernetes the scheduler picks GPUs: remove it`);
    if (m.workers > 1) {
        problems.push(
            `${key(name("workers"))} = ${m.workers} only applies to target "docker"; on Kubernetes set ${key(name("replicas"))} (each replica is a worker behind the router)`,
        );
    }
    return problems;
}

/** A model's list names exactly `gpuCount` GPUs per worker, or none. */
function lengthProblems(m: ModelSettings, name: ReturnType<typeof fieldNamer>): string[] {
    const { gpuCount, gpuDevices, workers } = m;
    if (gpuDevices.length === 0 || gpuDevices.length === gpuCount * workers) return [];
    const listed = JSON.stringify(gpuDevices);
    return [
        workers === 1
            ? `${key(name("gpuDevices"))} = ${listed} lists ${gpuDevices.length} GPUs but ${key(name("gpuCount"))} = ${gpuCount}: list exactly ${name("gpuCount")} indices, or none`
            : `${key(name("gpuDevices"))} = ${listed} lists ${gpuDevices.length} GPUs but ${key(name("workers"))} = ${workers} workers of ${key(name("gpuCount"))} = ${gpuCount} need ${gpuCount * workers}: list exactly ${name("gpuCount")} × ${name("workers")} indices, or none`,
    ];
}

/**
 * Listed GPUs for some models and not others: the unlisted ones would take
 * GPUs from 0, blind to the listed ones (`dockerWorkers` numbers them only
 * when no model lists any).
 */
function mixedListProblems(models: readonly ModelSettings[]): string[] {
    const listing = models.filter((m) => m.gpuDevices.length > 0);
    if (listing.length === 0 || listing.length === models.length) return [];
    const named = (ms: ModelSettings[]) => ms.map((m) => key(fieldNamer(models, m)("gpuDevices")));
    const unlisted = models.filter((m) => m.gpuDevices.length === 0);
    return [
        `${named(unlisted).join(", ")} ${unlisted.length === 1 ? "is" : "are"} empty while ${named(listing).join(", ")} ${listing.length === 1 ? "lists" : "list"} GPUs: list gpuDevices for every model, or for none (each server then takes the next free GPUs from 0)`,
    ];
}

/** No GPU serves two servers, whichever models they serve. */
function sharedGpuProblems(s: Settings): string[] {
    const problems: string[] = [];
    const owner = new Map<number, string>();
    for (const w of dockerWorkers(s)) {
        const given = `${key(fieldNamer(s.models, w.model)("gpuDevices"))} = ${JSON.stringify(w.model.gpuDevices)}`;
        for (const id of w.deviceIds) {
            const first = owner.get(id);
            if (first === undefined) owner.set(id, w.name);
            else if (first === w.name) problems.push(`${given} lists GPU ${id} twice: each index once`);
            else problems.push(`${given} gives GPU ${id} to both ${first} and ${w.name}: each GPU serves one worker`);
        }
    }
    return problems;
}

/** Every model's servers fit on the GPUs the host declares. */
function hostProblems(s: Settings): string[] {
    const host = s.docker.hostGpus;
    if (host === 0) return [];
    const problems: string[] = [];
    const needed = s.models.reduce((n, m) => n + m.gpuCount * m.workers, 0);
    if (needed > host) {
        const asked = s.models.map((m) => {
            const name = fieldNamer(s.models, m);
            return `${key(name("workers"))} = ${m.workers} × ${key(name("gpuCount"))} = ${m.gpuCount}`;
        });
        problems.push(
            s.models.length === 1
                ? `${asked[0]} needs ${needed} GPUs but ${key("dockerHostGpus")} = ${host}: run fewer workers or fewer GPUs per worker`
                : `${asked.join(" + ")} need ${needed} GPUs but ${key("dockerHostGpus")} = ${host}: run fewer models, fewer workers or fewer GPUs per worker`,
        );
    }
    for (const m of s.models) {
        const beyond = [...new Set(m.gpuDevices.filter((id) => id >= host))];
        if (beyond.length > 0) {
            problems.push(
                `${key(fieldNamer(s.models, m)("gpuDevices"))} = ${JSON.stringify(m.gpuDevices)} names GPU ${beyond.join(", ")} but ${key("dockerHostGpus")} = ${host} has GPUs 0 to ${host - 1} only`,
            );
        }
    }
    return problems;
}
