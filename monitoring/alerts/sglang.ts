/** SGLang server alerts: availability, latency, errors, queue and KV cache. */
import type { Settings } from "../../settings";
import type { Links, RuleGroup } from "../types";
import { JOB } from "../types";
import * as S from "../series";
import { alertRule, ON_SGLANG } from "./common";

export function sglangAlerts(settings: Settings, links: Links): RuleGroup {
    const a = settings.alerts;
    return {
        name: "sglang.alerts",
        rules: [
            alertRule(links, {
                name: "SGLangServerDown",
                // absent(): no SGLang target at all (nothing discovered) is as down as a failing one.
                expr: `up{job="${JOB.sglang}"} == 0 or absent(up{job="${JOB.sglang}"})`,
                for: a.serverDown.for,
                severity: "critical",
                summary: "SGLang server is down",
                description: `Prometheus cannot scrape SGLang's /metrics on instance {{ $labels.instance }} (job {{ $labels.job }}): up = {{ $value }} for ${a.serverDown.for}. Requests to this server fail.`,
            }),
            alertRule(links, {
                name: "SGLangHighLatency",
                expr: `${S.SGLANG_E2E_LATENCY_P95} > ${a.highLatency.threshold}`,
                for: a.highLatency.for,
                severity: "warning",
                summary: "SGLang P95 end-to-end latency is high",
                description: `P95 end-to-end request latency is {{ $value | humanizeDuration }} on ${ON_SGLANG}, above ${a.highLatency.threshold} s for ${a.highLatency.for}.`,
            }),
            alertRule(links, {
                name: "SGLangErrorRateHigh",
                expr: `${S.SGLANG_ERROR_RATIO} > ${a.errorRateHigh.threshold}`,
                for: a.errorRateHigh.for,
                severity: "warning",
                summary: "SGLang error ratio is high",
                description: `{{ $value | humanizePercentage }} of requests failed (HTTP 5xx, or aborted requests on builds without HTTP metrics) on ${ON_SGLANG}, above ${a.errorRateHigh.threshold * 100}% for ${a.errorRateHigh.for}.`,
            }),
            alertRule(links, {
                name: "RequestQueueBacklog",
                expr: `${S.SGLANG_QUEUED_REQUESTS} > ${a.queueBacklog.threshold}`,
                for: a.queueBacklog.for,
                severity: "warning",
                summary: "SGLang request queue is backing up",
                description: `{{ $value }} requests are waiting in the scheduler queue on ${ON_SGLANG}, above ${a.queueBacklog.threshold} for ${a.queueBacklog.for}.`,
            }),
            alertRule(links, {
                name: "SGLangKVCacheHigh",
                expr: `${S.SGLANG_KV_CACHE_USAGE} > ${a.kvCacheHigh.threshold}`,
                for: a.kvCacheHigh.for,
                severity: "warning",
                summary: "SGLang KV cache is nearly full",
                description: `KV-cache token usage is {{ $value | humanizePercentage }} on ${ON_SGLANG}, above ${a.kvCacheHigh.threshold * 100}% for ${a.kvCacheHigh.for}; requests will be queued or retracted.`,
            }),
        ],
    };
}
