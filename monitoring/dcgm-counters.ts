/**
 * The DCGM exporter's counters file of the project: the pinned version's
 * default lines plus volatile ECC counts and thermal/power throttle durations
 * (contracts/dcgm-exporter/project-counters.ts), rendered as the csv the
 * exporter reads with `-f`. Rendered from the contract of the configured
 * image, so the file, the metric contract and the recording rules agree.
 */
import { closestContract, contractForImage } from "../contracts/gate";
import { DCGM_CONTRACTS, DCGM_PROJECT_COUNTERS, type DcgmCounters } from "../contracts/gpu";

/** Where the exporter's container finds the file. */
export const DCGM_COUNTERS_PATH = "/etc/dcgm-exporter/sglang-ananke-counters.csv";

/** The label field of the default file, kept: every GPU metric carries the driver version. */
const LABEL_LINES = ["DCGM_FI_DRIVER_VERSION, label, Driver version"];

/** The project's counters of the DCGM version an image carries (the nearest verified version for an unknown tag). */
export function dcgmCountersFor(image: string): DcgmCounters {
    const contract = contractForImage("dcgm-exporter", image) ?? closestContract("dcgm-exporter", image);
    return DCGM_PROJECT_COUNTERS[contract?.id ?? DCGM_CONTRACTS[0].id] ?? DCGM_PROJECT_COUNTERS[DCGM_CONTRACTS[0].id];
}

/**
 * Help text the exporter's csv reader accepts: every line must split into
 * exactly three fields on commas, and Go's csv refuses a bare quote.
 */
function csvHelp(note: string): string {
    const firstSentence = note.split(/(?<=\.)\s/)[0];
    return firstSentence.replace(/,/g, ";").replace(/["`]/g, "");
}

/** The csv text of a counters file (format of the exporter's `etc/default-counters.csv`). */
export function renderDcgmCounters(counters: DcgmCounters): string {
    return [
        "# sglang-ananke's DCGM exporter counters: the default fields plus ECC counts and throttle durations.",
        "# Format: DCGM FIELD, Prometheus metric type, help message",
        ...counters.lines.map((line) => `${line.field}, ${line.type}, ${csvHelp(line.note)}`),
        ...LABEL_LINES,
        "",
    ].join("\n");
}
