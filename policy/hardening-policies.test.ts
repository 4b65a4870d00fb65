/**
 * The hardening policies on made-up resources: for each rule, a bad resource
 * that must be reported (with a message naming the resource, the field and
 * what to do) and a near miss that must pass.
 */
import * as assert from "node:assert/strict";
import { RETAIN_ANNOTATION, retainedOnDelete } from "../components/platform/kubernetes/marks";
import { violations } from "../tests/support/policy-runner";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const DAEMONSET = "kubernetes:apps/v1:DaemonSet";
const STATEFULSET = "kubernetes:apps/v1:StatefulSet";
const CONTAINER = "docker:index/container:Container";
const HOST_ACCESS = { "sglang-ananke.io/host-access": "true" };

/** A container that meets every convention. */
function hardenedContainer(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "main",
        image: "prom/prometheus:v3.5.0",
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
        ...extra,
    };
}

/** A workload whose pod runs `containers` with the pod-level settings the conventions allow there. */
function workload(
    containers: Record<string, unknown>[],
    pod: Record<string, unknown> = {},
    labels: Record<string, string> = {},
    name = "prometheus",
): Record<string, unknown> {
    return {
        metadata: { name, labels: { "app.kubernetes.io/name": name } },
        spec: {
            template: {
                metadata: { labels: { "app.kubernetes.io/name": name, ...labels } },
                spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers, ...pod },
            },
        },
    };
}

/** A container with its securityContext merged with `sc`. */
const withContext = (sc: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const base = hardenedContainer(extra);
    return { ...base, securityContext: { ...(base.securityContext as Record<string, unknown>), ...sc } };
};

describe("hardening policies", () => {
    it("pass a workload that meets every convention", () => {
        for (const policy of [
            "no-privileged-pods",
            "pods-run-as-non-root",
            "pods-drop-capabilities",
            "pods-read-only-root",
            "pods-seccomp",
            "pods-host-access",
            "no-secrets-in-arguments",
            "claims-retained",
        ]) {
            assert.deepEqual(violations(policy, DEPLOYMENT, workload([hardenedContainer()])), [], policy);
        }
    });

    describe("no-privileged-pods", () => {
        const check = (props: Record<string, unknown>) => violations("no-privileged-pods", DAEMONSET, props);
        it("reports a privileged container, even on a host-access pod", () => {
            assert.deepEqual(check(workload([withContext({ privileged: true })], {}, HOST_ACCESS, "gpu-exporter")), [
                'DaemonSet "gpu-exporter" container "main" sets securityContext.privileged: true: remove it; a pod that needs the host gets the sglang-ananke.io/host-access label and only the capabilities it needs',
            ]);
        });
        it("passes privileged: false", () => {
            assert.deepEqual(check(workload([withContext({ privileged: false })])), []);
        });
    });

    describe("pods-run-as-non-root", () => {
        const check = (props: Record<string, unknown>) => violations("pods-run-as-non-root", DEPLOYMENT, props);
        it("reports a container that may or does run as root, init containers included", () => {
            const noPodContext = workload([hardenedContainer()], { securityContext: {} });
            assert.deepEqual(check(noPodContext), [
                'Deployment "prometheus" container "main" may run as root: set securityContext.runAsNonRoot: true (on the container or the pod)',
            ]);
            const overridden = workload([withContext({ runAsNonRoot: false })]);
            assert.equal(check(overridden).length, 1, "the container's own false wins over the pod's true");
            const root = workload([hardenedContainer()], { initContainers: [withContext({ runAsUser: 0 }, { name: "init" })] });
            assert.deepEqual(check(root), [
                'Deployment "prometheus" container "init" runs as root (securityContext.runAsUser: 0): run it as a non-zero user',
            ]);
        });
        it("passes runAsNonRoot on the container alone, and root on a host-access pod", () => {
            assert.deepEqual(check(workload([withContext({ runAsNonRoot: true, runAsUser: 65534 })], { securityContext: {} })), []);
            assert.deepEqual(check(workload([withContext({ runAsUser: 0 })], { securityContext: {} }, HOST_ACCESS)), []);
        });
    });

    describe("pods-drop-capabilities", () => {
        const check = (props: Record<string, unknown>) => violations("pods-drop-capabilities", DAEMONSET, props);
        it("reports privilege escalation, missing drops and added capabilities off host-access pods", () => {
            const bare = workload([
                hardenedContainer({ securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ["NET_RAW"], add: ["SYS_ADMIN"] } } }),
            ]);
            assert.deepEqual(check(bare), [
                'DaemonSet "prometheus" container "main" allows privilege escalation: set securityContext.allowPrivilegeEscalation: false',
                'DaemonSet "prometheus" container "main" keeps the default capabilities: set securityContext.capabilities.drop: ["ALL"]',
                'DaemonSet "prometheus" container "main" adds capabilities SYS_ADMIN (securityContext.capabilities.add): only pods labelled sglang-ananke.io/host-access: "true" may',
            ]);
        });
        it("passes an added capability on a host-access pod that still drops ALL", () => {
            const dcgm = withContext({ capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } });
            assert.deepEqual(check(workload([dcgm], {}, HOST_ACCESS, "gpu-exporter")), []);
            // Escalation is moot with SYS_ADMIN (and false is refused with CAP_SYS_ADMIN).
            const escalating = withContext({ allowPrivilegeEscalation: true, capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } });
            assert.deepEqual(check(workload([escalating], {}, HOST_ACCESS, "gpu-exporter")), []);
        });
        it("reports escalation with any other capability, or with SYS_ADMIN off host-access pods", () => {
            const netAdmin = withContext({ allowPrivilegeEscalation: true, capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } });
            assert.deepEqual(check(workload([netAdmin], {}, HOST_ACCESS, "gpu-exporter")), [
                'DaemonSet "gpu-exporter" container "main" allows privilege escalation: set securityContext.allowPrivilegeEscalation: false',
            ]);
            const sysAdmin = withContext({ allowPrivilegeEscalation: true, capabilities: { drop: ["ALL"], add: ["CAP_SYS_ADMIN"] } });
            assert.equal(check(workload([sysAdmin], {}, {}, "gpu-exporter")).length, 2, "escalation and the added capability");
        });
    });

    describe("pods-read-only-root", () => {
        const check = (props: Record<string, unknown>) => violations("pods-read-only-root", DEPLOYMENT, props);
        it("reports a writable root file system", () => {
            assert.deepEqual(check(workload([withContext({ readOnlyRootFilesystem: false })], {}, {}, "grafana")), [
                'Deployment "grafana" container "main" has a writable root file system: set securityContext.readOnlyRootFilesystem: true and mount a volume where it writes',
            ]);
        });
        it("passes a read-only root with a writable volume", () => {
            const c = hardenedContainer({ volumeMounts: [{ name: "data", mountPath: "/var/lib/grafana" }] });
            assert.deepEqual(check(workload([c], { volumes: [{ name: "data", emptyDir: {} }] })), []);
        });
    });

    describe("pods-seccomp", () => {
        const check = (props: Record<string, unknown>) => violations("pods-seccomp", DEPLOYMENT, props);
        it("reports no profile and Unconfined", () => {
            assert.deepEqual(check(workload([hardenedContainer()], { securityContext: { runAsNonRoot: true } })), [
                'Deployment "prometheus" container "main" runs with no seccomp profile: set securityContext.seccompProfile.type: RuntimeDefault (on the pod or the container)',
            ]);
            assert.deepEqual(check(workload([withContext({ seccompProfile: { type: "Unconfined" } })])), [
                'Deployment "prometheus" container "main" runs with seccomp profile Unconfined: set securityContext.seccompProfile.type: RuntimeDefault (on the pod or the container)',
            ]);
        });
        it("passes RuntimeDefault set on the container only", () => {
            const c = withContext({ seccompProfile: { type: "RuntimeDefault" } });
            assert.deepEqual(check(workload([c], { securityContext: { runAsNonRoot: true } })), []);
        });
    });

    describe("pods-host-access", () => {
        const check = (props: Record<string, unknown>) => violations("pods-host-access", DAEMONSET, props);
        const hostVolumes = [
            { name: "proc", hostPath: { path: "/proc" } },
            { name: "root", hostPath: { path: "/" } },
        ];
        const mounts = (readOnly: boolean) => [
            { name: "proc", mountPath: "/host/proc", readOnly },
            { name: "root", mountPath: "/host/root", readOnly },
        ];
        it("reports host namespaces and host paths on a pod without host access, and the host's / writable", () => {
            const pod = { hostNetwork: true, hostPID: true, volumes: hostVolumes };
            assert.deepEqual(check(workload([hardenedContainer({ volumeMounts: mounts(false) })], pod, {}, "node-exporter")), [
                'DaemonSet "node-exporter" sets hostNetwork: true: only pods labelled sglang-ananke.io/host-access: "true" may',
                'DaemonSet "node-exporter" sets hostPID: true: only pods labelled sglang-ananke.io/host-access: "true" may',
                'DaemonSet "node-exporter" mounts host path /proc (volume "proc"): only pods labelled sglang-ananke.io/host-access: "true" may',
                'DaemonSet "node-exporter" mounts host path / (volume "root"): only pods labelled sglang-ananke.io/host-access: "true" may',
                'DaemonSet "node-exporter" container "main" mounts host path / writable (volumeMounts "root"): set readOnly: true; the host\'s / is never mounted writable',
            ]);
        });
        it("reports writable host paths on a host-access pod", () => {
            const pod = { hostNetwork: true, hostPID: true, volumes: hostVolumes };
            assert.deepEqual(check(workload([hardenedContainer({ volumeMounts: mounts(false) })], pod, HOST_ACCESS, "node-exporter")), [
                'DaemonSet "node-exporter" container "main" mounts host path /proc writable (volumeMounts "proc"): set readOnly: true',
                'DaemonSet "node-exporter" container "main" mounts host path / writable (volumeMounts "root"): set readOnly: true; the host\'s / is never mounted writable',
            ]);
        });
        it("passes read-only host paths and host namespaces on a host-access pod", () => {
            const pod = { hostNetwork: true, hostPID: true, volumes: hostVolumes };
            assert.deepEqual(check(workload([hardenedContainer({ volumeMounts: mounts(true) })], pod, HOST_ACCESS, "node-exporter")), []);
        });
    });

    describe("rbac-no-wildcards", () => {
        const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
        const check = (rules: unknown[]) => violations("rbac-no-wildcards", CLUSTER_ROLE, { metadata: { name: "prometheus" }, rules });
        it("reports * in verbs, resources and apiGroups", () => {
            assert.deepEqual(
                check([
                    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
                    { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
                ]),
                [
                    'ClusterRole "prometheus" rules[1].verbs contains "*": list the verbs the rule needs',
                    'ClusterRole "prometheus" rules[1].resources contains "*": list the resources the rule needs',
                    'ClusterRole "prometheus" rules[1].apiGroups contains "*": list the apiGroups the rule needs',
                ],
            );
            assert.equal(
                violations("rbac-no-wildcards", "kubernetes:rbac.authorization.k8s.io/v1:Role", {
                    rules: [{ resources: ["pods/*"], verbs: ["get"] }],
                }).length,
                1,
            );
        });
        it("passes listed verbs, resources and the core group", () => {
            assert.deepEqual(
                check([{ apiGroups: ["", "discovery.k8s.io"], resources: ["pods", "endpointslices"], verbs: ["get", "list", "watch"] }]),
                [],
            );
        });
    });

    describe("load-balancers-restricted", () => {
        const SERVICE = "kubernetes:core/v1:Service";
        const service = (spec: Record<string, unknown>) => ({ metadata: { name: "grafana" }, spec: { type: "LoadBalancer", ...spec } });
        const check = (props: Record<string, unknown>) => violations("load-balancers-restricted", SERVICE, props);
        it("reports a LoadBalancer without source ranges, or open to everyone", () => {
            assert.deepEqual(check(service({})), [
                'Service "grafana" is a public LoadBalancer: set spec.loadBalancerSourceRanges to the networks that may reach it',
            ]);
            assert.deepEqual(check(service({ loadBalancerSourceRanges: [] })).length, 1);
            assert.deepEqual(check(service({ loadBalancerSourceRanges: ["10.0.0.0/8", "0.0.0.0/0", "::/0"] })), [
                'Service "grafana" spec.loadBalancerSourceRanges admits 0.0.0.0/0, ::/0: list the networks that may reach it instead',
            ]);
        });
        it("passes listed ranges, and Services of other types", () => {
            assert.deepEqual(check(service({ loadBalancerSourceRanges: ["203.0.113.0/24", "2001:db8::/32"] })), []);
            assert.deepEqual(check({ metadata: { name: "grafana" }, spec: { type: "ClusterIP" } }), []);
        });
    });

    describe("claims-retained", () => {
        const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
        const NAMESPACE = "kubernetes:core/v1:Namespace";
        const claim = (annotations?: Record<string, string>) => ({ metadata: { name: "prometheus-data", ...(annotations ? { annotations } : {}) } });
        it("reports a claim or Namespace pulumi destroy would delete, and a StatefulSet that deletes its claims", () => {
            assert.deepEqual(violations("claims-retained", PVC, claim()), [
                `PersistentVolumeClaim "prometheus-data" would be deleted with its data by pulumi destroy: create it with retainOnDelete: true and the annotation ${RETAIN_ANNOTATION}: "true" (retainedOnDelete() in components/platform/kubernetes/marks.ts), or protect: true`,
            ]);
            assert.equal(violations("claims-retained", PVC, claim({ [RETAIN_ANNOTATION]: "false" })).length, 1);
            assert.equal(violations("claims-retained", NAMESPACE, { metadata: { name: "sglang" } }).length, 1);
            const sts = {
                metadata: { name: "prometheus" },
                spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" } },
            };
            assert.deepEqual(violations("claims-retained", STATEFULSET, sts), [
                'StatefulSet "prometheus" deletes its claims (spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Delete): set it to Retain',
            ]);
        });
        it("passes the annotation, protect, and a StatefulSet with the default retention", () => {
            // What retainedOnDelete() gives the program to create a claim with.
            const { annotations, opts } = retainedOnDelete();
            assert.deepEqual(opts, { retainOnDelete: true });
            assert.deepEqual(violations("claims-retained", PVC, claim(annotations)), []);
            assert.deepEqual(violations("claims-retained", NAMESPACE, { metadata: { name: "sglang" } }, { protect: true }), []);
            assert.deepEqual(violations("claims-retained", STATEFULSET, { metadata: { name: "prometheus" }, spec: {} }), []);
        });
    });

    describe("docker-containers-hardened", () => {
        const hardened = {
            name: "sglang-ananke-dev-prometheus",
            securityOpts: ["no-new-privileges:true"],
            capabilities: { drops: ["ALL"] },
            logDriver: "json-file",
        };
        const check = (props: Record<string, unknown>) => violations("docker-containers-hardened", CONTAINER, props);
        it("reports privileged mode, missing no-new-privileges, kept capabilities and no log driver", () => {
            assert.deepEqual(check({ name: "sglang-ananke-dev-prometheus", privileged: true, capabilities: { drops: ["NET_RAW"] } }), [
                'docker container "sglang-ananke-dev-prometheus" sets privileged: true: remove it and add only the capabilities it needs (capabilities.adds)',
                'docker container "sglang-ananke-dev-prometheus" lets processes gain privileges: add "no-new-privileges:true" to securityOpts',
                'docker container "sglang-ananke-dev-prometheus" keeps Docker\'s default capabilities: set capabilities.drops: ["ALL"] (and adds for what it needs)',
                'docker container "sglang-ananke-dev-prometheus" has no logDriver: set one (json-file or local, with max-size in logOpts) so its logs cannot fill the disk',
            ]);
            for (const off of ["no-new-privileges:false", "no-new-privileges=0", "no-new-privileges=yes", "seccomp=unconfined"])
                assert.equal(check({ ...hardened, securityOpts: [off] }).length, 1, off);
        });
        it("passes a hardened container that adds one capability", () => {
            assert.deepEqual(check({ ...hardened, capabilities: { drops: ["ALL"], adds: ["SYS_ADMIN"] }, privileged: false }), []);
            // Every spelling Docker's daemon reads as on.
            for (const on of ["no-new-privileges", "no-new-privileges=true", "no-new-privileges=1", "no-new-privileges:True"])
                assert.deepEqual(check({ ...hardened, securityOpts: [on] }), [], on);
        });
    });
});
