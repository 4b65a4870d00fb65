/**
 * Writes the committed dashboard JSON (default settings) into the repository:
 *   npx ts-node --transpile-only scripts/gen-dashboards.ts   (or `npm run gen`)
 * A test fails when the committed file differs from what this renders.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderCommittedDashboardFiles } from "../dashboards";

const root = path.resolve(__dirname, "..");

/** Writes every committed dashboard file; returns the repository paths written. */
export function main(): string[] {
    const written: string[] = [];
    for (const [relative, content] of Object.entries(renderCommittedDashboardFiles())) {
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
