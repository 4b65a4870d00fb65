/**
 * Histogram bucket lists of the SGLang server, as its sources define them
 * (`TokenizerMetricsCollector` and `SchedulerMetricsCollector`). Each
 * version's contract names the lists it uses; a list is shared only where the
 * sources of those versions are identical. Values computed in Python by the
 * server (exponential buckets) are written as Python computes them, because
 * the `le` label is Python's `repr` of the float and JavaScript's `**` can
 * differ in the last digit.
 */

/** `sglang:time_to_first_token_seconds`; `--bucket-time-to-first-token` replaces it. */
export const TTFT_BUCKETS = [0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400];

/** `sglang:e2e_request_latency_seconds`; `--bucket-e2e-request-latency` replaces it. */
export const E2E_BUCKETS = [...TTFT_BUCKETS, 600, 1200, 1800, 2400];

/** `sglang:inter_token_latency_seconds`; `--bucket-inter-token-latency` replaces it. */
export const ITL_BUCKETS = [
    0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8,
];

/** `sglang:queue_time_seconds` (no flag). */
export const QUEUE_TIME_BUCKETS = [
    0, 0.1, 0.2, 0.5, 1, 2, 3, 4, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1200, 1400, 1600,
    1800, 2000, 2500, 3000,
];

/** `sglang:prompt_tokens_histogram` and `sglang:generation_tokens_histogram` (with `--collect-tokens-histogram`). */
export const TOKENS_BUCKETS = [
    100, 300, 500, 700, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 12000, 15000, 20000, 22000, 25000, 30000, 35000, 40000,
    66000, 99000, 132000, 300000, 600000, 900000, 1100000,
];

/** `sglang:grammar_compilation_time_seconds`. */
export const GRAMMAR_COMPILATION_BUCKETS = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 90, 120, 240];

/** `sglang:grammar_schema_count`. */
export const GRAMMAR_SCHEMA_COUNT_BUCKETS = [0, 1, 2, 5, 10, 20, 30, 40, 60, 80, 100, 120, 140, 160, 180, 200, 300, 400, 500, 700, 1000];

/** `sglang:grammar_ebnf_size`. */
export const GRAMMAR_EBNF_SIZE_BUCKETS = [0, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000, 20000, 30000, 50000, 100000];

/** `sglang:grammar_tree_traversal_time_avg` and `_max`. */
export const GRAMMAR_TREE_TRAVERSAL_BUCKETS = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 90, 120, 240];

/** `sglang:per_stage_req_latency_seconds`: `exponential_buckets(start=0.001, width=1.62, length=30)`, 1 ms to about 1191 s. */
export const PER_STAGE_BUCKETS = [
    0.001, 0.0016200000000000001, 0.0026244000000000007, 0.004251528, 0.006887475360000002, 0.011157710083200004, 0.018075490334784006,
    0.029282294342350097, 0.047437316834607154, 0.07684845327206359, 0.12449449430074302, 0.20168108076720373, 0.3267233508428701, 0.5292918283654495,
    0.8574527619520282, 1.389073474362286, 2.2502990284669036, 3.6454844261163837, 5.905684770308542, 9.567209327899839, 15.49887911119774,
    25.10818416014034, 40.67525833942735, 65.89391850987231, 106.74814798599316, 172.93199973730896, 280.1498395744405, 453.84274011059364,
    735.2252389791618, 1191.064887146242,
];

/** `sglang:func_latency_seconds`: `exponential_buckets(start=0.05, width=1.5, length=18)`, 50 ms to about 49 s. */
export const FUNC_LATENCY_BUCKETS = [
    0.05, 0.07500000000000001, 0.1125, 0.16875, 0.253125, 0.3796875, 0.56953125, 0.8542968750000001, 1.2814453125, 1.9221679687500002,
    2.8832519531250003, 4.3248779296875, 6.487316894531251, 9.730975341796876, 14.596463012695313, 21.89469451904297, 32.84204177856446,
    49.26306266784668,
];

/** HiCache storage `sglang:prefetch_pgs` and `sglang:backup_pgs` (pages per batch). */
export const STORAGE_PAGES_BUCKETS = [1, 5, 10, 50, 100];

/** HiCache storage `sglang:prefetch_bandwidth` and `sglang:backup_bandwidth` (GB/s). */
export const STORAGE_BANDWIDTH_BUCKETS = [0.1, 0.5, 1, 5, 10, 50, 100];
