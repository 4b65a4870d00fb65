/**
 * The Prometheus text exposition format (version 0.0.4) as the Go stand-ins
 * write it: a small writer for counters and gauges with labels, and Go's
 * float formatting.
 */

export type Labels = Record<string, string>;
export type MetricType = "counter" | "gauge";

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function escapeLabelValue(v: string): string {
    return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function formatLabels(labels: Labels): string {
    const entries = Object.entries(labels);
    if (entries.length === 0) return "";
    return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

function formatValue(v: number): string {
    if (Number.isNaN(v)) return "NaN";
    if (v === Infinity) return "+Inf";
    if (v === -Infinity) return "-Inf";
    return String(v);
}

/**
 * Accumulates samples and renders them grouped by metric family (the format
 * wants each family's lines together, whatever order they were added in).
 */
export class ExpositionWriter {
    private readonly families = new Map<string, string[]>();

    private family(name: string, type: MetricType, help: string): string[] {
        let lines = this.families.get(name);
        if (!lines) {
            lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
            this.families.set(name, lines);
        }
        return lines;
    }

    sample(name: string, type: "counter" | "gauge", help: string, labels: Labels, value: number): this {
        this.family(name, type, help).push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
        return this;
    }

    render(): string {
        return `${[...this.families.values()].flat().join("\n")}\n`;
    }
}

/**
 * A float as Go's `strconv.FormatFloat(v, 'g', -1, 64)` writes it, which is
 * what client_golang's text format uses: the shortest digits, with an
 * exponent (at least two digits) below 1e-4 and from 1e6 on (Go's `%g`
 * threshold for the shortest representation): `8.5520809984e+10`.
 */
export function goFloat(v: number): string {
    if (!Number.isFinite(v)) return formatValue(v);
    const [mantissa, exp] = v.toExponential().split("e");
    const e = Number(exp);
    if (e >= -4 && e < 6) return String(v);
    const digits = String(Math.abs(e)).padStart(2, "0");
    return `${mantissa}e${e < 0 ? "-" : "+"}${digits}`;
}
