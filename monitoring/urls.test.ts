import { strict as assert } from "node:assert";
import { parseSettings } from "../settings";
import { defaultLinks } from "./links";
import { serviceUrls } from "./urls";

const K8S = { target: "kubernetes", grafanaServiceType: "LoadBalancer" };

describe("Service URLs", () => {
    it("Docker: the published port on publicHost for people and links, the network alias inside", () => {
        const s = parseSettings("dev", { publicHost: "gpu-host.internal", prometheusPort: "19090" });
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
        const s = parseSettings("dev", { bindAddress: "10.0.0.12", publicHost: "gpu-host.internal" });
        assert.equal(serviceUrls(s, "grafana").people, "http://gpu-host.internal:3000");
        assert.equal(serviceUrls(s, "prometheus").people, "http://localhost:9090");
        assert.equal(serviceUrls(s, "alertmanager").link, "http://localhost:9093");
        const both = parseSettings("dev", { bindAddress: "10.0.0.12", monitoringBindAddress: "10.0.0.12", publicHost: "gpu-host.internal" });
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
        assert.equal(grafana.viaLoadBalancer, true);
        assert.equal(grafana.portForward, undefined);
        assert.equal(defaultLinks(s).grafanaUrl, "http://grafana.llm.svc:3000");
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
            monitoringMode: "operator",
            grafanaUrl: "https://grafana.example.com",
            grafanaAuth: "t",
            operatorPrometheusUrl: "http://prometheus-operated.monitoring.svc:9090",
        });
        assert.equal(serviceUrls(s, "prometheus").internal, "http://prometheus-operated.monitoring.svc:9090");
        assert.equal(serviceUrls(s, "alertmanager").people, undefined);
        assert.equal(serviceUrls(s, "grafana").people, "https://grafana.example.com");
    });
});
