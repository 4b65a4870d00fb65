/**
 * Least privilege for every pod, from one place: the user it runs as, the
 * capabilities it keeps, a read-only root filesystem with emptyDirs where
 * the process writes, and the runtime's default seccomp profile. Pure: the
 * workload builders call it for every pod template, and the tests check each
 * rendered pod against Pod Security `restricted` (or, for host-access pods,
 * against the rules of the host namespace).
 */
import type * as input from "@pulumi/kubernetes/types/input";
import type { ServiceSpec } from "../types";

type Container = input.core.v1.Container;
type PodSpec = input.core.v1.PodSpec;

/** Label of the pods that use the node (host namespaces, host paths, capabilities); admission policies allow host access only to them. */
export const HOST_ACCESS_LABEL = "sglang-ananke.io/host-access";

/** The runtime's default seccomp profile: what Pod Security `restricted` requires. */
const RUNTIME_DEFAULT_SECCOMP = { type: "RuntimeDefault" };

/** The user and group a service's containers run as on Kubernetes. */
export interface RunAs {
    uid: number;
    gid: number;
}

/**
 * The spec's user (`uid[:gid]`, shared with Docker) or, without one, the uid
 * its definition gives for Kubernetes. A service with neither is an error:
 * an image's default user is not something the kubelet can verify.
 */
export function runAsOf(spec: Pick<ServiceSpec, "name" | "user" | "kubernetes">): RunAs {
    if (spec.user) {
        const [uid, gid] = spec.user.split(":").map(Number);
        return { uid, gid: gid === undefined || Number.isNaN(gid) ? uid : gid };
    }
    const uid = spec.kubernetes.runAsUser;
    if (uid === undefined) throw new Error(`${spec.name}: no user to run as on Kubernetes: set kubernetes.runAsUser in its definition`);
    return { uid, gid: uid };
}

/** Whether a pod uses the node: host namespaces, host paths or added capabilities. */
export function usesHost(spec: Pick<ServiceSpec, "host" | "capabilities">): boolean {
    const h = spec.host;
    return (h !== undefined && (h.pid || h.network || h.mounts.length > 0)) || (spec.capabilities ?? []).length > 0;
}

/** The container's security context: every capability dropped but those the spec adds, no escalation, read-only root. */
export function containerSecurityContext(spec: ServiceSpec): Container["securityContext"] {
    const caps = spec.capabilities ?? [];
    const { uid, gid } = runAsOf(spec);
    return {
        // Kubernetes refuses SYS_ADMIN together with allowPrivilegeEscalation=false.
        allowPrivilegeEscalation: caps.includes("SYS_ADMIN"),
        capabilities: { drop: ["ALL"], ...(caps.length > 0 ? { add: [...caps] } : {}) },
        readOnlyRootFilesystem: true,
        runAsUser: uid,
        runAsGroup: gid,
        ...(uid !== 0 ? { runAsNonRoot: true } : {}),
        seccompProfile: RUNTIME_DEFAULT_SECCOMP,
    };
}

/** The pod's security context: the same user, and volumes group-owned by its group so a non-root process can write them. */
export function podSecurityContext(spec: ServiceSpec): PodSpec["securityContext"] {
    const { uid, gid } = runAsOf(spec);
    return {
        runAsUser: uid,
        runAsGroup: gid,
        ...(uid !== 0
            ? {
                  runAsNonRoot: true,
                  fsGroup: gid,
                  // A model cache of hundreds of GiB is re-owned only when its top directory is not the pod's group already.
                  fsGroupChangePolicy: "OnRootMismatch",
              }
            : {}),
        seccompProfile: RUNTIME_DEFAULT_SECCOMP,
    };
}

/** An emptyDir for each directory the process writes outside its volumes (the root filesystem is read-only). */
export function writableDirs(spec: ServiceSpec): { volumes: input.core.v1.Volume[]; mounts: input.core.v1.VolumeMount[] } {
    const paths = spec.kubernetes.writablePaths;
    return {
        volumes: paths.map((_, i) => ({ name: `writable-${i}`, emptyDir: {} })),
        mounts: paths.map((mountPath, i) => ({ name: `writable-${i}`, mountPath })),
    };
}

/** Pod labels that mark host access, for the pods that have it. */
export function hostAccessLabels(spec: Pick<ServiceSpec, "kubernetes">): Record<string, string> {
    return spec.kubernetes.hostAccess ? { [HOST_ACCESS_LABEL]: "true" } : {};
}
