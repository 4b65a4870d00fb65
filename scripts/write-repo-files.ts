import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");

/** Writes rendered files (repository path → content) into the repository; returns the paths written. */
export function writeRepoFiles(files: Record<string, string>): string[] {
    for (const [relative, content] of Object.entries(files)) {
        const file = path.join(root, relative);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
    }
    return Object.keys(files);
}
