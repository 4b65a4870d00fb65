/**
 * The Debian programs the suite runs, and the package that provides each.
 * A missing one fails the suite with the install command: it is never skipped.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const BINARIES = {
    prometheus: { binary: "prometheus", debianPackage: "prometheus" },
    alertmanager: { binary: "prometheus-alertmanager", debianPackage: "prometheus-alertmanager" },
    nodeExporter: { binary: "prometheus-node-exporter", debianPackage: "prometheus-node-exporter" },
} as const;
export type BinaryKey = keyof typeof BINARIES;

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

/** Path of every binary the suite needs; throws naming the Debian packages of the missing ones. */
export function requireBinaries(): Record<BinaryKey, string> {
    const found: Partial<Record<BinaryKey, string>> = {};
    const missing: string[] = [];
    for (const [key, { binary, debianPackage }] of Object.entries(BINARIES) as [BinaryKey, (typeof BINARIES)[BinaryKey]][]) {
        const at = which(binary);
        if (at) found[key] = at;
        else missing.push(`${binary} (Debian package ${debianPackage})`);
    }
    if (missing.length > 0) {
        const packages = Object.values(BINARIES).map((b) => b.debianPackage).join(" ");
        throw new Error(`The end-to-end suite needs ${missing.join(", ")} on PATH. Install with: apt-get install -y ${packages}`);
    }
    return found as Record<BinaryKey, string>;
}
