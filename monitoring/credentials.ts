/**
 * The credentials Alertmanager uses, one row each: the stack configuration
 * key holding it, the file the bundled Alertmanager reads it from, and the key
 * of the Secret an AlertmanagerConfig (Prometheus Operator) refers to. Every
 * other place that names a credential derives from this table.
 */

/** Directory inside the Alertmanager container where credentials are mounted. */
export const ALERTMANAGER_SECRETS_DIR = "/etc/alertmanager/secrets";

export const ALERTMANAGER_CREDENTIALS = [
    { key: "slackWebhookUrl", file: `${ALERTMANAGER_SECRETS_DIR}/slack_webhook_url`, secretKey: "slack-webhook-url" },
    { key: "pagerdutyRoutingKey", file: `${ALERTMANAGER_SECRETS_DIR}/pagerduty_routing_key`, secretKey: "pagerduty-routing-key" },
    { key: "heartbeatUrl", file: `${ALERTMANAGER_SECRETS_DIR}/heartbeat_url`, secretKey: "heartbeat-url" },
] as const;

/** Config key of an Alertmanager credential. */
export type CredentialKey = (typeof ALERTMANAGER_CREDENTIALS)[number]["key"];

/** Where the configuration expects each credential file (tests and renders may move them). */
export type AlertmanagerSecretFiles = Record<CredentialKey, string>;

/** The default paths of the credential files inside the Alertmanager container. */
export const ALERTMANAGER_SECRET_FILES: AlertmanagerSecretFiles = Object.fromEntries(
    ALERTMANAGER_CREDENTIALS.map((c) => [c.key, c.file]),
) as AlertmanagerSecretFiles;

/** One value per credential, for those that are set. */
export function presentCredentials<T>(values: Partial<Record<CredentialKey, T | undefined>>): [CredentialKey, T][] {
    return ALERTMANAGER_CREDENTIALS.flatMap((c) => (values[c.key] === undefined ? [] : [[c.key, values[c.key] as T]]));
}
