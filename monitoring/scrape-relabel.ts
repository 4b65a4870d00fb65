/**
 * What Prometheus changes in scraped series before it stores them: the
 * scrape job's `metric_relabel_configs` in prometheus.yml, and the same list
 * as `metricRelabelings` of the job's ServiceMonitor or PodMonitor. Only
 * duplicates are dropped and only labels copied: what any rule, panel or
 * alert computes stays the same, at less cost to the rules.
 */

import { SGLANG_PREFIXES } from "./promql";
import { QUEUE_TIME } from "./series";
import { JOB, type JobName } from "./types";

/**
 * One metric relabeling, as Prometheus applies it: `sourceLabels` joined by
 * `separator` and matched whole by `regex`; `drop` drops the series,
 * `replace` sets `targetLabel` to `replacement` (with the regex's groups).
 */
export type MetricRelabel =
    | { action: "drop"; sourceLabels: string[]; separator: string; regex: string }
    | { action: "replace"; sourceLabels: string[]; separator: string; regex: string; targetLabel: string; replacement: string };

function regexEscape(value: string): string {
    return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The queue-time histogram of every tensor-parallel rank but rank 0, on a
 * server without data parallelism (no `dp_rank`). SGLang observes it on every
 * TP rank (contracts/sglang: `scheduler-every-rank`), and the ranks of one
 * scheduler group see the same batch, so they write the same counts; the
 * recording rule keeps one value per group anyway (`max without (tp_rank, …)`,
 * SGLANG_SAME_BATCH_RANK_LABELS). At TP 8 that is seven series in eight of
 * it, 273 of the 649 series of a v0.5.4.post1 server. With data parallelism
 * a group's first rank is not always `tp_rank="0"` (DP attention numbers TP
 * ranks across groups), so nothing is dropped there.
 */
const QUEUE_TIME_DUPLICATE_RANKS: MetricRelabel = {
    sourceLabels: ["__name__", "dp_rank", "tp_rank"],
    separator: ";",
    regex: `(${SGLANG_PREFIXES.map(regexEscape).join("|")})${QUEUE_TIME.source}_(bucket|count|sum);;[1-9][0-9]*`,
    action: "drop",
};

/**
 * DCGM's GPU identity labels copied to the names the recording rules and
 * dashboards use (GPU_LABELS): `UUID`→`uuid`, `Hostname`→`hostname`,
 * `modelName`→`gpu_name`. Done once per scrape here rather than by three
 * `label_replace` calls over every GPU in each of the GPU recording rules
 * every evaluation. The exporter's own labels stay (dashboards written for
 * DCGM read them); a label the exporter leaves empty sets nothing, and
 * nvidia_gpu_exporter, which has none of them, is not changed.
 */
const DCGM_IDENTITY: MetricRelabel[] = [
    ["UUID", "uuid"],
    ["Hostname", "hostname"],
    ["modelName", "gpu_name"],
].map(([from, to]) => ({ action: "replace", sourceLabels: [from], separator: ";", regex: "(.+)", targetLabel: to, replacement: "$1" }));

/** The metric relabelings of a scrape job (none for most). */
export function metricRelabels(job: JobName | string): MetricRelabel[] {
    if (job === JOB.sglang) return [QUEUE_TIME_DUPLICATE_RANKS];
    if (job === JOB.gpu) return DCGM_IDENTITY;
    return [];
}

/** As prometheus.yml spells them (`metric_relabel_configs`). */
export function metricRelabelConfigs(job: JobName | string): object[] {
    return metricRelabels(job).map((r) => ({
        source_labels: r.sourceLabels,
        separator: r.separator,
        regex: r.regex,
        ...(r.action === "replace" ? { target_label: r.targetLabel, replacement: r.replacement } : {}),
        action: r.action,
    }));
}
