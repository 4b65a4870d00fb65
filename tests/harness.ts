/**
 * The tests' view of the program under Pulumi's mocks (`scripts/program-under-mocks.ts`,
 * shared with `npm run render`), and helpers to read secrets and stack files.
 */
import * as path from "node:path";
import { PROJECT, SECRET_SIG } from "../scripts/program-under-mocks";

export {
    AUTONAME_SUFFIX,
    isSecretWrapper,
    type MockResource,
    mockState,
    PROJECT,
    type ProgramLog,
    type ProgramRun,
    type RunOptions,
    runProgram,
    unwrap,
} from "../scripts/program-under-mocks";

const ROOT = path.resolve(__dirname, "..");

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

/** Reads a stack file's `sglang-ananke:*` values as `pulumi config` would hand them to the program. */
export function stackFileConfig(file: string): Record<string, string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require("yaml") as typeof import("yaml");
    const fs = require("node:fs") as typeof import("fs");
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as { config?: Record<string, unknown> };
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (!key.startsWith(`${PROJECT}:`)) continue;
        out[key.slice(PROJECT.length + 1)] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}
