/**
 * Dashboard variables as they appear in queries, and the label selectors the
 * panels filter by. SGLang series carry `instance` and `model_name` after
 * normalization (monitoring/series.ts: SGLANG_LABELS).
 */

import { JOB } from "../monitoring/types";

/** Variable names (referenced as `$instance`, `$model` in queries). */
export const VARIABLE = { instance: "instance", model: "model" } as const;

/** The SGLang label the model variable filters on. */
export const MODEL_LABEL = "model_name";

/** Selector of the SGLang servers and models chosen in the variables. */
export const SGLANG_SELECTOR = `{instance=~"$${VARIABLE.instance}", ${MODEL_LABEL}=~"$${VARIABLE.model}"}`;

/** Prometheus writes `up` for every scrape target (1 = /metrics answered); these are the SGLang targets. */
export const SGLANG_TARGETS_UP = `up{job="${JOB.sglang}"}`;

/** The chosen SGLang targets' `up`. */
export const SGLANG_UP = `up{job="${JOB.sglang}", instance=~"$${VARIABLE.instance}"}`;

/** A normalized SGLang series restricted to the chosen servers and models. */
export function sglang(series: string): string {
    return `${series}${SGLANG_SELECTOR}`;
}

/** Legend naming one SGLang server and model. */
export const SGLANG_LEGEND = `{{instance}} {{${MODEL_LABEL}}}`;

/** Legend naming one GPU (exporters' `instance` differs from SGLang's, so the host name comes first when known). */
export const GPU_LEGEND = "{{hostname}} {{instance}} GPU {{gpu}}";
