/**
 * The GPU and host exporter contracts, each list with the project's pinned
 * default image first (`settings/catalog.ts`), then newer releases.
 */

import { DCGM_EXPORTER_4_2_3_4_1_3, PROJECT_COUNTERS_4_1_3, VIOLATION_UNIT_4_1_3 } from "./dcgm-exporter/4.2.3-4.1.3";
import { DCGM_EXPORTER_4_5_3_4_8_2, PROJECT_COUNTERS_4_8_2, VIOLATION_UNIT_4_8_2 } from "./dcgm-exporter/4.5.3-4.8.2";
import type { CounterLine } from "./dcgm-exporter/fields";
import type { ViolationUnit } from "./dcgm-exporter/project-counters";
import { NODE_EXPORTER_V1_9_1 } from "./node-exporter/v1.9.1";
import { NVIDIA_GPU_EXPORTER_1_3_2 } from "./nvidia-gpu-exporter/1.3.2";
import { NVIDIA_GPU_EXPORTER_1_14_0 } from "./nvidia-gpu-exporter/1.14.0";
import type { ExporterContract } from "./types";

/** NVIDIA DCGM exporter versions, pinned default first. */
export const DCGM_CONTRACTS: readonly ExporterContract[] = [DCGM_EXPORTER_4_2_3_4_1_3, DCGM_EXPORTER_4_5_3_4_8_2];

/** The project's counters file of a DCGM version: its lines, and the unit of its violation durations. */
export interface DcgmCounters {
    lines: CounterLine[];
    violationUnit: ViolationUnit;
}

/** The project's counters file per DCGM contract id. */
export const DCGM_PROJECT_COUNTERS: Readonly<Record<string, DcgmCounters>> = {
    [DCGM_EXPORTER_4_2_3_4_1_3.id]: { lines: PROJECT_COUNTERS_4_1_3, violationUnit: VIOLATION_UNIT_4_1_3 },
    [DCGM_EXPORTER_4_5_3_4_8_2.id]: { lines: PROJECT_COUNTERS_4_8_2, violationUnit: VIOLATION_UNIT_4_8_2 },
};

/** nvidia_gpu_exporter versions, pinned default first. */
export const NVIDIA_GPU_EXPORTER_CONTRACTS: readonly ExporterContract[] = [NVIDIA_GPU_EXPORTER_1_3_2, NVIDIA_GPU_EXPORTER_1_14_0];

/** Node exporter versions, pinned default first. */
export const NODE_EXPORTER_CONTRACTS: readonly ExporterContract[] = [NODE_EXPORTER_V1_9_1];
