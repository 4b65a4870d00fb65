/**
 * NetworkPolicies (optional): the SGLang API, which also serves /metrics,
 * only from the stack's namespace, the configured client CIDRs and the
 * cluster's Prometheus; the router's API from the same clients, its metrics
 * from Prometheus; the GPU exporter's metrics only from Prometheus.
 * Node exporter runs on the host network, where NetworkPolicies do not apply.
 */
// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import type * as input from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import type { KubernetesCluster } from "../platform/kubernetes/cluster";
import { selectorLabels, stackLabels } from "../platform/kubernetes/labels";
import { METRICS_PORT_NAME } from "../platform/kubernetes/topology";
import { routerDeployed } from "../sglangRouter/service";

/** The label every namespace carries with its own name (Kubernetes 1.21+). */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface PolicyObject {
    name: string;
    spec: input.networking.v1.NetworkPolicySpec;
}

/** Where scrapes come from: the bundled Prometheus' pods, or the monitoring namespace in operator mode. */
function prometheusPeers(settings: Settings): input.networking.v1.NetworkPolicyPeer[] {
    return settings.monitoringMode === "operator"
        ? [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: settings.kubernetes.monitorNamespace } } }]
        : [{ podSelector: { matchLabels: selectorLabels("prometheus", settings.stack) } }];
}

/** Who may call the OpenAI API (SGLang's, or the router's in front of it). */
function apiClients(settings: Settings): input.networking.v1.NetworkPolicyPeer[] {
    return [
        // Every pod of the stack's namespace (the bundled Prometheus and the router among them).
        { podSelector: {} },
        ...settings.kubernetes.networkPolicy.apiClientCidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ];
}

export function networkPolicies(settings: Settings): PolicyObject[] {
    const policies: PolicyObject[] = [
        {
            name: "sglang-api",
            spec: {
                podSelector: { matchLabels: selectorLabels("sglang", settings.stack) },
                policyTypes: ["Ingress"],
                ingress: [
                    {
                        from: [...apiClients(settings), ...(settings.monitoringMode === "operator" ? prometheusPeers(settings) : [])],
                        ports: [{ port: METRICS_PORT_NAME.sglang, protocol: "TCP" }],
                    },
                ],
            },
        },
    ];
    if (routerDeployed(settings)) {
        policies.push({
            name: "sglang-router-api",
            spec: {
                podSelector: { matchLabels: selectorLabels("sglang-router", settings.stack) },
                policyTypes: ["Ingress"],
                ingress: [
                    { from: apiClients(settings), ports: [{ port: "http", protocol: "TCP" }] },
                    { from: prometheusPeers(settings), ports: [{ port: METRICS_PORT_NAME["sglang-router"], protocol: "TCP" }] },
                    // The kubelet's probes; the listener answers /liveness, /readiness and /health only.
                    { ports: [{ port: "probes", protocol: "TCP" }] },
                ],
            },
        });
    }
    if (settings.gpuExporter === "dcgm" || settings.gpuExporter === "nvidia-smi") {
        policies.push({
            name: "gpu-exporter-metrics",
            spec: {
                podSelector: { matchLabels: selectorLabels("gpu-exporter", settings.stack) },
                policyTypes: ["Ingress"],
                ingress: [{ from: prometheusPeers(settings), ports: [{ port: METRICS_PORT_NAME["gpu-exporter"], protocol: "TCP" }] }],
            },
        });
    }
    return policies;
}

export interface NetworkPoliciesArgs {
    settings: Settings;
    cluster: KubernetesCluster;
}

export class NetworkPolicies extends pulumi.ComponentResource {
    constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:networkPolicy:Policies", name, {}, opts);
        const { settings, cluster } = args;
        for (const p of networkPolicies(settings)) {
            new networkingv1.NetworkPolicy(
                p.name,
                {
                    metadata: { name: p.name, namespace: cluster.namespace.metadata.name, labels: stackLabels(settings.stack, "network-policy") },
                    spec: p.spec,
                },
                cluster.resourceOptions(this),
            );
        }
        this.registerOutputs({});
    }
}
