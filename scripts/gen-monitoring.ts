/**
 * Writes the committed monitoring files (default settings, Docker topology)
 * at the guide's paths:
 *   npx ts-node --transpile-only scripts/gen-monitoring.ts   (or `npm run gen`)
 * A test fails when a committed file differs from what this renders.
 */
import { renderCommittedMonitoringFiles } from "../monitoring";
import { writeRepoFiles } from "./write-repo-files";

/** Writes every committed monitoring file; returns the repository paths written. */
export const main = (): string[] => writeRepoFiles(renderCommittedMonitoringFiles());

if (require.main === module) {
    for (const relative of main()) console.log(`wrote ${relative}`);
}
