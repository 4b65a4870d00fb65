/** Ananke constrained-decoding alerts, and the notice that its metrics are missing. */
import type { Settings } from "../../settings";
import { byClause } from "../promql";
import * as S from "../series";
import type { Links, RuleGroup } from "../types";
import { JOB } from "../types";
import { alertRule, ON_SGLANG } from "./common";

/** Any series an Ananke exporter produces itself: the fork's `ananke_*` or the guide's `sglang_ananke_*` (not our recorded copies). */
export const ANANKE_SOURCE_SELECTOR = `{__name__=~"ananke_.+|sglang_ananke_.+", ${S.RECORDED_FROM_LABEL}=""}`;

export function anankeAlerts(settings: Settings, links: Links): RuleGroup {
    const a = settings.alerts;
    return {
        name: "ananke.alerts",
        rules: [
            alertRule(links, {
                name: "AnankeConstraintViolationsHigh",
                expr: `sum by (${byClause(S.SGLANG_LABELS)}) (${S.ANANKE_VIOLATIONS_RATE}) > ${a.constraintViolationsHigh.threshold}`,
                for: a.constraintViolationsHigh.for,
                severity: "warning",
                summary: "Ananke constraint violations are frequent",
                description: `{{ $value | humanize }} constraint violations per second (all domains) on ${ON_SGLANG}, above ${a.constraintViolationsHigh.threshold}/s for ${a.constraintViolationsHigh.for}. Check the grammar configuration and the enabled domains.`,
            }),
            alertRule(links, {
                name: "AnankeRollbacksHigh",
                expr: `${S.ANANKE_ROLLBACKS_RATE} > ${a.rollbacksHigh.threshold}`,
                for: a.rollbacksHigh.for,
                severity: "warning",
                summary: "Ananke rollbacks are frequent",
                description: `{{ $value | humanize }} rollbacks per second on ${ON_SGLANG}, above ${a.rollbacksHigh.threshold}/s for ${a.rollbacksHigh.for}. Consider raising anankeMaxRollbackTokens.`,
            }),
            alertRule(links, {
                name: "AnankeGrammarCacheMissHigh",
                expr: `1 - ${S.SGLANG_GRAMMAR_CACHE_HIT_RATIO} > ${a.grammarCacheMissHigh.threshold}`,
                for: a.grammarCacheMissHigh.for,
                severity: "info",
                summary: "Grammar cache misses are frequent",
                description: `The grammar cache miss ratio is {{ $value | humanizePercentage }} on ${ON_SGLANG}, above ${a.grammarCacheMissHigh.threshold * 100}% for ${a.grammarCacheMissHigh.for}: most constrained requests compile their grammar again.`,
            }),
            alertRule(links, {
                name: "AnankeMetricsMissing",
                // Says out loud what would otherwise be silent: Ananke panels empty, Ananke alerts unable to fire.
                expr: `up{job="${JOB.sglang}"} == 1 unless on () count(${ANANKE_SOURCE_SELECTOR})`,
                for: "15m",
                severity: "info",
                summary: "SGLang is up but no Ananke metrics exist",
                description: `SGLang on instance {{ $labels.instance }} is up (up = {{ $value }}) but Prometheus has no Ananke series (the fork's ananke_* or the guide's sglang_ananke_*). The Ananke violation and rollback panels stay empty and their alerts cannot fire until an Ananke exporter is scraped.`,
            }),
        ],
    };
}
