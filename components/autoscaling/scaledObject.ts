/**
 * Autoscaling of SGLang with KEDA on three signals of an LLM server together:
 * requests waiting in the queue, KV-cache usage, and time to first token
 * against the latency SLO. Each is a trigger; the HPA that KEDA drives takes
 * the most replicas any trigger asks for. A busy GPU is the normal state of an
 * LLM server, so CPU or GPU utilisation says nothing about saturation.
 * Optionally the replicas go to zero, woken by requests at the router.
 */
// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { ROUTER_INFERENCE_RATE, SGLANG_KV_CACHE_USAGE, SGLANG_QUEUED_REQUESTS, SGLANG_TTFT_P95 } from "../../monitoring/series";
import { JOB, JOB_ROUTER } from "../../monitoring/types";
import { serviceUrls } from "../../monitoring/urls";
import type { Settings } from "../../settings";
import type { KubernetesCluster } from "../platform/kubernetes/cluster";
import { stackLabels } from "../platform/kubernetes/labels";

export const KEDA_API = "keda.sh/v1alpha1";
/** Failed queries in a row after which KEDA holds `fallbackReplicas`. */
export const FALLBACK_FAILURE_THRESHOLD = 3;

/** The Prometheus KEDA queries: the bundled one, or the cluster's in operator mode. */
export function queuePrometheusUrl(settings: Settings): string {
    return serviceUrls(settings, "prometheus").internal;
}

/** The stack's SGLang servers in a selector. */
function sglangSelector(settings: Settings): string {
    return `{job="${JOB.sglang}", namespace="${settings.kubernetes.namespace}"}`;
}

/** Requests waiting across every SGLang pod of the stack (the recorded series, ranks already summed); 0 with no pod. */
export function queueDepthQuery(settings: Settings): string {
    return `sum(${SGLANG_QUEUED_REQUESTS}${sglangSelector(settings)}) or vector(0)`;
}

/**
 * KV-cache usage summed over the pods. Under AverageValue the HPA wants
 * ceil(sum / threshold) replicas, i.e. the mean usage held at the threshold.
 */
export function kvCacheQuery(settings: Settings): string {
    return `sum(${SGLANG_KV_CACHE_USAGE}${sglangSelector(settings)}) or vector(0)`;
}

/**
 * TTFT P95 summed over the pods: against the SLO's TTFT threshold under
 * AverageValue, the replicas grow in proportion to the mean P95's excess.
 * A pod without requests in the window has a NaN quantile: `>= 0` drops it.
 */
export function ttftQuery(settings: Settings): string {
    return `sum(${SGLANG_TTFT_P95}${sglangSelector(settings)} >= 0) or vector(0)`;
}

/**
 * 1 while clients send inference requests to the router (its responses, the
 * 503s of "no available worker" at zero replicas included), else 0: wakes
 * the replicas from zero and holds one while requests come.
 */
export function routerRequestsQuery(settings: Settings): string {
    return `(sum(${ROUTER_INFERENCE_RATE}{job="${JOB_ROUTER}", namespace="${settings.kubernetes.namespace}"}) > bool 0) or vector(0)`;
}

/** One named Prometheus trigger of the ScaledObject. */
export interface TriggerSpec {
    name: string;
    query: string;
    /** Per replica (AverageValue: desired = ceil(value / threshold)). */
    threshold: number;
    /** Above it, the ScaledObject is active (counts only from and to zero replicas). */
    activationThreshold?: number;
}

/** The triggers, in the order they appear. */
export function triggerSpecs(settings: Settings): TriggerSpec[] {
    const a = settings.kubernetes.autoscaling;
    const scaling: TriggerSpec[] = [
        { name: "queue-depth", query: queueDepthQuery(settings), threshold: a.queueThreshold },
        { name: "kv-cache-usage", query: kvCacheQuery(settings), threshold: a.kvCacheThreshold },
        { name: "ttft-p95", query: ttftQuery(settings), threshold: settings.slo.latencyThresholdSeconds },
    ];
    // At zero replicas the three read 0: only the router sees demand.
    return a.scaleToZero
        ? [...scaling, { name: "router-requests", query: routerRequestsQuery(settings), threshold: 1, activationThreshold: 0 }]
        : scaling;
}

/** Name of the TriggerAuthentication (and its Secret) KEDA authenticates to the stack's Prometheus with. */
export const PROMETHEUS_TRIGGER_AUTH = "sglang-autoscaler-prometheus";

/** The ScaledObject as plain data. */
export function scaledObject(
    settings: Settings,
    deploymentName: string,
    /** The trigger authenticates through PROMETHEUS_TRIGGER_AUTH (the stack's own Prometheus requires basic auth). */
    authenticated = false,
): { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> } {
    const a = settings.kubernetes.autoscaling;
    return {
        apiVersion: KEDA_API,
        kind: "ScaledObject",
        metadata: { name: deploymentName, namespace: settings.kubernetes.namespace, labels: stackLabels(settings.stack, "autoscaling") },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
            pollingInterval: 30,
            // KEDA's cooldownPeriod only governs scaling to zero; the HPA's
            // stabilization window governs 1..N. Both get the configured calm period.
            cooldownPeriod: a.cooldownSeconds,
            minReplicaCount: a.minReplicas,
            maxReplicaCount: a.maxReplicas,
            fallback: { failureThreshold: FALLBACK_FAILURE_THRESHOLD, replicas: a.fallbackReplicas },
            advanced: {
                horizontalPodAutoscalerConfig: {
                    behavior: {
                        // A new replica costs a model load: a spike shorter than the window does not start one.
                        scaleUp: { stabilizationWindowSeconds: a.scaleUpSeconds },
                        // A replica takes minutes to load its model: drop one at a time.
                        scaleDown: { stabilizationWindowSeconds: a.cooldownSeconds, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
                    },
                },
            },
            triggers: triggerSpecs(settings).map((t) => ({
                type: "prometheus",
                name: t.name,
                // AverageValue: the threshold is per replica (and fallback requires it).
                metricType: "AverageValue",
                metadata: {
                    serverAddress: queuePrometheusUrl(settings),
                    query: t.query,
                    threshold: String(t.threshold),
                    ...(t.activationThreshold !== undefined ? { activationThreshold: String(t.activationThreshold) } : {}),
                    ...(authenticated ? { authModes: "basic" } : {}),
                },
                ...(authenticated ? { authenticationRef: { name: PROMETHEUS_TRIGGER_AUTH } } : {}),
            })),
        },
    };
}

export interface QueueAutoscalerArgs {
    settings: Settings;
    cluster: KubernetesCluster;
    /** The SGLang Deployment's resources (the ScaledObject follows it). */
    target: pulumi.Resource[];
    /** The stack's Prometheus' basic auth (password a secret); absent = the cluster's Prometheus, without. */
    prometheusAuth?: { username: string; password: pulumi.Output<string> };
}

/** The KEDA ScaledObject for the SGLang Deployment (needs KEDA installed in the cluster). */
export class QueueAutoscaler extends pulumi.ComponentResource {
    constructor(name: string, args: QueueAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:autoscaling:QueueAutoscaler", name, {}, opts);
        const auth = args.prometheusAuth;
        const o = scaledObject(args.settings, "sglang", auth !== undefined);
        const ropts = args.cluster.resourceOptions(this);
        const prerequisites = auth ? triggerAuthentication(args.settings, auth, ropts) : [];
        new CustomResource(
            name,
            { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, spec: o.spec },
            { ...ropts, dependsOn: [...(ropts.dependsOn as pulumi.Resource[]), ...args.target, ...prerequisites] },
        );
        this.registerOutputs({});
    }
}

/**
 * KEDA's credentials for the stack's Prometheus: a Secret with the user and
 * password, and the TriggerAuthentication that hands them to the trigger.
 */
function triggerAuthentication(
    settings: Settings,
    auth: { username: string; password: pulumi.Output<string> },
    opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
    const metadata = { name: PROMETHEUS_TRIGGER_AUTH, namespace: settings.kubernetes.namespace, labels: stackLabels(settings.stack, "autoscaling") };
    const secret = new corev1.Secret(
        PROMETHEUS_TRIGGER_AUTH,
        { metadata, type: "Opaque", stringData: { username: auth.username, password: pulumi.secret(auth.password) } },
        { ...opts, additionalSecretOutputs: ["data", "stringData"] },
    );
    const triggerAuth = new CustomResource(
        `${PROMETHEUS_TRIGGER_AUTH}-trigger-auth`,
        {
            apiVersion: KEDA_API,
            kind: "TriggerAuthentication",
            metadata,
            spec: {
                secretTargetRef: ["username", "password"].map((key) => ({ parameter: key, name: PROMETHEUS_TRIGGER_AUTH, key })),
            },
        },
        { ...opts, dependsOn: [...(opts.dependsOn as pulumi.Resource[]), secret] },
    );
    return [secret, triggerAuth];
}
