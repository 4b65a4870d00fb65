/**
 * Writes the committed monitoring files (default settings, Docker topology)
 * at the guide's paths:
 *   npx ts-node --transpile-only scripts/gen-monitoring.ts   (or `npm run gen`)
 * A test fails when a committed file differs from what this renders.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderCommittedMonitoringFiles } from "../monitoring";

const root = path.resolve(__dirname, "..");

/** Writes every committed monitoring file; returns the repository paths written. */
export function main(): string[] {
    const written: string[] = [];
    for (const [relative, content] of Object.entries(renderCommittedMonitoringFiles())) {
        const file = path.join(root, relative);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
        written.push(relative);
    }
    return written;
}

if (require.main === module) {
    for (const relative of main()) console.log(`wrote ${relative}`);
}
