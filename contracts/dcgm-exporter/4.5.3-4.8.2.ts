/**
 * NVIDIA DCGM exporter 4.5.3-4.8.2 (DCGM 4.5.3, exporter 4.8.2), the newest
 * release. Read at its tag like 4.2.3-4.1.3: its `etc/default-counters.csv`
 * enables the same lines plus `DCGM_FI_DEV_FB_RESERVED`; the GPU render
 * template is unchanged (still `Hostname`); pod attribution gained opt-in
 * labels (`internal/pkg/transformation/kubernetes.go`).
 */
import type { ExporterContract } from "../types";
import { CONDITIONAL_LABELS_4_1_3, DEFAULT_COUNTERS_4_1_3, LABELS_4_1_3 } from "./4.2.3-4.1.3";
import { type CounterLine, type GpuLabelSet, gpuMetrics } from "./fields";
import { projectCounterLines, type ViolationUnit } from "./project-counters";

const FB_USED: CounterLine = {
    field: "DCGM_FI_DEV_FB_USED",
    type: "gauge",
    note: "Framebuffer memory used, MiB (not bytes). The card's memory is FB_USED + FB_FREE + FB_RESERVED.",
};
const FB_RESERVED: CounterLine = {
    field: "DCGM_FI_DEV_FB_RESERVED",
    type: "gauge",
    note: "Framebuffer memory reserved by the driver, MiB (new default line in this version).",
};

/** The 4.1.3 lines with FB_RESERVED after FB_USED, as in this version's file. */
const DEFAULT_COUNTERS: CounterLine[] = DEFAULT_COUNTERS_4_1_3.flatMap((line) => (line.field === FB_USED.field ? [FB_USED, FB_RESERVED] : [line]));

/** The `*_VIOLATION` durations are in ns at this tag (`# DCGM_FI_DEV_POWER_VIOLATION, counter, Throttling duration due to power constraints (in ns).`). */
export const VIOLATION_UNIT_4_8_2: ViolationUnit = "ns";

/** The lines of the project's counters file for this version: the default ones, then its own. */
export const PROJECT_COUNTERS_4_8_2: CounterLine[] = [...DEFAULT_COUNTERS, ...projectCounterLines(VIOLATION_UNIT_4_8_2)];

const LABELS: GpuLabelSet = {
    ...LABELS_4_1_3,
    conditional: {
        ...CONDITIONAL_LABELS_4_1_3,
        pod_uid: "Kubernetes pod attribution with DCGM_EXPORTER_KUBERNETES_ENABLE_POD_UID=true (always on per-process series of shared GPUs)",
        dra_claim_name:
            "Kubernetes Dynamic Resource Allocation (KUBERNETES_ENABLE_DRA=true) on a GPU claimed through DRA; also dra_claim_namespace, dra_driver_name, dra_pool_name, dra_device_name, and dra_mig_profile, dra_mig_device_uuid for MIG",
    },
};

/** What `nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-ubuntu22.04` writes with the project's counters file (its default lines plus ECC counts and throttle durations). */
export const DCGM_EXPORTER_4_5_3_4_8_2: ExporterContract = {
    exporter: "dcgm-exporter",
    id: "dcgm-exporter-4.5.3-4.8.2",
    version: "4.5.3-4.8.2",
    images: ["nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-ubuntu22.04", "nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless"],
    source: { repository: "https://github.com/NVIDIA/dcgm-exporter", commit: "691c92762eb551313c825f6efe4ceeee20982801", date: "2026-05-06" },
    labelValues: {
        gpu: ["0", "1", "2", "3"],
        UUID: ["GPU-5b0c3a1e-7f2d-4c1a-9e3b-2d8f6a4c1b07", "GPU-9e41d2c7-3a5b-4f8e-8c2d-6b1a7e3f9d54"],
        pci_bus_id: ["00000000:18:00.0", "00000000:2A:00.0"],
        device: ["nvidia0", "nvidia1"],
        modelName: ["NVIDIA H100 80GB HBM3", "NVIDIA H200", "NVIDIA L40S"],
        Hostname: ["gpu-node-1"],
        DCGM_FI_DRIVER_VERSION: ["590.48.01", "570.133.20"],
        err_code: ["0", "48", "79", "119"],
        err_msg: ["No Error", "Double Bit ECC Error", "GPU has fallen off the bus", "GSP RPC Timeout"],
        GPU_I_PROFILE: ["1g.10gb", "3g.40gb"],
        GPU_I_ID: ["1", "2"],
        container: ["sglang"],
        namespace: ["sglang-ananke"],
        pod: ["sglang-ananke-7d9f8b6c5-x2k4q"],
        vgpu: ["1"],
        pod_uid: ["0b6f3c2e-8a4d-4e1f-9c7b-5d2a1e8f3b60"],
        dra_claim_name: ["sglang-gpu"],
    },
    metrics: gpuMetrics(PROJECT_COUNTERS_4_8_2, LABELS, "etc/default-counters.csv"),
    notes: [
        "Same metric names as 4.2.3-4.1.3 plus DCGM_FI_DEV_FB_RESERVED; names are the DCGM field names unchanged (counters without `_total`).",
        "The GPU metrics still carry `Hostname` (capital H, internal/pkg/rendermetrics/render_metrics.go): only the NVLink-entity template of this version writes `hostname` (with `gpu_uuid`, `model_name`), for link-level fields, and the default file enables none (DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL is a per-GPU total; the per-link lines are commented out). Queries may still accept both spellings.",
        "Host label: NODE_NAME if set, else the container's host name (internal/pkg/hostname/hostname.go, unchanged). DCGM_EXPORTER_NO_HOSTNAME=true drops it.",
        "The project's counters file enables DCGM_FI_DEV_ECC_SBE/DBE_VOL_TOTAL and DCGM_FI_DEV_POWER/THERMAL_VIOLATION as for 4.2.3-4.1.3, but the durations are now documented in ns, not us.",
        "Still disabled: the other violation durations, the aggregate ECC counts, retired pages, NVLink error counts, DCGM_FI_PROF_SM_ACTIVE/SM_OCCUPANCY/PIPE_FP*_ACTIVE, and the exporter's own DCGM_EXP_CLOCK_EVENTS_COUNT, DCGM_EXP_XID_ERRORS_COUNT, DCGM_EXP_GPU_HEALTH_STATUS, DCGM_EXP_P2P_STATUS.",
        "Kubernetes pod labels become metric labels with DCGM_EXPORTER_KUBERNETES_ENABLE_POD_LABELS=true (names and values of the consuming pod's labels, filtered by an allowlist regex).",
        "Profiling fields (DCGM_FI_PROF_*) need SYS_ADMIN; the entrypoint no longer runs setcap, the capability check is in the binary.",
        "Kubernetes: pod/namespace/container are the exporter's own labels; honor_labels (or exported_* renames) as for 4.2.3-4.1.3.",
    ],
};
