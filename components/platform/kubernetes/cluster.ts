/**
 * The Kubernetes platform: a provider for the configured cluster and context,
 * the stack's Namespace, and `deploy`, which turns a `ServiceSpec` into a
 * ConfigMap and Secret for its files, PersistentVolumeClaims for its data,
 * a Deployment (or a DaemonSet for per-node services) and a Service.
 */
// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as policyv1 from "@pulumi/kubernetes/policy/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../../settings";
import { deployedServices } from "../../services";
import { peerServiceName } from "../definition";
import type { DeployedService, Platform, ServiceSpec } from "../types";
import { namespacedApiAccess } from "./apiAccess";
import { serviceLabels, stackLabels } from "./labels";
import { discoveryServiceAccount } from "./rbac";
import { serviceAddress } from "./topology";
import {
    claimName,
    claimSpec,
    daemonSetSpec,
    deploymentSpec,
    disruptionBudgetSpec,
    fileKey,
    type PodRefs,
    peerServiceSpecOf,
    serviceSpecOf,
    statefulSetSpec,
} from "./workload";

export interface KubernetesClusterArgs {
    settings: Settings;
}

/** Extra time beyond a service's startup allowance before `pulumi up` gives up on a rollout. */
const ROLLOUT_MARGIN_SECONDS = 600;

/**
 * Pod Security admission level of the namespace: node exporter (host PID,
 * network and paths) and the DCGM exporter (SYS_ADMIN) need "privileged";
 * SGLang alone passes "baseline".
 */
export function podSecurityLabels(settings: Settings): Record<string, string> {
    const privileged = deployedServices(settings).some((s) => s.kubernetes?.privileged);
    return { "pod-security.kubernetes.io/enforce": privileged ? "privileged" : "baseline" };
}

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
    private readonly settings: Settings;

    constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:kubernetes:Cluster", name, {}, opts);
        const k = args.settings.kubernetes;
        this.settings = args.settings;
        this.namespaceName = k.namespace;
        this.provider = new KubernetesProvider(
            `${name}-provider`,
            { ...(k.context ? { context: k.context } : {}), namespace: k.namespace },
            { parent: this },
        );
        this.namespace = new corev1.Namespace(
            `${name}-namespace`,
            { metadata: { name: k.namespace, labels: { ...stackLabels(args.settings.stack, "namespace"), ...podSecurityLabels(args.settings) } } },
            { parent: this, provider: this.provider },
        );
        this.registerOutputs({ namespace: this.namespace.metadata.name });
    }

    /** Options for a Kubernetes resource of this cluster, parented to `parent`. */
    resourceOptions(parent: pulumi.Resource): pulumi.CustomResourceOptions {
        return { parent, provider: this.provider, dependsOn: [this.namespace] };
    }

    deploy(spec: ServiceSpec, parent: pulumi.ComponentResource): DeployedService {
        const settings = this.settings;
        const opts = this.resourceOptions(parent);
        const namespace = this.namespace.metadata.name;
        const labels = serviceLabels(spec, settings.stack);
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
        // No metadata.name: Pulumi names them with a suffix and replaces them
        // when their content changes, which rolls the pods onto the new files.
        if (plainFiles.length > 0) {
            const cm = new corev1.ConfigMap(
                `${spec.name}-config`,
                { metadata, data: Object.fromEntries(plainFiles.map((f) => [fileKey(f.path), f.content])) },
                opts,
            );
            refs.configMapName = cm.metadata.name;
        }
        if (secretFiles.length > 0) {
            const secret = new corev1.Secret(
                `${spec.name}-secrets`,
                {
                    metadata,
                    type: "Opaque",
                    stringData: Object.fromEntries(secretFiles.map((f) => [fileKey(f.path), pulumi.secret(f.content)])),
                },
                { ...opts, additionalSecretOutputs: ["data", "stringData"] },
            );
            refs.secretName = secret.metadata.name;
        }
        // A StatefulSet creates its pods' claims from its templates.
        for (const v of spec.kubernetes.stateful ? [] : spec.volumes) {
            const claim = new corev1.PersistentVolumeClaim(
                claimName(spec, v),
                { metadata: { ...metadata, name: claimName(spec, v) }, spec: claimSpec(spec, v, settings) },
                opts,
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
            dependsOn: [this.namespace, ...prerequisites],
            customTimeouts: { create: rolloutTimeout, update: rolloutTimeout },
        };
        if (spec.kubernetes.stateful) {
            const peers = peerServiceName(spec.name);
            prerequisites.push(new corev1.Service(peers, { metadata: { ...metadata, name: peers }, spec: peerServiceSpecOf(spec, settings) }, opts));
        }
        const workloadArgs = { metadata: { ...metadata, name: spec.name } };
        const workload = spec.perNode
            ? new appsv1.DaemonSet(spec.name, { ...workloadArgs, spec: daemonSetSpec(spec, settings, refs) }, workloadOpts)
            : spec.kubernetes.stateful
              ? new appsv1.StatefulSet(
                    spec.name,
                    { ...workloadArgs, spec: statefulSetSpec(spec, settings, refs) },
                    { ...workloadOpts, dependsOn: [this.namespace, ...prerequisites] },
                )
              : new appsv1.Deployment(spec.name, { ...workloadArgs, spec: deploymentSpec(spec, settings, refs) }, workloadOpts);
        const budget = disruptionBudgetSpec(spec, settings);
        if (budget) new policyv1.PodDisruptionBudget(spec.name, { metadata: { ...metadata, name: spec.name }, spec: budget }, opts);
        const serviceSpec = serviceSpecOf(spec, settings);
        const service = new corev1.Service(spec.name, { metadata: { ...metadata, name: spec.name }, spec: serviceSpec }, opts);
        ready.push(workload, service);

        const port = (name: string) => {
            const p = spec.ports.find((x) => x.name === name);
            if (!p) throw new Error(`${spec.name} has no port named ${name}`);
            return p;
        };
        return {
            address: (name) => serviceAddress(spec.name, this.namespaceName, port(name).containerPort),
            ...(serviceSpec.type === "LoadBalancer"
                ? { loadBalancerUrl: (name: string) => loadBalancerUrl(spec.name, service, port(name).containerPort) }
                : {}),
            readyResources: ready,
        };
    }
}
