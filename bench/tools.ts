/** Running the Prometheus tools the benchmarks use. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { trackPid, untrackPid } from "../tests/e2e/support/cleanup";

/** Runs a tool to completion, its output in `logFile`; rejects with the log's tail. */
export function runTool(binary: string, args: string[], logFile: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const log = fs.openSync(logFile, "a");
        const child = spawn(binary, args, { stdio: ["ignore", log, log] });
        fs.closeSync(log);
        if (child.pid !== undefined) trackPid(child.pid);
        child.once("error", reject);
        child.once("exit", (code) => {
            if (child.pid !== undefined) untrackPid(child.pid);
            if (code === 0) resolve();
            else
                reject(
                    new Error(
                        `${path.basename(binary)} ${args[0]} ${args[1] ?? ""} exited ${code}:\n${fs.readFileSync(logFile, "utf8").trim().split("\n").slice(-15).join("\n")}`,
                    ),
                );
        });
    });
}
