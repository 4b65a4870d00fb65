/** SGLang server alerts: availability, latency, errors, queue and KV cache. */
import type { Settings } from "../../settings";
import { scalesToZero } from "../../settings/types";
import { byClause } from "../promql";
import * as S from "../series";
import type { Links, RuleGroup } from "../types";
import { JOB } from "../types";
import { alertRule, ON_SGLANG } from "./common";

export function sglangAlerts(settings: Settings, links: Links): RuleGroup {
    const a = settings.alerts;
    return {
        name: "sglang.alerts",
        rules: [
            alertRule(links, {
                name: "SGLangServerDown",
                // absent(): no SGLang target at all (nothing discovered) is as down as a failing one,
                // except where autoscaling may stop every replica on purpose.
                expr: scalesToZero(settings) ? `up{job="${JOB.sglang}"} == 0` : `up{job="${JOB.sglang}"} == 0 or absent(up{job="${JOB.sglang}"})`,
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
                name: "SGLangEngineStalled",
                // Requests and tokens are counted when a request finishes (or, streaming, per chunk):
                // none of either while requests are held is a scheduler that stopped, not a slow one.
                expr:
                    `${S.SGLANG_REQUESTS_IN_SYSTEM} > 0 and on (${byClause(S.SGLANG_LABELS)}) ${S.SGLANG_REQUESTS_RATE} == 0` +
                    ` unless on (${byClause(S.SGLANG_LABELS)}) ${S.SGLANG_ITL_BUCKET_RATE}{le="+Inf"} > 0`,
                for: a.engineStalled.for,
                severity: "critical",
                summary: "SGLang holds requests but makes no progress",
                description: `{{ $value }} requests are running or queued on ${ON_SGLANG}, yet no request finished and no token was streamed for ${a.engineStalled.for}: the engine is stuck (a hung scheduler or an NCCL collective) while /health may still answer.`,
            }),
            alertRule(links, {
                name: "SGLangThroughputCollapsed",
                // Against the same server's hour before, and only while it holds at least half the
                // requests it held then: a quieter hour lowers throughput without any fault.
                expr:
                    `${S.SGLANG_GENERATION_TOKENS_RATE} < ${a.throughputCollapse.threshold} * avg_over_time(${S.SGLANG_GENERATION_TOKENS_RATE}[1h] offset 10m)` +
                    ` and on (${byClause(S.SGLANG_LABELS)}) ${S.SGLANG_REQUESTS_IN_SYSTEM} > 0` +
                    ` and on (${byClause(S.SGLANG_LABELS)}) ${S.SGLANG_REQUESTS_IN_SYSTEM} >= 0.5 * avg_over_time(${S.SGLANG_REQUESTS_IN_SYSTEM}[1h] offset 10m)`,
                for: a.throughputCollapse.for,
                severity: "critical",
                summary: "SGLang generation throughput collapsed",
                description: `Generation throughput is {{ $value | humanize }} tokens/s on ${ON_SGLANG}, below ${a.throughputCollapse.threshold * 100}% of the hour before for ${a.throughputCollapse.for}, while it holds as many requests as then.`,
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
