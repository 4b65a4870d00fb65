/**
 * The SGLang metric contracts, one per version the project knows: the default
 * image's first.
 *
 * No upstream release after v0.5.4.post1 is listed yet: the grammar counters
 * (`sglang:num_grammar_cache_hit_total`, `sglang:num_grammar_total`, ...) are
 * what a newer one would add, and upstream main still had no caller of
 * `SchedulerMetricsCollector.log_grammar_stats` on 2026-08-22 (commit
 * 61981e1fc), so no release cut before then writes them. A contract is added
 * only once a release's own sources have been read.
 */
import type { ExporterContract } from "../types";
import { SGLANG_ANANKE_29925551C } from "./ananke-29925551c";
import { SGLANG_V0_5_4_POST1 } from "./v0.5.4.post1";

/** The contract of the default image, `lmsysorg/sglang:v0.5.4.post1`. */
export const DEFAULT_SGLANG_CONTRACT: ExporterContract = SGLANG_V0_5_4_POST1;

/** Every SGLang contract, the default first. */
export const SGLANG_CONTRACTS: ExporterContract[] = [DEFAULT_SGLANG_CONTRACT, SGLANG_ANANKE_29925551C];
