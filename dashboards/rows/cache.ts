/** Cache: KV-cache pressure, prefix-cache reuse and the grammar cache of constrained decoding. */
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { ABSENT_TEXT, MAY_BE_ABSENT } from "../absence";
import { type RowSpec, timeseriesPanel } from "../panels";
import { SGLANG_LEGEND, sglang } from "../selectors";
import { alertAbove, alertBelow, asPercent } from "../thresholds";

export function cacheRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    const grammarHitFloor = 1 - a.grammarCacheMissHigh.threshold;
    return {
        title: "Cache",
        panels: [
            timeseriesPanel({
                title: "KV-cache usage",
                description:
                    "Share of KV-cache tokens in use on the fullest scheduler rank (sglang:token_usage). Near 100 % the " +
                    "server retracts requests. The dashed line is the SGLangKVCacheHigh threshold " +
                    `(${asPercent(a.kvCacheHigh.threshold)} % for ${a.kvCacheHigh.for}).`,
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: sglang(s.SGLANG_KV_CACHE_USAGE), legend: SGLANG_LEGEND }],
                thresholds: alertAbove(a.kvCacheHigh.threshold),
                width: 6,
                height: 8,
            }),
            timeseriesPanel({
                title: "Retracted requests",
                description:
                    "Requests retracted per second because the KV cache ran full (sglang:num_retracted_requests_total); " +
                    "they are re-queued and finish later.",
                unit: "reqps",
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_RETRACTED_RATE), legend: SGLANG_LEGEND }],
                width: 6,
                height: 8,
            }),
            timeseriesPanel({
                title: "Prefix-cache hit rate",
                description:
                    "Share of prompt tokens served from the radix prefix cache over 5 minutes " +
                    "(sglang:cached_tokens_total / sglang:prompt_tokens_total; the sglang:cache_hit_rate gauge on builds " +
                    "without those counters).",
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: sglang(s.SGLANG_PREFIX_CACHE_HIT_RATIO), legend: SGLANG_LEGEND }],
                width: 6,
                height: 8,
            }),
            timeseriesPanel({
                title: "Grammar cache hit rate",
                description:
                    "Share of grammar compilations served from the grammar cache over 5 minutes (the guide's Ananke " +
                    "cache hit rate). The dashed line is where AnankeGrammarCacheMissHigh fires (miss ratio above " +
                    `${asPercent(a.grammarCacheMissHigh.threshold)} % for ${a.grammarCacheMissHigh.for}). ` +
                    MAY_BE_ABSENT[s.SGLANG_GRAMMAR_CACHE_HIT_RATIO],
                unit: "percentunit",
                min: 0,
                max: 1,
                queries: [{ expr: sglang(s.SGLANG_GRAMMAR_CACHE_HIT_RATIO), legend: SGLANG_LEGEND }],
                thresholds: alertBelow(grammarHitFloor),
                noValue: ABSENT_TEXT,
                width: 6,
                height: 8,
            }),
        ],
    };
}
