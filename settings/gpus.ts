/**
 * The GPUs SGLang's servers get: the list's length, no GPU given to two
 * servers, no more GPUs than the Docker host declares. Each problem names the
 * keys and values and what is allowed.
 */
import { dockerWorkers } from "../components/sglang/workers";
import type { Settings } from "./types";

const key = (k: string) => `sglang-ananke:${k}`;

export function gpuProblems(s: Settings): string[] {
    const { gpuCount, gpuDevices, workers } = s.sglang;
    const problems: string[] = [];
    const listed = JSON.stringify(gpuDevices);
    if (s.target === "kubernetes") {
        if (gpuDevices.length > 0)
            problems.push(`${key("gpuDevices")} only applies to target "docker"; on Kubernetes the scheduler picks GPUs: remove it`);
        if (workers > 1) {
            problems.push(
                `${key("sglangWorkers")} = ${workers} only applies to target "docker"; on Kubernetes set ${key("replicas")} (each replica is a worker behind the router)`,
            );
        }
        return problems;
    }
    if (gpuDevices.length > 0 && gpuDevices.length !== gpuCount * workers) {
        problems.push(
            workers === 1
                ? `${key("gpuDevices")} = ${listed} lists ${gpuDevices.length} GPUs but ${key("gpuCount")} = ${gpuCount}: list exactly gpuCount indices, or none`
                : `${key("gpuDevices")} = ${listed} lists ${gpuDevices.length} GPUs but ${key("sglangWorkers")} = ${workers} workers of ${key("gpuCount")} = ${gpuCount} need ${gpuCount * workers}: list exactly gpuCount × sglangWorkers indices, or none`,
        );
        return problems;
    }
    const owner = new Map<number, string>();
    for (const w of dockerWorkers(s)) {
        for (const id of w.deviceIds) {
            const first = owner.get(id);
            if (first === undefined) owner.set(id, w.name);
            else if (first === w.name) problems.push(`${key("gpuDevices")} = ${listed} lists GPU ${id} twice: each index once`);
            else problems.push(`${key("gpuDevices")} = ${listed} gives GPU ${id} to both ${first} and ${w.name}: each GPU serves one worker`);
        }
    }
    const host = s.docker.hostGpus;
    if (host > 0) {
        const needed = gpuCount * workers;
        if (needed > host) {
            problems.push(
                `${key("sglangWorkers")} = ${workers} × ${key("gpuCount")} = ${gpuCount} needs ${needed} GPUs but ${key("dockerHostGpus")} = ${host}: run fewer workers or fewer GPUs per worker`,
            );
        }
        const beyond = [...new Set(gpuDevices.filter((id) => id >= host))];
        if (beyond.length > 0) {
            problems.push(
                `${key("gpuDevices")} = ${listed} names GPU ${beyond.join(", ")} but ${key("dockerHostGpus")} = ${host} has GPUs 0 to ${host - 1} only`,
            );
        }
    }
    return problems;
}
