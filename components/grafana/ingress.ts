/**
 * Kubernetes, `grafanaExposure: ingress`: an Ingress serving Grafana on its
 * host over TLS only; the certificate is a Secret the user (or cert-manager)
 * provides. Behind it, the ClusterIP Service.
 */
// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import type * as input from "@pulumi/kubernetes/types/input";
import type { Settings } from "../../settings";
import type { KubernetesCluster } from "../platform/kubernetes/cluster";
import { stackLabels } from "../platform/kubernetes/labels";
import { GRAFANA } from "./service";

/** The Ingress' spec, or undefined when Grafana is not exposed through one. */
export function grafanaIngressSpec(settings: Settings): input.networking.v1.IngressSpec | undefined {
    const exposure = settings.kubernetes.grafanaExposure;
    if (exposure.kind !== "ingress" || !GRAFANA.deployed(settings)) return undefined;
    const port = GRAFANA.ports.find((p) => p.name === "http")!;
    return {
        ...(exposure.className ? { ingressClassName: exposure.className } : {}),
        tls: [{ hosts: [exposure.host], secretName: exposure.tlsSecret }],
        rules: [
            {
                host: exposure.host,
                http: {
                    paths: [
                        {
                            path: "/",
                            pathType: "Prefix",
                            backend: { service: { name: GRAFANA.name, port: { number: port.containerPort(settings) } } },
                        },
                    ],
                },
            },
        ],
    };
}

/** Creates the Ingress when `grafanaExposure` is ingress. */
export function deployGrafanaIngress(settings: Settings, cluster: KubernetesCluster): networkingv1.Ingress | undefined {
    const spec = grafanaIngressSpec(settings);
    if (!spec) return undefined;
    return new networkingv1.Ingress(
        GRAFANA.name,
        {
            metadata: {
                name: GRAFANA.name,
                namespace: cluster.namespace.metadata.name,
                labels: stackLabels(settings.stack, "ingress"),
                // ingress-nginx: a plain-HTTP request gets a redirect to https, never the page.
                annotations: { "nginx.ingress.kubernetes.io/force-ssl-redirect": "true" },
            },
            spec,
        },
        cluster.resourceOptions(cluster),
    );
}
