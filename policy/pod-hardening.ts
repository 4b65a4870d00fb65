/**
 * Kubernetes pod hardening: what each container's and pod's securityContext
 * must say, and what only pods labelled for host access may do.
 *
 * Decisions:
 * - Pod-level `runAsNonRoot`, `runAsUser` and `seccompProfile` count for every
 *   container that does not set its own (Kubernetes' own precedence).
 * - seccomp: `RuntimeDefault` or a `Localhost` profile; unset or `Unconfined` is reported.
 * - Privilege escalation: off, except for a container of a host-access pod
 *   that adds SYS_ADMIN (it can escalate anyway, and the API refuses
 *   `allowPrivilegeEscalation: false` with `CAP_SYS_ADMIN`).
 * - Host access (`sglang-ananke.io/host-access: "true"` on the pod): host
 *   paths (mounted read-only), host network, PID and IPC namespaces, root and
 *   added capabilities. Everything else still applies to such pods, and a
 *   writable mount of the host's `/` is reported on any pod.
 */
import { HOST_ACCESS_LABEL } from "../components/platform/kubernetes/security";
import { type Bag, bag, list, type PodView, podsOf, type ResourceLike, str } from "./workloads";

const hasHostAccess = (pod: PodView): boolean => pod.labels[HOST_ACCESS_LABEL] === "true";

/** A container's setting, else the pod's (`securityContext.<key>`). */
function effective(pod: PodView, container: Bag, key: string): unknown {
    return bag(container.securityContext)[key] ?? bag(pod.spec.securityContext)[key];
}

const named = (pod: PodView, c: Bag) => `${pod.who} container "${str(c.name) ?? ""}"`;

/** Runs `check` on every container of a workload's pod. */
function perContainer(check: (pod: PodView, container: Bag) => string[]): (r: ResourceLike) => string[] {
    return (r) => podsOf(r).flatMap((pod) => pod.containers.flatMap((c) => check(pod, c)));
}

/** No `privileged: true`, on any pod: a privileged container owns the node. */
export const noPrivilegedPods = perContainer((pod, c) =>
    bag(c.securityContext).privileged === true
        ? [
              `${named(pod, c)} sets securityContext.privileged: true: remove it; a pod that needs the host gets the ${HOST_ACCESS_LABEL} label and only the capabilities it needs`,
          ]
        : [],
);

/** `runAsNonRoot: true` and no `runAsUser: 0`, except on host-access pods. */
export const podsRunAsNonRoot = perContainer((pod, c) => {
    if (hasHostAccess(pod)) return [];
    const problems: string[] = [];
    if (effective(pod, c, "runAsNonRoot") !== true) {
        problems.push(`${named(pod, c)} may run as root: set securityContext.runAsNonRoot: true (on the container or the pod)`);
    }
    if (effective(pod, c, "runAsUser") === 0) {
        problems.push(`${named(pod, c)} runs as root (securityContext.runAsUser: 0): run it as a non-zero user`);
    }
    return problems;
});

/** How a securityContext may name CAP_SYS_ADMIN. */
const SYS_ADMIN = ["SYS_ADMIN", "CAP_SYS_ADMIN"];

/** No privilege escalation (moot with SYS_ADMIN), every capability dropped, none added unless the pod has host access. */
export const podsDropCapabilities = perContainer((pod, c) => {
    const sc = bag(c.securityContext);
    const capabilities = bag(sc.capabilities);
    const problems: string[] = [];
    const added = list(capabilities.add).map(String);
    // Kubernetes: escalation "is always true when the container ... has CAP_SYS_ADMIN", and the
    // API refuses false with it; the capability itself is allowed on host-access pods only.
    const sysAdmin = added.some((a) => SYS_ADMIN.includes(a));
    if (sc.allowPrivilegeEscalation !== false && !(sysAdmin && hasHostAccess(pod))) {
        problems.push(`${named(pod, c)} allows privilege escalation: set securityContext.allowPrivilegeEscalation: false`);
    }
    if (!list(capabilities.drop).includes("ALL")) {
        problems.push(`${named(pod, c)} keeps the default capabilities: set securityContext.capabilities.drop: ["ALL"]`);
    }
    if (added.length > 0 && !hasHostAccess(pod)) {
        problems.push(
            `${named(pod, c)} adds capabilities ${added.join(", ")} (securityContext.capabilities.add): only pods labelled ${HOST_ACCESS_LABEL}: "true" may`,
        );
    }
    return problems;
});

/** A read-only root file system: writes go to declared volumes. */
export const podsReadOnlyRoot = perContainer((pod, c) =>
    bag(c.securityContext).readOnlyRootFilesystem === true
        ? []
        : [`${named(pod, c)} has a writable root file system: set securityContext.readOnlyRootFilesystem: true and mount a volume where it writes`],
);

const CONFINED_SECCOMP = ["RuntimeDefault", "Localhost"];

/** A seccomp profile on every container (its own or the pod's). */
export const podsSeccomp = perContainer((pod, c) => {
    const type = bag(effective(pod, c, "seccompProfile")).type;
    if (typeof type === "string" && CONFINED_SECCOMP.includes(type)) return [];
    const now = type === undefined ? "no seccomp profile" : `seccomp profile ${String(type)}`;
    return [`${named(pod, c)} runs with ${now}: set securityContext.seccompProfile.type: RuntimeDefault (on the pod or the container)`];
});

const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"];

/** Host namespaces and host paths only on host-access pods; host paths read-only; never a writable `/`. */
export function podsHostAccess(r: ResourceLike): string[] {
    return podsOf(r).flatMap(podHostAccess);
}

function podHostAccess(pod: PodView): string[] {
    const allowed = hasHostAccess(pod);
    const problems: string[] = [];
    const onlyHostAccess = `only pods labelled ${HOST_ACCESS_LABEL}: "true" may`;
    for (const key of HOST_NAMESPACES) {
        if (pod.spec[key] === true && !allowed) problems.push(`${pod.who} sets ${key}: true: ${onlyHostAccess}`);
    }
    const hostPaths = new Map<string, string>();
    for (const v of list(pod.spec.volumes).map(bag)) {
        const path = str(bag(v.hostPath).path);
        if (path === undefined) continue;
        hostPaths.set(String(v.name), path);
        if (!allowed) problems.push(`${pod.who} mounts host path ${path} (volume "${String(v.name)}"): ${onlyHostAccess}`);
    }
    for (const c of pod.containers) {
        for (const m of list(c.volumeMounts).map(bag)) {
            const path = hostPaths.get(String(m.name));
            if (path === undefined || m.readOnly === true) continue;
            const root = path.replace(/\/+$/, "") === "";
            if (allowed || root) {
                problems.push(
                    `${named(pod, c)} mounts host path ${path} writable (volumeMounts "${String(m.name)}"): set readOnly: true${root ? "; the host's / is never mounted writable" : ""}`,
                );
            }
        }
    }
    return problems;
}
