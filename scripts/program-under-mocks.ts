/**
 * Runs the whole Pulumi program under the SDK's mocks with a given stack
 * configuration, and returns every resource it registered with its inputs.
 * No Pulumi CLI, Docker daemon or cluster is involved. The tests
 * (`tests/harness.ts`) and `npm run render` both use it, so what the render
 * shows is what the tests check.
 */

import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "sglang-ananke";
const ROOT = path.resolve(__dirname, "..");

/** The marker the SDK wraps secret values in when it serializes them. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface MockResource {
    type: string;
    name: string;
    /** Inputs as the engine receives them; secret subtrees stay wrapped (see `unwrap`). */
    inputs: Record<string, any>;
    /** Inputs with secret wrappers removed. */
    plain: Record<string, any>;
    /** State the mocked provider reported (inputs plus what the provider adds). */
    state: Record<string, any>;
    provider?: string;
    /** The `retainOnDelete` resource option as the engine receives it (`pulumi destroy` leaves the object). */
    retainOnDelete: boolean;
}

/** A message the program logged (`pulumi.log.*`), as `pulumi preview` would show it. */
export interface ProgramLog {
    severity: "info" | "warning" | "error";
    message: string;
}

export interface ProgramRun {
    resources: MockResource[];
    /** The stack outputs (module exports), resolved. */
    outputs: Record<string, unknown>;
    /** Which outputs are secret. */
    secretOutputs: Set<string>;
    /** What the program logged, in order (kept off the console). */
    logs: ProgramLog[];
    byType(type: string): MockResource[];
    one(type: string, name?: string): MockResource;
}

/** Whether `value` is the SDK's wrapper of a secret. */
export function isSecretWrapper(value: unknown): value is { value: unknown } {
    return !!value && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG] !== undefined && "value" in value;
}

/** Removes the SDK's secret wrappers, keeping the values. */
export function unwrap(value: any): any {
    if (Array.isArray(value)) return value.map(unwrap);
    if (value && typeof value === "object") {
        if (isSecretWrapper(value)) return unwrap(value.value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
    }
    return value;
}

/** The suffix the mocks give an auto-named Kubernetes object, where the provider adds a random one. */
export const AUTONAME_SUFFIX = "mock1234";

/** State the mocked providers report back, for outputs the program reads (also used by bench/startup). */
export function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    switch (type) {
        case "random:index/randomPassword:RandomPassword":
            return { ...inputs, result: `mock-password-${name}` };
        case "docker:index/remoteImage:RemoteImage":
            return { ...inputs, imageId: `sha256:mock-${name}` };
        case "grafana:oss/dashboard:Dashboard":
            return { ...inputs, uid: JSON.parse(unwrap(inputs.configJson)).uid, url: `http://grafana/d/${name}` };
        default:
            return type.startsWith("kubernetes:") ? kubernetesState(type, name, inputs) : inputs;
    }
}

/**
 * What the Kubernetes provider adds: a generated name (logical name and a
 * suffix) for objects without metadata.name, and a load balancer's address.
 */
function kubernetesState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    const state = { ...inputs };
    if (inputs.metadata && !inputs.metadata.name) state.metadata = { ...inputs.metadata, name: `${name}-${AUTONAME_SUFFIX}` };
    if (type === "kubernetes:core/v1:Service" && inputs.spec?.type === "LoadBalancer") {
        state.status = { loadBalancer: { ingress: [{ hostname: `${name}.lb.example.com` }] } };
    }
    return state;
}

function clearProjectModules(): void {
    for (const key of Object.keys(require.cache)) {
        if (key.startsWith(ROOT) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
    }
}

/** What `pulumi preview` shows (the SDK's own debug messages are left alone). */
const LOG_FUNCTIONS = { info: "info", warn: "warning", error: "error" } as const;

/** Sends `pulumi.log.*` to `logs` until the returned function is called. */
function captureLogs(logs: ProgramLog[]): () => void {
    const log = pulumi.log as unknown as Record<keyof typeof LOG_FUNCTIONS, (msg: string) => Promise<void>>;
    const saved = { ...log };
    for (const [fn, severity] of Object.entries(LOG_FUNCTIONS) as [keyof typeof LOG_FUNCTIONS, ProgramLog["severity"]][]) {
        log[fn] = (message: string) => {
            logs.push({ severity, message });
            return Promise.resolve();
        };
    }
    return () => Object.assign(log, saved);
}

/**
 * The mocks' `newResource` sees no resource options: read `retainOnDelete`
 * from the registration request the mock monitor receives, by type and name.
 */
function recordRetainedResources(retained: Set<string>): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, callback: unknown): unknown };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        if (req.getRetainondelete()) retained.add(`${req.getType()}::${req.getName()}`);
        return register(req, callback);
    };
}

export interface RunOptions {
    stack?: string;
    /** Keys set with --secret. */
    secretKeys?: string[];
    preview?: boolean;
    /** Provider state instead of `mockState` (the render reports an image's reference as its id). */
    state?: (type: string, name: string, inputs: Record<string, any>) => Record<string, any>;
}

/**
 * Runs index.ts with `config` (short keys; values as `pulumi config set`
 * would store them: strings, or JSON for arrays) on stack `stack`.
 */
export async function runProgram(config: Record<string, string>, opts: RunOptions = {}): Promise<ProgramRun> {
    const stack = opts.stack ?? "dev";
    const stateOf = opts.state ?? mockState;
    const resources: MockResource[] = [];
    const retained = new Set<string>();
    pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const state = stateOf(args.type, args.name, args.inputs);
                resources.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    plain: unwrap(args.inputs),
                    state,
                    provider: args.provider,
                    retainOnDelete: retained.has(`${args.type}::${args.name}`),
                });
                return { id: `${args.name}-id`, state };
            },
            call: (args) => args.inputs,
        },
        PROJECT,
        stack,
        opts.preview ?? false,
    );
    recordRetainedResources(retained);
    const prefixed = Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v]));
    pulumi.runtime.setAllConfig(
        prefixed,
        (opts.secretKeys ?? []).map((k) => `${PROJECT}:${k}`),
    );

    clearProjectModules();
    const logs: ProgramLog[] = [];
    const restoreLogs = captureLogs(logs);
    try {
        let program: Record<string, unknown>;
        try {
            program = require(path.join(ROOT, "index.ts")) as Record<string, unknown>;
        } catch (e) {
            // Tell callers how far the program got before it failed.
            if (e instanceof Error) Object.assign(e, { registeredResources: resources.length });
            throw e;
        }
        const outputs: Record<string, unknown> = {};
        const secretOutputs = new Set<string>();
        for (const [key, value] of Object.entries(program)) {
            if (pulumi.Output.isInstance(value)) {
                if (await (value as any).isSecret) secretOutputs.add(key);
                outputs[key] = await new Promise((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v)));
            } else {
                outputs[key] = value;
            }
        }
        // Let registrations that follow the last output settle.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return {
            resources,
            outputs,
            secretOutputs,
            logs,
            byType: (type) => resources.filter((r) => r.type === type),
            one: (type, name) => {
                const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
                if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
                return found[0];
            },
        };
    } finally {
        restoreLogs();
    }
}
