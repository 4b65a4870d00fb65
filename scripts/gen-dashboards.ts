/**
 * Writes the committed dashboard JSON (default settings) into the repository:
 *   npx ts-node --transpile-only scripts/gen-dashboards.ts   (or `npm run gen`)
 * A test fails when the committed file differs from what this renders.
 */
import { renderCommittedDashboardFiles } from "../dashboards";
import { writeRepoFiles } from "./write-repo-files";

/** Writes every committed dashboard file; returns the repository paths written. */
export const main = (): string[] => writeRepoFiles(renderCommittedDashboardFiles());

if (require.main === module) {
    for (const relative of main()) console.log(`wrote ${relative}`);
}
