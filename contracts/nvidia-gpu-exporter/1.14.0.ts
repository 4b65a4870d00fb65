/**
 * utkuozdemir/nvidia_gpu_exporter v1.14.0, the newest release, default flags
 * (`--collect.backend=exec`, `--query-field-names=AUTO`, no compute apps), on
 * an NVIDIA H100 80GB HBM3 with driver 590.48.01. Read from
 * `internal/exporter/exporter.go`, `internal/nvidiasmi/resolve.go` and
 * `internal/nvidiasmi/transform.go` at the tag, and from the scrape its own
 * integration test records for the H100 capture
 * (`internal/integration/testdata/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load.metrics`).
 */
import type { ExporterContract, MetricEntry } from "../types";
import { H100_590_FIELDS, H100_590_SILENT_FIELDS, smiGauge } from "./smi-fields";

const EXPORTER_GO = "internal/exporter/exporter.go";

/** Enum fields this version maps to NVML's integers (internal/nvidiasmi/transform.go); text in earlier versions. */
const ENUM_FIELDS: [string, string, string][] = [
    ["nvidia_smi_fabric_state", "fabric.state", "nvmlGpuFabricState_t: 0 not supported, 1 not started, 2 in progress, 3 completed (healthy)."],
    [
        "nvidia_smi_gpu_recovery_action",
        "gpu_recovery_action",
        "nvmlGpuRecoveryAction_t: 0 none (healthy), 1 GPU reset, 2 node reboot, 3 drain P2P, 4 drain and reset.",
    ],
];

function health(name: string, type: "gauge" | "counter", appears: MetricEntry["appears"], note: string): MetricEntry {
    return { name, type, labels: [], writers: "exporter", appears, source: EXPORTER_GO, note };
}

/** What `utkuozdemir/nvidia_gpu_exporter:1.14.0` writes for one H100 (driver 590.48.01). */
export const NVIDIA_GPU_EXPORTER_1_14_0: ExporterContract = {
    exporter: "nvidia-gpu-exporter",
    id: "nvidia-gpu-exporter-1.14.0",
    version: "1.14.0",
    images: ["utkuozdemir/nvidia_gpu_exporter:1.14.0", "ghcr.io/utkuozdemir/nvidia_gpu_exporter:1.14.0"],
    source: {
        repository: "https://github.com/utkuozdemir/nvidia_gpu_exporter",
        commit: "8f0b43c7c59b71286238455da247650f330df560",
        date: "2026-08-12",
    },
    labelValues: {
        uuid: ["5b0c3a1e-7f2d-4c1a-9e3b-2d8f6a4c1b07", "9e41d2c7-3a5b-4f8e-8c2d-6b1a7e3f9d54"],
        index: ["0", "1", "2", "3"],
        name: ["NVIDIA H100 80GB HBM3", "NVIDIA H200", "NVIDIA L40S"],
        compute_cap: ["9.0", "8.9"],
        cuda_version: ["13.1"],
        driver_model_current: ["[N/A]"],
        driver_model_pending: ["[N/A]"],
        driver_version: ["590.48.01"],
        pci_bus_id: ["00000000:18:00.0", "00000000:2A:00.0"],
        pci_sub_device_id: ["0x16C110DE"],
        serial: ["1654922012345"],
        vbios_version: ["96.00.A5.00.01"],
    },
    metrics: [
        {
            name: "nvidia_smi_gpu_info",
            type: "gauge",
            labels: [
                "compute_cap",
                "cuda_version",
                "driver_model_current",
                "driver_model_pending",
                "driver_version",
                "index",
                "name",
                "pci_bus_id",
                "pci_sub_device_id",
                "serial",
                "uuid",
                "vbios_version",
            ],
            writers: "exporter",
            appears: "at-start",
            source: "internal/nvidiasmi/resolve.go",
            note: "Constant 1 per GPU. Carries `index` (since v1.5.0) and, since later releases, pci_bus_id, serial, compute_cap, pci_sub_device_id and cuda_version.",
        },
        ...H100_590_FIELDS.map(([name, field]) => smiGauge(name, field, EXPORTER_GO)),
        ...ENUM_FIELDS.map(([name, field, meaning]) => smiGauge(name, field, "internal/nvidiasmi/transform.go", meaning)),
        health(
            "nvidia_smi_command_exit_code",
            "gauge",
            "at-start",
            "Exit code of the most recent nvidia-smi run (0 = success); written once a collection was attempted.",
        ),
        health(
            "nvidia_smi_failed_scrapes_total",
            "counter",
            "at-start",
            "Failed collections since start; written on every scrape from 0 (unlike 1.3.2).",
        ),
        health("nvidia_smi_last_collect_success", "gauge", "at-start", "1 when the most recent collection succeeded, else 0."),
        health("nvidia_smi_last_collect_duration_seconds", "gauge", "at-start", "Duration of the most recent collection, seconds."),
        health(
            "nvidia_smi_last_collect_success_timestamp_seconds",
            "gauge",
            "at-start",
            "Unix time of the most recent successful collection; absent until the first success.",
        ),
    ],
    notes: [
        "Same per-GPU names and values as 1.3.2 on the same GPU and driver (the recorded scrape and 1.3.2's rules agree field for field), plus nvidia_smi_fabric_state and nvidia_smi_gpu_recovery_action.",
        "Every per-GPU metric is a gauge labelled `uuid` only (lower case, no `GPU-` prefix); no host name label.",
        "The per-GPU set is the host driver's (AUTO), as for 1.3.2; --query-field-names-exclude drops fields by pattern.",
        `Fields that write no sample on the H100 capture: ${H100_590_SILENT_FIELDS}.`,
        "Opt-in families, absent by default: --collect.compute-apps adds nvidia_smi_compute_app_info and nvidia_smi_compute_app_used_memory_bytes {uuid, pid, process_name}, nvidia_smi_compute_apps {uuid}, nvidia_smi_compute_apps_last_collect_success; --collect.pcie-throughput adds PCIe throughput gauges.",
        "--collect.backend=nvml (the `-nvml` image variant) reads libnvidia-ml instead of nvidia-smi, writes nvidia_smi_nvml_return_code instead of nvidia_smi_command_exit_code, and adds energy, MIG and XID families (nvidia_smi_xid_errors_total {uuid, xid}).",
        "--collect.interval > 0 collects in the background and serves the latest result; by default each scrape runs nvidia-smi.",
        "Needs the GPUs and NVIDIA_DRIVER_CAPABILITIES=utility in the container. Port 9835, path /metrics.",
    ],
};
