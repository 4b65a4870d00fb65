/**
 * Start-up benchmark (`npm run bench:startup [-- --runs N]`): how long a cold
 * `node` process takes until the program has registered every resource of a
 * stack, under the SDK's mocks (no Pulumi CLI), for each way of running it:
 *
 * - ts-node with type checking: what Pulumi does for a TypeScript program by
 *   default (`runtime: nodejs`, no build step);
 * - ts-node transpile-only: `PULUMI_NODEJS_TRANSPILE_ONLY=true` (or
 *   `noCheck` in tsconfig.json);
 * - precompiled JavaScript: what this project ships (`npm run build`, then
 *   Pulumi.yaml's `typescript: false` runs package.json's `main`, bin/index.js).
 *
 * Every run of a stack must register the same resources, or the benchmark
 * fails. Stacks are the Pulumi.<stack>.yaml files present.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stackFileConfig } from "../tests/harness";
import { withProductionSecrets } from "../tests/support/production-secrets";
import type { StartupReport } from "./startup-program";
import { median, summarize, table } from "./stats";

const ROOT = path.resolve(__dirname, "..");
const CHILD_TS = path.join(ROOT, "bench", "startup-program.ts");
const CHILD_JS = path.join(ROOT, "bin", "bench", "startup-program.js");

/** Targets of the shipped path (issue: start-up benchmark). */
const TARGET = { shippedSeconds: 2, speedup: 3 };

interface Variant {
    name: string;
    /** node arguments after `node`. */
    args: string[];
    env: Record<string, string>;
    shipped?: boolean;
}

const VARIANTS: Variant[] = [
    {
        name: "ts-node, type-checked (Pulumi's default)",
        args: ["-r", "ts-node/register", CHILD_TS],
        env: { TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), TS_NODE_TRANSPILE_ONLY: "false" },
    },
    {
        name: "ts-node, transpile-only",
        args: ["-r", "ts-node/register/transpile-only", CHILD_TS],
        env: { TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    },
    { name: "precompiled JavaScript (shipped)", args: [CHILD_JS], env: {}, shipped: true },
];
const DEFAULT_VARIANT = VARIANTS[0];

interface Run {
    /** From spawning `node` to the last resource registration. */
    startupMs: number;
    cpuMs: number;
    report: StartupReport;
}

/** A stack's configuration (short keys, as `pulumi config` stores values) and the keys stored as secrets. */
interface StackConfig {
    config: Record<string, string>;
    secretKeys: string[];
}

/** One cold process; rejects with the child's stderr if it fails. */
function runOnce(variant: Variant, stack: string, { config, secretKeys }: StackConfig): Promise<Run> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(process.execPath, variant.args, {
            cwd: ROOT,
            env: {
                ...process.env,
                ...variant.env,
                BENCH_STACK: stack,
                BENCH_CONFIG: JSON.stringify(config),
                BENCH_SECRET_KEYS: JSON.stringify(secretKeys),
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("error", reject);
        child.on("close", (code) => {
            // The program's own log lines come first; the report is the last line.
            const last = out.trim().split("\n").pop() ?? "";
            if (code !== 0 || !last.startsWith("{")) {
                reject(new Error(`${variant.name} on ${stack} exited with ${code}: ${(err || out).trim().split("\n").slice(0, 5).join("\n")}`));
                return;
            }
            const report = JSON.parse(last) as StartupReport;
            resolve({ startupMs: report.lastRegistrationAt - started, cpuMs: report.cpuMs, report });
        });
    });
}

/** The stale-build check (build-freshness.ts) refuses bin/ when a source changed after `npm run build`. */
const STALE_BUILD = /is older than the sources/;

/** `runOnce`, rebuilding first when a source changed since the last build (sources may be edited while this runs). */
async function runFresh(variant: Variant, stack: string, config: StackConfig): Promise<Run> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await runOnce(variant, stack, config);
        } catch (e) {
            if (!variant.shipped || attempt >= 3 || !(e instanceof Error && STALE_BUILD.test(e.message))) throw e;
            console.log(`(a source changed since the build: rebuilding, ${seconds(build())})`);
        }
    }
}

function fingerprint(r: StartupReport): string {
    return JSON.stringify(Object.entries(r.byType).sort(([a], [b]) => a.localeCompare(b)));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** `npm run build`: the shipped path's one-off cost per change. Returns its duration. */
function build(): number {
    const started = Date.now();
    const result = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, encoding: "utf8" });
    if (result.status !== 0) {
        // tsc still emits JavaScript on type errors; say so, and go on measuring.
        console.warn(
            `npm run build reported errors (JavaScript was still emitted):\n${(result.stdout + result.stderr).trim().split("\n").slice(0, 10).join("\n")}`,
        );
    }
    const took = Date.now() - started;
    // The build ships the program only; the child that times it is compiled beside it, untimed.
    const child = spawnSync("npx", ["tsc", "-p", path.join(ROOT, "bench", "tsconfig.startup.json")], { cwd: ROOT, encoding: "utf8" });
    if (!fs.existsSync(CHILD_JS)) throw new Error(`${CHILD_JS} missing after compiling bench/tsconfig.startup.json:\n${child.stdout}${child.stderr}`);
    return took;
}

/** A provider class the program uses: its path from the package root, and the submodule that defines it. */
interface ClassUse {
    /** e.g. `apps.v1.Deployment` (as `k8s.apps.v1.Deployment`). */
    path: string;
    /** e.g. `@pulumi/kubernetes/apps/v1`. */
    submodule: string;
}

/** The provider classes the program constructs, per package (the submodule-import option). */
const PROVIDER_USES: { pkg: string; uses: ClassUse[] }[] = [
    {
        pkg: "@pulumi/docker",
        uses: ["Container", "RemoteImage", "Volume", "Network", "Provider"].map((c) => ({
            path: c,
            submodule: `@pulumi/docker/${c[0].toLowerCase()}${c.slice(1)}`,
        })),
    },
    {
        pkg: "@pulumi/kubernetes",
        uses: [
            ...["DaemonSet", "Deployment"].map((c) => ({ path: `apps.v1.${c}`, submodule: "@pulumi/kubernetes/apps/v1" })),
            ...["ConfigMap", "Namespace", "PersistentVolumeClaim", "Secret", "Service", "ServiceAccount"].map((c) => ({
                path: `core.v1.${c}`,
                submodule: "@pulumi/kubernetes/core/v1",
            })),
            ...["Role", "RoleBinding"].map((c) => ({ path: `rbac.v1.${c}`, submodule: "@pulumi/kubernetes/rbac/v1" })),
            { path: "networking.v1.NetworkPolicy", submodule: "@pulumi/kubernetes/networking/v1" },
            { path: "apiextensions.CustomResource", submodule: "@pulumi/kubernetes/apiextensions" },
            { path: "Provider", submodule: "@pulumi/kubernetes/provider" },
        ],
    },
    {
        pkg: "@pulumiverse/grafana",
        uses: [
            ...["Dashboard", "Folder", "DataSource"].map((c) => ({
                path: `oss.${c}`,
                submodule: `@pulumiverse/grafana/oss/${c[0].toLowerCase()}${c.slice(1)}`,
            })),
            { path: "Provider", submodule: "@pulumiverse/grafana/provider" },
        ],
    },
];

/**
 * Milliseconds to reach the classes in `uses` in a fresh process that has
 * already loaded @pulumi/pulumi (which every way of running pays alike):
 * through the package root (`whole`) or through their submodules.
 */
function classLoadCost(pkg: string, uses: ClassUse[], whole: boolean): number {
    const loads = uses.map((u) =>
        whole ? `require(${JSON.stringify(pkg)}).${u.path}` : `require(${JSON.stringify(u.submodule)}).${u.path.split(".").pop()}`,
    );
    const script = `require("@pulumi/pulumi"); const t = performance.now(); for (const c of [${loads.join(", ")}]) if (typeof c !== "function") throw new Error("not a class"); console.log(performance.now() - t);`;
    const result = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`loading ${pkg}: ${result.stderr.trim().split("\n").slice(0, 3).join(" ")}`);
    return Number(result.stdout.trim());
}

function parseRuns(argv: string[]): number {
    const i = argv.indexOf("--runs");
    const runs = i >= 0 ? Number(argv[i + 1]) : 5;
    if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive integer");
    return runs;
}

async function main(): Promise<void> {
    const runs = parseRuns(process.argv.slice(2));
    const stacks = fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
    console.log(`Start-up benchmark: ${runs} cold runs per way of running, stacks: ${stacks.join(", ")}`);
    console.log(
        `Machine: ${os.cpus().length} CPUs, Node ${process.version}, load average at start ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
    );
    const buildMs = build();
    console.log(`npm run build (tsc, type-checks and emits bin/): ${seconds(buildMs)}\n`);

    let allMet = true;
    for (const stack of stacks) {
        // A production stack file runs with test values of the secrets it requires.
        const config = withProductionSecrets(stackFileConfig(`Pulumi.${stack}.yaml`));
        const timings = new Map<Variant, number[]>();
        const cpu = new Map<Variant, number[]>();
        let expected: string | undefined;
        let resources = 0;
        try {
            // Interleave the variants so that background load affects each alike.
            for (let i = 0; i < runs; i++) {
                for (const variant of VARIANTS) {
                    const run = await runFresh(variant, stack, config);
                    const print = fingerprint(run.report);
                    if (expected === undefined) expected = print;
                    else if (print !== expected)
                        throw new Error(`${variant.name} registered different resources on ${stack}: ${print} vs ${expected}`);
                    resources = run.report.resources;
                    timings.set(variant, [...(timings.get(variant) ?? []), run.startupMs]);
                    cpu.set(variant, [...(cpu.get(variant) ?? []), run.cpuMs]);
                }
            }
        } catch (e) {
            console.log(`stack ${stack}: not measured: ${e instanceof Error ? e.message : String(e)}\n`);
            allMet = false;
            continue;
        }
        const base = median(timings.get(DEFAULT_VARIANT)!);
        const rows: string[][] = [["way of running", "runs", "median", "min", "max", "spread", "speed-up", "median CPU time"]];
        for (const variant of VARIANTS) {
            const s = summarize(timings.get(variant)!);
            rows.push([
                variant.name,
                String(s.runs),
                seconds(s.median),
                seconds(s.min),
                seconds(s.max),
                seconds(s.max - s.min),
                `${(base / s.median).toFixed(1)}×`,
                seconds(median(cpu.get(variant)!)),
            ]);
        }
        console.log(`stack ${stack}: ${resources} resources registered (identical in every run)`);
        console.log(table(rows));
        const shipped = median(timings.get(VARIANTS.find((v) => v.shipped)!)!);
        const underTarget = shipped < TARGET.shippedSeconds * 1000;
        const fastEnough = base / shipped >= TARGET.speedup;
        allMet &&= underTarget && fastEnough;
        console.log(
            `shipped path: ${seconds(shipped)} (target < ${TARGET.shippedSeconds} s: ${underTarget ? "met" : "NOT met"}), ` +
                `${(base / shipped).toFixed(1)}× the default path (target ≥ ${TARGET.speedup}×: ${fastEnough ? "met" : "NOT met"})\n`,
        );
    }

    const importRows: string[][] = [["classes used, loaded in compiled JS (median of 3)", "whole-package import", "submodule imports", "saved"]];
    for (const { pkg, uses } of PROVIDER_USES) {
        const whole = median([1, 2, 3].map(() => classLoadCost(pkg, uses, true)));
        const subs = median([1, 2, 3].map(() => classLoadCost(pkg, uses, false)));
        importRows.push([`${pkg} (${uses.length} classes)`, `${whole.toFixed(0)} ms`, `${subs.toFixed(0)} ms`, `${(whole - subs).toFixed(0)} ms`]);
    }
    console.log(table(importRows));
    console.log(
        `\nload average at end ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
    );
    if (!allMet) process.exitCode = 1;
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
});
