// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).

import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { ALERTMANAGER_CREDENTIALS, presentCredentials } from "../../monitoring/credentials";
import type { CredentialKey, Links } from "../../monitoring/types";
import type { Settings } from "../../settings";
import type { KubernetesCluster } from "../platform/kubernetes/cluster";
import { alertmanagerConfigObject, CREDENTIALS_SECRET, canaryProbes, monitors, type OperatorObject, operatorLabels, prometheusRule } from "./objects";

export interface OperatorMonitoringArgs {
    settings: Settings;
    cluster: KubernetesCluster;
    links: Links;
    /** Set Alertmanager credentials (secret Outputs); unset ones are left out. */
    credentials: Partial<Record<CredentialKey, pulumi.Output<string>>>;
}

/**
 * `monitoringMode: operator`: hands scraping, rules and routing to the
 * Prometheus Operator the cluster already runs, through its custom resources.
 */
export class OperatorMonitoring extends pulumi.ComponentResource {
    readonly resources: pulumi.Resource[] = [];

    constructor(name: string, args: OperatorMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:operator:Monitoring", name, {}, opts);
        const { settings, cluster, links } = args;
        const ropts = cluster.resourceOptions(this);
        const custom = (logical: string, o: OperatorObject, extra: pulumi.CustomResourceOptions = {}) =>
            new CustomResource(logical, { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, spec: o.spec }, { ...ropts, ...extra });

        for (const m of monitors(settings)) this.resources.push(custom(m.metadata.name, m));
        for (const probe of canaryProbes(settings)) this.resources.push(custom(probe.metadata.name, probe));
        const rule = prometheusRule(settings, links);
        this.resources.push(custom(`${rule.metadata.name}-rules`, rule));

        const am = alertmanagerConfigObject(settings, links);
        const set = presentCredentials(args.credentials);
        const secretKey = (key: CredentialKey) => ALERTMANAGER_CREDENTIALS.find((c) => c.key === key)!.secretKey;
        const deps: pulumi.Resource[] = [];
        if (set.length > 0) {
            deps.push(
                new corev1.Secret(
                    CREDENTIALS_SECRET,
                    {
                        metadata: { name: CREDENTIALS_SECRET, namespace: am.metadata.namespace, labels: operatorLabels(settings) },
                        type: "Opaque",
                        stringData: Object.fromEntries(set.map(([key, value]) => [secretKey(key), pulumi.secret(value)])),
                    },
                    { ...ropts, additionalSecretOutputs: ["data", "stringData"] },
                ),
            );
        }
        this.resources.push(
            ...deps,
            custom(`${am.metadata.name}-alertmanager`, am, { dependsOn: [...(ropts.dependsOn as pulumi.Resource[]), ...deps] }),
        );
        this.registerOutputs({});
    }
}
