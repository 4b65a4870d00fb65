export * from "./types";
export { parseSettings, ConfigError, PROJECT } from "./parse";
export { durationSeconds } from "./checks";
