import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import type { ServiceSpec } from "../platform/types";
import { MODEL_CACHE_VOLUME, SGLANG } from "./service";
import { dockerWorkers } from "./workers";

/** Where SGLang's secrets are mounted, one file each. */
export const SGLANG_SECRET_DIR = "/run/secrets/sglang";
export const MODEL_CACHE_PATH = "/root/.cache/huggingface";

export interface SglangSecrets {
    huggingFaceToken?: pulumi.Output<string>;
    apiKey?: pulumi.Output<string>;
}

/** The server flags; `--api-key` is added from a file at start (see `sglangSpec`). */
export function sglangArgs(settings: Settings): string[] {
    const s = settings.sglang;
    return [
        "--model-path",
        s.modelPath,
        "--served-model-name",
        s.servedModelName,
        "--host",
        "0.0.0.0",
        "--port",
        String(settings.services.sglang.port),
        "--tp-size",
        String(s.gpuCount),
        // /metrics exists only with this flag; without it every scrape is a 404.
        "--enable-metrics",
        "--grammar-backend",
        "ananke",
        "--ananke-language",
        s.anankeLanguage,
        "--ananke-max-rollback-tokens",
        String(s.anankeMaxRollbackTokens),
        "--ananke-enabled-domains",
        s.anankeEnabledDomains.join(","),
        ...(s.memFractionStatic > 0 ? ["--mem-fraction-static", String(s.memFractionStatic)] : []),
        ...s.extraArgs,
    ];
}

export function sglangSpec(settings: Settings, secrets: SglangSecrets): ServiceSpec {
    const s = settings.sglang;
    const launch = ["python3", "-m", "sglang.launch_server"];
    // The API key is read from its file by a shell at start, so it never sits
    // in the container's command line as stored by Docker or Kubernetes.
    const command = secrets.apiKey
        ? ["/bin/sh", "-c", `exec ${launch.join(" ")} "$@" --api-key "$(cat ${SGLANG_SECRET_DIR}/api_key)"`, "sglang"]
        : launch;
    const files = [
        ...(secrets.huggingFaceToken ? [{ path: `${SGLANG_SECRET_DIR}/hf_token`, content: secrets.huggingFaceToken, secret: true }] : []),
        ...(secrets.apiKey ? [{ path: `${SGLANG_SECRET_DIR}/api_key`, content: secrets.apiKey, secret: true }] : []),
    ];
    const base = specFromDefinition(SGLANG, settings);
    return {
        ...base,
        image: settings.services.sglang.image,
        command,
        args: sglangArgs(settings),
        env: {
            HF_HOME: MODEL_CACHE_PATH,
            // huggingface_hub reads the token from this file: no token in the environment.
            ...(secrets.huggingFaceToken ? { HF_TOKEN_PATH: `${SGLANG_SECRET_DIR}/hf_token` } : {}),
        },
        files,
        volumes: [{ name: MODEL_CACHE_VOLUME, mountPath: MODEL_CACHE_PATH, size: settings.services.sglang.cacheSize }],
        health: { path: "/health", readinessPath: "/health_generate", port: "http", startupSeconds: s.startupSeconds, tool: "curl" },
        gpus: { count: s.gpuCount, deviceIds: s.gpuDevices },
        shmMiB: s.shmSizeMiB,
        // Several servers on one Docker host, each on its own GPUs.
        docker: { ...base.docker, ...(s.workers > 1 ? { workers: dockerWorkers(settings) } : {}) },
        resources: {
            cpu: settings.services.sglang.cpu,
            memory: settings.services.sglang.memory,
            memoryLimit: settings.services.sglang.memoryLimit,
        },
    };
}
