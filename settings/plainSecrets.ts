/**
 * Secret keys set without `--secret`: `pulumi config set sglangApiKey …`
 * writes the value in clear into Pulumi.<stack>.yaml, which is committed.
 * The engine tells the program which keys it decrypted (PULUMI_CONFIG_SECRET_KEYS,
 * read by the SDK's runtime isConfigSecret); a set secret key missing there is
 * refused at preview.
 */
import * as pulumi from "@pulumi/pulumi";
import { CATALOG } from "./catalog";
import { PROJECT } from "./parse";

/** Whether a full key (project:key) was stored encrypted. */
export type IsStoredSecret = (fullKey: string) => boolean;

/**
 * One problem for each secret key of the catalogue that is set in `raw` but
 * not stored as a secret; the value is never part of the message.
 */
export function plainTextSecrets(stack: string, raw: Record<string, unknown>, isStoredSecret: IsStoredSecret): string[] {
    return CATALOG.filter((d) => d.secret)
        .filter((d) => raw[d.key] !== undefined && raw[d.key] !== null && raw[d.key] !== "")
        .filter((d) => !isStoredSecret(`${PROJECT}:${d.key}`))
        .map((d) => `${PROJECT}:${d.key} is stored in plain text in Pulumi.${stack}.yaml: run pulumi config set --secret ${d.key} <value>`);
}

/** The engine's answer, through the SDK (isConfigSecret is exported at runtime but typed @internal). */
export const isPulumiSecret: IsStoredSecret = (fullKey) =>
    (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(fullKey);
