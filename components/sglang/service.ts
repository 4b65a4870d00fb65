/** SGLang: the inference server, with the Ananke grammar backend and its metrics on its API port. */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import type { ServiceDefinition } from "../platform/definition";
import { openaiClients, routerDeployed } from "../sglangRouter/service";
import { dockerWorkers } from "./workers";

const GROUP = "SGLang";

export const SGLANG_KEYS = {
    image: def(
        GROUP,
        "sglangImage",
        "string",
        "lmsysorg/sglang:v0.5.4.post1",
        "SGLang server image, pinned to a version; `--grammar-backend ananke` needs an image built from the Ananke fork (see README, Prerequisites).",
        c.pinnedImage(),
    ),
    port: def(
        GROUP,
        "sglangPort",
        "integer",
        30000,
        "Port the SGLang API (and `/metrics`) listens on; Docker publishes it on the same host port.",
        c.integer(1, 65535),
    ),
    cpu: def(
        GROUP,
        "sglangCpuRequest",
        "string",
        "8",
        "CPUs of the SGLang server. Kubernetes: request and limit of each pod; Docker: not limited.",
        c.text({ pattern: c.QUANTITY, allowed: "a Kubernetes CPU quantity such as 8 or 7500m" }),
    ),
    memory: def(
        GROUP,
        "sglangMemoryRequest",
        "string",
        "32Gi",
        "Memory the SGLang server is guaranteed. Kubernetes: request of each pod; Docker has no requests (the limit applies).",
        c.text({ pattern: c.QUANTITY, allowed: "a Kubernetes quantity such as 32Gi" }),
    ),
    memoryLimit: def(
        GROUP,
        "sglangMemoryLimit",
        "string",
        "64Gi",
        "Memory limit of the SGLang server, on both targets: the container's memory limit on Docker, each pod's on Kubernetes. Weights and KV cache live in GPU memory; this bounds host memory.",
        c.text({ pattern: c.QUANTITY, allowed: "a Kubernetes quantity such as 64Gi" }),
    ),
    cacheSize: def(
        GROUP,
        "modelCacheSize",
        "string",
        "200Gi",
        "Size of the model cache. Kubernetes: the PersistentVolumeClaim's request; Docker: a named volume that grows freely (not applied).",
        c.text({ pattern: c.QUANTITY, allowed: "a Kubernetes quantity such as 200Gi" }),
    ),
} as const;

/** The label telling one model's SGLang pods and containers from another's (the value: the model's `name`). */
export const MODEL_LABEL = "sglang-ananke.io/model";

/** Volume holding downloaded weights. */
export const MODEL_CACHE_VOLUME = "model-cache";

/**
 * Kubernetes runs SGLang as this uid, not as the image's root. Its home (on
 * an emptyDir) takes what torch, Triton and FlashInfer write under `~`
 * (compiled kernels: rebuilt when a pod restarts).
 */
export const SGLANG_KUBERNETES_USER = { uid: 1000, name: "sglang", home: "/home/sglang" } as const;

export const SGLANG: ServiceDefinition<"sglang", typeof SGLANG_KEYS> = {
    name: "sglang",
    role: "inference",
    ports: [
        {
            name: "http",
            containerPort: (s) => s.services.sglang.port,
            // Behind the router, clients reach the router only: the servers are not published.
            publishedPort: (s) => (routerDeployed(s) ? undefined : s.services.sglang.port),
            metrics: true,
            // Behind the router, only the router (and Prometheus) call the servers.
            clients: (s) => (routerDeployed(s) ? { namespaces: [], cidrs: [] } : openaiClients(s)),
        },
    ],
    keys: SGLANG_KEYS,
    deployed: () => true,
    kubernetes: {
        // KEDA owns the replica count when autoscaling: a value here would reset it on every `pulumi up`.
        replicas: (s) => (s.kubernetes.autoscaling.enabled ? undefined : s.kubernetes.replicas),
        sharedVolume: {
            volume: MODEL_CACHE_VOLUME,
            storageClass: (s) => s.kubernetes.modelCacheStorageClass,
            accessMode: (s) => s.kubernetes.modelCacheAccessMode,
        },
        // With several pods a drain takes one at a time; a single pod is not held (see disruptionBudgetSpec).
        disruptionBudget: { maxUnavailable: 1 },
        runAsUser: () => SGLANG_KUBERNETES_USER.uid,
        // torch's inductor cache is under /tmp.
        writablePaths: ["/tmp", SGLANG_KUBERNETES_USER.home],
    },
    docker: { retainedVolumes: [MODEL_CACHE_VOLUME], instances: (s) => dockerWorkers(s).map((w) => w.name) },
};
