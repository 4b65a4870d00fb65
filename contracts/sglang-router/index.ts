/**
 * The SGLang router (Shepherd Model Gateway, `smg`) metric contracts, one per
 * release whose sources have been read; the newest first. Nothing deploys the
 * router yet: these describe what a scrape of its metrics port returns.
 */
import type { ExporterContract } from "../types";
import { SGLANG_ROUTER_V1_9_0 } from "./v1.9.0";

/** Every SGLang router contract, the newest first. */
export const SGLANG_ROUTER_CONTRACTS: ExporterContract[] = [SGLANG_ROUTER_V1_9_0];
