/**
 * The lines the project's own counters file adds to a version's default ones
 * (monitoring/dcgm-counters.ts renders the file; the GPU exporter is started
 * with it). Each is a commented-out line of that version's
 * `etc/default-counters.csv`: the volatile ECC counts and the thermal and
 * power throttle durations. The durations' unit changed between releases
 * (the csv's help text says `in us` at 4.2.3-4.1.3 and `in ns` at
 * 4.5.3-4.8.2), so each version passes its own.
 */
import type { CounterLine } from "./fields";

/** The unit of DCGM's `*_VIOLATION` throttle durations in a version. */
export type ViolationUnit = "us" | "ns";

/** Seconds per unit of a violation duration. */
export const SECONDS_PER_VIOLATION_UNIT: Record<ViolationUnit, number> = { us: 1e-6, ns: 1e-9 };

export const ECC_DBE_FIELD = "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL";
export const THERMAL_VIOLATION_FIELD = "DCGM_FI_DEV_THERMAL_VIOLATION";
export const POWER_VIOLATION_FIELD = "DCGM_FI_DEV_POWER_VIOLATION";

/** The project's extra counter lines for a version whose violation durations are in `unit`. */
export function projectCounterLines(unit: ViolationUnit): CounterLine[] {
    const onlyWithOurs = "Only with the project's counters file (commented out in the default one).";
    return [
        {
            field: "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL",
            type: "counter",
            note: `Single-bit (corrected) volatile ECC errors since the driver loaded (_TOTAL is part of the field name). ${onlyWithOurs}`,
        },
        {
            field: ECC_DBE_FIELD,
            type: "counter",
            note: `Double-bit (uncorrectable) volatile ECC errors since the driver loaded (_TOTAL is part of the field name). ${onlyWithOurs} No series on a GPU without ECC memory (blank values are skipped).`,
        },
        {
            field: POWER_VIOLATION_FIELD,
            type: "counter",
            note: `Time clocks were held down by the power limit, cumulative, in ${unit}. A counter without \`_total\`. ${onlyWithOurs}`,
        },
        {
            field: THERMAL_VIOLATION_FIELD,
            type: "counter",
            note: `Time clocks were held down by temperature, cumulative, in ${unit}. A counter without \`_total\`. ${onlyWithOurs}`,
        },
    ];
}
