/**
 * Series dropped at scrape time, before they are stored: the scrape job's
 * `metric_relabel_configs` in prometheus.yml, and the same list as
 * `metricRelabelings` of the job's ServiceMonitor or PodMonitor. Only
 * duplicates go: what any rule, panel or alert computes stays the same.
 */

import { SGLANG_PREFIXES } from "./promql";
import { QUEUE_TIME } from "./series";
import { JOB, type JobName } from "./types";

/** One metric relabeling: `sourceLabels` joined by `separator`, matched whole by `regex`. */
export interface MetricRelabel {
    sourceLabels: string[];
    separator: string;
    regex: string;
    action: "drop";
}

function regexEscape(value: string): string {
    return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The queue-time histogram of every tensor-parallel rank but rank 0, on a
 * server without data parallelism (no `dp_rank`). SGLang observes it on every
 * TP rank (contracts/sglang: `scheduler-every-rank`), and the ranks of one
 * scheduler group see the same batch, so they write the same counts; the
 * recording rule keeps one value per group anyway (`max without (tp_rank, …)`,
 * SGLANG_SAME_BATCH_RANK_LABELS). At TP 8 that is seven series in eight, a
 * quarter of a server's series. With data parallelism a group's first rank is
 * not always `tp_rank="0"` (DP attention numbers TP ranks across groups), so
 * nothing is dropped there.
 */
const QUEUE_TIME_DUPLICATE_RANKS: MetricRelabel = {
    sourceLabels: ["__name__", "dp_rank", "tp_rank"],
    separator: ";",
    regex: `(${SGLANG_PREFIXES.map(regexEscape).join("|")})${QUEUE_TIME.source}_(bucket|count|sum);;[1-9][0-9]*`,
    action: "drop",
};

/** The metric relabelings of a scrape job (none for most). */
export function metricRelabels(job: JobName | string): MetricRelabel[] {
    return job === JOB.sglang ? [QUEUE_TIME_DUPLICATE_RANKS] : [];
}

/** As prometheus.yml spells them (`metric_relabel_configs`). */
export function metricRelabelConfigs(job: JobName | string): object[] {
    return metricRelabels(job).map((r) => ({ source_labels: r.sourceLabels, separator: r.separator, regex: r.regex, action: r.action }));
}
