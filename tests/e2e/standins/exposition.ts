/**
 * A small writer of the Prometheus text exposition format (version 0.0.4),
 * enough for the stand-in exporters: counters, gauges and cumulative
 * histograms with labels.
 */

export type Labels = Record<string, string>;
export type MetricType = "counter" | "gauge" | "histogram";

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

/** Observations of one histogram series: cumulative bucket counts, sum and count. */
export class HistogramSeries {
    readonly counts: number[];
    sum = 0;
    count = 0;

    constructor(readonly buckets: readonly number[]) {
        this.counts = buckets.map(() => 0);
    }

    observe(value: number, times = 1): void {
        this.sum += value * times;
        this.count += times;
        this.buckets.forEach((le, i) => {
            if (value <= le) this.counts[i] += times;
        });
    }
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

    histogram(name: string, help: string, labels: Labels, series: HistogramSeries): this {
        const lines = this.family(name, "histogram", help);
        series.buckets.forEach((le, i) => {
            lines.push(`${name}_bucket${formatLabels({ ...labels, le: formatValue(le) })} ${series.counts[i]}`);
        });
        lines.push(`${name}_bucket${formatLabels({ ...labels, le: "+Inf" })} ${series.count}`);
        lines.push(`${name}_sum${formatLabels(labels)} ${formatValue(series.sum)}`);
        lines.push(`${name}_count${formatLabels(labels)} ${series.count}`);
        return this;
    }

    render(): string {
        return `${[...this.families.values()].flat().join("\n")}\n`;
    }
}
