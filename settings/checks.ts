/**
 * Value checks for config keys. Each check turns a raw value (a string from
 * `pulumi config`, or a YAML scalar/array from a stack file) into a typed
 * value, or returns an explanation of what is allowed.
 */

export type CheckResult<T> = { ok: true; value: T } | { ok: false; allowed: string };
export type Check<T> = (raw: unknown) => CheckResult<T>;

const ok = <T>(value: T): CheckResult<T> => ({ ok: true, value });
const bad = <T>(allowed: string): CheckResult<T> => ({ ok: false, allowed });

function asText(raw: unknown): string | undefined {
    if (typeof raw === "string") return raw;
    if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
    return undefined;
}

export function text(opts: { pattern?: RegExp; allowed?: string; allowEmpty?: boolean } = {}): Check<string> {
    const allowed = opts.allowed ?? "a string";
    return (raw) => {
        const s = asText(raw);
        if (s === undefined) return bad(allowed);
        if (s === "" && !opts.allowEmpty) return bad(`${allowed} (not empty)`);
        // A newline or escape in a value ends up in a file or a flag verbatim.
        if (CONTROL.test(s)) return bad(`${allowed} (without control characters)`);
        if (s !== "" && opts.pattern && !opts.pattern.test(s)) return bad(allowed);
        return ok(s);
    };
}

export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
    const allowed = `one of ${values.map((v) => `"${v}"`).join(", ")}`;
    return (raw) => {
        const s = asText(raw);
        return s !== undefined && (values as readonly string[]).includes(s) ? ok(s as T) : bad(allowed);
    };
}

export function integer(min: number, max: number, unit = ""): Check<number> {
    const allowed = `an integer from ${min} to ${max}${unit ? ` ${unit}` : ""}`;
    return (raw) => {
        const s = asText(raw)?.trim();
        if (s === undefined || !/^-?\d+$/.test(s)) return bad(allowed);
        const n = Number(s);
        return n >= min && n <= max ? ok(n) : bad(allowed);
    };
}

export function integerIn(values: readonly number[], note = ""): Check<number> {
    const allowed = `one of ${values.join(", ")}${note ? ` ${note}` : ""}`;
    return (raw) => {
        const s = asText(raw)?.trim();
        if (s === undefined || !/^\d+$/.test(s)) return bad(allowed);
        const n = Number(s);
        return values.includes(n) ? ok(n) : bad(allowed);
    };
}

/** A decimal number in [min, max]; `exclusive` excludes both ends. */
export function decimal(min: number, max: number, opts: { exclusive?: boolean; unit?: string } = {}): Check<number> {
    const range = opts.exclusive ? `greater than ${min} and less than ${max}` : `from ${min} to ${max}`;
    const allowed = `a number ${range}${opts.unit ? ` ${opts.unit}` : ""}`;
    return (raw) => {
        const s = asText(raw)?.trim();
        if (s === undefined || !/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) return bad(allowed);
        const n = Number(s);
        const inRange = opts.exclusive ? n > min && n < max : n >= min && n <= max;
        return inRange ? ok(n) : bad(allowed);
    };
}

/** A check's value, or undefined for "" (the key left unset). */
export function optional<T>(check: Check<T>): Check<T | undefined> {
    return (raw) => {
        if (raw === "" || raw === undefined) return ok(undefined);
        const r = check(raw);
        return r.ok ? r : bad(`"" (unset) or ${r.allowed}`);
    };
}

export function boolean(): Check<boolean> {
    return (raw) => {
        if (typeof raw === "boolean") return ok(raw);
        const s = asText(raw);
        if (s === "true") return ok(true);
        if (s === "false") return ok(false);
        return bad(`true or false`);
    };
}

/** Prometheus durations as Prometheus accepts them, e.g. 30s, 5m, 1h30m, 15d. */
const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
const UNIT_SECONDS: Record<string, number> = { y: 31536000, w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

export function durationSeconds(d: string): number {
    let total = 0;
    for (const m of d.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
    return total;
}

export function duration(opts: { minSeconds?: number; maxSeconds?: number } = {}): Check<string> {
    const min = opts.minSeconds ?? 0;
    const limits = [min > 0 ? `at least ${min}s` : "", opts.maxSeconds !== undefined ? `at most ${opts.maxSeconds}s` : ""].filter(Boolean);
    const allowed = `a Prometheus duration such as 30s, 5m, 1h or 15d${limits.length ? ` (${limits.join(", ")})` : ""}`;
    return (raw) => {
        const s = asText(raw)?.trim();
        if (s === undefined || s === "" || !DURATION.test(s)) return bad(allowed);
        const secs = durationSeconds(s);
        if (secs < min || (opts.maxSeconds !== undefined && secs > opts.maxSeconds)) return bad(allowed);
        return ok(s);
    };
}

/** Control characters (C0, DEL, C1): the URL parser drops tabs and newlines silently, and rule files and links break on them. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Go template delimiters: Prometheus and Alertmanager expand them in annotations and links. */
const TEMPLATE = /\{\{|\}\}/;

/**
 * An http(s) URL; "" allowed when `optional`. A user:password@ part is refused
 * unless `credentials` (a secret key): elsewhere it would sit in plain config.
 * Control characters and Go template delimiters are refused: a runbook URL
 * with `{{` breaks the rule file, and a template in a link breaks the page
 * only when an alert is sent.
 */
export function url(opts: { optional?: boolean; schemes?: string[]; credentials?: boolean } = {}): Check<string> {
    const schemes = opts.schemes ?? ["http", "https"];
    const allowed = `${opts.optional ? `"" or ` : ""}a URL starting with ${schemes.map((s) => `${s}://`).join(" or ")}${opts.credentials ? "" : " without user:password@"}, without control characters or {{ }}`;
    return (raw) => {
        const s = asText(raw);
        if (s === undefined) return bad(allowed);
        if (s === "") return opts.optional ? ok(s) : bad(allowed);
        if (CONTROL.test(s) || TEMPLATE.test(s) || /\s/.test(s)) return bad(allowed);
        try {
            const u = new URL(s);
            if (!schemes.includes(u.protocol.replace(/:$/, "")) || !u.hostname) return bad(allowed);
            if (!opts.credentials && (u.username || u.password)) return bad(allowed);
            return ok(s.replace(/\/+$/, ""));
        } catch {
            return bad(allowed);
        }
    };
}

/** Parses an array given natively (YAML) or as a JSON string (pulumi config). */
function asArray(raw: unknown): unknown[] | undefined {
    if (Array.isArray(raw)) return raw;
    if (typeof raw === "string") {
        if (raw.trim() === "") return [];
        try {
            const parsed: unknown = JSON.parse(raw);
            return Array.isArray(parsed) ? parsed : undefined;
        } catch {
            return undefined;
        }
    }
    return undefined;
}

export function list<T>(item: Check<T>, opts: { allowed: string; unique?: boolean; minItems?: number }): Check<T[]> {
    const allowed = `a list of ${opts.allowed}${opts.minItems ? ` (at least ${opts.minItems})` : ""}`;
    return (raw) => {
        const items = asArray(raw);
        if (items === undefined) return bad(allowed);
        const out: T[] = [];
        for (const it of items) {
            const r = item(it);
            if (!r.ok) return bad(allowed);
            out.push(r.value);
        }
        if (opts.minItems !== undefined && out.length < opts.minItems) return bad(allowed);
        if (opts.unique && new Set(out.map(String)).size !== out.length) return bad(`${allowed}, without repeats`);
        return ok(out);
    };
}

/** A DNS subdomain (RFC 1123): most Kubernetes object names, the prefix of a qualified label key. */
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The name part of a label key and a non-empty label value (at most 63 characters). */
const LABEL_NAME = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A Kubernetes label key: [prefix/]name, the prefix a DNS subdomain of at most 253 characters. */
export function isLabelKey(k: string): boolean {
    const slash = k.indexOf("/");
    if (slash < 0) return LABEL_NAME.test(k);
    return DNS_SUBDOMAIN.test(k.slice(0, slash)) && LABEL_NAME.test(k.slice(slash + 1));
}

/** A Kubernetes label value: empty, or at most 63 characters as in a label name. */
export function isLabelValue(v: string): boolean {
    return v === "" || LABEL_NAME.test(v);
}

/**
 * "key=value" pairs as used by kubectl label selectors, each a label the API
 * server accepts (the syntax of apimachinery's IsQualifiedName and IsValidLabelValue).
 */
export function keyValues(what: string): Check<Record<string, string>> {
    const allowedPair = "key=value";
    const pair: Check<string> = (raw) => {
        const s = asText(raw);
        if (s === undefined || !s.includes("=")) return bad(allowedPair);
        const eq = s.indexOf("=");
        return isLabelKey(s.slice(0, eq)) && isLabelValue(s.slice(eq + 1)) ? ok(s) : bad(allowedPair);
    };
    const pairs = list(pair, {
        allowed: `key=value strings (${what}; key [DNS-subdomain prefix/]name, name and value at most 63 letters, digits, -, _ or . starting and ending alphanumeric, value may be empty)`,
        unique: true,
    });
    return (raw) => {
        const r = pairs(raw);
        if (!r.ok) return r;
        const keys = r.value.map((p) => p.slice(0, p.indexOf("=")));
        if (new Set(keys).size !== keys.length) return bad(`key=value strings (${what}) with each key once`);
        return ok(Object.fromEntries(r.value.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])));
    };
}

/** A JSON object given as a string (or natively in YAML); "" = none. */
export function jsonObject(what: string): Check<Record<string, unknown> | undefined> {
    const allowed = `"" or a JSON object (${what})`;
    return (raw) => {
        if (raw === "" || raw === undefined) return ok(undefined);
        if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) return ok(raw as Record<string, unknown>);
        if (typeof raw !== "string") return bad(allowed);
        try {
            const v: unknown = JSON.parse(raw);
            return typeof v === "object" && v !== null && !Array.isArray(v) ? ok(v as Record<string, unknown>) : bad(allowed);
        } catch {
            return bad(allowed);
        }
    };
}

/**
 * Docker's reference grammar (distribution/reference): an optional registry
 * host[:port], then lowercase path components separated by / and each made of
 * alphanumerics joined by ".", "_", "__" or dashes.
 */
const REGISTRY = String.raw`(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?)`;
const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const TAG = String.raw`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`;
const IMAGE_REFERENCE = new RegExp(
    String.raw`^(?:(${REGISTRY})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(sha256:[a-f0-9]{64}))?$`,
);

/** A container image reference pinned to a version tag or a digest (never `latest`). */
export function pinnedImage(): Check<string> {
    const allowed =
        "an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)";
    return (raw) => {
        const s = asText(raw)?.trim();
        if (!s) return bad(allowed);
        const m = IMAGE_REFERENCE.exec(s);
        if (!m) return bad(allowed);
        const [, registry, path, tag, digest] = m;
        if (path.length + (registry ? registry.length + 1 : 0) > 255) return bad(allowed);
        if (digest) return ok(s);
        if (!tag || tag === "latest" || !/\d/.test(tag)) return bad(allowed);
        return ok(s);
    };
}

export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
export const CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;
/** Whether a host name or address stays on this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
    const h = host.replace(/^\[|\]$/g, "").toLowerCase();
    return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}
/** Kubernetes quantities such as 200Gi, 500m, 8. */
export const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/;
/** RFC 1123 label, the form of namespaces and most Kubernetes names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Namespaces Kubernetes itself owns: objects of the stack there mix with the cluster's own. */
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

/** A namespace the stack creates objects in: a DNS label, not one of SYSTEM_NAMESPACES. */
export function namespace(opts: { allowEmpty?: boolean } = {}): Check<string> {
    const allowed = `${opts.allowEmpty ? `"" or ` : ""}a lowercase DNS label such as sglang, not ${SYSTEM_NAMESPACES.join(", ")}`;
    const label = text({ pattern: DNS_LABEL, allowed, allowEmpty: opts.allowEmpty });
    return (raw) => {
        const r = label(typeof raw === "string" ? raw.trim() : raw);
        if (!r.ok) return bad(allowed);
        return (SYSTEM_NAMESPACES as readonly string[]).includes(r.value) ? bad(allowed) : r;
    };
}

const QUANTITY_FACTOR: Record<string, number> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
};

/** The amount a Kubernetes quantity (QUANTITY) stands for: bytes for memory, cores for CPU. */
export function quantityValue(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(q.trim());
    if (!m) throw new Error(`not a Kubernetes quantity: ${q}`);
    return Number(m[1]) * QUANTITY_FACTOR[m[2] ?? ""];
}

/** A size as Prometheus' `--storage.tsdb.retention.size` reads it: whole units, powers of 2 (1KB = 1024B). */
export const PROMETHEUS_SIZE = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/;
const PROMETHEUS_SIZE_EXPONENT: Record<string, number> = { B: 0, KB: 1, MB: 2, GB: 3, TB: 4, PB: 5, EB: 6 };

/** Bytes of a PROMETHEUS_SIZE such as 40GB. */
export function prometheusSizeBytes(size: string): number {
    const m = PROMETHEUS_SIZE.exec(size);
    if (!m) throw new Error(`not a Prometheus size: ${size}`);
    return Number(m[1]) * 1024 ** PROMETHEUS_SIZE_EXPONENT[m[2]];
}

/** A toleration in kubectl's form key[=value]:Effect, its key and value as labels have them. */
export function toleration(): Check<string> {
    const allowed = "key[=value]:Effect";
    return (raw) => {
        const s = asText(raw);
        const m = s === undefined ? null : /^([^=:]+)(?:=([^=:]+))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(s);
        if (!m || !isLabelKey(m[1]) || (m[2] !== undefined && !isLabelValue(m[2]))) return bad(allowed);
        return ok(s!);
    };
}

/** A list of JSON objects, given natively (YAML) or as a JSON string; "" or [] = none. */
export function objectList(what: string): Check<Record<string, unknown>[]> {
    const allowed = `"" or a JSON list of objects (${what})`;
    return (raw) => {
        const items = asArray(raw);
        if (items === undefined) return bad(allowed);
        if (!items.every((it) => typeof it === "object" && it !== null && !Array.isArray(it))) return bad(allowed);
        return ok(items as Record<string, unknown>[]);
    };
}
