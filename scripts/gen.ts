/**
 * `npm run gen`: runs every generator of the repository, in dependency order
 * (the configuration reference is made from Pulumi.yaml, so Pulumi.yaml first).
 * Tests fail when a generated file is out of date; run this after changing
 * settings/catalog.ts, monitoring/ or dashboards/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writePulumiYaml } from "./gen-pulumi-yaml";
import { writeConfigDoc } from "./gen-config-docs";
import { main as writeDashboards } from "./gen-dashboards";

/** A generator: writes its files, returns a one-line report. */
type Generator = () => string;

const GENERATORS: [string, Generator][] = [
    ["Pulumi.yaml", () => (writePulumiYaml() ? "regenerated" : "up to date")],
    ["docs/configuration.md", () => (writeConfigDoc() ? "regenerated" : "up to date")],
    ["dashboards", () => `wrote ${writeDashboards().join(", ")}`],
];

// TODO: replace with a direct import once scripts/gen-monitoring.ts exists.
for (const name of ["gen-monitoring"]) {
    if (!fs.existsSync(path.join(__dirname, `${name}.ts`))) continue;
    GENERATORS.push([`scripts/${name}.ts`, () => {
        const mod = require(`./${name}`) as { main?: () => unknown };
        if (typeof mod.main !== "function") return "no exported main(): not run";
        mod.main();
        return "run";
    }]);
}

export function runAll(): void {
    for (const [name, generate] of GENERATORS) console.log(`${name}: ${generate()}`);
}

if (require.main === module) runAll();
