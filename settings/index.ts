export * from "./types";
export { parseSettings, ConfigError, PROJECT } from "./parse";
export { durationSeconds } from "./checks";
export { isPulumiSecret, plainTextSecrets, type IsStoredSecret } from "./plainSecrets";
