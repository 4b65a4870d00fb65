/** The GPU exporter: NVIDIA's DCGM exporter or nvidia_gpu_exporter, one per GPU host or node. */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import type { Settings } from "../../settings/types";
import type { ServiceDefinition } from "../platform/definition";

const GROUP = "GPU exporter";

/** Where each exporter listens inside its container. */
export const GPU_EXPORTER_PORT = { dcgm: 9400, "nvidia-smi": 9835 } as const;

export const GPU_EXPORTER_KEYS = {
    dcgmImage: def(
        GROUP,
        "dcgmExporterImage",
        "string",
        "nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04",
        "NVIDIA DCGM exporter image.",
        c.pinnedImage(),
    ),
    nvidiaSmiImage: def(
        GROUP,
        "nvidiaSmiExporterImage",
        "string",
        "utkuozdemir/nvidia_gpu_exporter:1.3.2",
        "nvidia_gpu_exporter image.",
        c.pinnedImage(),
    ),
    port: def(
        GROUP,
        "gpuExporterPort",
        "integer",
        0,
        "Docker: host port the GPU exporter is published on; 0 = the port it listens on (9400 DCGM, 9835 nvidia-smi).",
        c.integer(0, 65535),
    ),
} as const;

/** The deployed exporter's container port. */
const containerPort = (s: Settings): number => (s.gpuExporter === "nvidia-smi" ? GPU_EXPORTER_PORT["nvidia-smi"] : GPU_EXPORTER_PORT.dcgm);

export const GPU_EXPORTER: ServiceDefinition<"gpu-exporter", typeof GPU_EXPORTER_KEYS> = {
    name: "gpu-exporter",
    role: "exporter",
    ports: [{ name: "metrics", containerPort, publishedPort: (s) => s.services["gpu-exporter"].port || containerPort(s), metrics: true }],
    keys: GPU_EXPORTER_KEYS,
    // "existing" scrapes the GPU Operator's exporter (Kubernetes); "none" runs no exporter.
    deployed: (s) => s.gpuExporter === "dcgm" || s.gpuExporter === "nvidia-smi",
    kubernetes: {
        // DCGM needs SYS_ADMIN and the kubelet's pod-resources socket; nvidia-smi only the GPUs the NVIDIA runtime mounts.
        hostAccess: (s) => s.gpuExporter === "dcgm",
        // DCGM runs as root, as NVIDIA's chart runs it; nvidia_gpu_exporter needs no root.
        runAsUser: (s) => (s.gpuExporter === "dcgm" ? 0 : 65534),
        // DCGM's embedded host engine logs under /var/log.
        writablePaths: ["/tmp", "/var/log"],
        existing: (s) => (s.gpuExporter === "existing" ? s.kubernetes.existingGpuExporter : undefined),
    },
};
