/**
 * How the DCGM exporter turns a line of its counters file into a metric: the
 * metric name is the DCGM field name as is (no `_total`, whatever the type),
 * every GPU metric carries the same label set, and `DCGM_FI_DEV_XID_ERRORS`
 * also carries the XID's code and text. Shared by the per-version contracts,
 * which pass the facts of their own version.
 */
import type { MetricEntry, MetricType } from "../types";

/** One enabled line of `etc/default-counters.csv`. */
export interface CounterLine {
    /** The DCGM field name, which is the metric name. */
    field: string;
    /** The csv's type column. */
    type: Exclude<MetricType, "histogram">;
    /** Unit and meaning (the csv's help text, plus what a reader must know). */
    note: string;
}

/** The labels of a version's GPU metrics, read from its render template and collectors. */
export interface GpuLabelSet {
    /** Written on every GPU metric, in the order of the rendered line. */
    always: string[];
    /** Written only when the condition holds. */
    conditional: Record<string, string>;
    /** The extra labels of `DCGM_FI_DEV_XID_ERRORS` (its XID code and text), after `always`. */
    xid: string[];
}

const XID_FIELD = "DCGM_FI_DEV_XID_ERRORS";

/** The contract entries of a version's enabled counter lines. */
export function gpuMetrics(lines: CounterLine[], labels: GpuLabelSet, source: string): MetricEntry[] {
    return lines.map((line) => ({
        name: line.field,
        type: line.type,
        labels: line.field === XID_FIELD ? [...labels.always, ...labels.xid] : [...labels.always],
        conditionalLabels: { ...labels.conditional },
        writers: "exporter",
        appears: "at-start",
        source,
        note: line.note,
    }));
}
