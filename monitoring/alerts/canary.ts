/** The synthetic canary's alerts: it fails, or it is slower than its objective. */
import type { Settings } from "../../settings";
import { MODEL_NAME_LABEL, severalModels } from "../objectives";
import { byClause } from "../promql";
import type { Links, RuleGroup } from "../types";
import { JOB_CANARY } from "../types";
import { alertRule } from "./common";

const ON_CANARY = "{{ $labels.instance }} (model {{ $labels.model_name }})";

export function canaryAlerts(settings: Settings, links: Links): RuleGroup {
    const a = settings.alerts;
    // Several models: one probe per model, all of the router's one URL (`instance`): a model's duration joins its own success.
    const probe = byClause(severalModels(settings) ? ["job", "instance", MODEL_NAME_LABEL] : ["job", "instance"]);
    return {
        name: "canary.alerts",
        rules: settings.canary.enabled
            ? [
                  alertRule(links, {
                      name: "SGLangCanaryFailing",
                      expr: `probe_success{job="${JOB_CANARY}"} == 0`,
                      for: a.canaryFailing.for,
                      severity: "critical",
                      summary: "SGLang's synthetic canary fails",
                      description: `The canary's constrained chat completion to ${ON_CANARY} failed (probe_success = {{ $value }}) for ${a.canaryFailing.for}: the server does not answer, answers with an error, or its answer does not follow the requested JSON schema.`,
                  }),
                  alertRule(links, {
                      name: "SGLangCanarySlow",
                      expr: `probe_duration_seconds{job="${JOB_CANARY}"} > ${a.canarySlow.threshold} and on (${probe}) probe_success{job="${JOB_CANARY}"} == 1`,
                      for: a.canarySlow.for,
                      severity: "warning",
                      summary: "SGLang's synthetic canary is slow",
                      description: `The canary's chat completion to ${ON_CANARY} took {{ $value | humanizeDuration }}, above its objective of ${a.canarySlow.threshold} s for ${a.canarySlow.for}.`,
                  }),
              ]
            : [],
    };
}
