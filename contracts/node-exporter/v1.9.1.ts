/**
 * Prometheus node exporter v1.9.1 (the pinned `prom/node-exporter:v1.9.1`),
 * Linux: only the metrics this project's rules, alerts and dashboard read,
 * and their close neighbours a host panel or runbook may query. Read from
 * `collector/cpu_linux.go`, `collector/meminfo.go`, `collector/filesystem_common.go`,
 * `collector/filesystem_linux.go` and `collector/loadavg.go` at the tag.
 */
import type { ExporterContract, MetricEntry } from "../types";

const FILESYSTEM_LABELS = ["device", "device_error", "fstype", "mountpoint"];

function filesystemGauge(name: string, note: string): MetricEntry {
    return {
        name,
        type: "gauge",
        labels: FILESYSTEM_LABELS,
        writers: "exporter",
        appears: "at-start",
        source: "collector/filesystem_common.go",
        note,
    };
}

function plainGauge(name: string, source: string, note: string): MetricEntry {
    return { name, type: "gauge", labels: [], writers: "exporter", appears: "at-start", source, note };
}

/** What `prom/node-exporter:v1.9.1` writes on Linux for the series the project reads. */
export const NODE_EXPORTER_V1_9_1: ExporterContract = {
    exporter: "node-exporter",
    id: "node-exporter-v1.9.1",
    version: "v1.9.1",
    images: ["prom/node-exporter:v1.9.1", "quay.io/prometheus/node-exporter:v1.9.1"],
    source: { repository: "https://github.com/prometheus/node_exporter", commit: "f2ec547b49af53815038a50265aa2adcd1275959", date: "2025-04-01" },
    labelValues: {
        cpu: ["0", "1", "2", "3"],
        mode: ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"],
        // Empty unless statting the filesystem failed; an empty label is no label once scraped.
        device_error: ["", "mountpoint timeout"],
        device: ["/dev/nvme0n1p1", "/dev/sda1"],
        fstype: ["ext4", "xfs"],
        mountpoint: ["/", "/data"],
    },
    metrics: [
        {
            name: "node_cpu_seconds_total",
            type: "counter",
            labels: ["cpu", "mode"],
            writers: "exporter",
            appears: "at-start",
            source: "collector/cpu_linux.go",
            note: "Seconds each CPU spent in each mode, from /proc/stat. Linux modes: user, nice, system, idle, iowait, irq, softirq, steal (guest time is node_cpu_guest_seconds_total, and is also inside user and nice).",
        },
        plainGauge("node_memory_MemAvailable_bytes", "collector/meminfo.go", "/proc/meminfo MemAvailable, bytes."),
        plainGauge("node_memory_MemTotal_bytes", "collector/meminfo.go", "/proc/meminfo MemTotal, bytes."),
        filesystemGauge(
            "node_filesystem_avail_bytes",
            "Bytes available to non-root users. Not written for a filesystem whose stat failed (device_error 1).",
        ),
        filesystemGauge("node_filesystem_size_bytes", "Filesystem size, bytes. Not written when the stat failed."),
        filesystemGauge("node_filesystem_free_bytes", "Free bytes including root-reserved blocks. Not written when the stat failed."),
        filesystemGauge("node_filesystem_readonly", "1 when mounted read-only (the ro mount option), else 0. Written even when the stat failed."),
        filesystemGauge(
            "node_filesystem_device_error",
            "1 when statting the filesystem failed or timed out, else 0. Written for every mounted filesystem that passes the filters.",
        ),
        plainGauge("node_load1", "collector/loadavg.go", "1-minute load average."),
        plainGauge("node_load5", "collector/loadavg.go", "5-minute load average."),
        plainGauge("node_load15", "collector/loadavg.go", "15-minute load average."),
    ],
    notes: [
        'Filesystem label `device_error` (since v1.8.0) is written as "" on a healthy filesystem, so Prometheus stores no such label; it holds the error text (e.g. "mountpoint timeout") when the stat failed.',
        "Default filesystem filters (collector/filesystem_linux.go): mount points ^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/) and fs types autofs, binfmt_misc, bpf, cgroup(2), configfs, debugfs, devpts, devtmpfs, fusectl, hugetlbfs, iso9660, mqueue, nsfs, overlay, proc, procfs, pstore, rpc_pipefs, securityfs, selinuxfs, squashfs, sysfs, tracefs are excluded; tmpfs is not.",
        "In a container, mount points are as the container sees them unless --path.rootfs names the host root mounted inside (then they are the host's, e.g. / for the host root).",
        "Debian's prometheus-node-exporter 1.5.0 (what tests run here) writes the same names, labels and CPU modes for these metrics, except that it predates the `device_error` label (added in v1.8.0): its filesystem series have device, fstype, mountpoint only, which is the same label set Prometheus stores from v1.9.1 on a healthy filesystem.",
        "Port 9100, path /metrics.",
    ],
};
