/**
 * NVIDIA DCGM exporter 4.2.3-4.1.3 (DCGM 4.2.3, exporter 4.1.3): the
 * project's pinned default. Fields: `etc/default-counters.csv` at the tag;
 * labels: `internal/pkg/rendermetrics/render_metrics.go`,
 * `internal/pkg/collector/gpu_collector.go`, `internal/pkg/transformation/kubernetes.go`;
 * host label: `internal/pkg/hostname/hostname.go`.
 */
import type { ExporterContract } from "../types";
import { type CounterLine, type GpuLabelSet, gpuMetrics } from "./fields";
import { projectCounterLines, type ViolationUnit } from "./project-counters";

const COUNTERS_FILE = "etc/default-counters.csv";

/** The enabled lines of the default counters file, in file order. */
export const DEFAULT_COUNTERS_4_1_3: CounterLine[] = [
    { field: "DCGM_FI_DEV_SM_CLOCK", type: "gauge", note: "SM clock, MHz." },
    { field: "DCGM_FI_DEV_MEM_CLOCK", type: "gauge", note: "Memory clock, MHz." },
    {
        field: "DCGM_FI_DEV_MEMORY_TEMP",
        type: "gauge",
        note: "Memory (HBM) temperature, °C. A GPU that does not report it has no series (blank values are skipped).",
    },
    { field: "DCGM_FI_DEV_GPU_TEMP", type: "gauge", note: "GPU temperature, °C." },
    { field: "DCGM_FI_DEV_POWER_USAGE", type: "gauge", note: "Power draw, W." },
    { field: "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", type: "counter", note: "Energy since boot, mJ (millijoules). A counter without `_total`." },
    { field: "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", type: "counter", note: "PCIe retries since boot. A counter without `_total`." },
    { field: "DCGM_FI_DEV_GPU_UTIL", type: "gauge", note: "GPU utilization, percent 0–100 (not a ratio); the sample period depends on the product." },
    { field: "DCGM_FI_DEV_MEM_COPY_UTIL", type: "gauge", note: "Memory (copy) utilization, percent 0–100." },
    { field: "DCGM_FI_DEV_ENC_UTIL", type: "gauge", note: "Encoder utilization, percent 0–100." },
    { field: "DCGM_FI_DEV_DEC_UTIL", type: "gauge", note: "Decoder utilization, percent 0–100." },
    {
        field: "DCGM_FI_DEV_XID_ERRORS",
        type: "gauge",
        note: "The last XID code seen, never resets (0 until the first XID); `err_code` repeats it and `err_msg` names it, so a new XID makes a new series.",
    },
    { field: "DCGM_FI_DEV_FB_FREE", type: "gauge", note: "Framebuffer memory free, MiB (not bytes)." },
    {
        field: "DCGM_FI_DEV_FB_USED",
        type: "gauge",
        note: "Framebuffer memory used, MiB (not bytes). FB_USED + FB_FREE is below the card's memory by the reserved MiB (this version does not export FB_RESERVED).",
    },
    {
        field: "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL",
        type: "counter",
        note: "NVLink bandwidth counter, all lanes. A counter without `_total` (the `_TOTAL` is part of the field name).",
    },
    { field: "DCGM_FI_DEV_VGPU_LICENSE_STATUS", type: "gauge", note: "vGPU license status (meaningful on vGPU guests only)." },
    {
        field: "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS",
        type: "counter",
        note: "Rows remapped for uncorrectable errors. A counter without `_total`.",
    },
    { field: "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", type: "counter", note: "Rows remapped for correctable errors. A counter without `_total`." },
    { field: "DCGM_FI_DEV_ROW_REMAP_FAILURE", type: "gauge", note: "1 when row remapping has failed, else 0." },
    {
        field: "DCGM_FI_PROF_GR_ENGINE_ACTIVE",
        type: "gauge",
        note: "Ratio 0–1 of time the graphics engine is active. Profiling field: needs SYS_ADMIN and a datacenter GPU (Volta or newer), else no series.",
    },
    {
        field: "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
        type: "gauge",
        note: "Ratio 0–1 of cycles the tensor (HMMA) pipe is active. Profiling field: needs SYS_ADMIN.",
    },
    {
        field: "DCGM_FI_PROF_DRAM_ACTIVE",
        type: "gauge",
        note: "Ratio 0–1 of cycles the memory interface is active. Profiling field: needs SYS_ADMIN.",
    },
    {
        field: "DCGM_FI_PROF_PCIE_TX_BYTES",
        type: "gauge",
        note: "PCIe transmit rate, bytes per second (a gauge of a rate, not a counter). Profiling field: needs SYS_ADMIN.",
    },
    {
        field: "DCGM_FI_PROF_PCIE_RX_BYTES",
        type: "gauge",
        note: "PCIe receive rate, bytes per second (a gauge of a rate). Profiling field: needs SYS_ADMIN.",
    },
];

/** The `*_VIOLATION` durations are in µs at this tag (`# DCGM_FI_DEV_POWER_VIOLATION, counter, Throttling duration due to power constraints (in us).`). */
export const VIOLATION_UNIT_4_1_3: ViolationUnit = "us";

/** The lines of the project's counters file for this version: the default ones, then its own. */
export const PROJECT_COUNTERS_4_1_3: CounterLine[] = [...DEFAULT_COUNTERS_4_1_3, ...projectCounterLines(VIOLATION_UNIT_4_1_3)];

/** Pod attribution, MIG and shared-GPU labels: added only in those deployments. */
export const CONDITIONAL_LABELS_4_1_3: Record<string, string> = {
    GPU_I_PROFILE: "MIG: the GPU instance's profile, after modelName",
    GPU_I_ID: "MIG: the GPU instance id, after GPU_I_PROFILE",
    container:
        "Kubernetes pod attribution (DCGM_EXPORTER_KUBERNETES=true, kubelet pod-resources socket mounted) on a GPU allocated to a container; one series per container sharing the GPU",
    namespace: "Kubernetes pod attribution, as for container",
    pod: "Kubernetes pod attribution, as for container",
    vgpu: "Kubernetes pod attribution on a shared (time-sliced) GPU",
};

export const LABELS_4_1_3: GpuLabelSet = {
    always: ["gpu", "UUID", "pci_bus_id", "device", "modelName", "Hostname", "DCGM_FI_DRIVER_VERSION"],
    conditional: CONDITIONAL_LABELS_4_1_3,
    xid: ["err_code", "err_msg"],
};

/** What `nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04` writes with the project's counters file (its default lines plus ECC counts and throttle durations). */
export const DCGM_EXPORTER_4_2_3_4_1_3: ExporterContract = {
    exporter: "dcgm-exporter",
    id: "dcgm-exporter-4.2.3-4.1.3",
    version: "4.2.3-4.1.3",
    images: ["nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04"],
    source: { repository: "https://github.com/NVIDIA/dcgm-exporter", commit: "dcbb9276f0a5f380030dc129f043e5d9c25c3045", date: "2025-06-04" },
    labelValues: {
        gpu: ["0", "1", "2", "3"],
        UUID: ["GPU-5b0c3a1e-7f2d-4c1a-9e3b-2d8f6a4c1b07", "GPU-9e41d2c7-3a5b-4f8e-8c2d-6b1a7e3f9d54"],
        pci_bus_id: ["00000000:18:00.0", "00000000:2A:00.0"],
        device: ["nvidia0", "nvidia1"],
        modelName: ["NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-80GB", "NVIDIA L40S"],
        Hostname: ["gpu-node-1"],
        DCGM_FI_DRIVER_VERSION: ["570.133.20", "550.54.15"],
        err_code: ["0", "48", "79", "94"],
        err_msg: ["No Error", "Double Bit ECC Error", "GPU has fallen off the bus", "Contained ECC error"],
        GPU_I_PROFILE: ["1g.10gb", "3g.40gb"],
        GPU_I_ID: ["1", "2"],
        container: ["sglang"],
        namespace: ["sglang-ananke"],
        pod: ["sglang-ananke-7d9f8b6c5-x2k4q"],
        vgpu: ["1"],
    },
    metrics: gpuMetrics(PROJECT_COUNTERS_4_1_3, LABELS_4_1_3, COUNTERS_FILE),
    notes: [
        "Metric names are the DCGM field names unchanged: counters (TOTAL_ENERGY_CONSUMPTION, PCIE_REPLAY_COUNTER, NVLINK_BANDWIDTH_TOTAL, *_REMAPPED_ROWS) have no `_total` suffix.",
        "The project's counters file (monitoring/dcgm-counters.ts, passed with -f) enables four lines the default file comments out: DCGM_FI_DEV_ECC_SBE_VOL_TOTAL, DCGM_FI_DEV_ECC_DBE_VOL_TOTAL, DCGM_FI_DEV_POWER_VIOLATION and DCGM_FI_DEV_THERMAL_VIOLATION (in us at this tag). With the image's default file they are absent.",
        "Still disabled: the other violation durations (SYNC_BOOST, BOARD_LIMIT, LOW_UTIL, RELIABILITY), the aggregate ECC counts (DCGM_FI_DEV_ECC_SBE/DBE_AGG_TOTAL), retired pages (DCGM_FI_DEV_RETIRED_SBE/DBE/PENDING), NVLink error counts, DCGM_FI_PROF_SM_ACTIVE, SM_OCCUPANCY, PIPE_FP64/FP32/FP16_ACTIVE. There is no DCGM_FI_DEV_FB_RESERVED line in this version.",
        "DCGM_FI_DRIVER_VERSION is a label field of the counters file: it becomes a label on every GPU metric, not a metric.",
        "Label order on a GPU line: gpu, UUID, pci_bus_id, device, modelName, [GPU_I_PROFILE, GPU_I_ID], Hostname, then label fields sorted by name (DCGM_FI_DRIVER_VERSION), then attributes sorted by name (container, err_code, err_msg, namespace, pod, vgpu).",
        "Host label `Hostname` (capital H): the NODE_NAME environment variable if set, else the container's own host name (on Docker a random id that changes on every recreate, making new GPU series). Set NODE_NAME: Docker, the host's name; Kubernetes, spec.nodeName through the downward API. DCGM_EXPORTER_NO_HOSTNAME=true (or -n) drops the label.",
        "DCGM_EXPORTER_USE_OLD_NAMESPACE=true (or -o) writes `uuid` instead of `UUID` and pod_name/pod_namespace/container_name instead of pod/namespace/container.",
        '`modelName` keeps its spaces ("NVIDIA H100 80GB HBM3") unless DCGM_EXPORTER_REPLACE_BLANKS_IN_MODEL_NAME=true, which writes dashes.',
        "Fields whose value is blank, not found, not supported or not permitted are skipped: no series, not 0 (e.g. DCGM_FI_PROF_* without SYS_ADMIN or on GPUs without profiling support).",
        "Profiling fields (DCGM_FI_PROF_*) need the SYS_ADMIN capability: the image's entrypoint sets cap_sys_admin on the binary and warns when the container lacks it (`--cap-add SYS_ADMIN`).",
        "Kubernetes: the exporter writes its own pod/namespace/container (the GPU's consumer); a scrape that also sets target labels of those names renames them exported_* unless honor_labels is true for that job.",
        "Port 9400, path /metrics; the image runs with NVIDIA_DRIVER_CAPABILITIES=compute,utility,compat32 and needs the GPUs (`--gpus all`).",
    ],
};
