/**
 * The Debian programs the suite runs, and the package that provides each.
 * A missing one fails the suite with the install command: it is never skipped.
 */
import { spawnSync } from "node:child_process";
import { DEBIAN_TOOLS, which } from "../../debian-tools";

export { which };

export const BINARIES = {
    prometheus: { binary: "prometheus", debianPackage: DEBIAN_TOOLS.prometheus },
    alertmanager: { binary: "prometheus-alertmanager", debianPackage: DEBIAN_TOOLS["prometheus-alertmanager"] },
    nodeExporter: { binary: "prometheus-node-exporter", debianPackage: DEBIAN_TOOLS["prometheus-node-exporter"] },
    blackboxExporter: { binary: "prometheus-blackbox-exporter", debianPackage: DEBIAN_TOOLS["prometheus-blackbox-exporter"] },
} as const;
export type BinaryKey = keyof typeof BINARIES;

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
        const packages = Object.values(BINARIES)
            .map((b) => b.debianPackage)
            .join(" ");
        const err = new Error(
            `The end-to-end suite needs ${missing.join(", ")} on PATH. Install with: apt-get install -y ${packages} (or run npm run setup-and-test)`,
        );
        err.stack = `Error: ${err.message}`; // one line in mocha's report
        throw err;
    }
    return found as Record<BinaryKey, string>;
}

/** The Python that runs the SGLang stand-in: Debian's, which has Debian's prometheus_client (a pyenv or venv python3 on PATH may not). */
export const DEBIAN_PYTHON = "/usr/bin/python3";
export const PROMETHEUS_CLIENT_PACKAGE = "python3-prometheus-client";

const checkedPythons = new Set<string>();

/** Throws one line naming the Debian package unless `python` runs and imports prometheus_client. */
export function requirePrometheusClient(python = DEBIAN_PYTHON): string {
    if (checkedPythons.has(python)) return python;
    const result = spawnSync(python, ["-c", "import prometheus_client.multiprocess"], { encoding: "utf8" });
    if (result.error || result.status !== 0) {
        const why = result.error
            ? `${python} does not run (${(result.error as NodeJS.ErrnoException).code})`
            : `${python} cannot import prometheus_client`;
        const err = new Error(
            `The SGLang stand-in needs Python's prometheus_client: ${why}. Install with: apt-get install -y python3 ${PROMETHEUS_CLIENT_PACKAGE} (or run npm run setup-and-test)`,
        );
        err.stack = `Error: ${err.message}`; // one line in mocha's report
        throw err;
    }
    checkedPythons.add(python);
    return python;
}
