/**
 * Remote write to a long-term store (Grafana Mimir, Thanos Receive,
 * VictoriaMetrics, Grafana Cloud): the `remote_write` section of
 * prometheus.yml. Credentials are never in the file: it names files the
 * components mount from Pulumi secrets, as Alertmanager's configuration does.
 */

import { PROMETHEUS_SECRETS_DIR } from "../components/prometheus/service";
import { buildDashboard, DATASOURCE_UID, dashboardQueries, variableQueries } from "../dashboards";
import type { RemoteWriteSettings, Settings } from "../settings";
import { allAlerts } from "./alerts";
import { defaultLinks } from "./links";
import { recordedSeriesNames } from "./series";
import { namesReadByAll } from "./series-names";
import type { PrometheusSecretFiles } from "./types";

export { PROMETHEUS_SECRETS_DIR };

/** Paths of the remote-write credential files inside the Prometheus container. */
export const PROMETHEUS_SECRET_FILES: PrometheusSecretFiles = {
    remoteWritePassword: `${PROMETHEUS_SECRETS_DIR}/remote_write_password`,
    remoteWriteBearerToken: `${PROMETHEUS_SECRETS_DIR}/remote_write_bearer_token`,
    remoteWriteOauth2ClientSecret: `${PROMETHEUS_SECRETS_DIR}/remote_write_oauth2_client_secret`,
};

/** Series the monitoring stack writes itself that the store should hold: target health and firing alerts. */
const ALWAYS_SENT = ["up", "ALERTS"];

/**
 * What the default write filter keeps: every recorded series, `up`, `ALERTS`,
 * and the raw series the dashboard (panels and variables) and the alerts
 * read directly, derived from their expressions for these settings.
 */
export function remoteWriteKeep(settings: Settings): { names: string[]; patterns: string[] } {
    const dashboard = buildDashboard(settings, { datasourceUid: DATASOURCE_UID }) as unknown as Parameters<typeof dashboardQueries>[0] &
        Parameters<typeof variableQueries>[0];
    const exprs = [
        ...dashboardQueries(dashboard).map((q) => q.expr),
        ...variableQueries(dashboard).map((v) => v.query.replace(/^label_values\((.*),\s*\w+\)$/s, "$1")),
        ...allAlerts(settings, defaultLinks(settings)).map((a) => a.expr),
    ];
    const read = namesReadByAll(exprs);
    const names = new Set([...ALWAYS_SENT, ...recordedSeriesNames(), ...read.names]);
    return { names: [...names].sort(), patterns: [...read.patterns].sort() };
}

function regexEscape(value: string): string {
    return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The write filter: keep the named series, drop every other (none with sendAll). */
export function writeRelabelConfigs(settings: Settings, rw: RemoteWriteSettings): object[] {
    if (rw.sendAll) return [];
    const keep = remoteWriteKeep(settings);
    return [{ source_labels: ["__name__"], regex: [...keep.names.map(regexEscape), ...keep.patterns].join("|"), action: "keep" }];
}

function authentication(rw: RemoteWriteSettings, files: PrometheusSecretFiles): object {
    const a = rw.auth;
    switch (a.kind) {
        case "none":
            return {};
        case "basic":
            return { basic_auth: { username: a.username, password_file: files.remoteWritePassword } };
        case "bearer":
            return { authorization: { type: "Bearer", credentials_file: files.remoteWriteBearerToken } };
        case "oauth2":
            return {
                oauth2: {
                    client_id: a.clientId,
                    client_secret_file: files.remoteWriteOauth2ClientSecret,
                    token_url: a.tokenUrl,
                    ...(a.scopes.length ? { scopes: a.scopes } : {}),
                },
            };
    }
}

/** The `remote_write` list of prometheus.yml; empty without remote write. */
export function remoteWriteConfig(settings: Settings, files: PrometheusSecretFiles = PROMETHEUS_SECRET_FILES): object[] {
    const rw = settings.prometheus.remoteWrite;
    if (!rw) return [];
    const relabel = writeRelabelConfigs(settings, rw);
    return [
        {
            url: rw.url,
            // A stable name in Prometheus' own prometheus_remote_storage_* metrics.
            name: "long-term-store",
            ...authentication(rw, files),
            queue_config: {
                capacity: rw.queue.capacity,
                max_shards: rw.queue.maxShards,
                min_shards: 1,
                max_samples_per_send: rw.queue.maxSamplesPerSend,
                batch_send_deadline: rw.queue.batchSendDeadline,
                // Prometheus' own backoff: brief outages are retried from the WAL.
                min_backoff: "30ms",
                max_backoff: "5s",
            },
            ...(relabel.length ? { write_relabel_configs: relabel } : {}),
        },
    ];
}
