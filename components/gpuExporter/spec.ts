import { DCGM_COUNTERS_PATH, dcgmCountersFor, renderDcgmCounters } from "../../monitoring/dcgm-counters";
import type { Settings } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import type { ServiceSpec } from "../platform/types";
import { GPU_EXPORTER, GPU_EXPORTER_PORT } from "./service";

/** The GPU exporter for `settings.gpuExporter`; undefined when none is deployed. */
export function gpuExporterSpec(settings: Settings): ServiceSpec | undefined {
    switch (settings.gpuExporter) {
        case "dcgm":
            return dcgmExporterSpec(settings);
        case "nvidia-smi":
            return nvidiaSmiExporterSpec(settings);
        case "existing":
        case "none":
            return undefined;
    }
}

const common = (
    settings: Settings,
): Pick<
    ServiceSpec,
    "name" | "component" | "ports" | "metricsPort" | "kubernetes" | "docker" | "files" | "volumes" | "gpus" | "perNode" | "resources"
> => ({
    ...specFromDefinition(GPU_EXPORTER, settings),
    files: [],
    volumes: [],
    // Every GPU of the host or node, not only those SGLang uses.
    gpus: "all",
    perNode: true,
    resources: { cpu: "100m", memory: "128Mi", memoryLimit: "512Mi" },
});

function dcgmExporterSpec(settings: Settings): ServiceSpec {
    const port = GPU_EXPORTER_PORT.dcgm;
    const onKubernetes = settings.target === "kubernetes";
    const image = settings.services["gpu-exporter"].dcgmImage;
    return {
        ...common(settings),
        image,
        // The project's counters file: the default fields plus ECC counts and throttle durations.
        args: ["-a", `:${port}`, "-f", DCGM_COUNTERS_PATH],
        files: [{ path: DCGM_COUNTERS_PATH, content: renderDcgmCounters(dcgmCountersFor(image)), secret: false }],
        // With the kubelet's pod-resources socket, series carry pod, namespace and container.
        // NO_SETCAP: the entrypoint would set a file capability on its binary, which a read-only root filesystem refuses (the container keeps SYS_ADMIN itself).
        env: onKubernetes ? { DCGM_EXPORTER_KUBERNETES: "true", NO_SETCAP: "1" } : {},
        // Its host label; else the container's own host name, new at every recreate.
        nodeNameEnv: "NODE_NAME",
        // The image carries no HTTP client; Kubernetes probes /health itself.
        health: { path: "/health", port: "metrics", startupSeconds: 120, tool: "none" },
        // DCGM_FI_PROF_* (profiling) fields need SYS_ADMIN.
        capabilities: ["SYS_ADMIN"],
        host: onKubernetes
            ? {
                  pid: false,
                  network: false,
                  mounts: [{ hostPath: "/var/lib/kubelet/pod-resources", mountPath: "/var/lib/kubelet/pod-resources", readOnly: true }],
              }
            : undefined,
        resources: { cpu: "100m", memory: "256Mi", memoryLimit: "1Gi" },
    };
}

function nvidiaSmiExporterSpec(settings: Settings): ServiceSpec {
    const port = GPU_EXPORTER_PORT["nvidia-smi"];
    return {
        ...common(settings),
        image: settings.services["gpu-exporter"].nvidiaSmiImage,
        args: [`--web.listen-address=:${port}`],
        // nvidia-smi needs only the driver's utility libraries.
        env: { NVIDIA_DRIVER_CAPABILITIES: "utility" },
        health: { path: "/", port: "metrics", startupSeconds: 60, tool: "none" },
    };
}
