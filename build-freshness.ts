/**
 * Refuses to run a stale build: when this module runs compiled (bin/), every
 * program source (.ts) must be older than its compiled .js. Costs a few
 * milliseconds of `stat` calls; under ts-node (tests) it does nothing.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** Directories (and the root) whose sources make up the program. */
export const PROGRAM_DIRS = ["", "components", "monitoring", "dashboards", "settings", "contracts"];

/** Sources newer than their compiled file (or without one), relative to `sourceRoot`. */
export function staleSources(sourceRoot: string, buildRoot: string): string[] {
    const stale: string[] = [];
    const visit = (rel: string, recurse: boolean) => {
        if (!fs.existsSync(path.join(sourceRoot, rel))) return;
        for (const entry of fs.readdirSync(path.join(sourceRoot, rel), { withFileTypes: true })) {
            const file = path.join(rel, entry.name);
            if (entry.isDirectory()) {
                if (recurse) visit(file, true);
            } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") && !entry.name.endsWith(".test.ts")) {
                const compiled = path.join(buildRoot, file.replace(/\.ts$/, ".js"));
                const source = fs.statSync(path.join(sourceRoot, file));
                if (!fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < source.mtimeMs) stale.push(file);
            }
        }
    };
    for (const dir of PROGRAM_DIRS) visit(dir, dir !== "");
    return stale;
}

if (__filename.endsWith(".js")) {
    const buildRoot = __dirname;
    const stale = staleSources(path.dirname(buildRoot), buildRoot);
    if (stale.length > 0) {
        const shown = stale.slice(0, 5).join(", ") + (stale.length > 5 ? `, … (${stale.length} files)` : "");
        throw new pulumi.RunError(
            `${path.basename(buildRoot)}/ is older than the sources (${shown}): run \`npm run build\` (\`npm run deploy\` builds first), then try again.`,
        );
    }
}
