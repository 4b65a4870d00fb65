/**
 * For every alert: input series on which it fires and input series just on
 * the safe side of its threshold on which it stays silent. Values are derived
 * from the settings' thresholds, so the same table checks non-default
 * settings too. Turned into `promtool test rules` files by `promtool-tests.ts`.
 */
import { durationSeconds, type Settings } from "../../settings";
import * as F from "./fixtures";
import type { InputSeries } from "./fixtures";

export interface Scenario {
    series: InputSeries[];
    /** When to look, in minutes from the first sample. */
    atMinutes: number;
    /** A series that must exist at that time (so silence is not just missing data). */
    present?: string;
    /** Silent scenarios about the `for` duration: pending is expected, firing is not. */
    pendingAllowed?: boolean;
    note: string;
}

export interface AlertCase {
    alert: string;
    /** Each firing scenario must produce exactly one firing alert with these labels (plus others). */
    fire: (Scenario & { labels: Record<string, string> })[];
    silent: Scenario[];
}

/** Minutes after which an alert with `for` = d has fired, rate windows (5m) warmed up. */
function after(d: string, extraMinutes = 0): number {
    return Math.ceil((durationSeconds(d) ?? 0) / 60) + 7 + extraMinutes;
}

const SGLANG = { job: "sglang", instance: F.SGLANG_INSTANCE };

export function alertCases(s: Settings): AlertCase[] {
    const a = s.alerts;
    const slo = s.slo;
    const avBudget = 1 - slo.availabilityObjective;
    const latBudget = 1 - slo.latencyObjective;
    const thr = slo.latencyThresholdSeconds;
    const slowTtft = F.TTFT_BUCKETS.find((b) => b > thr)!;
    /** TTFT mix with `share` of requests slower than the SLO threshold. */
    const ttft = (share: number) =>
        F.sglangHistogram("time_to_first_token_seconds", F.TTFT_BUCKETS, 10, { [Math.min(thr, 0.1)]: 1 - share, [slowTtft]: share });
    const requestsWithAborts = (share: number, prefix: "sglang:" | "sglang_" = "sglang:") => [
        ...F.sglangCounter("num_requests_total", 10, { prefix }),
        ...F.sglangCounter("num_aborted_requests_total", 10 * share, { prefix }),
    ];
    const p95Over = a.highLatency.threshold;
    const slowBucket = F.E2E_BUCKETS.find((b) => b > p95Over)!;
    const prevBucket = [...F.E2E_BUCKETS].reverse().find((b) => b < slowBucket)!;
    /** E2E mix whose P95 interpolates to `p95` inside (prevBucket, slowBucket]. */
    const e2eWithP95 = (p95: number) => {
        // p95 = prev + (0.95 - c) / (1 - c) * (slow - prev)  ⇒  c = (0.95 - f) / (1 - f), f = (p95 - prev) / (slow - prev)
        const f = (p95 - prevBucket) / (slowBucket - prevBucket);
        const c = (0.95 - f) / (1 - f);
        return F.sglangHistogram("e2e_request_latency_seconds", F.E2E_BUCKETS, 4, { 1: c, [slowBucket]: 1 - c });
    };
    const gpuMemDcgm = (percent: number) => {
        const totalMiB = 81559;
        const used = Math.round((totalMiB * percent) / 100);
        return [...F.dcgm("DCGM_FI_DEV_FB_USED", [used, 1000]), ...F.dcgm("DCGM_FI_DEV_FB_FREE", [totalMiB - used - 512, totalMiB - 1512]), ...F.dcgm("DCGM_FI_DEV_FB_RESERVED", [512, 512])];
    };
    const gpuMemSmi = (percent: number) => {
        const total = 85899345920;
        return [...F.nvidiaSmi("nvidia_smi_memory_used_bytes", [Math.round((total * percent) / 100), 1e9]), ...F.nvidiaSmi("nvidia_smi_memory_total_bytes", [total, total], false)];
    };
    const selfSeries = (name: string, perSecond: number, extra: Record<string, string> = {}) =>
        F.series(name, { job: "prometheus", instance: "prometheus:9090", ...extra }, F.counter(perSecond));
    const amSeries = (name: string, perSecond: number) =>
        F.series(name, { job: "alertmanager", instance: "alertmanager:9093", integration: "slack" }, F.counter(perSecond));

    return [
        {
            alert: "SGLangServerDown",
            fire: [
                { note: "target down", series: [F.up("sglang", F.SGLANG_INSTANCE, 0)], atMinutes: after(a.serverDown.for), labels: SGLANG },
                { note: "no SGLang target at all", series: [F.up("node-exporter", F.NODE_INSTANCE, 1)], atMinutes: after(a.serverDown.for), labels: { job: "sglang" } },
            ],
            silent: [{ note: "target up", series: [F.up("sglang", F.SGLANG_INSTANCE, 1)], atMinutes: after(a.serverDown.for), present: 'up{job="sglang"}' }],
        },
        {
            alert: "SGLangHighLatency",
            fire: [{ note: "P95 above", series: e2eWithP95(p95Over * 1.1), atMinutes: after(a.highLatency.for), labels: { ...SGLANG, model_name: F.MODEL } }],
            silent: [{ note: "P95 just under", series: e2eWithP95(p95Over * 0.97), atMinutes: after(a.highLatency.for), present: "instance_model:sglang_e2e_latency_seconds:p95_5m" }],
        },
        {
            alert: "SGLangErrorRateHigh",
            fire: [
                {
                    note: "HTTP 5xx above (sglang: prefix)",
                    series: [
                        ...F.sglangCounter("num_requests_total", 10),
                        ...F.sglangCounter("http_responses_total", 10 * (a.errorRateHigh.threshold + 0.02), { ranks: 1 }, { endpoint: "/v1/chat/completions", method: "POST", status_code: "500" }),
                        ...F.sglangCounter("http_responses_total", 10, { ranks: 1 }, { endpoint: "/v1/chat/completions", method: "POST", status_code: "200" }),
                        ...F.sglangCounter("num_aborted_requests_total", 0.01),
                    ],
                    atMinutes: after(a.errorRateHigh.for),
                    labels: SGLANG,
                },
                { note: "aborted requests above (sglang_ prefix, no HTTP metrics)", series: requestsWithAborts(a.errorRateHigh.threshold + 0.02, "sglang_"), atMinutes: after(a.errorRateHigh.for), labels: SGLANG },
            ],
            silent: [
                { note: "aborted just under", series: requestsWithAborts(a.errorRateHigh.threshold * 0.9), atMinutes: after(a.errorRateHigh.for), present: "instance_model:sglang_request_errors:ratio_rate5m" },
                {
                    note: "HTTP metrics without 5xx: aborts (client disconnects) do not count",
                    series: [
                        ...requestsWithAborts(0.5),
                        ...F.sglangCounter("http_responses_total", 10, { ranks: 1 }, { endpoint: "/generate", method: "POST", status_code: "200" }),
                        ...F.sglangCounter("http_responses_total", 1, { ranks: 1 }, { endpoint: "/health", method: "GET", status_code: "503" }),
                    ],
                    atMinutes: after(a.errorRateHigh.for),
                    present: "instance_model:sglang_request_errors:ratio_rate5m",
                },
            ],
        },
        {
            alert: "RequestQueueBacklog",
            fire: [{ note: "queue above over two ranks", series: F.sglangGauge("num_queue_reqs", [a.queueBacklog.threshold / 2 + 5, a.queueBacklog.threshold / 2 + 5]), atMinutes: after(a.queueBacklog.for), labels: SGLANG }],
            silent: [{ note: "queue at the threshold", series: F.sglangGauge("num_queue_reqs", [a.queueBacklog.threshold / 2, a.queueBacklog.threshold / 2]), atMinutes: after(a.queueBacklog.for), present: "instance_model:sglang_queued_requests:sum" }],
        },
        {
            alert: "SGLangKVCacheHigh",
            fire: [{ note: "one rank above", series: F.sglangGauge("token_usage", [Math.min(0.999, a.kvCacheHigh.threshold + 0.05), 0.2]), atMinutes: after(a.kvCacheHigh.for), labels: SGLANG }],
            silent: [{ note: "just under", series: F.sglangGauge("token_usage", [a.kvCacheHigh.threshold - 0.01, 0.2], { prefix: "sglang_" }), atMinutes: after(a.kvCacheHigh.for), present: "instance_model:sglang_kv_cache_usage:max" }],
        },
        {
            alert: "AnankeConstraintViolationsHigh",
            fire: [
                {
                    note: "sum over domains above",
                    series: ["syntax", "types"].map((domain) => F.series("ananke_relaxation_events_by_domain_total", { ...SGLANG, model_name: F.MODEL, domain }, F.counter(a.constraintViolationsHigh.threshold * 0.55))),
                    atMinutes: after(a.constraintViolationsHigh.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "sum just under",
                    series: ["syntax", "types"].map((domain) => F.series("ananke_relaxation_events_by_domain_total", { ...SGLANG, model_name: F.MODEL, domain }, F.counter(a.constraintViolationsHigh.threshold * 0.49))),
                    atMinutes: after(a.constraintViolationsHigh.for),
                    present: "instance_model_domain:sglang_ananke_constraint_violations:rate5m",
                },
            ],
        },
        {
            alert: "AnankeRollbacksHigh",
            fire: [{ note: "above", series: [F.series("sglang_ananke_rollbacks_total", { ...SGLANG, model_name: F.MODEL }, F.counter(a.rollbacksHigh.threshold * 1.05))], atMinutes: after(a.rollbacksHigh.for), labels: SGLANG }],
            silent: [{ note: "just under", series: [F.series("sglang_ananke_rollbacks_total", { ...SGLANG, model_name: F.MODEL }, F.counter(a.rollbacksHigh.threshold * 0.98))], atMinutes: after(a.rollbacksHigh.for), present: "instance_model:sglang_ananke_rollbacks:rate5m" }],
        },
        {
            alert: "AnankeGrammarCacheMissHigh",
            fire: [
                {
                    note: "miss ratio above",
                    series: [...F.sglangCounter("num_grammar_total", 10), ...F.sglangCounter("num_grammar_cache_hit_total", 10 * (1 - a.grammarCacheMissHigh.threshold - 0.1))],
                    atMinutes: after(a.grammarCacheMissHigh.for),
                    labels: SGLANG,
                },
            ],
            silent: [
                {
                    note: "miss ratio just under",
                    series: [...F.sglangCounter("num_grammar_total", 10), ...F.sglangCounter("num_grammar_cache_hit_total", 10 * (1 - a.grammarCacheMissHigh.threshold + 0.02))],
                    atMinutes: after(a.grammarCacheMissHigh.for),
                    present: "instance_model:sglang_grammar_cache_hit:ratio_rate5m",
                },
            ],
        },
        {
            alert: "AnankeMetricsMissing",
            fire: [{ note: "SGLang up, no Ananke series", series: [F.up("sglang", F.SGLANG_INSTANCE, 1), ...F.sglangCounter("num_requests_total", 1)], atMinutes: 20, labels: SGLANG }],
            silent: [{ note: "an Ananke series exists", series: [F.up("sglang", F.SGLANG_INSTANCE, 1), F.series("ananke_active_requests", { ...SGLANG }, F.constant(3))], atMinutes: 20, present: "ananke_active_requests" }],
        },
        {
            alert: "GPUMemoryHigh",
            fire: [
                { note: "DCGM (MiB) above", series: gpuMemDcgm(a.gpuMemoryHigh.threshold + 2), atMinutes: after(a.gpuMemoryHigh.for), labels: { job: "gpu-exporter", instance: F.GPU_INSTANCE, gpu: "0", hostname: "gpu-host-1" } },
                { note: "nvidia_gpu_exporter above", series: gpuMemSmi(a.gpuMemoryHigh.threshold + 2), atMinutes: after(a.gpuMemoryHigh.for), labels: { job: "gpu-exporter", instance: F.SMI_INSTANCE, gpu: "0", uuid: F.GPUS[0].uuid } },
            ],
            silent: [
                { note: "DCGM just under", series: gpuMemDcgm(a.gpuMemoryHigh.threshold - 1), atMinutes: after(a.gpuMemoryHigh.for), present: "instance_gpu:nvidia_gpu_memory_used:ratio" },
                { note: "nvidia_gpu_exporter just under", series: gpuMemSmi(a.gpuMemoryHigh.threshold - 1), atMinutes: after(a.gpuMemoryHigh.for), present: "instance_gpu:nvidia_gpu_memory_used:ratio" },
            ],
        },
        {
            alert: "GPUTemperatureHigh",
            fire: [
                { note: "DCGM GPU 1 hot", series: F.dcgm("DCGM_FI_DEV_GPU_TEMP", [60, a.gpuTemperatureHigh.threshold + 3]), atMinutes: after(a.gpuTemperatureHigh.for), labels: { instance: F.GPU_INSTANCE, gpu: "1" } },
                { note: "nvidia_gpu_exporter GPU 0 hot", series: F.nvidiaSmi("nvidia_smi_temperature_gpu", [a.gpuTemperatureHigh.threshold + 3, 60]), atMinutes: after(a.gpuTemperatureHigh.for), labels: { instance: F.SMI_INSTANCE, gpu: "0" } },
            ],
            silent: [{ note: "just under", series: F.dcgm("DCGM_FI_DEV_GPU_TEMP", [a.gpuTemperatureHigh.threshold - 1, a.gpuTemperatureHigh.threshold - 1]), atMinutes: after(a.gpuTemperatureHigh.for), present: "nvidia_gpu_temperature_celsius" }],
        },
        {
            alert: "GPUUtilizationLow",
            fire: [
                { note: "DCGM idle", series: F.dcgm("DCGM_FI_DEV_GPU_UTIL", [a.gpuUtilizationLow.threshold / 2, 90]), atMinutes: after(a.gpuUtilizationLow.for, 10), labels: { instance: F.GPU_INSTANCE, gpu: "0" } },
                { note: "nvidia_gpu_exporter idle (ratio 0-1)", series: F.nvidiaSmi("nvidia_smi_utilization_gpu_ratio", [0.9, a.gpuUtilizationLow.threshold / 200]), atMinutes: after(a.gpuUtilizationLow.for, 10), labels: { instance: F.SMI_INSTANCE, gpu: "1" } },
            ],
            silent: [{ note: "just above the floor", series: F.nvidiaSmi("nvidia_smi_utilization_gpu_ratio", [(a.gpuUtilizationLow.threshold + 1) / 100, 0.9]), atMinutes: after(a.gpuUtilizationLow.for, 10), present: "nvidia_gpu_utilization" }],
        },
        {
            alert: "GPUMetricsMissing",
            fire: [{ note: "SGLang up, no GPU series", series: [F.up("sglang", F.SGLANG_INSTANCE, 1)], atMinutes: 20, labels: SGLANG }],
            silent: [{ note: "DCGM series exist", series: [F.up("sglang", F.SGLANG_INSTANCE, 1), ...F.dcgm("DCGM_FI_DEV_GPU_UTIL", [50])], atMinutes: 20, present: "nvidia_gpu_utilization" }],
        },
        {
            alert: "HighCPUUsage",
            fire: [{ note: "busy above", series: F.nodeCpu(4, 1 - (a.hostCpuHigh.threshold + 5) / 100), atMinutes: after(a.hostCpuHigh.for), labels: { instance: F.NODE_INSTANCE } }],
            silent: [{ note: "just under", series: F.nodeCpu(4, 1 - (a.hostCpuHigh.threshold - 1) / 100), atMinutes: after(a.hostCpuHigh.for), present: "instance:node_cpu_busy:ratio_rate5m" }],
        },
        {
            alert: "HighMemoryUsage",
            fire: [{ note: "above", series: [F.nodeGauge("node_memory_MemTotal_bytes", 1e11), F.nodeGauge("node_memory_MemAvailable_bytes", 1e11 * (1 - (a.hostMemoryHigh.threshold + 5) / 100))], atMinutes: after(a.hostMemoryHigh.for), labels: { instance: F.NODE_INSTANCE } }],
            silent: [{ note: "just under", series: [F.nodeGauge("node_memory_MemTotal_bytes", 1e11), F.nodeGauge("node_memory_MemAvailable_bytes", 1e11 * (1 - (a.hostMemoryHigh.threshold - 1) / 100))], atMinutes: after(a.hostMemoryHigh.for), present: "instance:node_memory_used:ratio" }],
        },
        {
            alert: "DiskSpaceLow",
            fire: [{ note: "root above", series: F.nodeFilesystem("/", "ext4", "/dev/nvme0n1p2", 1e12, 1e12 * (1 - (a.diskSpaceLow.threshold + 5) / 100)), atMinutes: after(a.diskSpaceLow.for), labels: { instance: F.NODE_INSTANCE, mountpoint: "/" } }],
            silent: [
                {
                    note: "root just under, a full tmpfs ignored",
                    series: [...F.nodeFilesystem("/", "ext4", "/dev/nvme0n1p2", 1e12, 1e12 * (1 - (a.diskSpaceLow.threshold - 1) / 100)), ...F.nodeFilesystem("/run", "tmpfs", "tmpfs", 1e9, 1e6)],
                    atMinutes: after(a.diskSpaceLow.for),
                    present: 'instance_mountpoint:node_filesystem_used:ratio{mountpoint="/"}',
                },
            ],
        },
        {
            alert: "SGLangAvailabilityBudgetBurnFast",
            fire: [{ note: "errors at 15× budget", series: requestsWithAborts(avBudget * 15), atMinutes: 12, labels: SGLANG }],
            silent: [{ note: "errors just under 6× budget", series: requestsWithAborts(avBudget * 5.8), atMinutes: 12, present: "instance_model:sglang_slo_availability_errors:ratio_rate1h" }],
        },
        {
            alert: "SGLangAvailabilityBudgetBurnSlow",
            fire: [{ note: "errors at 3.3× budget", series: requestsWithAborts(avBudget * 3.3), atMinutes: 25, labels: SGLANG }],
            silent: [{ note: "errors just under 1× budget", series: requestsWithAborts(avBudget * 0.9), atMinutes: 25, present: "instance_model:sglang_slo_availability_errors:ratio_rate3d" }],
        },
        {
            alert: "SGLangLatencyBudgetBurnFast",
            fire: [{ note: "slow TTFT at 15× budget", series: ttft(latBudget * 15), atMinutes: 12, labels: SGLANG }],
            silent: [{ note: "slow TTFT just under 6× budget", series: ttft(latBudget * 5.8), atMinutes: 12, present: "instance_model:sglang_slo_latency_errors:ratio_rate1h" }],
        },
        {
            alert: "SGLangLatencyBudgetBurnSlow",
            fire: [{ note: "slow TTFT at 3.3× budget", series: ttft(latBudget * 3.3), atMinutes: 25, labels: SGLANG }],
            silent: [{ note: "slow TTFT just under 1× budget", series: ttft(latBudget * 0.9), atMinutes: 25, present: "instance_model:sglang_slo_latency_errors:ratio_rate3d" }],
        },
        {
            alert: "Watchdog",
            fire: [{ note: "always", series: [], atMinutes: 1, labels: {} }],
            silent: [],
        },
        {
            alert: "TargetDown",
            fire: [{ note: "node exporter down", series: [F.up("node-exporter", F.NODE_INSTANCE, 0), F.up("prometheus", "prometheus:9090", 1)], atMinutes: after(a.targetDown.for), labels: { job: "node-exporter", instance: F.NODE_INSTANCE } }],
            silent: [
                { note: "down for less than the for duration", series: [F.series("up", { job: "node-exporter", instance: F.NODE_INSTANCE }, `1x20 0x${F.DEFAULT_SAMPLES}`)], atMinutes: 21 + Math.floor((durationSeconds(a.targetDown.for) ?? 60) / 60) - 2, present: "up", pendingAllowed: true },
                { note: "SGLang down is SGLangServerDown's", series: [F.up("sglang", F.SGLANG_INSTANCE, 0)], atMinutes: after(a.targetDown.for), present: "up" },
            ],
        },
        {
            alert: "PrometheusRuleFailures",
            fire: [{ note: "failures", series: [selfSeries("prometheus_rule_evaluation_failures_total", 0.05, { rule_group: "/etc/prometheus/rules/recording-rules.yaml;sglang.recording" })], atMinutes: 25, labels: { instance: "prometheus:9090" } }],
            silent: [{ note: "no failures", series: [selfSeries("prometheus_rule_evaluation_failures_total", 0, { rule_group: "/etc/prometheus/rules/recording-rules.yaml;sglang.recording" })], atMinutes: 25, present: "prometheus_rule_evaluation_failures_total" }],
        },
        {
            alert: "PrometheusNotConnectedToAlertmanagers",
            fire: [{ note: "none discovered", series: [F.series("prometheus_notifications_alertmanagers_discovered", { job: "prometheus", instance: "prometheus:9090" }, F.constant(0))], atMinutes: 20, labels: { instance: "prometheus:9090" } }],
            silent: [{ note: "one discovered", series: [F.series("prometheus_notifications_alertmanagers_discovered", { job: "prometheus", instance: "prometheus:9090" }, F.constant(1))], atMinutes: 20, present: "prometheus_notifications_alertmanagers_discovered" }],
        },
        {
            alert: "PrometheusNotificationsFailing",
            fire: [{ note: "2% fail", series: [selfSeries("prometheus_notifications_errors_total", 0.02, { alertmanager: "http://alertmanager:9093/api/v2/alerts" }), selfSeries("prometheus_notifications_sent_total", 1, { alertmanager: "http://alertmanager:9093/api/v2/alerts" })], atMinutes: 25, labels: { instance: "prometheus:9090" } }],
            silent: [{ note: "0.9% fail", series: [selfSeries("prometheus_notifications_errors_total", 0.009, { alertmanager: "http://alertmanager:9093/api/v2/alerts" }), selfSeries("prometheus_notifications_sent_total", 1, { alertmanager: "http://alertmanager:9093/api/v2/alerts" })], atMinutes: 25, present: "prometheus_notifications_errors_total" }],
        },
        {
            alert: "PrometheusConfigReloadFailed",
            fire: [{ note: "reload failed", series: [F.series("prometheus_config_last_reload_successful", { job: "prometheus", instance: "prometheus:9090" }, F.constant(0))], atMinutes: 15, labels: { instance: "prometheus:9090" } }],
            silent: [{ note: "reload ok", series: [F.series("prometheus_config_last_reload_successful", { job: "prometheus", instance: "prometheus:9090" }, F.constant(1))], atMinutes: 15, present: "prometheus_config_last_reload_successful" }],
        },
        {
            alert: "AlertmanagerFailedToSendAlerts",
            fire: [{ note: "2% of Slack notifications fail", series: [amSeries("alertmanager_notifications_failed_total", 0.02), amSeries("alertmanager_notifications_total", 1)], atMinutes: 15, labels: { instance: "alertmanager:9093", integration: "slack" } }],
            silent: [{ note: "0.9% fail", series: [amSeries("alertmanager_notifications_failed_total", 0.009), amSeries("alertmanager_notifications_total", 1)], atMinutes: 15, present: "alertmanager_notifications_failed_total" }],
        },
        {
            alert: "AlertmanagerConfigReloadFailed",
            fire: [{ note: "reload failed", series: [F.series("alertmanager_config_last_reload_successful", { job: "alertmanager", instance: "alertmanager:9093" }, F.constant(0))], atMinutes: 15, labels: { instance: "alertmanager:9093" } }],
            silent: [{ note: "reload ok", series: [F.series("alertmanager_config_last_reload_successful", { job: "alertmanager", instance: "alertmanager:9093" }, F.constant(1))], atMinutes: 15, present: "alertmanager_config_last_reload_successful" }],
        },
    ];
}
