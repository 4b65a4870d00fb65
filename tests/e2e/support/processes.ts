/**
 * Child processes of the suite: started with their output in a log file,
 * stopped with SIGTERM then SIGKILL, and registered with the last-resort
 * cleanup so none outlives the run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { which } from "./binaries";
import { trackPid, untrackPid } from "./cleanup";
import { sleep } from "./wait";

export interface StartOptions {
    /** Short name for messages, e.g. "prometheus". */
    name: string;
    binary: string;
    args: string[];
    /** Where stdout and stderr go (appended: a restarted process keeps one log). */
    logFile: string;
    cwd?: string;
    /** Extra environment variables (on top of this process's). */
    env?: Record<string, string>;
    /**
     * Start it as the leader of its own process group and signal the whole
     * group on stop: for programs that start workers of their own.
     */
    processGroup?: boolean;
}

export class ManagedProcess {
    readonly pid: number;
    private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    private readonly exited: Promise<void>;

    constructor(
        readonly opts: StartOptions,
        private readonly child: ChildProcess,
    ) {
        if (child.pid === undefined) throw new Error(`${opts.name}: ${opts.binary} did not start`);
        this.pid = child.pid;
        trackPid(this.pid);
        this.exited = new Promise((resolve) => {
            child.once("exit", (code, signal) => {
                this.exitInfo = { code, signal };
                untrackPid(this.pid);
                resolve();
            });
        });
    }

    get running(): boolean {
        return this.exitInfo === undefined;
    }

    /** The last lines of the process's log, for failure messages. */
    logTail(lines = 30): string {
        try {
            return fs.readFileSync(this.opts.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
        } catch {
            return "(no log)";
        }
    }

    /** Throws with the log tail when the process has exited (it should be serving). */
    assertRunning(): void {
        if (this.exitInfo) {
            throw new Error(`${this.opts.name} exited (code ${this.exitInfo.code}, signal ${this.exitInfo.signal}); log:\n${this.logTail()}`);
        }
    }

    private signal(signal: NodeJS.Signals): void {
        if (!this.opts.processGroup) {
            this.child.kill(signal);
            return;
        }
        try {
            process.kill(-this.pid, signal);
        } catch {
            // the group is already gone
        }
    }

    /** SIGTERM, then SIGKILL after `graceMs` (to the whole group with `processGroup`); resolves once the process has exited. */
    async stop(graceMs = 5000): Promise<void> {
        if (!this.running) return;
        this.signal("SIGTERM");
        const stopped = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
        if (!stopped) {
            this.signal("SIGKILL");
            await this.exited;
        }
        // Workers may outlive a leader that exited on SIGTERM.
        if (this.opts.processGroup) this.signal("SIGKILL");
    }
}

const started: ManagedProcess[] = [];

/**
 * util-linux's setpriv (Essential on Debian) sets the parent-death signal
 * and then execs the program under the same PID: if this Node process is
 * killed outright (SIGKILL, where no handler runs) the kernel kills its
 * children too.
 */
const SETPRIV = which("setpriv");

export function startProcess(opts: StartOptions): ManagedProcess {
    const log = fs.openSync(opts.logFile, "a");
    try {
        const [command, args] = SETPRIV ? [SETPRIV, ["--pdeathsig", "KILL", "--", opts.binary, ...opts.args]] : [opts.binary, opts.args];
        const child = spawn(command, args, {
            cwd: opts.cwd,
            stdio: ["ignore", log, log],
            env: opts.env ? { ...process.env, ...opts.env } : undefined,
            detached: opts.processGroup ?? false,
        });
        // Report a spawn failure (ENOENT, EACCES) instead of crashing the run.
        child.once("error", (err) => fs.appendFileSync(opts.logFile, `spawn error: ${err.message}\n`));
        const proc = new ManagedProcess(opts, child);
        started.push(proc);
        return proc;
    } finally {
        fs.closeSync(log);
    }
}

/** Every process this module started, stopped or not. */
export function startedProcesses(): readonly ManagedProcess[] {
    return started;
}

/** Stops every process still running, in parallel. */
export async function stopAllProcesses(): Promise<void> {
    await Promise.all(started.map((p) => p.stop()));
}

/** PIDs of live processes whose command line mentions `marker` (e.g. the temp dir). */
export function processesMentioning(marker: string): number[] {
    const found: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
            if (cmdline.includes(marker) && Number(entry) !== process.pid) found.push(Number(entry));
        } catch {
            // exited while we looked
        }
    }
    return found;
}
