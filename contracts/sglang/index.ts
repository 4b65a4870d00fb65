/**
 * The SGLang metric contracts, one per version the project knows: the default
 * image's first.
 */
import type { ExporterContract } from "../types";
import { SGLANG_ANANKE_29925551C } from "./ananke-29925551c";
import { SGLANG_V0_5_4_POST1 } from "./v0.5.4.post1";

/** The contract of the default image, `lmsysorg/sglang:v0.5.4.post1`. */
export const DEFAULT_SGLANG_CONTRACT: ExporterContract = SGLANG_V0_5_4_POST1;

/** Every SGLang contract, the default first. */
export const SGLANG_CONTRACTS: ExporterContract[] = [DEFAULT_SGLANG_CONTRACT, SGLANG_ANANKE_29925551C];
