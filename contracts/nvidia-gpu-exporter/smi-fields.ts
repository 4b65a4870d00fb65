/**
 * What nvidia_gpu_exporter makes of one GPU's `nvidia-smi --query-gpu` row.
 * With its default `--query-field-names=AUTO` the exporter queries every
 * field the host's `nvidia-smi --help-query-gpu` lists, so the metric set is
 * the driver's, not the exporter's: the table below is an NVIDIA H100 80GB
 * HBM3 on driver 590.48.01, from the exporter's own recorded capture
 * (`internal/captures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt`
 * at v1.14.0; its query-gpu row is kept in `testdata/`, and
 * `smi-fields.test.ts` derives this table from it again). Each name follows
 * the exporter's rule: the returned field's unit suffix becomes the name's
 * unit (`[%]` → `_ratio` × 0.01, `[MiB]` → `_bytes` × 1048576, `[MHz]` →
 * `_clock_hz` × 10⁶, `[W]` → `_watts`, `[us]` → `_seconds` × 10⁻⁶), dots
 * become underscores, camelCase becomes snake_case. A field whose value is not a number (`[N/A]`, a version
 * string with two numbers) writes no sample that scrape.
 */
import type { MetricEntry } from "../types";

/** [metric name, nvidia-smi returned field] for every field of the H100 capture that writes a sample, by name. */
export const H100_590_FIELDS: readonly (readonly [string, string])[] = [
    ["nvidia_smi_accounting_buffer_size", "accounting.buffer_size"],
    ["nvidia_smi_accounting_mode", "accounting.mode"],
    ["nvidia_smi_c2c_mode", "c2c.mode"],
    ["nvidia_smi_clocks_current_graphics_clock_hz", "clocks.current.graphics [MHz]"],
    ["nvidia_smi_clocks_current_memory_clock_hz", "clocks.current.memory [MHz]"],
    ["nvidia_smi_clocks_current_sm_clock_hz", "clocks.current.sm [MHz]"],
    ["nvidia_smi_clocks_current_video_clock_hz", "clocks.current.video [MHz]"],
    ["nvidia_smi_clocks_event_reasons_active", "clocks_event_reasons.active"],
    ["nvidia_smi_clocks_event_reasons_applications_clocks_setting", "clocks_event_reasons.applications_clocks_setting"],
    ["nvidia_smi_clocks_event_reasons_counters_hw_power_brake_slowdown_seconds", "clocks_event_reasons_counters.hw_power_brake_slowdown [us]"],
    ["nvidia_smi_clocks_event_reasons_counters_hw_thermal_slowdown_seconds", "clocks_event_reasons_counters.hw_thermal_slowdown [us]"],
    ["nvidia_smi_clocks_event_reasons_counters_sw_power_cap_seconds", "clocks_event_reasons_counters.sw_power_cap [us]"],
    ["nvidia_smi_clocks_event_reasons_counters_sw_thermal_slowdown_seconds", "clocks_event_reasons_counters.sw_thermal_slowdown [us]"],
    ["nvidia_smi_clocks_event_reasons_counters_sync_boost_seconds", "clocks_event_reasons_counters.sync_boost [us]"],
    ["nvidia_smi_clocks_event_reasons_gpu_idle", "clocks_event_reasons.gpu_idle"],
    ["nvidia_smi_clocks_event_reasons_hw_power_brake_slowdown", "clocks_event_reasons.hw_power_brake_slowdown"],
    ["nvidia_smi_clocks_event_reasons_hw_slowdown", "clocks_event_reasons.hw_slowdown"],
    ["nvidia_smi_clocks_event_reasons_hw_thermal_slowdown", "clocks_event_reasons.hw_thermal_slowdown"],
    ["nvidia_smi_clocks_event_reasons_supported", "clocks_event_reasons.supported"],
    ["nvidia_smi_clocks_event_reasons_sw_power_cap", "clocks_event_reasons.sw_power_cap"],
    ["nvidia_smi_clocks_event_reasons_sw_thermal_slowdown", "clocks_event_reasons.sw_thermal_slowdown"],
    ["nvidia_smi_clocks_event_reasons_sync_boost", "clocks_event_reasons.sync_boost"],
    ["nvidia_smi_clocks_max_graphics_clock_hz", "clocks.max.graphics [MHz]"],
    ["nvidia_smi_clocks_max_memory_clock_hz", "clocks.max.memory [MHz]"],
    ["nvidia_smi_clocks_max_sm_clock_hz", "clocks.max.sm [MHz]"],
    ["nvidia_smi_compute_cap", "compute_cap"],
    ["nvidia_smi_compute_mode", "compute_mode"],
    ["nvidia_smi_count", "count"],
    ["nvidia_smi_display_active", "display_active"],
    ["nvidia_smi_display_attached", "display_attached"],
    ["nvidia_smi_ecc_errors_corrected_aggregate_device_memory", "ecc.errors.corrected.aggregate.device_memory"],
    ["nvidia_smi_ecc_errors_corrected_aggregate_dram", "ecc.errors.corrected.aggregate.dram"],
    ["nvidia_smi_ecc_errors_corrected_aggregate_sram", "ecc.errors.corrected.aggregate.sram"],
    ["nvidia_smi_ecc_errors_corrected_aggregate_total", "ecc.errors.corrected.aggregate.total"],
    ["nvidia_smi_ecc_errors_corrected_volatile_device_memory", "ecc.errors.corrected.volatile.device_memory"],
    ["nvidia_smi_ecc_errors_corrected_volatile_dram", "ecc.errors.corrected.volatile.dram"],
    ["nvidia_smi_ecc_errors_corrected_volatile_sram", "ecc.errors.corrected.volatile.sram"],
    ["nvidia_smi_ecc_errors_corrected_volatile_total", "ecc.errors.corrected.volatile.total"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_device_memory", "ecc.errors.uncorrected.aggregate.device_memory"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_dram", "ecc.errors.uncorrected.aggregate.dram"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram", "ecc.errors.uncorrected.aggregate.sram"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram_l2", "ecc.errors.uncorrected.aggregate.sram.l2"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram_mcu", "ecc.errors.uncorrected.aggregate.sram.mcu"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram_other", "ecc.errors.uncorrected.aggregate.sram.other"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram_parity", "ecc.errors.uncorrected.aggregate.sram.parity"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram_pcie", "ecc.errors.uncorrected.aggregate.sram.pcie"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram_secded", "ecc.errors.uncorrected.aggregate.sram.secded"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram_sm", "ecc.errors.uncorrected.aggregate.sram.sm"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_sram_threshold_exceeded", "ecc.errors.uncorrected.aggregate.sram.thresholdExceeded"],
    ["nvidia_smi_ecc_errors_uncorrected_aggregate_total", "ecc.errors.uncorrected.aggregate.total"],
    ["nvidia_smi_ecc_errors_uncorrected_volatile_device_memory", "ecc.errors.uncorrected.volatile.device_memory"],
    ["nvidia_smi_ecc_errors_uncorrected_volatile_dram", "ecc.errors.uncorrected.volatile.dram"],
    ["nvidia_smi_ecc_errors_uncorrected_volatile_sram", "ecc.errors.uncorrected.volatile.sram"],
    ["nvidia_smi_ecc_errors_uncorrected_volatile_sram_parity", "ecc.errors.uncorrected.volatile.sram.parity"],
    ["nvidia_smi_ecc_errors_uncorrected_volatile_sram_secded", "ecc.errors.uncorrected.volatile.sram.secded"],
    ["nvidia_smi_ecc_errors_uncorrected_volatile_total", "ecc.errors.uncorrected.volatile.total"],
    ["nvidia_smi_ecc_mode_current", "ecc.mode.current"],
    ["nvidia_smi_ecc_mode_pending", "ecc.mode.pending"],
    ["nvidia_smi_edpp_multiplier_ratio", "edpp_multiplier [%]"],
    ["nvidia_smi_encoder_stats_average_fps", "encoder.stats.averageFps"],
    ["nvidia_smi_encoder_stats_average_latency", "encoder.stats.averageLatency"],
    ["nvidia_smi_encoder_stats_session_count", "encoder.stats.sessionCount"],
    ["nvidia_smi_enforced_power_limit_watts", "enforced.power.limit [W]"],
    ["nvidia_smi_fabric_clique_id", "fabric.cliqueId"],
    ["nvidia_smi_gsp_mode_current", "gsp.mode.current"],
    ["nvidia_smi_gsp_mode_default", "gsp.mode.default"],
    ["nvidia_smi_index", "index"],
    ["nvidia_smi_inforom_ecc", "inforom.ecc"],
    ["nvidia_smi_inforom_oem", "inforom.oem"],
    ["nvidia_smi_memory_free_bytes", "memory.free [MiB]"],
    ["nvidia_smi_memory_reserved_bytes", "memory.reserved [MiB]"],
    ["nvidia_smi_memory_total_bytes", "memory.total [MiB]"],
    ["nvidia_smi_memory_used_bytes", "memory.used [MiB]"],
    ["nvidia_smi_mig_mode_current", "mig.mode.current"],
    ["nvidia_smi_mig_mode_pending", "mig.mode.pending"],
    ["nvidia_smi_pci_base_class", "pci.baseClass"],
    ["nvidia_smi_pci_bus", "pci.bus"],
    ["nvidia_smi_pci_device", "pci.device"],
    ["nvidia_smi_pci_device_id", "pci.device_id"],
    ["nvidia_smi_pci_domain", "pci.domain"],
    ["nvidia_smi_pci_sub_class", "pci.subClass"],
    ["nvidia_smi_pci_sub_device_id", "pci.sub_device_id"],
    ["nvidia_smi_pcie_link_gen_current", "pcie.link.gen.current"],
    ["nvidia_smi_pcie_link_gen_gpucurrent", "pcie.link.gen.gpucurrent"],
    ["nvidia_smi_pcie_link_gen_gpumax", "pcie.link.gen.gpumax"],
    ["nvidia_smi_pcie_link_gen_max", "pcie.link.gen.max"],
    ["nvidia_smi_pcie_link_width_current", "pcie.link.width.current"],
    ["nvidia_smi_pcie_link_width_max", "pcie.link.width.max"],
    ["nvidia_smi_persistence_mode", "persistence_mode"],
    ["nvidia_smi_platform_gpu_fabric_guid", "platform.gpu_fabric_guid"],
    ["nvidia_smi_platform_host_id", "platform.host_id"],
    ["nvidia_smi_platform_module_id", "platform.module_id"],
    ["nvidia_smi_platform_slot_number", "platform.slot_number"],
    ["nvidia_smi_platform_tray_index", "platform.tray_index"],
    ["nvidia_smi_power_default_limit_watts", "power.default_limit [W]"],
    ["nvidia_smi_power_draw_average_watts", "power.draw.average [W]"],
    ["nvidia_smi_power_draw_instant_watts", "power.draw.instant [W]"],
    ["nvidia_smi_power_draw_watts", "power.draw [W]"],
    ["nvidia_smi_power_limit_watts", "power.limit [W]"],
    ["nvidia_smi_power_max_limit_watts", "power.max_limit [W]"],
    ["nvidia_smi_power_min_limit_watts", "power.min_limit [W]"],
    ["nvidia_smi_protected_memory_free_bytes", "protected_memory.free [MiB]"],
    ["nvidia_smi_protected_memory_total_bytes", "protected_memory.total [MiB]"],
    ["nvidia_smi_protected_memory_used_bytes", "protected_memory.used [MiB]"],
    ["nvidia_smi_pstate", "pstate"],
    ["nvidia_smi_remapped_rows_correctable", "remapped_rows.correctable"],
    ["nvidia_smi_remapped_rows_failure", "remapped_rows.failure"],
    ["nvidia_smi_remapped_rows_histogram_high", "remapped_rows.histogram.high"],
    ["nvidia_smi_remapped_rows_histogram_low", "remapped_rows.histogram.low"],
    ["nvidia_smi_remapped_rows_histogram_max", "remapped_rows.histogram.max"],
    ["nvidia_smi_remapped_rows_histogram_none", "remapped_rows.histogram.none"],
    ["nvidia_smi_remapped_rows_histogram_partial", "remapped_rows.histogram.partial"],
    ["nvidia_smi_remapped_rows_pending", "remapped_rows.pending"],
    ["nvidia_smi_remapped_rows_uncorrectable", "remapped_rows.uncorrectable"],
    ["nvidia_smi_serial", "serial"],
    ["nvidia_smi_temperature_gpu", "temperature.gpu"],
    ["nvidia_smi_temperature_gpu_tlimit", "temperature.gpu.tlimit"],
    ["nvidia_smi_temperature_memory", "temperature.memory"],
    ["nvidia_smi_utilization_decoder_ratio", "utilization.decoder [%]"],
    ["nvidia_smi_utilization_encoder_ratio", "utilization.encoder [%]"],
    ["nvidia_smi_utilization_gpu_ratio", "utilization.gpu [%]"],
    ["nvidia_smi_utilization_jpeg_ratio", "utilization.jpeg [%]"],
    ["nvidia_smi_utilization_memory_ratio", "utilization.memory [%]"],
    ["nvidia_smi_utilization_ofa_ratio", "utilization.ofa [%]"],
];

const UNIT_NOTES: [suffix: string, note: string][] = [
    [" [%]", "percent × 0.01: a ratio 0–1"],
    [" [MiB]", "MiB × 1048576: bytes"],
    [" [MHz]", "MHz × 10⁶: Hz"],
    [" [W]", "watts"],
    [" [us]", "µs × 10⁻⁶: seconds (a cumulative duration, exported as a gauge)"],
];

/** How a value without a unit suffix is read. */
const PLAIN_VALUE =
    "as nvidia-smi prints it: Enabled/Yes/Active = 1, Disabled/No/Not Active/Default = 0, 0x… as decimal, else the one number in the text (P0 → 0)";

/** The per-GPU gauge an nvidia-smi returned field becomes, labelled by `uuid` only. */
export function smiGauge(name: string, returnedField: string, source: string, extraNote?: string): MetricEntry {
    const unit = UNIT_NOTES.find(([suffix]) => returnedField.endsWith(suffix));
    const note = `nvidia-smi "${returnedField}", ${unit ? unit[1] : PLAIN_VALUE}.${extraNote ? ` ${extraNote}` : ""}`;
    return { name, type: "gauge", labels: ["uuid"], writers: "exporter", appears: "at-start", source, note };
}

/** Fields of the H100 capture that write no sample: their value is [N/A], deprecated, or text that is not one number. */
export const H100_590_SILENT_FIELDS =
    "fan.speed, driver_version, name, uuid, pci.bus_id, vbios_version, timestamp, inforom.img, inforom.pwr, driver_model.*, gom.*, retired_pages.* (replaced by remapped_rows on this GPU), the cbu/l1_cache/l2_cache/register_file/texture_memory ECC counts, module.power.*, power_smoothing.*, vgpu_*, dramEncryption.*, clocks.applications.* and clocks.default_applications.*, display_mode, power.management (deprecated), fabric.* text fields, hostname";
