/**
 * Series that may legitimately return nothing, and why. Panels that query them
 * quote the reason in their description and show a short text instead of
 * "No data", so an empty panel explains itself rather than looking broken.
 */
import * as s from "../monitoring/series";

/** Why every GPU series may be absent. */
export const GPU_ABSENCE =
    "May be absent when no GPU exporter is deployed or scraped (gpuExporter = none), or when the exporter " +
    "cannot see the GPUs (missing --gpus / NVIDIA container toolkit).";

const GPU_SERIES = [
    s.GPU_UTILIZATION,
    s.GPU_MEMORY_USED_BYTES,
    s.GPU_MEMORY_TOTAL_BYTES,
    s.GPU_MEMORY_USED_RATIO,
    s.GPU_TEMPERATURE_CELSIUS,
    s.GPU_POWER_WATTS,
];

/** Why a series may be absent, by normalized series name. */
export const MAY_BE_ABSENT: Readonly<Record<string, string>> = {
    [s.ANANKE_VIOLATIONS_RATE]:
        "May be absent: no SGLang build exports the guide's sglang_ananke_constraint_violations_total. The " +
        "series comes from the Ananke fork's ananke_relaxation_events_by_domain_total, whose optional exporter " +
        "nothing in the server starts today; an info alert reports when SGLang is up without Ananke series.",
    [s.ANANKE_ROLLBACKS_RATE]:
        "May be absent: no SGLang build exports Ananke rollbacks today and there is no real equivalent; " +
        "the series appears only if a build emits the guide's sglang_ananke_rollbacks_total.",
    [s.SGLANG_GRAMMAR_CACHE_HIT_RATIO]:
        "May be absent: sglang:num_grammar_cache_hit_total and sglang:num_grammar_total are reported by some " +
        "grammar backends only, and only once a constrained (structured-output) request has been served.",
    ...Object.fromEntries(GPU_SERIES.map((name) => [name, GPU_ABSENCE])),
};

/** Short text a panel shows instead of "No data" when its series are absent. */
export const ABSENT_TEXT = "Not exported (see panel description)";
