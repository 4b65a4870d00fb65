/**
 * The SGLang stand-in of the end-to-end suite: a Python process group
 * (sglang_standin.py) that declares a version's metrics exactly as its
 * contract says and writes them with the real prometheus_client in
 * multiprocess mode, one process per writer, as SGLang does. This class
 * builds the plan from the contract, starts and stops the processes, and
 * switches the fault mode: healthy, slow (latency far above the P95
 * threshold), erroring (what the version writes for failures) and down (the
 * process group is killed: connections are refused; coming back is a
 * restart, every counter from zero).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { SglangTopology } from "../../../contracts/generate";
import { DEFAULT_SGLANG_CONTRACT } from "../../../contracts/sglang";
import type { ExporterContract } from "../../../contracts/types";
import { DEBIAN_PYTHON, requirePrometheusClient } from "../support/binaries";
import { LOOPBACK } from "../support/ports";
import { type ManagedProcess, startProcess } from "../support/processes";
import { waitFor } from "../support/wait";
import { type StandInPlan, sglangPlan } from "./sglang-plan";
import type { SglangMode } from "./sglang-traffic";

export type { SglangMode } from "./sglang-traffic";

const SCRIPT = path.join(__dirname, "sglang_standin.py");
const START_TIMEOUT_MS = 15_000;

export interface SglangStandInOptions {
    port: number;
    /** Where the plan, the control file, the multiprocess directory and the log live. */
    dir: string;
    /** The `model_name` label (the served model name). */
    modelName: string;
    /** Tensor-parallel size. */
    tpSize: number;
    /** Data-parallel size (default 1). */
    dpSize?: number;
    /** `--enable-metrics-for-all-schedulers`. */
    allSchedulers?: boolean;
    /** The version's metric contract (default: the default image's). */
    contract?: ExporterContract;
    /** The spelling a scrape sees, `sglang:` or `sglang_` (default the contract's first). */
    spelling?: string;
    /** Simulated finished requests per second. */
    requestsPerSecond?: number;
    /** The Python to run (default Debian's, which has Debian's prometheus_client). */
    python?: string;
    seed?: number;
}

export class SglangStandIn {
    readonly contract: ExporterContract;
    readonly topology: SglangTopology;
    /** Simulated finished requests per second. */
    readonly requestsPerSecond: number;
    readonly plan: StandInPlan;
    private readonly planFile: string;
    private readonly logFile: string;
    private readonly python: string;
    private modeNow: SglangMode = "healthy";
    private process: ManagedProcess | undefined;

    constructor(readonly opts: SglangStandInOptions) {
        this.contract = opts.contract ?? DEFAULT_SGLANG_CONTRACT;
        this.topology = {
            modelName: opts.modelName,
            tpSize: opts.tpSize,
            dpSize: opts.dpSize ?? 1,
            allSchedulers: opts.allSchedulers ?? false,
            spelling: opts.spelling ?? this.contract.spellings?.[0] ?? "sglang:",
        };
        this.requestsPerSecond = opts.requestsPerSecond ?? 8;
        this.python = opts.python ?? DEBIAN_PYTHON;
        this.planFile = path.join(opts.dir, "plan.json");
        this.logFile = path.join(opts.dir, "sglang.log");
        this.plan = sglangPlan({
            contract: this.contract,
            topology: this.topology,
            requestsPerSecond: this.requestsPerSecond,
            port: opts.port,
            multiprocDir: path.join(opts.dir, "multiproc"),
            controlFile: path.join(opts.dir, "mode"),
            readyDir: path.join(opts.dir, "ready"),
            seed: opts.seed ?? 42,
        });
    }

    get mode(): SglangMode {
        return this.modeNow;
    }

    /** host:port, as a scrape target. */
    get address(): string {
        return `${LOOPBACK}:${this.opts.port}`;
    }

    get url(): string {
        return `http://${this.address}`;
    }

    /** Process ids of the server and its writers (the server first), while running. */
    get pids(): number[] {
        return this.process?.running ? [this.process.pid, ...groupMembers(this.process.pid).filter((p) => p !== this.process!.pid)] : [];
    }

    /** Starts the process group unless it is running or down, and waits until every writer's series are served. */
    async start(): Promise<void> {
        if (this.process?.running || this.modeNow === "down") return;
        requirePrometheusClient(this.python);
        fs.mkdirSync(this.plan.multiprocDir, { recursive: true });
        fs.mkdirSync(this.plan.readyDir, { recursive: true });
        fs.writeFileSync(this.planFile, JSON.stringify(this.plan, null, 1));
        this.writeMode(this.modeNow);
        const proc = startProcess({
            name: "sglang stand-in",
            binary: this.python,
            args: [SCRIPT, this.planFile],
            logFile: this.logFile,
            env: { PROMETHEUS_MULTIPROC_DIR: this.plan.multiprocDir },
            processGroup: true,
        });
        this.process = proc;
        await waitFor(
            async () => {
                proc.assertRunning();
                return (await fetch(`${this.url}/health`)).ok && this.everyWriterStarted();
            },
            { what: `the SGLang stand-in on ${this.address}`, timeoutMs: START_TIMEOUT_MS, intervalMs: 50 },
        ).catch((err: Error) => {
            throw new Error(`${err.message}\nstand-in log:\n${proc.logTail()}`);
        });
    }

    /** Every writer has written its start-up series (the server empties the ready directory before starting them). */
    private everyWriterStarted(): boolean {
        const ready = new Set(fs.readdirSync(this.plan.readyDir));
        return this.plan.writers.every((_, i) => ready.has(`writer-${i}`));
    }

    /** Stops the server and its writers; resolves once none of them runs. */
    async stop(): Promise<void> {
        const proc = this.process;
        if (!proc) return;
        await proc.stop();
        this.process = undefined;
        await waitFor(() => groupMembers(proc.pid).length === 0, { what: "the SGLang stand-in's writers to exit", timeoutMs: 5000, intervalMs: 20 });
    }

    /** Switches the fault mode; "down" kills the process group, leaving "down" restarts it with fresh counters. */
    async setMode(mode: SglangMode): Promise<void> {
        const previous = this.modeNow;
        this.modeNow = mode;
        if (mode === "down") {
            await this.stop();
            return;
        }
        this.writeMode(mode);
        if (previous === "down") await this.start();
    }

    /** The control file the writers read at every tick (replaced whole: a reader never sees half a name). */
    private writeMode(mode: SglangMode): void {
        const tmp = `${this.plan.controlFile}.tmp`;
        fs.writeFileSync(tmp, mode);
        fs.renameSync(tmp, this.plan.controlFile);
    }
}

/** Live processes (zombies excepted) whose process group is `leader`'s: the stand-in's writers are started in it. */
function groupMembers(leader: number): number[] {
    const found: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            // Fields after the command name: state, ppid, pgrp, …
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            if (Number(pgrp) === leader && state !== "Z") found.push(Number(entry));
        } catch {
            // exited while we looked
        }
    }
    return found;
}
