import type * as pulumi from "@pulumi/pulumi";
import type { ModelSettings, Settings } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import type { ServiceSpec } from "../platform/types";
import { API_KEY_FILE_OPTION, SGLANG_LAUNCHER, SGLANG_LAUNCHER_PATH } from "./launcher";
import { multiNodeArgs, spansNodes, tensorParallelSize } from "./multiNode";
import { MODEL_CACHE_VOLUME, SGLANG, SGLANG_KUBERNETES_USER } from "./service";
import { dockerWorkers, modelView, modelWorkload, sglangServerCount } from "./workers";

/** Where SGLang's secrets are mounted, one file each. */
export const SGLANG_SECRET_DIR = "/run/secrets/sglang";
/**
 * Where the model cache volume is mounted (HF_HOME): Docker runs the image as
 * its root user, whose cache it is; Kubernetes runs SGLang as a non-root uid,
 * which cannot enter /root.
 */
export const MODEL_CACHE_PATH = { docker: "/root/.cache/huggingface", kubernetes: "/var/cache/huggingface" } as const;

export interface SglangSecrets {
    huggingFaceToken?: pulumi.Output<string>;
    apiKey?: pulumi.Output<string>;
}

/** The server flags; `--api-key` is read from its file by the launcher at start (see `sglangSpec`). */
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
        // Across nodes, one tensor-parallel group over every GPU of the group, as in SGLang's
        // docs/references/multi_node_deployment/multi_node.md (405B on 2 nodes: --tp 16 --nnodes 2).
        "--tp-size",
        String(tensorParallelSize(settings)),
        ...multiNodeArgs(settings),
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

/**
 * The servers of one model (the short form's only model by default): its
 * own name, image, flags and GPUs, and its own model cache.
 */
export function sglangSpec(stack: Settings, secrets: SglangSecrets, model: ModelSettings = stack.models[0]): ServiceSpec {
    const settings = modelView(stack, model);
    const workload = modelWorkload(model);
    const s = settings.sglang;
    const apiKeyFile = `${SGLANG_SECRET_DIR}/api_key`;
    // With a key, the launcher reads it from its file in-process: it is in no
    // command line, neither the container's as stored nor the process's (ps).
    const command = secrets.apiKey ? ["python3", SGLANG_LAUNCHER_PATH, API_KEY_FILE_OPTION, apiKeyFile] : ["python3", "-m", "sglang.launch_server"];
    const files = [
        ...(secrets.apiKey ? [{ path: SGLANG_LAUNCHER_PATH, content: SGLANG_LAUNCHER, secret: false }] : []),
        ...(secrets.huggingFaceToken ? [{ path: `${SGLANG_SECRET_DIR}/hf_token`, content: secrets.huggingFaceToken, secret: true }] : []),
        ...(secrets.apiKey ? [{ path: apiKeyFile, content: secrets.apiKey, secret: true }] : []),
    ];
    const base = specFromDefinition(SGLANG, settings);
    // Workers serve no HTTP: they start SGLang directly, without the API key or its launcher.
    const workerFiles = files.filter((f) => f.path !== apiKeyFile && f.path !== SGLANG_LAUNCHER_PATH);
    const group = spansNodes(settings)
        ? { size: s.nodesPerReplica, worker: { command: ["python3", "-m", "sglang.launch_server"], files: workerFiles } }
        : undefined;
    return {
        ...base,
        // The short form's servers are the service's only workload, named after it.
        ...(workload ? { workload } : {}),
        image: model.image,
        command,
        args: sglangArgs(settings),
        env: {
            HF_HOME: MODEL_CACHE_PATH[settings.target],
            // The uid has no passwd entry: HOME and USER (torch names its cache after the user) come from here.
            ...(settings.target === "kubernetes" ? { HOME: SGLANG_KUBERNETES_USER.home, USER: SGLANG_KUBERNETES_USER.name } : {}),
            // huggingface_hub reads the token from this file: no token in the environment.
            ...(secrets.huggingFaceToken ? { HF_TOKEN_PATH: `${SGLANG_SECRET_DIR}/hf_token` } : {}),
        },
        files,
        volumes: [{ name: MODEL_CACHE_VOLUME, mountPath: MODEL_CACHE_PATH[settings.target], size: settings.services.sglang.cacheSize }],
        health: { path: "/health", readinessPath: "/health_generate", port: "http", startupSeconds: s.startupSeconds, tool: "curl" },
        gpus: { count: s.gpuCount, deviceIds: s.gpuDevices },
        shmMiB: s.shmSizeMiB,
        kubernetes: { ...base.kubernetes, ...(group ? { group } : {}) },
        // Several servers on one Docker host, each on its own GPUs.
        docker: { ...base.docker, ...(sglangServerCount(stack) > 1 ? { workers: dockerWorkers(stack).filter((w) => w.model === model) } : {}) },
        resources: {
            cpu: settings.services.sglang.cpu,
            memory: settings.services.sglang.memory,
            memoryLimit: settings.services.sglang.memoryLimit,
        },
    };
}
