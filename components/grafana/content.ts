import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { buildDashboard } from "../../dashboards";
import { DASHBOARD_UID, DATASOURCE_UID, FOLDER_TITLE } from "../../dashboards/constants";
import type { Settings } from "../../settings";

export const FOLDER_UID = "sglang";

export interface GrafanaContentArgs {
    settings: Settings;
    /** URL the Grafana provider calls during `pulumi up`. */
    grafanaUrl: pulumi.Input<string>;
    /** "user:password" or a service-account token; a secret. */
    auth: pulumi.Input<string>;
    /** Prometheus as Grafana's server reaches it (inside the stack's network). */
    prometheusUrl: pulumi.Input<string>;
    /** The basic auth the stack's Prometheus requires (password a secret); absent = none (the cluster's own Prometheus). */
    prometheusAuth?: { username: string; password: pulumi.Input<string> };
    /** Basic-auth password of `settings.grafana.datasource` (a long-term store); a secret. */
    datasourcePassword?: pulumi.Input<string>;
    /** Grafana URL people open, for the dashboard link; default `grafanaUrl`. */
    publicGrafanaUrl?: pulumi.Input<string>;
}

/**
 * The datasource's target: the long-term store when `grafanaDatasourceUrl` is
 * set (with basic auth when a user is), else the stack's Prometheus.
 */
function datasourceTarget(
    args: GrafanaContentArgs,
): Pick<grafana.oss.DataSourceArgs, "name" | "url" | "basicAuthEnabled" | "basicAuthUsername" | "secureJsonDataEncoded"> {
    const store = args.settings.grafana.datasource;
    if (!store.url) {
        const auth = args.prometheusAuth ? basicAuth(args.prometheusAuth.username, args.prometheusAuth.password) : {};
        return { name: "Prometheus (sglang-ananke)", url: args.prometheusUrl, ...auth };
    }
    const auth = store.username && args.datasourcePassword !== undefined ? basicAuth(store.username, args.datasourcePassword) : {};
    return { name: "Long-term store (sglang-ananke)", url: store.url, ...auth };
}

/** The datasource's basic auth, the password in its secure fields. */
function basicAuth(
    username: string,
    password: pulumi.Input<string>,
): Pick<grafana.oss.DataSourceArgs, "basicAuthEnabled" | "basicAuthUsername" | "secureJsonDataEncoded"> {
    return {
        basicAuthEnabled: true,
        basicAuthUsername: username,
        // Grafana keeps secureJsonData encrypted and never returns it through its API.
        secureJsonDataEncoded: pulumi.secret(pulumi.output(password).apply((p) => JSON.stringify({ basicAuthPassword: p }))),
    };
}

/**
 * What the stack creates inside Grafana through its API: the Prometheus
 * datasource (fixed uid), the "SGLang" folder and the dashboard.
 */
export class GrafanaContent extends pulumi.ComponentResource {
    readonly dashboardUrl: pulumi.Output<string>;
    readonly provider: grafana.Provider;

    constructor(name: string, args: GrafanaContentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:grafana:Content", name, {}, opts);
        this.provider = new grafana.Provider(
            `${name}-provider`,
            {
                url: args.grafanaUrl,
                auth: pulumi.secret(args.auth),
                // Grafana may still be migrating its database right after it reports healthy.
                retries: 10,
                retryWait: 5,
            },
            { parent: this },
        );
        const child = { parent: this, provider: this.provider };
        const datasource = new grafana.oss.DataSource(
            `${name}-prometheus`,
            {
                uid: DATASOURCE_UID,
                type: "prometheus",
                ...datasourceTarget(args),
                isDefault: true,
                jsonDataEncoded: JSON.stringify({
                    httpMethod: "POST",
                    // Lets $__rate_interval cover at least four scrapes.
                    timeInterval: args.settings.prometheus.scrapeInterval,
                }),
            },
            child,
        );
        const folder = new grafana.oss.Folder(`${name}-folder`, { uid: FOLDER_UID, title: FOLDER_TITLE }, child);
        const dashboard = new grafana.oss.Dashboard(
            `${name}-dashboard`,
            {
                folder: folder.uid,
                configJson: JSON.stringify(buildDashboard(args.settings, { datasourceUid: DATASOURCE_UID })),
                overwrite: true,
                message: "Deployed by sglang-ananke",
            },
            { ...child, dependsOn: [datasource] },
        );
        this.dashboardUrl = pulumi
            .all([args.publicGrafanaUrl ?? args.grafanaUrl, dashboard.uid])
            .apply(([base, uid]) => `${String(base).replace(/\/+$/, "")}/d/${uid || DASHBOARD_UID}`);
        this.registerOutputs({ dashboardUrl: this.dashboardUrl, datasourceUid: datasource.uid, folderUid: folder.uid });
    }
}
