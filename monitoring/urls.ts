/**
 * Where each service with a user interface or API is reached, per platform:
 * the URL other services use inside the stack, the URL people use, and the
 * base of links written into generated configuration (alerts, Prometheus'
 * `--web.external-url`, Grafana's root URL). Pure: the one place these are
 * decided. `components/urls.ts` adds what only exists once deployed (a load
 * balancer's address) and the Grafana provider's URL.
 *
 * On Kubernetes nothing points at localhost. People use a configured
 * external URL, the Ingress' https URL or the load balancer's address
 * (Grafana with `grafanaExposure` ingress or load-balancer); where there is
 * none, the output is the exact `kubectl port-forward` command. Links in generated configuration
 * use the configured external URL, else the in-cluster URL (a load balancer's
 * address is only known after the rules are written): set the service's
 * external URL key for links that open from outside the cluster.
 */
import { SERVICE_BY_NAME, type ServiceName } from "../components/services";
import type { Settings } from "../settings";

/** Services people open or call, each on its port named "http". */
export type ReachableService = Extract<ServiceName, "sglang" | "sglang-router" | "prometheus" | "alertmanager" | "grafana">;

export { openaiService } from "../components/sglangRouter/service";

const httpPort = (service: ReachableService) => SERVICE_BY_NAME[service].ports.find((p) => p.name === "http")!;

export interface ServiceUrls {
    /** Base URL inside the stack's network (datasources, scrape targets, KEDA). */
    internal: string;
    /** URL people use, when it is known before deployment. */
    people?: string;
    /** A load balancer gives the service an address once its Service is created (used where nothing is configured). */
    viaLoadBalancer: boolean;
    /** The exact command that makes the service reachable on this machine, when nothing else does. */
    portForward?: string;
    /** Base of links written into generated configuration; never localhost on Kubernetes. */
    link: string;
    /** Docker: the published port on `publicHost` (what the Grafana provider calls). */
    published?: string;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, "");

/** The port the service listens on inside its container (the Kubernetes Service uses the same). */
export function containerPortOf(settings: Settings, service: ReachableService): number {
    return httpPort(service).containerPort(settings);
}

/** Docker: the host port the service is published on; undefined = not published (SGLang behind the router). */
function publishedPortOf(settings: Settings, service: ReachableService): number | undefined {
    return httpPort(service).publishedPort?.(settings);
}

/**
 * Docker: the host name the published port is reached at. `publicHost` names
 * the host on `bindAddress`; a port kept on loopback while others are exposed
 * (Prometheus, Alertmanager: `monitoringBindAddress`) answers only as
 * localhost, on the host or through an SSH tunnel.
 */
function publishedHostOf(settings: Settings, service: ReachableService): string {
    const { bindAddress, publicHost } = settings.docker;
    const on = httpPort(service).publishedOn?.(settings) ?? bindAddress;
    return on !== bindAddress && on.startsWith("127.") ? "localhost" : publicHost;
}

/** A URL set in configuration for the service, "" = none. */
function configuredUrl(settings: Settings, service: ReachableService): string {
    switch (service) {
        case "grafana":
            return settings.grafana.externalUrl || settings.grafana.url;
        case "prometheus":
            return settings.prometheus.externalUrl;
        case "alertmanager":
            return settings.alertmanager.externalUrl;
        case "sglang":
        case "sglang-router":
            return "";
    }
}

/** `kubectl port-forward` to a service of the stack, on the same local port. */
export function portForwardCommand(settings: Settings, service: ReachableService): string {
    const port = containerPortOf(settings, service);
    return `kubectl port-forward -n ${settings.kubernetes.namespace} svc/${service} ${port}:${port}`;
}

/** The URLs of one service on the stack's platform. */
export function serviceUrls(settings: Settings, service: ReachableService): ServiceUrls {
    const configured = trimSlash(configuredUrl(settings, service));
    const port = containerPortOf(settings, service);
    if (settings.target === "docker") {
        const publishedPort = publishedPortOf(settings, service);
        const published = publishedPort === undefined ? undefined : `http://${publishedHostOf(settings, service)}:${publishedPort}`;
        const internal = `http://${service}:${port}`;
        const people = configured || published;
        return {
            internal,
            ...(people ? { people } : {}),
            viaLoadBalancer: false,
            link: people || internal,
            ...(published ? { published } : {}),
        };
    }
    if (settings.monitoringMode === "operator" && service !== "sglang" && service !== "sglang-router") {
        // The cluster's own Prometheus, Alertmanager and Grafana: only what configuration says.
        const internal = service === "prometheus" ? settings.kubernetes.operatorPrometheusUrl : configured;
        return { internal, people: configured || internal || undefined, viaLoadBalancer: false, link: configured || internal };
    }
    const internal = `http://${service}.${settings.kubernetes.namespace}.svc:${port}`;
    const exposure = service === "grafana" ? settings.kubernetes.grafanaExposure : undefined;
    const viaLoadBalancer = exposure?.kind === "load-balancer";
    const outside = configured || (exposure?.kind === "ingress" ? `https://${exposure.host}` : "");
    return {
        internal,
        ...(outside ? { people: outside } : {}),
        viaLoadBalancer,
        ...(outside || viaLoadBalancer ? {} : { portForward: portForwardCommand(settings, service) }),
        link: outside || internal,
    };
}

/**
 * The URL the Grafana provider calls during `pulumi up`, never one that
 * carries the admin credentials in clear over a network (settings refuse
 * such a `grafanaUrl` or Docker `publicHost`): `grafanaUrl`, else the
 * published port on Docker, the Ingress over TLS, or loopback through
 * `kubectl port-forward` (also with a load balancer, which serves plain HTTP).
 */
export function grafanaProviderUrl(settings: Settings): string {
    if (settings.grafana.url) return settings.grafana.url;
    if (settings.target === "docker") return serviceUrls(settings, "grafana").published!;
    const exposure = settings.kubernetes.grafanaExposure;
    if (exposure.kind === "ingress") return `https://${exposure.host}`;
    return `http://127.0.0.1:${containerPortOf(settings, "grafana")}`;
}

/** The `kubectl port-forward` the Grafana provider needs running during `pulumi up`, if it goes through one. */
export function grafanaProviderPortForward(settings: Settings): string | undefined {
    if (settings.target !== "kubernetes" || settings.monitoringMode !== "bundled" || settings.grafana.url) return undefined;
    return settings.kubernetes.grafanaExposure.kind === "ingress" ? undefined : portForwardCommand(settings, "grafana");
}
