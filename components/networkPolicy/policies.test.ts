/**
 * The NetworkPolicies of the prod stack, as registered under the SDK's mocks,
 * evaluated the way Kubernetes evaluates ingress policies: which source may
 * open which port of which pod. The flows the stack needs are listed here by
 * hand, independently of the definitions the policies are derived from, and
 * must be exactly what the policies admit.
 */
import * as assert from "node:assert/strict";
import { type MockResource, type ProgramRun, runProgram, stackFileConfig } from "../../tests/harness";
import { validateObject } from "../../tests/support/kubernetes-schemas";
import { withProductionSecrets } from "../../tests/support/production-secrets";
import { NAMESPACE_NAME_LABEL } from "./policies";

type Labels = Record<string, string>;
type Source = { name: string; kind: "pod"; namespace: string; labels: Labels } | { name: string; kind: "ip"; ip: string };
interface Destination {
    service: string;
    namespace: string;
    labels: Labels;
    ports: { name?: string; number: number; protocol: "TCP" | "UDP" }[];
}
interface Policy {
    namespace: string;
    spec: any;
}

const NAMESPACE = "sglang";
const { config: PROD, secretKeys: PROD_SECRET_KEYS } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
const CONFIG = {
    ...PROD,
    namespace: NAMESPACE,
    networkPolicyEnabled: "true",
    apiClientCidrs: '["10.20.0.0/16"]',
    networkPolicyClientNamespaces: '["ingress-nginx"]',
    grafanaExposure: "ingress",
    grafanaIngressHost: "grafana.example.com",
    grafanaIngressTlsSecret: "grafana-tls",
    autoscalingEnabled: "true",
    alertmanagerReplicas: "3",
    prometheusReplicas: "2",
};

function selects(selector: any, labels: Labels): boolean {
    if (selector?.matchExpressions?.length) throw new Error("matchExpressions: not modelled by this test");
    return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function inCidr(ip: string, cidr: string): boolean {
    const toInt = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
    const [base, bits] = cidr.split("/");
    const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
    return (toInt(ip) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
}

/** Whether one `from` peer matches the source (a policy's namespace is the default for pod selectors). */
function peerMatches(peer: any, source: Source, policyNamespace: string): boolean {
    if (peer.ipBlock)
        return source.kind === "ip" && inCidr(source.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(source.ip, c));
    if (source.kind !== "pod") return false;
    const namespaceOk = peer.namespaceSelector
        ? selects(peer.namespaceSelector, { [NAMESPACE_NAME_LABEL]: source.namespace })
        : source.namespace === policyNamespace;
    return namespaceOk && (peer.podSelector ? selects(peer.podSelector, source.labels) : true);
}

/** Kubernetes' ingress semantics: unselected pods admit everything; selected ones what some rule of some selecting policy admits. */
function admits(policies: Policy[], source: Source, dest: Destination, port: Destination["ports"][number]): boolean {
    const selecting = policies.filter(
        (p) => p.namespace === dest.namespace && selects(p.spec.podSelector, dest.labels) && (p.spec.policyTypes ?? ["Ingress"]).includes("Ingress"),
    );
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
        (p.spec.ingress ?? []).some((rule: any) => {
            const portOk =
                !rule.ports?.length ||
                rule.ports.some(
                    (rp: any) =>
                        (rp.protocol ?? "TCP") === port.protocol && (rp.port === undefined || rp.port === port.number || rp.port === port.name),
                );
            const fromOk = !rule.from?.length || rule.from.some((peer: any) => peerMatches(peer, source, p.namespace));
            return portOk && fromOk;
        }),
    );
}

const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet"];

/** Each service's pods: namespace, labels and ports (the container's, and a stateful service's gossip port on its headless Service). */
function destinations(run: ProgramRun): Destination[] {
    const workloads = WORKLOADS.flatMap((t) => run.byType(t));
    const peerServices = run.byType("kubernetes:core/v1:Service").filter((s) => s.plain.spec.clusterIP === "None");
    return workloads.map((w: MockResource) => {
        const labels = w.plain.spec.template.metadata.labels;
        const container = w.plain.spec.template.spec.containers[0];
        const gossip = peerServices
            .filter((s) => selects({ matchLabels: s.plain.spec.selector }, labels))
            .flatMap((s) => s.plain.spec.ports.filter((p: any) => p.name.startsWith("cluster-")))
            .map((p: any) => ({ number: p.port, protocol: p.protocol }));
        return {
            service: w.plain.metadata.name,
            namespace: w.plain.metadata.namespace ?? NAMESPACE,
            labels,
            ports: [...container.ports.map((p: any) => ({ name: p.name, number: p.containerPort, protocol: "TCP" as const })), ...gossip],
        };
    });
}

/** Every service's pods as sources, and callers from outside the stack. */
function sources(dests: Destination[]): Source[] {
    return [
        ...dests.map((d) => ({ name: d.service, kind: "pod" as const, namespace: d.namespace, labels: d.labels })),
        { name: "ingress controller", kind: "pod", namespace: "ingress-nginx", labels: { app: "ingress-nginx" } },
        { name: "KEDA", kind: "pod", namespace: "keda", labels: { app: "keda-operator" } },
        { name: "another pod of the namespace", kind: "pod", namespace: NAMESPACE, labels: { app: "debug" } },
        { name: "a pod elsewhere", kind: "pod", namespace: "default", labels: { "app.kubernetes.io/name": "prometheus" } },
        { name: "API client", kind: "ip", ip: "10.20.3.4" },
        { name: "the internet", kind: "ip", ip: "198.51.100.7" },
    ];
}

/** What the stack needs, by hand: source -> service:port/protocol. */
const NEEDED = [
    // Scrapes and the canary's probe (Prometheus scrapes itself over loopback).
    "prometheus -> sglang:30000/TCP",
    "prometheus -> sglang-router:29000/TCP",
    "prometheus -> node-exporter:9100/TCP",
    "prometheus -> gpu-exporter:9400/TCP",
    "prometheus -> blackbox-exporter:9115/TCP",
    "prometheus -> alertmanager:9093/TCP",
    "prometheus -> grafana:3000/TCP",
    // Two SGLang replicas: clients and the canary reach the router, the router the servers.
    "blackbox-exporter -> sglang-router:30000/TCP",
    "sglang-router -> sglang:30000/TCP",
    "grafana -> prometheus:9090/TCP",
    // The Alertmanager replicas gossip.
    "alertmanager -> alertmanager:9094/TCP",
    "alertmanager -> alertmanager:9094/UDP",
    // Callers from outside the stack.
    "ingress controller -> sglang-router:30000/TCP",
    "ingress controller -> grafana:3000/TCP",
    "API client -> sglang-router:30000/TCP",
    "KEDA -> prometheus:9090/TCP",
].sort();

describe("NetworkPolicies: who reaches what", function () {
    this.timeout(120000);
    let run: ProgramRun;
    let policies: Policy[];

    before(async () => {
        run = await runProgram(CONFIG, { stack: "prod", secretKeys: PROD_SECRET_KEYS });
        policies = run
            .byType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
            .map((p) => ({ namespace: p.plain.metadata.namespace, spec: p.plain.spec }));
    });

    it("admit exactly the flows the stack uses, and nothing else", () => {
        const dests = destinations(run);
        assert.deepEqual(dests.map((d) => d.service).sort(), [
            "alertmanager",
            "blackbox-exporter",
            "gpu-exporter",
            "grafana",
            "node-exporter",
            "prometheus",
            "sglang",
            "sglang-router",
        ]);
        const allowed = sources(dests).flatMap((src) =>
            dests.flatMap((d) =>
                d.ports.filter((port) => admits(policies, src, d, port)).map((port) => `${src.name} -> ${d.service}:${port.number}/${port.protocol}`),
            ),
        );
        assert.deepEqual([...new Set(allowed)].sort(), NEEDED);
    });

    it("the evaluation can fail: without the policies that select SGLang, strangers get in", () => {
        const open = policies.filter((p) => p.spec.ingress !== undefined);
        const sglang = destinations(run).find((d) => d.service === "sglang")!;
        const stranger: Source = { name: "x", kind: "pod", namespace: NAMESPACE, labels: { app: "debug" } };
        assert.equal(admits(policies, stranger, sglang, sglang.ports[0]), false);
        // Deleting every policy that selects the Deployment opens it.
        const rest = open.filter((p) => !selects(p.spec.podSelector, sglang.labels));
        assert.equal(admits(rest, stranger, sglang, sglang.ports[0]), true);
    });

    it("every policy passes the NetworkPolicy schema", async () => {
        for (const p of run.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy")) {
            assert.deepEqual(await validateObject(p.type, p.plain), [], p.name);
        }
    });
});
