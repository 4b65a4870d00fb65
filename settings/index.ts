export { durationSeconds } from "./checks";
export { ConfigError, PRODUCTION_SECRETS, PROJECT, parseSettings } from "./parse";
export { type IsStoredSecret, isPulumiSecret, plainTextSecrets } from "./plainSecrets";
export * from "./types";
