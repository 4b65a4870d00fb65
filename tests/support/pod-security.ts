/**
 * The Pod Security Standards' `baseline` and `restricted` rules, as the
 * Kubernetes documentation states them
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
 * checked on a pod template. Pod Security admission applies the same rules
 * when a namespace is labelled with a level; the tests run this checker on
 * every pod the stack renders, so a pod that admission would refuse fails
 * here first.
 */

export type PodSecurityLevel = "baseline" | "restricted";

/** Capabilities `baseline` lets a container add (the container runtime's defaults). */
const BASELINE_CAPABILITIES = new Set([
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
]);
/** The only volume types `restricted` admits. */
const RESTRICTED_VOLUME_TYPES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);

/** A rendered object: plain JSON. */
type Json = any;

/** Every container of a pod: regular, init and ephemeral. */
const containersOf = (spec: Json): Json[] => [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];

function baseline(template: Json): string[] {
    const spec = template.spec ?? {};
    const pod = spec.securityContext ?? {};
    const problems: string[] = [];
    const containers = containersOf(spec);
    const contexts: [string, Json][] = [["pod", pod], ...containers.map((c): [string, Json] => [`container ${c.name}`, c.securityContext ?? {}])];
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[field]) problems.push(`${field} is true`);
    for (const [where, sc] of contexts) {
        if (sc.windowsOptions?.hostProcess) problems.push(`${where}: windowsOptions.hostProcess`);
        if (sc.seLinuxOptions && (!SELINUX_TYPES.has(sc.seLinuxOptions.type ?? "") || sc.seLinuxOptions.user || sc.seLinuxOptions.role)) {
            problems.push(`${where}: seLinuxOptions ${JSON.stringify(sc.seLinuxOptions)}`);
        }
        if (sc.seccompProfile?.type === "Unconfined") problems.push(`${where}: seccompProfile Unconfined`);
        if (sc.appArmorProfile && !["RuntimeDefault", "Localhost"].includes(sc.appArmorProfile.type)) {
            problems.push(`${where}: appArmorProfile ${sc.appArmorProfile.type}`);
        }
    }
    for (const c of containers) {
        const sc = c.securityContext ?? {};
        if (sc.privileged) problems.push(`container ${c.name}: privileged`);
        for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(cap)) problems.push(`container ${c.name}: adds ${cap}`);
        if (sc.procMount && sc.procMount !== "Default") problems.push(`container ${c.name}: procMount ${sc.procMount}`);
        for (const p of c.ports ?? []) if (p.hostPort) problems.push(`container ${c.name}: hostPort ${p.hostPort}`);
    }
    for (const v of spec.volumes ?? []) if (v.hostPath) problems.push(`volume ${v.name}: hostPath`);
    for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) problems.push(`sysctl ${s.name}`);
    for (const [key, value] of Object.entries(template.metadata?.annotations ?? {})) {
        if (
            key.startsWith("container.apparmor.security.beta.kubernetes.io/") &&
            value !== "runtime/default" &&
            !String(value).startsWith("localhost/")
        ) {
            problems.push(`annotation ${key}: ${value}`);
        }
    }
    return problems;
}

function restricted(template: Json): string[] {
    const spec = template.spec ?? {};
    const pod = spec.securityContext ?? {};
    const problems = baseline(template);
    for (const v of spec.volumes ?? []) {
        const type = Object.keys(v).find((k) => k !== "name");
        if (!type || !RESTRICTED_VOLUME_TYPES.has(type)) problems.push(`volume ${v.name}: type ${type}`);
    }
    if (pod.runAsUser === 0) problems.push("pod: runAsUser 0");
    const seccompOk = (sc: Json) => ["RuntimeDefault", "Localhost"].includes(sc?.seccompProfile?.type);
    for (const c of containersOf(spec)) {
        const sc = c.securityContext ?? {};
        if (sc.allowPrivilegeEscalation !== false) problems.push(`container ${c.name}: allowPrivilegeEscalation is not false`);
        // Non-root: set on the container, or on the pod and not overridden by the container.
        if (!(sc.runAsNonRoot === true || (pod.runAsNonRoot === true && sc.runAsNonRoot !== false))) {
            problems.push(`container ${c.name}: runAsNonRoot is not true`);
        }
        if (sc.runAsUser === 0) problems.push(`container ${c.name}: runAsUser 0`);
        if (!(seccompOk(sc) || (seccompOk(pod) && sc.seccompProfile === undefined))) {
            problems.push(`container ${c.name}: seccompProfile is not RuntimeDefault or Localhost`);
        }
        if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`container ${c.name}: does not drop ALL capabilities`);
        for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") problems.push(`container ${c.name}: adds ${cap}`);
    }
    return [...new Set(problems)];
}

/** What a pod template does that the level forbids; empty when Pod Security admission would admit it. */
export function podSecurityViolations(template: Json, level: PodSecurityLevel): string[] {
    return level === "restricted" ? restricted(template) : baseline(template);
}
