/**
 * The suite's temporary directory: named after this process, removed at the
 * end of the run by the suite and, failing that, by the last-resort cleanup.
 * A run killed outright (SIGKILL) cannot remove its own; the next run
 * removes directories whose process is gone.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { trackDir, untrackDir } from "./cleanup";

const PREFIX = "sglang-ananke-e2e-";

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Removes directories left by earlier runs that were killed. */
function removeAbandoned(): void {
    for (const name of fs.readdirSync(os.tmpdir())) {
        const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
        if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) {
            fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
        }
    }
}

export function makeRunDir(): string {
    removeAbandoned();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
    trackDir(dir);
    return dir;
}

export function removeRunDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
    untrackDir(dir);
}
