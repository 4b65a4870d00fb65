/**
 * The metric contract: what one version of an exporter really writes, read
 * from its sources at a named commit. Plain data, no Pulumi import. Every
 * fixture, promtool case, end-to-end stand-in and benchmark fleet is
 * generated from a contract (see `generate.ts`), never written by hand, so a
 * rule can only pass a test on shapes a real server produces.
 */

export type ExporterKind = "sglang" | "dcgm-exporter" | "nvidia-gpu-exporter" | "node-exporter" | "sglang-router";

/**
 * A metric's type as scraped. `summary`: quantile lines (a `quantile` label
 * the client library writes) plus `_sum` and `_count`, e.g. a histogram the
 * SGLang router's Rust exporter renders without buckets.
 */
export type MetricType = "counter" | "gauge" | "histogram" | "summary";

/**
 * Which processes write a series, and so how many copies of it a scrape sees.
 *
 * - `tokenizer`: the tokenizer manager (or the HTTP layer in front of it):
 *   one series per server, whatever the parallelism.
 * - `scheduler-rank0`: a scheduler gauge or counter written only by the first
 *   attention-TP rank of each data-parallel group, unless the server runs with
 *   `--enable-metrics-for-all-schedulers`; then every TP rank of the group
 *   writes the same value (so a sum over `tp_rank` multiplies it by the TP
 *   size, while DP ranks are distinct schedulers and add up).
 * - `scheduler-every-rank`: incremented on every TP rank even with default
 *   flags (each rank counts the same events).
 * - `exporter`: a single-process exporter (GPU, host): one series per object
 *   it describes (a GPU, a CPU, a filesystem).
 */
export type Writers = "tokenizer" | "scheduler-rank0" | "scheduler-every-rank" | "exporter";

/**
 * When a labelled series first appears in a scrape.
 * - `at-start`: from the first scrape (value 0 for counters).
 * - `first-event`: only once the counter is first incremented or the
 *   histogram first observes (e.g. aborted requests, an HTTP status code).
 * - `never`: registered (it may appear in the source) but no code path of
 *   this version writes it; it never has a sample.
 */
export type Appearance = "at-start" | "first-event" | "never";

export interface MetricEntry {
    /**
     * The name as the exporter writes it in the Prometheus text format,
     * counters with `_total`, histograms without `_bucket`. SGLang names use
     * the `sglang:` spelling; the `sglang_` spelling is derived (see
     * `ExporterContract.spellings`).
     */
    name: string;
    type: MetricType;
    /** The labels the exporter itself writes, in order (not `job`, `instance`). */
    labels: string[];
    /**
     * Labels the exporter adds to `labels` only in some deployments, each with
     * the condition, e.g. DCGM's `pod` "Kubernetes pod attribution, GPU
     * allocated to a pod". A scrape shows `labels`, plus these when their
     * condition holds.
     */
    conditionalLabels?: Record<string, string>;
    /** Histogram bucket upper bounds, ascending, without +Inf. */
    buckets?: number[];
    writers: Writers;
    appears: Appearance;
    /**
     * For gauges of a multiprocess registry (SGLang): the `multiprocess_mode`
     * the source passes (`mostrecent`, `all`, `livesum`, …). `all` adds a
     * `pid` label to every series; absent means prometheus_client's default.
     */
    multiprocessMode?: string;
    /** The source file this entry was read from, relative to the repository root. */
    source: string;
    /** Anything a reader of the data should know (units, quirks). */
    note?: string;
}

export interface ExporterContract {
    exporter: ExporterKind;
    /** A stable id, e.g. `sglang-v0.5.4.post1`, `dcgm-exporter-4.2.3-4.1.3`. */
    id: string;
    /** The release or commit this contract describes, as users name it. */
    version: string;
    /** Image references (repository:tag, no registry prefix needed) known to carry this version. */
    images: string[];
    /** Where the facts were read. */
    source: { repository: string; commit: string; date?: string };
    /** Metric name spellings a scrape may see (SGLang: `sglang:` and `sglang_`). */
    spellings?: string[];
    /**
     * Example label values as the exporter writes them (e.g. `status_code`:
     * ["200", "500"], `endpoint`: ["/v1/chat/completions"]); generators pick
     * from these. Labels not listed here get a value from the topology.
     */
    labelValues?: Record<string, string[]>;
    metrics: MetricEntry[];
    /** Facts about this version that are not a metric (flags, gates, quirks). */
    notes?: string[];
}
