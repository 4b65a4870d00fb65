import { strict as assert } from "node:assert";
import { parseSettings } from "../settings";
import { operatorMode } from "../tests/support/operator-mode";
import { defaultLinks } from "./links";
import { grafanaProviderPortForward, grafanaProviderUrl, serviceUrls } from "./urls";

const K8S = { target: "kubernetes" };

describe("Service URLs", () => {
    it("Docker: the published port on publicHost for people and links, the network alias inside", () => {
        // The Grafana provider needs TLS to reach a host that is not this one.
        const s = parseSettings("dev", { publicHost: "gpu-host.internal", prometheusPort: "19090", grafanaUrl: "https://grafana.example.com" });
        assert.deepEqual(serviceUrls(s, "prometheus"), {
            internal: "http://prometheus:9090",
            people: "http://gpu-host.internal:19090",
            viaLoadBalancer: false,
            link: "http://gpu-host.internal:19090",
            published: "http://gpu-host.internal:19090",
        });
        assert.equal(serviceUrls(s, "sglang").people, "http://gpu-host.internal:30000");
    });

    it("Docker: Prometheus and Alertmanager kept on loopback while SGLang and Grafana are exposed are reached as localhost", () => {
        // Grafana behind TLS, so the provider may reach a host that is not this one.
        const tls = { grafanaUrl: "https://grafana.example.com" };
        const s = parseSettings("dev", { ...tls, bindAddress: "10.0.0.12", publicHost: "gpu-host.internal" });
        assert.equal(serviceUrls(s, "sglang").people, "http://gpu-host.internal:30000");
        assert.equal(serviceUrls(s, "prometheus").people, "http://localhost:9090");
        assert.equal(serviceUrls(s, "alertmanager").link, "http://localhost:9093");
        const both = parseSettings("dev", { ...tls, bindAddress: "10.0.0.12", monitoringBindAddress: "10.0.0.12", publicHost: "gpu-host.internal" });
        assert.equal(serviceUrls(both, "prometheus").people, "http://gpu-host.internal:9090");
    });

    it("Docker: a configured external URL is what people use and links say, without a trailing slash", () => {
        const s = parseSettings("dev", { grafanaExternalUrl: "https://grafana.example.com/" });
        assert.equal(serviceUrls(s, "grafana").people, "https://grafana.example.com");
        assert.equal(serviceUrls(s, "grafana").published, "http://localhost:3000");
        assert.equal(defaultLinks(s).grafanaUrl, "https://grafana.example.com");
    });

    it("Kubernetes: never localhost; a port-forward command where nothing else reaches the service", () => {
        const s = parseSettings("prod", { ...K8S, namespace: "llm" });
        for (const service of ["sglang", "prometheus", "alertmanager", "grafana"] as const) {
            const u = serviceUrls(s, service);
            assert.doesNotMatch(JSON.stringify(u), /localhost/, service);
            assert.match(u.internal, new RegExp(`^http://${service}\\.llm\\.svc:\\d+$`));
        }
        assert.equal(serviceUrls(s, "prometheus").portForward, "kubectl port-forward -n llm svc/prometheus 9090:9090");
        assert.equal(serviceUrls(s, "prometheus").link, "http://prometheus.llm.svc:9090");
        const grafana = serviceUrls(s, "grafana");
        assert.equal(grafana.viaLoadBalancer, false);
        assert.equal(grafana.portForward, "kubectl port-forward -n llm svc/grafana 3000:3000");
        assert.equal(defaultLinks(s).grafanaUrl, "http://grafana.llm.svc:3000");
        // The provider goes through that port-forward: loopback, never the network in clear.
        assert.equal(grafanaProviderUrl(s), "http://127.0.0.1:3000");
        assert.equal(grafanaProviderPortForward(s), grafana.portForward);
    });

    it("Kubernetes: Grafana behind an Ingress is https for people, links and the provider; behind a load balancer, loopback for the provider", () => {
        const ingress = parseSettings("prod", {
            ...K8S,
            grafanaExposure: "ingress",
            grafanaIngressHost: "grafana.example.com",
            grafanaIngressTlsSecret: "grafana-tls",
        });
        const urls = serviceUrls(ingress, "grafana");
        assert.deepEqual([urls.people, urls.link, urls.portForward], ["https://grafana.example.com", "https://grafana.example.com", undefined]);
        assert.equal(grafanaProviderUrl(ingress), "https://grafana.example.com");
        assert.equal(grafanaProviderPortForward(ingress), undefined);
        const lb = parseSettings("prod", { ...K8S, grafanaExposure: "load-balancer", grafanaLoadBalancerSourceRanges: ["203.0.113.0/24"] });
        assert.equal(serviceUrls(lb, "grafana").viaLoadBalancer, true);
        assert.equal(grafanaProviderUrl(lb), "http://127.0.0.1:3000");
        assert.equal(grafanaProviderPortForward(lb), "kubectl port-forward -n sglang svc/grafana 3000:3000");
    });

    it("Kubernetes: configured URLs win for people and links", () => {
        const s = parseSettings("prod", { ...K8S, alertmanagerExternalUrl: "https://am.example.com", grafanaUrl: "https://grafana.example.com" });
        assert.deepEqual(
            [serviceUrls(s, "alertmanager").people, serviceUrls(s, "alertmanager").link, serviceUrls(s, "alertmanager").portForward],
            ["https://am.example.com", "https://am.example.com", undefined],
        );
        assert.equal(defaultLinks(s).grafanaUrl, "https://grafana.example.com");
    });

    it("operator mode: the cluster's Prometheus inside, nothing invented for its Alertmanager", () => {
        const s = parseSettings("prod", {
            ...K8S,
            ...operatorMode("t"),
        });
        assert.equal(serviceUrls(s, "prometheus").internal, "http://prometheus-operated.monitoring.svc:9090");
        assert.equal(serviceUrls(s, "alertmanager").people, undefined);
        assert.equal(serviceUrls(s, "grafana").people, "https://grafana.example.com");
    });
});
