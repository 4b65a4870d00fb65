/**
 * The Ananke metrics the user's guide documents (its metrics table), which no
 * released build writes yet. Kept as a contract so that the rules are proven
 * to read them the day a build does, beside the fork's own `ananke_*` names,
 * and so that the upgrade gate can name them. Used as an overlay: a server's
 * scrape is its SGLang contract's series plus these.
 */
import type { ExporterContract } from "../types";

const GUIDE = "guide/monitoring-setup-guide.md";

export const SGLANG_GUIDE_ANANKE: ExporterContract = {
    exporter: "sglang",
    id: "sglang-guide-ananke",
    version: "the guide's Ananke metrics",
    images: [],
    source: { repository: "the user's guide (shared/guide/monitoring-setup-guide.md)", commit: "metrics table" },
    notes: [
        "No build writes these today: the guide documents them. Labels are those the guide names (violations by domain) plus model_name, as SGLang's tokenizer metrics carry it.",
    ],
    labelValues: { domain: ["syntax", "types", "imports", "controlflow", "semantics"] },
    metrics: [
        {
            name: "sglang_ananke_constraint_violations_total",
            type: "counter",
            labels: ["model_name", "domain"],
            writers: "tokenizer",
            appears: "first-event",
            source: GUIDE,
            note: "Constraint violations by domain.",
        },
        {
            name: "sglang_ananke_rollbacks_total",
            type: "counter",
            labels: ["model_name"],
            writers: "tokenizer",
            appears: "at-start",
            source: GUIDE,
            note: "Rollback operations.",
        },
        {
            name: "sglang_ananke_cache_hits_total",
            type: "counter",
            labels: ["model_name"],
            writers: "tokenizer",
            appears: "at-start",
            source: GUIDE,
            note: "Grammar cache hits.",
        },
        {
            name: "sglang_ananke_cache_misses_total",
            type: "counter",
            labels: ["model_name"],
            writers: "tokenizer",
            appears: "at-start",
            source: GUIDE,
            note: "Grammar cache misses.",
        },
    ],
};
