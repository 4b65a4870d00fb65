/**
 * utkuozdemir/nvidia_gpu_exporter v1.3.2 (the pinned
 * `utkuozdemir/nvidia_gpu_exporter:1.3.2`), default flags (exec of
 * nvidia-smi, `--query-field-names=AUTO`), on an NVIDIA H100 80GB HBM3 with
 * driver 590.48.01. Read from `internal/exporter/exporter.go`,
 * `internal/exporter/fields.go`, `internal/exporter/csv.go` and
 * `internal/util/util.go` at the tag; the per-GPU set is v1.3.2's naming and
 * value rules applied to the H100 capture, and equals, name for name and
 * value for value, what v1.14.0's own test records for that capture except
 * the two fields v1.14.0 added (see `smi-fields.ts`).
 */
import type { ExporterContract } from "../types";
import { H100_590_FIELDS, H100_590_SILENT_FIELDS, smiGauge } from "./smi-fields";

const EXPORTER_GO = "internal/exporter/exporter.go";

const PROJECT_READS: Record<string, string> = {
    nvidia_smi_utilization_gpu_ratio: "Not percent: DCGM_FI_DEV_GPU_UTIL is the same quantity × 100.",
    nvidia_smi_memory_used_bytes: "Bytes, where DCGM writes MiB.",
    nvidia_smi_memory_total_bytes: "Bytes; the card's full memory (used + free + reserved).",
    nvidia_smi_temperature_gpu: "°C (the returned field has no unit suffix).",
    nvidia_smi_index: "The GPU's index; in this version the only way to learn it, since nvidia_smi_gpu_info has no index label.",
};

/** What `utkuozdemir/nvidia_gpu_exporter:1.3.2` writes for one H100 (driver 590.48.01). */
export const NVIDIA_GPU_EXPORTER_1_3_2: ExporterContract = {
    exporter: "nvidia-gpu-exporter",
    id: "nvidia-gpu-exporter-1.3.2",
    version: "1.3.2",
    images: ["utkuozdemir/nvidia_gpu_exporter:1.3.2"],
    source: {
        repository: "https://github.com/utkuozdemir/nvidia_gpu_exporter",
        commit: "1aba0e9d052996216895911ad7d409315825fb5e",
        date: "2025-05-16",
    },
    labelValues: {
        uuid: ["5b0c3a1e-7f2d-4c1a-9e3b-2d8f6a4c1b07", "9e41d2c7-3a5b-4f8e-8c2d-6b1a7e3f9d54"],
        name: ["NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-80GB", "NVIDIA L40S"],
        driver_model_current: ["[N/A]"],
        driver_model_pending: ["[N/A]"],
        vbios_version: ["96.00.A5.00.01"],
        driver_version: ["590.48.01", "570.133.20"],
    },
    metrics: [
        {
            name: "nvidia_smi_gpu_info",
            type: "gauge",
            labels: ["driver_model_current", "driver_model_pending", "driver_version", "name", "uuid", "vbios_version"],
            writers: "exporter",
            appears: "at-start",
            source: EXPORTER_GO,
            note: "Constant 1 per GPU. No index label in this version (added in v1.5.0): join nvidia_smi_index on uuid for it. Text values as nvidia-smi prints them ([N/A] for driver_model_* on Linux).",
        },
        ...H100_590_FIELDS.map(([name, field]) => smiGauge(name, field, EXPORTER_GO, PROJECT_READS[name])),
        {
            name: "nvidia_smi_command_exit_code",
            type: "gauge",
            labels: [],
            writers: "exporter",
            appears: "at-start",
            source: EXPORTER_GO,
            note: "Exit code of the last nvidia-smi run: 0, the command's code, or -1 when it could not start or its output did not parse. Written on every scrape.",
        },
        {
            name: "nvidia_smi_failed_scrapes_total",
            type: "counter",
            labels: [],
            writers: "exporter",
            appears: "first-event",
            source: EXPORTER_GO,
            note: "Written only in a scrape whose nvidia-smi run failed (and then without any GPU series), sent before its increment: the first failing scrape shows 0. Successful scrapes omit it.",
        },
    ],
    notes: [
        "Every per-GPU metric is a gauge labelled `uuid` only, even cumulative counts (ECC errors, clock event durations); there is no host name label: the host is the scrape's instance.",
        "`uuid` is nvidia-smi's UUID lower-cased without its `GPU-` prefix (`GPU-5B0C…` → `5b0c…`); DCGM's `UUID` keeps the prefix and case.",
        "The metric set is the host driver's: AUTO queries every field `nvidia-smi --help-query-gpu` lists at start-up. Older drivers name the clock reasons `clocks_throttle_reasons.*` (nvidia_smi_clocks_throttle_reasons_*) instead of `clocks_event_reasons.*`, and lack fields such as memory.reserved, power.draw.average/instant, utilization.jpeg/ofa.",
        `Fields that write no sample on the H100 capture: ${H100_590_SILENT_FIELDS}. On GPUs with a fan, nvidia_smi_fan_speed_ratio appears.`,
        "A field whose text holds exactly one number writes that number (serial → nvidia_smi_serial, inforom.oem → 2.1, compute_cap → 9): do not read such series.",
        "If two returned fields ever made the same name, registration would fail at start-up; none do on the H100 capture.",
        "Needs the GPUs and NVIDIA_DRIVER_CAPABILITIES=utility (nvidia-smi) in the container; no extra capability. Port 9835, path /metrics.",
    ],
};
