/**
 * The history a rule benchmark needs before its live run: a rule reading
 * `rate(x[3d])` on a server with three days of data reads every sample of
 * them, so timing it on a Prometheus started minutes ago would time almost
 * nothing. From the rules' expressions: each exporter series read through a
 * range selector, with the longest range it is read over; the benchmark
 * writes that much of it (bench/fleet.ts) before the live fleet starts.
 */
import { durationSeconds } from "../settings";

/** One range selector of a metric name: its range, and the `le` values it selects (undefined: every series of the name). */
export interface RangeRead {
    seconds: number;
    le?: RegExp;
}

/** `name{matchers}[range]`: a range selector of a plain metric name (subqueries and offsets are not used by the rules). */
const RANGE_SELECTOR = /([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\[(\d+[smhdw])\]/g;
/** An `le` matcher of a selector: equal or regex-equal (the rules select a threshold bucket so). */
const LE_MATCHER = /\ble\s*(=~|=)\s*"((?:[^"\\]|\\.)*)"/;

/** The range selectors of `exprs` on each name of `written`. */
export function rangeReads(exprs: string[], written: ReadonlySet<string>): Map<string, RangeRead[]> {
    const reads = new Map<string, RangeRead[]>();
    for (const expr of exprs) {
        for (const [, name, matchers, range] of expr.matchAll(RANGE_SELECTOR)) {
            if (!written.has(name)) continue;
            const le = matchers ? LE_MATCHER.exec(matchers) : null;
            // A PromQL string escapes a regex's backslash: `"0\\.10*"` is the regex `0\.10*`.
            const pattern = le && (le[1] === "=" ? escapeRegExp(stringLiteralText(le[2])) : stringLiteralText(le[2]));
            reads.set(name, [
                ...(reads.get(name) ?? []),
                { seconds: durationSeconds(range), ...(pattern ? { le: new RegExp(`^(?:${pattern})$`) } : {}) },
            ]);
        }
    }
    return reads;
}

/** Seconds of history a series needs: the longest range that selects it (negative: none), as bench/fleet.ts' writeOpenMetrics takes it. */
export function historySeconds(reads: ReadonlyMap<string, RangeRead[]>, series: { name: string; labels: Record<string, string> }): number {
    const selecting = (reads.get(series.name) ?? []).filter((r) => !r.le || r.le.test(series.labels.le ?? ""));
    return selecting.length ? Math.max(...selecting.map((r) => r.seconds)) : -1;
}

/** A PromQL string literal's text (`\\` → `\`, `\"` → `"`). */
function stringLiteralText(s: string): string {
    return s.replace(/\\(.)/g, "$1");
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
