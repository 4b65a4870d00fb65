export { durationSeconds } from "./checks";
export { ConfigError, PROJECT, parseSettings } from "./parse";
export { type IsStoredSecret, isPulumiSecret, plainTextSecrets } from "./plainSecrets";
export * from "./types";
