/** Choosing the exporter versions a benchmark fleet runs, from the command line. */
import type { ExporterContract } from "../contracts/types";

/**
 * The contract named `wanted` (its id, e.g. `sglang-v0.5.4.post1`, or its
 * version, `v0.5.4.post1`) among `known`, or the first of `known` (the
 * pinned default) when nothing is wanted. Throws naming the allowed values.
 */
export function chooseContract(option: string, known: readonly ExporterContract[], wanted: string | undefined): ExporterContract {
    if (known.length === 0) throw new Error(`--${option}: no contract is known`);
    if (wanted === undefined) return known[0];
    const found = known.find((c) => c.id === wanted || c.version === wanted);
    if (!found)
        throw new Error(
            `--${option} ${JSON.stringify(wanted)} is no known version; allowed: ${known.map((c) => c.id).join(", ")} (or their versions)`,
        );
    return found;
}
