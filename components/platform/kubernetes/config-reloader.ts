/**
 * Configuration that changes without a rollout, for services that reload
 * their files on request (Prometheus, Alertmanager): every file in one
 * projected volume over the files' common directory, and a sidecar that
 * posts to the service's reload URL once the kubelet has updated them.
 *
 * Why prometheus-operator's `prometheus-config-reloader` and not Prometheus'
 * own `--config.auto-reload-interval`: Alertmanager has no such flag, so it
 * needs the sidecar anyway, and one mechanism for both is one thing to test
 * and to watch (`prometheus_config_last_reload_successful` and
 * `alertmanager_config_last_reload_successful` already alert on a failed
 * reload). prometheus-operator runs the same sidecar for its own Alertmanagers.
 *
 * Why a projected volume and not subPath mounts: the kubelet never updates a
 * subPath mount; a volume mounted as a directory is swapped atomically
 * (`..data`) when its ConfigMap or Secret changes.
 */
import * as posix from "node:path/posix";
import type * as input from "@pulumi/kubernetes/types/input";
import type { FileSpec, ServiceSpec } from "../types";

type Container = input.core.v1.Container;

/** Name of the sidecar container. */
export const CONFIG_RELOADER_CONTAINER = "config-reloader";
/** Name of the volume holding a reloading service's files. */
export const RELOADED_CONFIG_VOLUME = "config";
/**
 * How often the sidecar re-reads the watched directories besides its inotify
 * watches; a ConfigMap change reaches the pod within the kubelet's sync
 * period (about a minute), then within this.
 */
export const WATCH_INTERVAL = "30s";
/** The reloader image's user (busybox `nobody`). */
const RELOADER_UID = 65534;

/** The deepest directory holding every file: where the projected volume is mounted. */
export function configRoot(files: Pick<FileSpec, "path">[]): string {
    if (files.length === 0) throw new Error("no files to mount");
    const dirs = files.map((f) => posix.dirname(f.path).split("/"));
    const common: string[] = [];
    for (let i = 0; dirs.every((d) => i < d.length && d[i] === dirs[0][i]); i++) common.push(dirs[0][i]);
    return common.join("/") || "/";
}

/**
 * Every directory holding a file, each watched on its own: the reloader
 * resolves a watched directory's own links on every check but does not
 * follow a link to a directory inside it, and a subdirectory of a projected
 * volume (`rules`, `secrets`) is such a link into the current `..data`.
 */
export function watchedDirectories(files: Pick<FileSpec, "path">[]): string[] {
    return [...new Set(files.map((f) => posix.dirname(f.path)))].sort();
}

/** One item of a projected source: the file's key, at its path under the mount. */
export function projectedItem(root: string, path: string, key: string, mode: number): input.core.v1.KeyToPath {
    return { key, path: posix.relative(root, path), mode };
}

/** The sidecar: least privilege, reaches only the pod's loopback, serves nothing. */
export function configReloaderContainer(spec: ServiceSpec, image: string, reloadUrl: string): Container {
    return {
        name: CONFIG_RELOADER_CONTAINER,
        image,
        args: [
            `--reload-url=${reloadUrl}`,
            ...watchedDirectories(spec.files).map((d) => `--watched-dir=${d}`),
            `--watch-interval=${WATCH_INTERVAL}`,
            // No --listen-address: the reloader then opens no port at all.
        ],
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
        volumeMounts: [{ name: RELOADED_CONFIG_VOLUME, mountPath: configRoot(spec.files), readOnly: true }],
        securityContext: {
            runAsNonRoot: true,
            runAsUser: RELOADER_UID,
            runAsGroup: RELOADER_UID,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
    };
}
