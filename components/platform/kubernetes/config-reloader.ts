/**
 * Configuration that changes without a rollout, for services that reload
 * their files on SIGHUP (Prometheus, Alertmanager): every file in one
 * projected volume over the files' common directory, and a sidecar that
 * signals the server once the kubelet has updated them.
 *
 * Why a signal and not a POST to `/-/reload`: every path of Prometheus and
 * Alertmanager is behind basic auth, and an HTTP reloader could send the
 * password only from its command line or pod spec (prometheus-operator's
 * `prometheus-config-reloader` has no credentials file; its signal mode still
 * polls the authenticated runtimeinfo API). Both servers reload on SIGHUP
 * exactly as on `/-/reload`, and a signal needs no secret: only the same uid
 * in a shared process namespace. A failed reload keeps the old configuration
 * and sets `*_config_last_reload_successful` to 0, which alerts.
 *
 * Why a projected volume and not subPath mounts: the kubelet never updates a
 * subPath mount; a volume mounted as a directory is swapped atomically
 * (`..data`) when its ConfigMap or Secret changes.
 */
import * as posix from "node:path/posix";
import type * as input from "@pulumi/kubernetes/types/input";
import type { FileSpec, ServiceSpec } from "../types";
import { runAsOf } from "./security";

type Container = input.core.v1.Container;

/** Name of the sidecar container. */
export const CONFIG_RELOADER_CONTAINER = "config-reloader";
/** Name of the volume holding a reloading service's files. */
export const RELOADED_CONFIG_VOLUME = "config";
/**
 * Seconds between two looks at the files; a ConfigMap change reaches the pod
 * within the kubelet's sync period (about a minute), then within this.
 */
export const WATCH_INTERVAL_SECONDS = 30;

/**
 * The sidecar's loop, POSIX sh with busybox applets (the server's own image
 * ships them). It hashes the content of every file under `$CONFIG_DIR`,
 * following the kubelet's links through `..data` and skipping its hidden
 * `..*` entries (whose timestamped names change on every swap), and sends
 * SIGHUP to the process whose command line matches `$RELOAD_MATCH` when the
 * hash changes. The pattern comes from the environment so that this shell's
 * own command line does not contain it: pkill must not match the loop.
 */
export const RELOAD_SCRIPT = `set -u
state() { find -L "$CONFIG_DIR" -name '..*' -prune -o -type f -exec md5sum {} + | sort | md5sum; }
last=$(state)
while sleep "$RELOAD_INTERVAL_SECONDS"; do
  now=$(state)
  [ "$now" = "$last" ] && continue
  last=$now
  if pkill -HUP -f "$RELOAD_MATCH"; then echo "configuration changed: sent SIGHUP"; else echo "configuration changed: no process matches $RELOAD_MATCH" >&2; fi
done
`;

/** The deepest directory holding every file: where the projected volume is mounted. */
export function configRoot(files: Pick<FileSpec, "path">[]): string {
    if (files.length === 0) throw new Error("no files to mount");
    const dirs = files.map((f) => posix.dirname(f.path).split("/"));
    const common: string[] = [];
    for (let i = 0; dirs.every((d) => i < d.length && d[i] === dirs[0][i]); i++) common.push(dirs[0][i]);
    return common.join("/") || "/";
}

/** One item of a projected source: the file's key, at its path under the mount. */
export function projectedItem(root: string, path: string, key: string, mode: number): input.core.v1.KeyToPath {
    return { key, path: posix.relative(root, path), mode };
}

/**
 * What pkill looks for: the server's `--config.file` flag without its dashes
 * (a leading `--` would read as an option of pkill), unique to the server
 * in its pod.
 */
export function reloadMatch(spec: Pick<ServiceSpec, "name" | "args">): string {
    const flag = spec.args.find((a) => a.startsWith("--config.file="));
    if (!flag) throw new Error(`${spec.name}: reloads its configuration but has no --config.file flag to find its process by`);
    return flag.slice(2);
}

/**
 * The sidecar: the server's own image and user (a signal needs the same uid),
 * least privilege, reaches nothing over the network, serves nothing.
 */
export function configReloaderContainer(spec: ServiceSpec): Container {
    const { uid, gid } = runAsOf(spec);
    if (uid === 0) throw new Error(`${spec.name}: the config reloader signals its server as the same user, which must not be root`);
    const root = configRoot(spec.files);
    return {
        name: CONFIG_RELOADER_CONTAINER,
        image: spec.image,
        command: ["/bin/sh", "-c", RELOAD_SCRIPT],
        env: [
            { name: "CONFIG_DIR", value: root },
            { name: "RELOAD_MATCH", value: reloadMatch(spec) },
            { name: "RELOAD_INTERVAL_SECONDS", value: String(WATCH_INTERVAL_SECONDS) },
        ],
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
        volumeMounts: [{ name: RELOADED_CONFIG_VOLUME, mountPath: root, readOnly: true }],
        securityContext: {
            runAsNonRoot: true,
            runAsUser: uid,
            runAsGroup: gid,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
    };
}
