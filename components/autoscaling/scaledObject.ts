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
import { ROUTER_INFERENCE_RATE, ROUTER_REQUESTS_RATE, SGLANG_KV_CACHE_USAGE, SGLANG_QUEUED_REQUESTS, SGLANG_TTFT_P95 } from "../../monitoring/series";
import { JOB, JOB_ROUTER } from "../../monitoring/types";
import { serviceUrls } from "../../monitoring/urls";
import type { ModelSettings, Settings } from "../../settings";
import type { KubernetesCluster } from "../platform/kubernetes/cluster";
import { stackLabels } from "../platform/kubernetes/labels";
import { spansNodes } from "../sglang/multiNode";
import { modelView } from "../sglang/workers";

export const KEDA_API = "keda.sh/v1alpha1";
/** Failed queries in a row after which KEDA holds `fallbackReplicas`. */
export const FALLBACK_FAILURE_THRESHOLD = 3;

/** The Prometheus KEDA queries: the bundled one, or the cluster's in operator mode. */
export function queuePrometheusUrl(settings: Settings): string {
    return serviceUrls(settings, "prometheus").internal;
}

/**
 * One model's SGLang servers in a selector: the stack's, and of a model of
 * the `models` list only those writing its served name (SGLang's
 * `model_name` label, which the recording rules keep). The short form's
 * model is the stack's only one.
 */
function sglangSelector(settings: Settings, model: ModelSettings): string {
    const only = model.name ? `, model_name="${model.servedModelName}"` : "";
    return `{job="${JOB.sglang}", namespace="${settings.kubernetes.namespace}"${only}}`;
}

/** Requests waiting across every SGLang pod of the model (the recorded series, ranks already summed); 0 with no pod. */
export function queueDepthQuery(settings: Settings, model: ModelSettings = settings.models[0]): string {
    return `sum(${SGLANG_QUEUED_REQUESTS}${sglangSelector(settings, model)}) or vector(0)`;
}

/**
 * KV-cache usage summed over the pods. Under AverageValue the HPA wants
 * ceil(sum / threshold) replicas, i.e. the mean usage held at the threshold.
 */
export function kvCacheQuery(settings: Settings, model: ModelSettings = settings.models[0]): string {
    return `sum(${SGLANG_KV_CACHE_USAGE}${sglangSelector(settings, model)}) or vector(0)`;
}

/**
 * TTFT P95 summed over the pods: against the SLO's TTFT threshold under
 * AverageValue, the replicas grow in proportion to the mean P95's excess.
 * A pod without requests in the window has a NaN quantile: `>= 0` drops it.
 */
export function ttftQuery(settings: Settings, model: ModelSettings = settings.models[0]): string {
    return `sum(${SGLANG_TTFT_P95}${sglangSelector(settings, model)} >= 0) or vector(0)`;
}

/**
 * 1 while clients send inference requests to the router (its responses, the
 * 503s of "no available worker" at zero replicas included), else 0: wakes
 * the replicas from zero and holds one while requests come. A model of the
 * `models` list wakes on the requests that name it: the router counts each
 * request by its `model` at arrival, before it looks for a worker
 * (`smg_router_requests_total`, smg v1.9.0 `route_typed_request`), so a
 * request to a model at zero replicas is counted too.
 */
export function routerRequestsQuery(settings: Settings, model: ModelSettings = settings.models[0]): string {
    const router = `job="${JOB_ROUTER}", namespace="${settings.kubernetes.namespace}"`;
    const rate = model.name ? `${ROUTER_REQUESTS_RATE}{${router}, model="${model.servedModelName}"}` : `${ROUTER_INFERENCE_RATE}{${router}}`;
    return `(sum(${rate}) > bool 0) or vector(0)`;
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

/** One model's triggers (the short form's only model by default), in the order they appear; TTFT against its own threshold. */
export function triggerSpecs(settings: Settings, model: ModelSettings = settings.models[0]): TriggerSpec[] {
    const a = settings.kubernetes.autoscaling;
    const scaling: TriggerSpec[] = [
        { name: "queue-depth", query: queueDepthQuery(settings, model), threshold: a.queueThreshold },
        { name: "kv-cache-usage", query: kvCacheQuery(settings, model), threshold: a.kvCacheThreshold },
        { name: "ttft-p95", query: ttftQuery(settings, model), threshold: model.slo.latencyThresholdSeconds },
    ];
    // At zero replicas the three read 0: only the router sees demand.
    return a.scaleToZero
        ? [...scaling, { name: "router-requests", query: routerRequestsQuery(settings, model), threshold: 1, activationThreshold: 0 }]
        : scaling;
}

/** Name of the TriggerAuthentication (and its Secret) KEDA authenticates to the stack's Prometheus with. */
export const PROMETHEUS_TRIGGER_AUTH = "sglang-autoscaler-prometheus";

/** The ScaledObject of one model's Deployment as plain data. */
export function scaledObject(
    settings: Settings,
    deploymentName: string,
    /** The trigger authenticates through PROMETHEUS_TRIGGER_AUTH (the stack's own Prometheus requires basic auth). */
    authenticated = false,
    /** The model the Deployment serves; default the short form's only model. */
    model: ModelSettings = settings.models[0],
): { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> } {
    // KEDA scales the Deployment; a model across nodes is a LeaderWorkerSet (settings refuse autoscaling it).
    if (spansNodes(modelView(settings, model)))
        throw new Error(`${model.serviceName} spans nodes (a LeaderWorkerSet): autoscaling scales Deployments only`);
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
            triggers: triggerSpecs(settings, model).map((t) => ({
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

/** One model's servers: the Deployment its ScaledObject targets, and the resources that create it. */
export interface ScaledModel {
    model: ModelSettings;
    /** The model's Deployment's resources (its ScaledObject follows them). */
    resources: pulumi.Resource[];
}

export interface QueueAutoscalerArgs {
    settings: Settings;
    cluster: KubernetesCluster;
    /** Every model's servers: one ScaledObject each. */
    servers: ScaledModel[];
    /** The stack's Prometheus' basic auth (password a secret); absent = the cluster's Prometheus, without. */
    prometheusAuth?: { username: string; password: pulumi.Output<string> };
}

/**
 * The KEDA ScaledObjects, one per model's SGLang Deployment, each named after
 * it; they share the one TriggerAuthentication (needs KEDA installed in the
 * cluster).
 */
export class QueueAutoscaler extends pulumi.ComponentResource {
    constructor(name: string, args: QueueAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:autoscaling:QueueAutoscaler", name, {}, opts);
        const auth = args.prometheusAuth;
        const ropts = args.cluster.resourceOptions(this);
        const prerequisites = auth ? triggerAuthentication(args.settings, auth, ropts) : [];
        for (const { model, resources } of args.servers) {
            const o = scaledObject(args.settings, model.serviceName, auth !== undefined, model);
            // The short form's keeps the component's name; each model's is named after its service.
            new CustomResource(
                model.name ? `${model.serviceName}-autoscaler` : name,
                { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, spec: o.spec },
                { ...ropts, dependsOn: [...(ropts.dependsOn as pulumi.Resource[]), ...resources, ...prerequisites] },
            );
        }
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
