/**
 * Autoscaling of SGLang on its queue depth with KEDA: more replicas when
 * requests wait, fewer after a calm period. The queue, not CPU or GPU
 * utilisation, is what tells that a server is saturated: a busy GPU is the
 * normal state of an LLM server.
 */
// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { SGLANG_QUEUED_REQUESTS } from "../../monitoring/series";
import { JOB } from "../../monitoring/types";
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

/** Requests waiting across every SGLang pod of the stack (the recorded series, ranks already summed). */
export function queueDepthQuery(settings: Settings): string {
    return `sum(${SGLANG_QUEUED_REQUESTS}{job="${JOB.sglang}", namespace="${settings.kubernetes.namespace}"})`;
}

/** The ScaledObject as plain data. */
/** Name of the TriggerAuthentication (and its Secret) KEDA authenticates to the stack's Prometheus with. */
export const PROMETHEUS_TRIGGER_AUTH = "sglang-autoscaler-prometheus";

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
                        // A replica takes minutes to load its model: drop one at a time.
                        scaleDown: { stabilizationWindowSeconds: a.cooldownSeconds, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
                    },
                },
            },
            triggers: [
                {
                    type: "prometheus",
                    // AverageValue: the threshold is per replica (and fallback requires it).
                    metricType: "AverageValue",
                    metadata: {
                        serverAddress: queuePrometheusUrl(settings),
                        query: queueDepthQuery(settings),
                        threshold: String(a.queueThreshold),
                        ...(authenticated ? { authModes: "basic" } : {}),
                    },
                    ...(authenticated ? { authenticationRef: { name: PROMETHEUS_TRIGGER_AUTH } } : {}),
                },
            ],
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
