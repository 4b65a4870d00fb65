import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import type { ServiceSpec } from "../platform/types";

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
        "--model-path", s.modelPath,
        "--served-model-name", s.servedModelName,
        "--host", "0.0.0.0",
        "--port", String(s.port),
        "--tp-size", String(s.gpuCount),
        // /metrics exists only with this flag; without it every scrape is a 404.
        "--enable-metrics",
        "--grammar-backend", "ananke",
        "--ananke-language", s.anankeLanguage,
        "--ananke-max-rollback-tokens", String(s.anankeMaxRollbackTokens),
        "--ananke-enabled-domains", s.anankeEnabledDomains.join(","),
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
    return {
        name: "sglang",
        component: "inference",
        image: s.image,
        command,
        args: sglangArgs(settings),
        env: {
            HF_HOME: MODEL_CACHE_PATH,
            // huggingface_hub reads the token from this file: no token in the environment.
            ...(secrets.huggingFaceToken ? { HF_TOKEN_PATH: `${SGLANG_SECRET_DIR}/hf_token` } : {}),
        },
        ports: [{ name: "http", containerPort: s.port, publishedPort: s.port }],
        metricsPort: "http",
        files,
        volumes: [{ name: "model-cache", mountPath: MODEL_CACHE_PATH, size: settings.kubernetes.modelCacheSize }],
        health: { path: "/health", readinessPath: "/health_generate", port: "http", startupSeconds: s.startupSeconds, tool: "curl" },
        gpus: { count: s.gpuCount, deviceIds: s.gpuDevices },
        shmMiB: s.shmSizeMiB,
        resources: {
            cpu: settings.kubernetes.sglangCpuRequest,
            memory: settings.kubernetes.sglangMemoryRequest,
            memoryLimit: settings.kubernetes.sglangMemoryLimit,
        },
    };
}
