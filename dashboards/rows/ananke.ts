/** Ananke: constraint violations by domain, rollbacks and the grammar compilation queue. */
import * as s from "../../monitoring/series";
import type { Settings } from "../../settings";
import { ABSENT_TEXT, MAY_BE_ABSENT } from "../absence";
import { type RowSpec, timeseriesPanel } from "../panels";
import { SGLANG_LEGEND, sglang } from "../selectors";
import { alertAbove } from "../thresholds";

/** Grafana unit for events per second. */
const EVENTS_PER_SECOND = "cps";

export function anankeRow(settings: Settings): RowSpec {
    const a = settings.alerts;
    return {
        title: "Ananke",
        panels: [
            timeseriesPanel({
                title: "Constraint violations by domain",
                description:
                    "Ananke constraint violations per second by domain (syntax, types, imports, controlflow, " +
                    "semantics) and in total over the selected servers. The dashed line is the " +
                    `AnankeConstraintViolationsHigh threshold (${a.constraintViolationsHigh.threshold}/s for ` +
                    `${a.constraintViolationsHigh.for}). ` +
                    MAY_BE_ABSENT[s.ANANKE_VIOLATIONS_RATE],
                unit: EVENTS_PER_SECOND,
                min: 0,
                queries: [
                    { expr: `sum by (domain) (${sglang(s.ANANKE_VIOLATIONS_RATE)})`, legend: "{{domain}}" },
                    { expr: `sum(${sglang(s.ANANKE_VIOLATIONS_RATE)})`, legend: "total" },
                ],
                thresholds: alertAbove(a.constraintViolationsHigh.threshold),
                noValue: ABSENT_TEXT,
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "Rollbacks",
                description:
                    "Ananke rollbacks (tokens undone after a constraint violation) per second, per server and model. " +
                    `The dashed line is the AnankeRollbacksHigh threshold (${a.rollbacksHigh.threshold}/s for ` +
                    `${a.rollbacksHigh.for}). ` +
                    MAY_BE_ABSENT[s.ANANKE_ROLLBACKS_RATE],
                unit: EVENTS_PER_SECOND,
                min: 0,
                queries: [{ expr: sglang(s.ANANKE_ROLLBACKS_RATE), legend: SGLANG_LEGEND }],
                thresholds: alertAbove(a.rollbacksHigh.threshold),
                noValue: ABSENT_TEXT,
                width: 8,
                height: 8,
            }),
            timeseriesPanel({
                title: "Grammar compilation queue",
                description:
                    "Requests waiting for their grammar to be compiled before decoding can start, summed over ranks " +
                    "(sglang:num_grammar_queue_reqs). A growing queue means constrained requests pay compile time.",
                unit: "short",
                min: 0,
                queries: [{ expr: sglang(s.SGLANG_GRAMMAR_QUEUE_REQUESTS), legend: SGLANG_LEGEND }],
                width: 8,
                height: 8,
            }),
        ],
    };
}
