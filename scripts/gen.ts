/**
 * `npm run gen`: runs every generator of the repository, in dependency order
 * (the availability table first: the catalogue, alerts and dashboard read it;
 * the configuration reference is made from Pulumi.yaml, so Pulumi.yaml before it).
 * Tests fail when a generated file is out of date; run this after changing
 * settings/catalog.ts, monitoring/ or dashboards/.
 */
import { main as writeAvailability } from "./gen-availability";
import { writeConfigDoc } from "./gen-config-docs";
import { main as writeDashboards } from "./gen-dashboards";
import { main as writeMonitoringFiles } from "./gen-monitoring";
import { writePulumiYaml } from "./gen-pulumi-yaml";
import { main as writeReadmeVersions } from "./gen-readme-versions";
import { main as writeRunbookVersions } from "./gen-runbook-versions";

/** A generator: writes its files, returns a one-line report. */
type Generator = () => string;

const GENERATORS: [string, Generator][] = [
    ["availability", () => `wrote ${writeAvailability().join(", ")}`],
    ["Pulumi.yaml", () => (writePulumiYaml() ? "regenerated" : "up to date")],
    ["docs/configuration.md", () => (writeConfigDoc() ? "regenerated" : "up to date")],
    ["monitoring", () => `wrote ${writeMonitoringFiles().join(", ")}`],
    ["dashboards", () => `wrote ${writeDashboards().join(", ")}`],
    ["runbooks", () => `wrote ${writeRunbookVersions().join(", ") || "nothing (up to date)"}`],
    ["README.md", () => (writeReadmeVersions().length > 0 ? "regenerated" : "up to date")],
];

export function runAll(): void {
    for (const [name, generate] of GENERATORS) console.log(`${name}: ${generate()}`);
}

if (require.main === module) runAll();
