/**
 * The shapes the monitoring content is built from and rendered to. Plain data:
 * no Pulumi import anywhere under monitoring/.
 */

import type { ServiceName } from "../components/services";
import type { BasicAuthFile } from "./web-auth";

/** A job is named after the service it scrapes (components/services.ts). */
export type JobName = ServiceName;

/** Job names as alerts, dashboards and scrape configuration refer to them. */
export const JOB = {
    sglang: "sglang",
    gpu: "gpu-exporter",
    node: "node-exporter",
    prometheus: "prometheus",
    alertmanager: "alertmanager",
    grafana: "grafana",
} as const satisfies Record<string, JobName>;
/** The job of the SGLang router (smg), deployed in front of several SGLang workers: named after its service. */
export const JOB_ROUTER = "sglang-router";
/** The job whose scrapes are the synthetic canary's probes (through the blackbox exporter). */
export const JOB_CANARY = "sglang-canary";

/** Where a job's targets are found: fixed addresses (Docker) or Kubernetes pods. */
export type Discovery =
    | { kind: "static"; targets: string[] }
    | {
          kind: "kubernetes-pods";
          namespaces: string[];
          /** Pod labels that select the job's pods (all must match). */
          podLabels: Record<string, string>;
          /** Name of the container port to scrape. */
          portName: string;
      };

export interface ScrapeJob {
    job: JobName;
    discovery: Discovery;
    /** Default /metrics. */
    metricsPath?: string;
    /** Default: the global scrape interval. */
    scrapeInterval?: string;
    /** Target labels of static targets (Kubernetes jobs get theirs by relabeling). */
    labels?: Record<string, string>;
    /** The target's web server requires basic auth (monitoring/web-auth.ts). */
    basicAuth?: BasicAuthFile;
}

/** Where things live, for the Prometheus configuration and links in alerts. */
export interface Topology {
    jobs: ScrapeJob[];
    /** Alertmanager addresses Prometheus sends to (host:port); empty = none. */
    alertmanagers: string[];
    /** How Prometheus authenticates to them; absent = it does not. */
    alertmanagerAuth?: BasicAuthFile;
    /** Rule files Prometheus loads (paths inside its container). */
    ruleFiles: string[];
    /** Prometheus replicas scraping the same targets; default 1. Above 1 each gets a replica label. */
    prometheusReplicas?: number;
    /** The synthetic canary's probes: through this prober, of SGLang's OpenAI base URL; absent = no canary. */
    canary?: { proberAddress: string; openaiBaseUrl: string };
}

/** Links put into alert annotations and notifications. */
export interface Links {
    /** Grafana base URL reachable by people, no trailing slash. */
    grafanaUrl: string;
    /** Base URL of the runbooks, no trailing slash (…/docs/runbooks). */
    runbookBaseUrl: string;
}

/** Paths inside the Alertmanager container where credentials are mounted as files. */
export type { AlertmanagerSecretFiles, CredentialKey } from "./credentials";

/** Paths inside the Prometheus container where remote-write credentials are mounted as files. */
export interface PrometheusSecretFiles {
    remoteWritePassword: string;
    remoteWriteBearerToken: string;
    remoteWriteOauth2ClientSecret: string;
}

export interface RecordingRule {
    record: string;
    expr: string;
    labels?: Record<string, string>;
}

export interface AlertingRule {
    alert: string;
    expr: string;
    for?: string;
    keep_firing_for?: string;
    labels: Record<string, string> & { severity: "critical" | "warning" | "info" | "none" };
    annotations: Record<string, string>;
}

export interface RuleGroup {
    name: string;
    interval?: string;
    rules: (RecordingRule | AlertingRule)[];
}
