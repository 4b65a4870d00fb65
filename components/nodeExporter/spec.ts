import type { Settings } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import type { ServiceSpec } from "../platform/types";
import { NODE_EXPORTER, NODE_EXPORTER_PORT } from "./service";

/** Node exporter reads the host's /proc, /sys and root filesystem through read-only mounts. */
export function nodeExporterSpec(settings: Settings): ServiceSpec {
    return {
        ...specFromDefinition(NODE_EXPORTER, settings),
        image: settings.services["node-exporter"].image,
        args: [
            "--path.procfs=/host/proc",
            "--path.sysfs=/host/sys",
            "--path.rootfs=/host/root",
            `--web.listen-address=:${NODE_EXPORTER_PORT}`,
            // Container and kubelet mounts would otherwise appear as filesystems of their own.
            "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+|var/lib/kubelet/.+|var/lib/containers/.+)($|/)",
        ],
        env: {},
        files: [],
        volumes: [],
        health: { path: "/", port: "metrics", startupSeconds: 30, tool: "busybox" },
        host: {
            pid: true,
            // Bridge networking on Docker keeps the exporter reachable by name;
            // on Kubernetes host networking reports the node's interfaces.
            network: settings.target === "kubernetes",
            mounts: [
                { hostPath: "/proc", mountPath: "/host/proc", readOnly: true },
                { hostPath: "/sys", mountPath: "/host/sys", readOnly: true },
                { hostPath: "/", mountPath: "/host/root", readOnly: true, propagation: "rslave" },
            ],
        },
        perNode: true,
        resources: { cpu: "100m", memory: "64Mi", memoryLimit: "256Mi" },
    };
}
