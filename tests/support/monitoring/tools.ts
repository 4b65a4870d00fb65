/** Test helpers: run promtool and amtool on files written to a temporary directory. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { toYaml } from "../../../monitoring/yaml";
import { resolveCommand } from "../../debian-tools";

export interface ToolResult {
    status: number | null;
    /** stdout and stderr together. */
    output: string;
    stdout: string;
}

export function run(cmd: string, args: string[], cwd?: string): ToolResult {
    const r = spawnSync(resolveCommand(cmd), args, { cwd, encoding: "utf8", timeout: 60_000 });
    if (r.error) throw r.error;
    return { status: r.status, output: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/** A temporary directory with the given files (relative or absolute-looking paths kept under it). */
export class TempDir {
    readonly path = mkdtempSync(join(tmpdir(), "monitoring-test-"));

    write(relative: string, content: string): string {
        const file = join(this.path, relative.replace(/^\/+/, ""));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
        return file;
    }

    remove(): void {
        rmSync(this.path, { recursive: true, force: true });
    }
}

/** Throws with the tool's output unless it exited 0. */
export function expectSuccess(r: ToolResult, what: string): void {
    if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.output}`);
}

/** Runs commands concurrently, at most `parallel` at a time. */
export async function runAll(commands: { cmd: string; args: string[]; cwd?: string }[], parallel = 2): Promise<ToolResult[]> {
    const { spawn } = await import("node:child_process");
    const results: ToolResult[] = new Array(commands.length);
    let next = 0;
    const worker = async () => {
        while (next < commands.length) {
            const i = next++;
            const c = commands[i];
            results[i] = await new Promise<ToolResult>((resolve, reject) => {
                const child = spawn(resolveCommand(c.cmd), c.args, { cwd: c.cwd });
                let output = "";
                let stdout = "";
                child.stdout.on("data", (d) => ((output += d), (stdout += d)));
                child.stderr.on("data", (d) => (output += d));
                child.on("error", reject);
                child.on("close", (status) => resolve({ status, output, stdout }));
            });
        }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, commands.length) }, worker));
    return results;
}

/**
 * Alertmanager 0.25 (the Debian package used for checks) predates the
 * webhook's `url_file` (the deployed image reads it): for 0.25 only, the
 * field is replaced by a placeholder `url` so the rest is still checked.
 */
export function forAmtool025(config: string): string {
    const doc = parse(config) as { receivers: { webhook_configs?: Record<string, unknown>[] }[] };
    for (const r of doc.receivers)
        for (const w of r.webhook_configs ?? [])
            if (w.url_file) {
                delete w.url_file;
                w.url = "http://heartbeat.invalid/";
            }
    return toYaml(doc);
}
