/**
 * One cold start, run as a child process by bench/startup.ts: runs the
 * program (main.ts under ts-node, or bin/main.js once compiled) under the
 * SDK's mocks and reports when the last resource was registered.
 *
 * Input (environment): BENCH_STACK, the stack name; BENCH_CONFIG, the
 * stack's config as JSON (short keys, values as `pulumi config` stores them);
 * BENCH_SECRET_KEYS, the keys among them stored as secrets, as a JSON list.
 * Output: one JSON line (`StartupReport`) on stdout.
 */

import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { mockState, PROJECT } from "../tests/harness";

/** What one run reports to the parent. */
export interface StartupReport {
    /** Resources registered, components included. */
    resources: number;
    /** Wall-clock time (ms since the epoch) of the last registration. */
    lastRegistrationAt: number;
    /** CPU time (user + system) of the process until the report, in ms: less sensitive than wall time to other load on the machine. */
    cpuMs: number;
    /** Resource count per type, to check that every way of running registers the same program. */
    byType: Record<string, number>;
}

/** Event-loop turns without a new registration after which the program counts as fully registered. */
const QUIET_TURNS = 5;

async function main(): Promise<void> {
    const stack = process.env.BENCH_STACK ?? "dev";
    const config = JSON.parse(process.env.BENCH_CONFIG ?? "{}") as Record<string, string>;
    const byType: Record<string, number> = {};
    let resources = 0;
    let lastRegistrationAt = 0;
    pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                resources++;
                byType[args.type] = (byType[args.type] ?? 0) + 1;
                lastRegistrationAt = Date.now();
                return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
            },
            call: (args) => args.inputs,
        },
        PROJECT,
        stack,
        false,
    );
    const secretKeys = JSON.parse(process.env.BENCH_SECRET_KEYS ?? "[]") as string[];
    pulumi.runtime.setAllConfig(
        Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
        secretKeys.map((k) => `${PROJECT}:${k}`),
    );

    // The entry Pulumi runs: main.ts under ts-node, bin/main.js (stale-build check included) when compiled.
    const program = require(path.join(__dirname, "..", "main")) as Record<string, unknown>;
    for (const value of Object.values(program)) {
        if (pulumi.Output.isInstance(value)) await new Promise((resolve) => value.apply(resolve));
    }
    // Registrations that follow the last output: wait until the event loop stays quiet.
    let seen = -1;
    for (let quiet = 0; quiet < QUIET_TURNS; quiet = resources === seen ? quiet + 1 : 0) {
        seen = resources;
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const cpu = process.cpuUsage();
    const report: StartupReport = { resources, lastRegistrationAt, cpuMs: (cpu.user + cpu.system) / 1000, byType };
    process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
    () => process.exit(0),
    (e: unknown) => {
        console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
        process.exit(1);
    },
);
