/**
 * Runs the whole Pulumi program under the SDK's mocks with a given stack
 * configuration, and returns every resource it registered with its inputs.
 * No Pulumi CLI, Docker daemon or cluster is involved.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";

export const PROJECT = "sglang-ananke";
const ROOT = path.resolve(__dirname, "..");

/** The marker the SDK wraps secret values in when it serializes them. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface MockResource {
    type: string;
    name: string;
    /** Inputs as the engine receives them; secret subtrees stay wrapped (see `unwrap`). */
    inputs: Record<string, any>;
    /** Inputs with secret wrappers removed. */
    plain: Record<string, any>;
    provider?: string;
}

export interface ProgramRun {
    resources: MockResource[];
    /** The stack outputs (module exports), resolved. */
    outputs: Record<string, unknown>;
    /** Which outputs are secret. */
    secretOutputs: Set<string>;
    byType(type: string): MockResource[];
    one(type: string, name?: string): MockResource;
}

/** Removes the SDK's secret wrappers, keeping the values. */
export function unwrap(value: any): any {
    if (Array.isArray(value)) return value.map(unwrap);
    if (value && typeof value === "object") {
        if (value[SECRET_SIG] !== undefined && "value" in value) return unwrap(value.value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
    }
    return value;
}

/** Paths (a.b[0].c) where `needle` occurs outside a secret wrapper. */
export function plainOccurrences(value: any, needle: string, at = ""): string[] {
    if (typeof value === "string") return value.includes(needle) ? [at || "(root)"] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => plainOccurrences(v, needle, `${at}[${i}]`));
    if (value && typeof value === "object") {
        if (value[SECRET_SIG] !== undefined) return [];
        return Object.entries(value).flatMap(([k, v]) => plainOccurrences(v, needle, at ? `${at}.${k}` : k));
    }
    return [];
}

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
    if (inputs.metadata && !inputs.metadata.name) state.metadata = { ...inputs.metadata, name: `${name}-mock1234` };
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

/**
 * Runs index.ts with `config` (short keys; values as `pulumi config set`
 * would store them: strings, or JSON for arrays) on stack `stack`.
 * `secretKeys` lists keys set with --secret.
 */
export async function runProgram(config: Record<string, string>, opts: { stack?: string; secretKeys?: string[]; preview?: boolean } = {}): Promise<ProgramRun> {
    const stack = opts.stack ?? "dev";
    const resources: MockResource[] = [];
    pulumi.runtime.setMocks({
        newResource: (args) => {
            resources.push({ type: args.type, name: args.name, inputs: args.inputs, plain: unwrap(args.inputs), provider: args.provider });
            return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
        },
        call: (args) => args.inputs,
    }, PROJECT, stack, opts.preview ?? false);
    const prefixed = Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v]));
    pulumi.runtime.setAllConfig(prefixed, (opts.secretKeys ?? []).map((k) => `${PROJECT}:${k}`));

    clearProjectModules();
    {
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
            byType: (type) => resources.filter((r) => r.type === type),
            one: (type, name) => {
                const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
                if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
                return found[0];
            },
        };
    }
}

/** Reads a stack file's `sglang-ananke:*` values as `pulumi config` would hand them to the program. */
export function stackFileConfig(file: string): Record<string, string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require("yaml") as typeof import("yaml");
    const fs = require("fs") as typeof import("fs");
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as { config?: Record<string, unknown> };
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (!key.startsWith(`${PROJECT}:`)) continue;
        out[key.slice(PROJECT.length + 1)] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}
