/**
 * Writes the committed dashboard JSON (default settings) into the repository:
 *   npx ts-node --transpile-only scripts/gen-dashboards.ts
 * A test fails when the committed file differs from what this renders.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderCommittedDashboardFiles } from "../dashboards";

const root = path.resolve(__dirname, "..");
for (const [relative, content] of Object.entries(renderCommittedDashboardFiles())) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    console.log(`wrote ${relative}`);
}
