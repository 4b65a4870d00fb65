/**
 * The only reader of the stack's Pulumi configuration. Validates every value
 * (settings/parse.ts) and keeps the secrets as secret Outputs.
 */
import * as os from "node:os";
import * as pulumi from "@pulumi/pulumi";
import { ALERTMANAGER_CREDENTIALS } from "./monitoring/credentials";
import { PROMETHEUS_SECRET_FILES } from "./monitoring/remote-write";
import type { CredentialKey, PrometheusSecretFiles } from "./monitoring/types";
import { ConfigError, isPulumiSecret, PROJECT, parseSettings, SECRET_KEYS, type SecretKey, type Settings } from "./settings";

export type Secrets = { [K in SecretKey]: pulumi.Output<string> | undefined };

/** The Alertmanager credentials among the secrets (`secrets[key]` compiles only for secret keys). */
export function alertmanagerCredentials(secrets: Secrets): Partial<Record<CredentialKey, pulumi.Output<string>>> {
    return Object.fromEntries(ALERTMANAGER_CREDENTIALS.map((c) => [c.key, secrets[c.key]]));
}

/** Remote write's credentials among the secrets, one per file prometheus.yml may name. */
export function prometheusCredentials(secrets: Secrets): Partial<Record<keyof PrometheusSecretFiles, pulumi.Output<string>>> {
    const keys = Object.keys(PROMETHEUS_SECRET_FILES) as (keyof PrometheusSecretFiles & SecretKey)[];
    return Object.fromEntries(keys.map((key) => [key, secrets[key]]));
}

export interface StackConfig {
    settings: Settings;
    /** Set secrets as secret Outputs; unset ones are undefined. */
    secrets: Secrets;
}

/** Raw values of this project's keys, by short key name. */
function readRaw(): Record<string, unknown> {
    const prefix = `${PROJECT}:`;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
    }
    return raw;
}

export function loadConfig(): StackConfig {
    let settings: Settings;
    try {
        settings = withLocalHostName(parseSettings(pulumi.getStack(), readRaw(), { isStoredSecret: isPulumiSecret }));
    } catch (e) {
        // A RunError is reported by the engine as a message, without a stack trace.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    const config = new pulumi.Config(PROJECT);
    const secrets = Object.fromEntries(SECRET_KEYS.map((key) => [key, settings.secrets[key] ? config.requireSecret(key) : undefined])) as Secrets;
    return { settings, secrets };
}

/** A local Docker daemon runs on this machine: its name is the Docker host's. */
function withLocalHostName(settings: Settings): Settings {
    if (settings.target !== "docker" || settings.docker.hostName) return settings;
    return { ...settings, docker: { ...settings.docker, hostName: os.hostname() } };
}
