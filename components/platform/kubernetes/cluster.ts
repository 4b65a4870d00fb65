/**
 * The Kubernetes platform: a provider for the configured cluster and context,
 * the stack's Namespace, and `deploy`, which turns a `ServiceSpec` into a
 * ConfigMap and Secret for its files, PersistentVolumeClaims for its data,
 * a Deployment (or a DaemonSet for per-node services) and a Service.
 */
// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as policyv1 from "@pulumi/kubernetes/policy/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../../settings";
import { peerServiceName } from "../definition";
import { type DeployedService, type Platform, type ServiceSpec, workloadName } from "../types";
import { namespacedApiAccess } from "./apiAccess";
import { stackLabels, workloadLabels } from "./labels";
import { retainedOnDelete } from "./marks";
import { discoveryServiceAccount } from "./rbac";
import { needsHostNamespace, serviceAddress } from "./topology";
import {
    claimName,
    claimSpec,
    daemonSetSpec,
    deploymentSpec,
    disruptionBudgetSpec,
    fileKey,
    groupSetName,
    LEADER_WORKER_SET,
    LEADER_WORKER_SET_AWAIT,
    leaderWorkerSetSpec,
    type PodRefs,
    peerServiceSpecOf,
    serviceSpecOf,
    statefulSetSpec,
} from "./workload";

export interface KubernetesClusterArgs {
    settings: Settings;
}

/**
 * Objects that hold data (claims, the namespaces): `pulumi destroy` removes
 * them from the stack but leaves them in the cluster. Deleting them is a
 * deliberate `kubectl delete` (README: Data).
 */
const KEEP = retainedOnDelete();

/** Extra time beyond a service's startup allowance before `pulumi up` gives up on a rollout. */
const ROLLOUT_MARGIN_SECONDS = 600;

/** Pod Security admission labels enforcing a level, and warning and auditing at it. */
const podSecurity = (level: "restricted" | "privileged"): Record<string, string> =>
    Object.fromEntries(["enforce", "audit", "warn"].map((mode) => [`pod-security.kubernetes.io/${mode}`, level]));

/**
 * Pod Security of the stack's namespace: `restricted`. Every pod placed in
 * it complies (the pod templates come from `security.ts`, and the pods that
 * use the node go to the host namespace instead; the tests check each
 * rendered pod against the standard).
 */
export const STACK_POD_SECURITY = podSecurity("restricted");

/**
 * Pod Security of the host namespace: `privileged`. Node exporter needs
 * host PID and network namespaces and host paths, the DCGM exporter
 * SYS_ADMIN; `baseline` forbids each of them.
 */
export const HOST_POD_SECURITY = podSecurity("privileged");

/**
 * The address of a LoadBalancer Service's port. The provider waits for the
 * load balancer before the Service counts as created, so the address is set.
 */
function loadBalancerUrl(name: string, service: corev1.Service, port: number): pulumi.Output<string> {
    return service.status.apply((st) => {
        const ingress = st?.loadBalancer?.ingress?.[0];
        const host = ingress?.hostname || ingress?.ip;
        if (!host) throw new Error(`the load balancer of Service ${name} has no address`);
        return `http://${host}:${port}`;
    });
}

export class KubernetesCluster extends pulumi.ComponentResource implements Platform {
    readonly provider: KubernetesProvider;
    readonly namespace: corev1.Namespace;
    /** The namespace's name, known before deployment (addresses are built from it). */
    readonly namespaceName: string;
    /** The namespace of the pods that use the node, when the stack runs any. */
    readonly hostNamespace?: corev1.Namespace;
    private readonly settings: Settings;

    constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:kubernetes:Cluster", name, {}, opts);
        const k = args.settings.kubernetes;
        this.settings = args.settings;
        this.namespaceName = k.namespace;
        this.provider = new KubernetesProvider(
            `${name}-provider`,
            {
                ...(k.context ? { context: k.context } : {}),
                namespace: k.namespace,
                // Data changes update a ConfigMap or Secret in place unless it is
                // marked immutable (see deploy): reloading services see them live.
                enableConfigMapMutable: true,
                enableSecretMutable: true,
            },
            { parent: this },
        );
        this.namespace = new corev1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: k.namespace,
                    labels: { ...stackLabels(args.settings.stack, "namespace"), ...STACK_POD_SECURITY },
                    annotations: KEEP.annotations,
                },
            },
            // Destroying the namespace would delete every claim in it.
            { parent: this, provider: this.provider, ...KEEP.opts },
        );
        if (needsHostNamespace(args.settings)) {
            this.hostNamespace = new corev1.Namespace(
                `${name}-host-namespace`,
                {
                    metadata: {
                        name: k.hostNamespace,
                        labels: { ...stackLabels(args.settings.stack, "host-namespace"), ...HOST_POD_SECURITY },
                        annotations: KEEP.annotations,
                    },
                },
                // Kept like the stack's own: a namespace is never deleted under running pods by a destroy.
                { parent: this, provider: this.provider, ...KEEP.opts },
            );
        }
        this.registerOutputs({ namespace: this.namespace.metadata.name, hostNamespace: this.hostNamespace?.metadata.name });
    }

    /** Options for a Kubernetes resource of this cluster, parented to `parent`. */
    resourceOptions(parent: pulumi.Resource): pulumi.CustomResourceOptions {
        return { parent, provider: this.provider, dependsOn: this.namespaces() };
    }

    /** The namespaces the stack creates (objects may go in either: a Role in the host namespace, say). */
    private namespaces(): corev1.Namespace[] {
        return this.hostNamespace ? [this.namespace, this.hostNamespace] : [this.namespace];
    }

    deploy(spec: ServiceSpec, parent: pulumi.ComponentResource): DeployedService {
        const settings = this.settings;
        const opts = this.resourceOptions(parent);
        const hostNamespace = this.hostNamespace;
        if (spec.kubernetes.hostAccess && !hostNamespace) throw new Error(`${spec.name} uses the host but the stack has no host namespace`);
        const namespace = spec.kubernetes.hostAccess && hostNamespace ? hostNamespace.metadata.name : this.namespace.metadata.name;
        // A service's several workloads (SGLang's models) each have their own objects, named after the workload.
        const name = workloadName(spec);
        const labels = workloadLabels(spec, settings.stack);
        const metadata = { namespace, labels };
        const refs: PodRefs = {};
        const ready: pulumi.Resource[] = [];
        /** Objects the pods need before they can start (referenced by plain name, so not implied). */
        const prerequisites: pulumi.Resource[] = [];

        const keys = new Map<string, string>();
        for (const f of spec.files) {
            const key = fileKey(f.path);
            if (keys.has(key)) throw new Error(`${spec.name}: files ${keys.get(key)} and ${f.path} map to the same key ${key}`);
            keys.set(key, f.path);
        }
        const plainFiles = spec.files.filter((f) => !f.secret);
        const secretFiles = spec.files.filter((f) => f.secret);
        const reloads = spec.kubernetes.reloadsConfig === true;
        // A service that reloads its files gets a ConfigMap and Secret under a
        // fixed name, updated in place (the provider's mutable ConfigMaps and
        // Secrets): the pod template does not change, the sidecar reloads.
        // Any other service's are immutable and auto-named: a change replaces
        // them under a new name, which rolls the pods onto the new files.
        const fileObject = (suffix: string) => (reloads ? { metadata: { ...metadata, name: `${name}-${suffix}` } } : { metadata, immutable: true });
        if (plainFiles.length > 0) {
            const cm = new corev1.ConfigMap(
                `${name}-config`,
                { ...fileObject("config"), data: Object.fromEntries(plainFiles.map((f) => [fileKey(f.path), f.content])) },
                opts,
            );
            refs.configMapName = reloads ? `${name}-config` : cm.metadata.name;
            if (reloads) prerequisites.push(cm);
        }
        if (secretFiles.length > 0) {
            const secret = new corev1.Secret(
                `${name}-secrets`,
                {
                    ...fileObject("secrets"),
                    type: "Opaque",
                    stringData: Object.fromEntries(secretFiles.map((f) => [fileKey(f.path), pulumi.secret(f.content)])),
                },
                { ...opts, additionalSecretOutputs: ["data", "stringData"] },
            );
            refs.secretName = reloads ? `${name}-secrets` : secret.metadata.name;
            if (reloads) prerequisites.push(secret);
        }
        // A StatefulSet creates its pods' claims from its templates.
        for (const v of spec.kubernetes.stateful ? [] : spec.volumes) {
            const claim = new corev1.PersistentVolumeClaim(
                claimName(spec, v),
                {
                    metadata: { ...metadata, name: claimName(spec, v), annotations: KEEP.annotations },
                    spec: claimSpec(spec, v, settings),
                },
                { ...opts, ...KEEP.opts },
            );
            prerequisites.push(claim);
        }
        if (spec.kubernetes.discoversPods) {
            // Kubernetes service discovery needs read access to pods.
            const account = discoveryServiceAccount(spec, settings, namespace, opts);
            refs.serviceAccountName = account.name;
            prerequisites.push(...account.resources);
        } else if (spec.kubernetes.apiAccess) {
            const account = namespacedApiAccess(spec, settings, namespace, opts);
            refs.serviceAccountName = account.name;
            prerequisites.push(...account.resources);
        }

        const rolloutTimeout = `${(spec.health?.startupSeconds ?? 0) + ROLLOUT_MARGIN_SECONDS}s`;
        const workloadOpts = {
            ...opts,
            dependsOn: [...this.namespaces(), ...prerequisites],
            customTimeouts: { create: rolloutTimeout, update: rolloutTimeout },
        };
        if (spec.kubernetes.stateful) {
            const peers = peerServiceName(spec.name);
            prerequisites.push(new corev1.Service(peers, { metadata: { ...metadata, name: peers }, spec: peerServiceSpecOf(spec, settings) }, opts));
        }
        const workloadArgs = { metadata: { ...metadata, name } };
        const workload = spec.kubernetes.group
            ? // Needs the LWS controller and its CRD in the cluster (README: A model across nodes).
              new CustomResource(
                  groupSetName(spec),
                  {
                      ...LEADER_WORKER_SET,
                      metadata: { ...metadata, name: groupSetName(spec), annotations: { ...LEADER_WORKER_SET_AWAIT } },
                      spec: leaderWorkerSetSpec(spec, settings, refs),
                  },
                  workloadOpts,
              )
            : spec.perNode
              ? new appsv1.DaemonSet(name, { ...workloadArgs, spec: daemonSetSpec(spec, settings, refs) }, workloadOpts)
              : spec.kubernetes.stateful
                ? new appsv1.StatefulSet(
                      name,
                      { ...workloadArgs, spec: statefulSetSpec(spec, settings, refs) },
                      { ...workloadOpts, dependsOn: [...this.namespaces(), ...prerequisites] },
                  )
                : new appsv1.Deployment(name, { ...workloadArgs, spec: deploymentSpec(spec, settings, refs) }, workloadOpts);
        const budget = disruptionBudgetSpec(spec, settings);
        if (budget) new policyv1.PodDisruptionBudget(name, { metadata: { ...metadata, name }, spec: budget }, opts);
        const serviceSpec = serviceSpecOf(spec, settings);
        const service = new corev1.Service(name, { metadata: { ...metadata, name }, spec: serviceSpec }, opts);
        ready.push(workload, service);

        const port = (portName: string) => {
            const p = spec.ports.find((x) => x.name === portName);
            if (!p) throw new Error(`${spec.name} has no port named ${portName}`);
            return p;
        };
        return {
            address: (portName) =>
                serviceAddress(
                    name,
                    spec.kubernetes.hostAccess ? settings.kubernetes.hostNamespace : this.namespaceName,
                    port(portName).containerPort,
                ),
            ...(serviceSpec.type === "LoadBalancer"
                ? { loadBalancerUrl: (portName: string) => loadBalancerUrl(name, service, port(portName).containerPort) }
                : {}),
            readyResources: ready,
        };
    }
}
