/** The synthetic canary: does a constrained chat completion succeed, and how long does it take. */
import { JOB_CANARY } from "../../monitoring/types";
import type { Settings } from "../../settings";
import { type RowSpec, statPanel, timeseriesPanel } from "../panels";
import { MODEL_LABEL, VARIABLE } from "../selectors";
import { alertAbove, alertBelow, COLOR } from "../thresholds";

/** The canary's probes of the chosen models (its `instance` is the probed URL, not a server). */
const CANARY = `{job="${JOB_CANARY}", ${MODEL_LABEL}=~"$${VARIABLE.model}"}`;

export function canaryRow(settings: Settings): RowSpec | undefined {
    if (!settings.canary.enabled) return undefined;
    const a = settings.alerts;
    return {
        title: "Canary",
        panels: [
            statPanel({
                title: "Canary",
                description:
                    `A small chat completion constrained by a JSON schema, sent every ${settings.canary.interval} by the blackbox ` +
                    "exporter: OK when the server answered 200 with an object of the schema's shape. " +
                    `SGLangCanaryFailing pages after ${a.canaryFailing.for} FAIL.`,
                unit: "none",
                queries: [{ expr: `probe_success${CANARY}`, legend: `{{${MODEL_LABEL}}}` }],
                valueText: [
                    { value: 1, text: "OK", color: COLOR.ok },
                    { value: 0, text: "FAIL", color: COLOR.alert },
                ],
                thresholds: alertBelow(1),
                noValue: "Canary not scraped",
                width: 6,
                height: 8,
            }),
            timeseriesPanel({
                title: "Canary duration",
                description: `How long each canary request took, end to end. The dashed line is its objective (${a.canarySlow.threshold} s, SGLangCanarySlow).`,
                unit: "s",
                min: 0,
                queries: [{ expr: `probe_duration_seconds${CANARY}`, legend: `{{${MODEL_LABEL}}}` }],
                thresholds: alertAbove(a.canarySlow.threshold),
                width: 18,
                height: 8,
            }),
        ],
    };
}
