/**
 * Histogram bucket boundaries by contract, for the checks that need them at
 * preview (a latency objective must sit on a real boundary).
 */
import { writtenEntry } from "./generate";
import { SGLANG_CONTRACTS } from "./sglang";

/** The bucket boundaries of an SGLang histogram (name without spelling) in a contract; undefined when that version writes no such histogram. */
export function histogramBuckets(contractId: string, histogram: string): number[] | undefined {
    const contract = SGLANG_CONTRACTS.find((c) => c.id === contractId);
    return contract && writtenEntry(contract, histogram)?.buckets;
}
