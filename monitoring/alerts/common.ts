/** What every alert carries: severity, summary, description, runbook and dashboard links. */
import type { AlertingRule, Links } from "../types";
import { dashboardUrl, runbookUrl } from "../links";

export type Severity = AlertingRule["labels"]["severity"];

/** One alert as written in the area files; `alertRule` adds the links. */
export interface AlertSpec {
    name: string;
    expr: string;
    for?: string;
    severity: Severity;
    summary: string;
    /** Must mention `{{ $value }}` and `{{ $labels.instance }}` (a test checks). */
    description: string;
}

export function alertRule(links: Links, spec: AlertSpec): AlertingRule {
    return {
        alert: spec.name,
        expr: spec.expr,
        ...(spec.for ? { for: spec.for } : {}),
        labels: { severity: spec.severity },
        annotations: {
            summary: spec.summary,
            description: spec.description,
            runbook_url: runbookUrl(links, spec.name),
            dashboard_url: dashboardUrl(links),
        },
    };
}

/** `instance X (model Y)` for SGLang alerts' descriptions. */
export const ON_SGLANG = "instance {{ $labels.instance }} (job {{ $labels.job }}, model {{ $labels.model_name }})";
/** `GPU N on instance X` for GPU alerts' descriptions. */
export const ON_GPU = "GPU {{ $labels.gpu }} ({{ $labels.gpu_name }}, {{ $labels.uuid }}) on instance {{ $labels.instance }}";
