/**
 * The programs the tests run, and the Debian package that provides each.
 * Every test finds them through `tool()`: a missing one fails that test with
 * one line naming the package and the command that installs everything
 * (`npm run setup-and-test`), never with a `spawnSync ENOENT` trace.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Executable → Debian package. `scripts/setup-and-test.sh` installs every package named here. */
export const DEBIAN_TOOLS = {
    promtool: "prometheus",
    prometheus: "prometheus",
    amtool: "prometheus-alertmanager",
    "prometheus-alertmanager": "prometheus-alertmanager",
    "prometheus-node-exporter": "prometheus-node-exporter",
    "prometheus-blackbox-exporter": "prometheus-blackbox-exporter",
    "victoria-metrics": "victoria-metrics",
    shellcheck: "shellcheck",
    // The config reloader's script signals with it.
    pkill: "procps",
    // Runs the authenticated health check as the busybox-based images do.
    busybox: "busybox",
} as const;
export type DebianTool = keyof typeof DEBIAN_TOOLS;

/** Absolute path of an executable found on PATH, or undefined. */
export function which(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}

/**
 * A tool the tests need is not installed. Its stack is its message alone,
 * so mocha prints one line.
 */
export class MissingToolError extends Error {
    constructor(
        readonly tool: string,
        readonly debianPackage: string,
    ) {
        super(`${tool} is not installed: it comes with the Debian package ${debianPackage} (npm run setup-and-test installs it)`);
        this.name = "MissingToolError";
        this.stack = `${this.name}: ${this.message}`;
    }
}

/** Whether `name` is one of the Debian tools the tests run. */
export function isDebianTool(name: string): name is DebianTool {
    return Object.hasOwn(DEBIAN_TOOLS, name);
}

/** Absolute path of a Debian tool; throws `MissingToolError` when it is not on PATH. */
export function tool(name: DebianTool): string {
    const found = which(name);
    if (!found) throw new MissingToolError(name, DEBIAN_TOOLS[name]);
    return found;
}

/** `cmd` resolved through `tool()` when it is a Debian tool, unchanged otherwise (node, a path). */
export function resolveCommand(cmd: string): string {
    return isDebianTool(cmd) ? tool(cmd) : cmd;
}
