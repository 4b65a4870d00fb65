/**
 * Last-resort cleanup: whatever happens to the test run (a failed hook, an
 * uncaught error, Ctrl-C, mocha exiting), child processes are killed and
 * temporary directories removed. The orderly path (after hooks) does the same
 * work first; these handlers only catch what it missed. They must be
 * synchronous because 'exit' handlers cannot wait.
 */
import * as fs from "node:fs";

const pids = new Set<number>();
const dirs = new Set<string>();
let installed = false;

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

export function cleanupNow(): void {
    for (const pid of pids) {
        if (isAlive(pid)) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // already gone
            }
        }
    }
    pids.clear();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    dirs.clear();
}

function install(): void {
    if (installed) return;
    installed = true;
    process.on("exit", cleanupNow);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(signal, () => {
            cleanupNow();
            process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
        });
    }
}

export function trackPid(pid: number): void {
    install();
    pids.add(pid);
}

export function untrackPid(pid: number): void {
    pids.delete(pid);
}

export function trackDir(dir: string): void {
    install();
    dirs.add(dir);
}

export function untrackDir(dir: string): void {
    dirs.delete(dir);
}
