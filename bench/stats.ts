/** Small statistics and table helpers shared by the benchmarks. */

/** The q-quantile (0–1) of `values`, by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
    if (values.length === 0) throw new Error("quantile of no values");
    const sorted = [...values].sort((a, b) => a - b);
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(values: readonly number[]): number {
    return quantile(values, 0.5);
}

/** Summary of repeated timings, in the unit they were taken in. */
export interface Summary {
    runs: number;
    median: number;
    p95: number;
    min: number;
    max: number;
}

export function summarize(values: readonly number[]): Summary {
    return {
        runs: values.length,
        median: median(values),
        p95: quantile(values, 0.95),
        min: Math.min(...values),
        max: Math.max(...values),
    };
}

/** A plain-text table: the first row is the header; the first column is left-aligned, the others right-aligned. */
export function table(rows: readonly (readonly (string | number)[])[]): string {
    const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => String(r[col] ?? "").length)));
    const line = (r: readonly (string | number)[]) =>
        r.map((cell, col) => (col === 0 ? String(cell).padEnd(widths[col]) : String(cell).padStart(widths[col]))).join("  ");
    return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}
