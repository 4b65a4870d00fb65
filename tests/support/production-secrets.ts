/**
 * Test values for the secrets a stack with `production: true` refuses to
 * preview without (PRODUCTION_SECRETS), so that the tests, the render and the
 * benchmark can run the prod stack file as `pulumi` would once they are set.
 */
import { PRODUCTION_SECRETS } from "../../settings";

type ProductionSecret = (typeof PRODUCTION_SECRETS)[number];

/** A made-up value of each required secret, each passing its key's check. */
export const PRODUCTION_TEST_SECRETS: Readonly<Record<ProductionSecret, string>> = {
    pagerdutyRoutingKey: "pdTESTroutingKEY0123456789abcdefAB",
    heartbeatUrl: "https://heartbeat.example.com/ping/production-test",
    sglangApiKey: "production-test-api-key",
};

/** Whether a stack configuration (short keys, `pulumi config` strings) says `production: true`. */
export function isProduction(config: Record<string, unknown>): boolean {
    return String(config.production) === "true";
}

/**
 * A production stack's configuration with the required secrets it lacks set
 * to the test values, and those keys, to mark as stored with `--secret`; any
 * other configuration unchanged.
 */
export function withProductionSecrets(config: Record<string, string>): { config: Record<string, string>; secretKeys: string[] } {
    if (!isProduction(config)) return { config, secretKeys: [] };
    const missing = PRODUCTION_SECRETS.filter((k) => !config[k]);
    return {
        config: { ...config, ...Object.fromEntries(missing.map((k) => [k, PRODUCTION_TEST_SECRETS[k]])) },
        secretKeys: missing,
    };
}

/** The required secrets as a stack file stores them encrypted (`secure:`), for renders of a production stack file. */
export function encryptedProductionSecrets(): Record<ProductionSecret, { secure: string }> {
    return Object.fromEntries(
        PRODUCTION_SECRETS.map((k) => [k, { secure: `v1:${Buffer.from(PRODUCTION_TEST_SECRETS[k]).toString("base64")}` }]),
    ) as Record<ProductionSecret, { secure: string }>;
}
