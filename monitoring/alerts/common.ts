/** What every alert carries: severity, summary, description, runbook and dashboard links. */

import { alertVersionNote } from "../../contracts/gate";
import { dashboardUrl, runbookUrl } from "../links";
import type { AlertingRule, Links } from "../types";

export type Severity = AlertingRule["labels"]["severity"];

/** One alert as written in the area files; `alertRule` adds the links. */
export interface AlertSpec {
    name: string;
    expr: string;
    for?: string;
    /** How long the alert stays firing after its condition clears. */
    keepFiringFor?: string;
    severity: Severity;
    summary: string;
    /** Must mention `{{ $value }}` and `{{ $labels.instance }}` (a test checks). */
    description: string;
}

/** The rule with its links; the description also says which supported versions can fire it, when not all can. */
export function alertRule(links: Links, spec: AlertSpec): AlertingRule {
    const versions = alertVersionNote(spec.name);
    return {
        alert: spec.name,
        expr: spec.expr,
        ...(spec.for ? { for: spec.for } : {}),
        ...(spec.keepFiringFor ? { keep_firing_for: spec.keepFiringFor } : {}),
        labels: { severity: spec.severity },
        annotations: {
            summary: spec.summary,
            description: versions ? `${spec.description} ${versions}` : spec.description,
            runbook_url: runbookUrl(links, spec.name),
            dashboard_url: dashboardUrl(links),
        },
    };
}

/** `instance X (model Y)` for SGLang alerts' descriptions. */
export const ON_SGLANG = "instance {{ $labels.instance }} (job {{ $labels.job }}, model {{ $labels.model_name }})";
/** `GPU N on instance X` for GPU alerts' descriptions. */
export const ON_GPU = "GPU {{ $labels.gpu }} ({{ $labels.gpu_name }}, {{ $labels.uuid }}) on instance {{ $labels.instance }}";
