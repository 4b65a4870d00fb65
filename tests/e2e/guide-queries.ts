/**
 * The example PromQL queries of the monitoring setup guide ("Create Custom
 * Panels"), copied verbatim: users paste them into Grafana, so they must
 * return data on a running stack.
 */
export const GUIDE_QUERIES: readonly { title: string; expr: string }[] = [
    { title: "Request rate", expr: "rate(sglang_requests_total[5m])" },
    { title: "P95 latency", expr: "histogram_quantile(0.95, rate(sglang_request_duration_seconds_bucket[5m]))" },
    { title: "Error rate", expr: 'rate(sglang_requests_total{status="error"}[5m]) / rate(sglang_requests_total[5m])' },
    {
        title: "Ananke cache hit rate",
        expr: "rate(sglang_ananke_cache_hits_total[5m]) / (rate(sglang_ananke_cache_hits_total[5m]) + rate(sglang_ananke_cache_misses_total[5m]))",
    },
    { title: "GPU memory utilization", expr: "nvidia_gpu_memory_used_bytes / nvidia_gpu_memory_total_bytes * 100" },
];
