/**
 * NetworkPolicies (optional, `networkPolicyEnabled`): ingress is denied to
 * every pod of the stack's namespace, then each service's pods admit exactly
 * the flows the stack uses, derived from the service definitions:
 *
 * - Prometheus (the stack's, or any pod of `monitorNamespace` in operator
 *   mode) → every port it scrapes (`metrics`, unless scraped over loopback)
 *   or probes through (`probe`);
 * - a service → the ports of the services it `calls` (Grafana → Prometheus,
 *   Prometheus → Alertmanager, the canary's prober → SGLang);
 * - the replicas of a stateful service → each other on its gossip port, TCP
 *   and UDP;
 * - callers outside the stack → the ports with `clients` (the SGLang API,
 *   Grafana, Prometheus for KEDA), from those namespaces and CIDRs.
 *
 * Every pod peer names its namespace too (`kubernetes.io/metadata.name`), so
 * a service whose pods run in another namespace is still matched. Host-network
 * pods (node exporter) are outside NetworkPolicies: their policy has no effect.
 * `kubectl port-forward` reaches a pod from inside it, so it is not filtered.
 * Only ingress is restricted: egress (DNS, Slack, PagerDuty, a long-term store) stays open.
 */
// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import type * as input from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";
import type { ModelSettings, Settings } from "../../settings";
import type { ServiceDefinition } from "../platform/definition";
import type { KubernetesCluster } from "../platform/kubernetes/cluster";
import { selectorLabels, stackLabels } from "../platform/kubernetes/labels";
import { namespaceOf } from "../platform/kubernetes/topology";
import { groupSetName, LWS_SET_NAME_LABEL } from "../platform/kubernetes/workload";
import { deployedServices, SERVICE_BY_NAME, type ServiceName } from "../services";
import { spansNodes } from "../sglang/multiNode";
import { modelView, modelWorkload } from "../sglang/workers";

/** The label every namespace carries with its own name (Kubernetes 1.21+). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

type Peer = input.networking.v1.NetworkPolicyPeer;
type Rule = input.networking.v1.NetworkPolicyIngressRule;

export interface PolicyObject {
    name: string;
    namespace: string;
    spec: input.networking.v1.NetworkPolicySpec;
}

const inNamespace = (namespace: string): Peer => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } });

/** The pods of a service of the stack, wherever their namespace. */
const podsOf = (service: ServiceName, settings: Settings): Peer => ({
    podSelector: { matchLabels: selectorLabels(service, settings.stack) },
    ...inNamespace(namespaceOf(SERVICE_BY_NAME[service], settings)),
});

/** Where scrapes and probes come from: the bundled Prometheus' pods, or the monitoring namespace in operator mode. */
function prometheusPeers(settings: Settings): Peer[] {
    return settings.monitoringMode === "operator" ? [inNamespace(settings.kubernetes.monitorNamespace)] : [podsOf("prometheus", settings)];
}

/** Every flow into the pods of `service` that the stack uses, one rule per source kind and port. */
export function ingressRules(service: ServiceDefinition<ServiceName>, settings: Settings): Rule[] {
    const deployed = deployedServices(settings);
    const rules: Rule[] = [];
    const tcp = (port: string | number) => [{ port, protocol: "TCP" }];
    for (const port of service.ports) {
        const scraped = port.metrics && !service.kubernetes?.scrapedOverLoopback;
        const callers = deployed.filter((caller) => caller.calls?.(settings).some((c) => c.service === service.name && c.port === port.name));
        // The stack's own pods, once each (Prometheus may both scrape and call a port).
        const inside = [...(scraped || port.probe ? prometheusPeers(settings) : []), ...callers.map((caller) => podsOf(caller.name, settings))];
        const unique = [...new Map(inside.map((peer) => [JSON.stringify(peer), peer])).values()];
        if (unique.length > 0) rules.push({ from: unique, ports: tcp(port.name) });
        const clients = port.clients?.(settings);
        const outside = [...(clients?.namespaces ?? []).map(inNamespace), ...(clients?.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }))];
        if (outside.length > 0) rules.push({ from: outside, ports: tcp(port.name) });
    }
    const gossip = service.kubernetes?.clusterPort;
    if (gossip && service.kubernetes?.stateful?.(settings)) {
        rules.push({ from: [podsOf(service.name, settings)], ports: ["TCP", "UDP"].map((protocol) => ({ port: gossip, protocol })) });
    }
    return rules;
}

/** The NetworkPolicies: default deny in each namespace of the stack, then one policy per deployed service. */
export function networkPolicies(settings: Settings): PolicyObject[] {
    const services = deployedServices(settings);
    const namespaces = [...new Set(services.map((s) => namespaceOf(s, settings)))];
    return [
        ...namespaces.map((namespace) => ({
            name: "default-deny-ingress",
            namespace,
            // Selects every pod; no rule: nothing comes in unless another policy admits it.
            spec: { podSelector: {}, policyTypes: ["Ingress"] },
        })),
        ...services.map((service) => ({
            name: `${service.name}-ingress`,
            namespace: namespaceOf(service, settings),
            spec: {
                podSelector: { matchLabels: selectorLabels(service.name, settings.stack) },
                policyTypes: ["Ingress"],
                ingress: ingressRules(service, settings),
            },
        })),
        ...settings.models.filter((m) => spansNodes(modelView(settings, m))).map((m) => groupPolicy(settings, m)),
    ];
}

/**
 * The pods of a server across nodes reach each other on every port: the
 * rendezvous on the leader's `--dist-init-addr` port, then NCCL and
 * torch.distributed connections on ports they pick at run time.
 */
function groupPolicy(settings: Settings, model: ModelSettings): PolicyObject {
    const group = { matchLabels: { [LWS_SET_NAME_LABEL]: groupSetName({ name: SERVICE_BY_NAME.sglang.name, workload: modelWorkload(model) }) } };
    return {
        // One per model spanning nodes: each group reaches only its own pods.
        name: `${model.serviceName}-group-ingress`,
        namespace: namespaceOf(SERVICE_BY_NAME.sglang, settings),
        spec: { podSelector: group, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: group }] }] },
    };
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
                `${p.namespace}-${p.name}`,
                {
                    metadata: { name: p.name, namespace: p.namespace, labels: stackLabels(settings.stack, "network-policy") },
                    spec: p.spec,
                },
                cluster.resourceOptions(this),
            );
        }
        this.registerOutputs({});
    }
}
