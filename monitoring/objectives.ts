/**
 * Each model's objectives as the rules read them. With one model (the short
 * form, or a `models` list of one) the rules are those of one server: the
 * objectives are constants in the expressions and no rule selects a model.
 * With several, each model's TTFT error ratio selects its own series by
 * `model_name` (its threshold is a bucket of its own), and its objectives are
 * recorded as series labelled `model_name`, which every burn-rate alert joins
 * on: one alert expression for all models, and the dashboard draws each
 * model's objective from the same series.
 */
import type { Settings } from "../settings";
import * as S from "./series";
import type { RecordingRule } from "./types";

/** The SGLang label that names a model: the server's `--served-model-name`. */
export const MODEL_NAME_LABEL = "model_name";

/** One model's objectives and the matcher that selects its series ("" when the stack serves one model). */
export interface ModelObjectives {
    servedModelName: string;
    /** `model_name="<served name>"`, or "" with one model. */
    matcher: string;
    availabilityObjective: number;
    latencyObjective: number;
    latencyThresholdSeconds: number;
}

/** Whether the stack serves several models, so that rules select and join by `model_name`. */
export function severalModels(settings: Settings): boolean {
    return settings.models.length > 1;
}

/** A PromQL equality matcher on `model_name` (the value escaped as a PromQL string). */
export function modelMatcher(servedModelName: string): string {
    return `${MODEL_NAME_LABEL}=${JSON.stringify(servedModelName)}`;
}

/** Every model's objectives, in the order of `models`. */
export function modelObjectives(settings: Settings): ModelObjectives[] {
    const several = severalModels(settings);
    return settings.models.map((m) => ({
        servedModelName: m.servedModelName,
        matcher: several ? modelMatcher(m.servedModelName) : "",
        availabilityObjective: m.slo.availabilityObjective,
        latencyObjective: m.slo.latencyObjective,
        latencyThresholdSeconds: m.slo.latencyThresholdSeconds,
    }));
}

/** The objective series, one per model and objective; none with one model (its objectives are constants). */
export function objectiveRules(settings: Settings): RecordingRule[] {
    if (!severalModels(settings)) return [];
    const rule = (record: string, value: number, model: ModelObjectives): RecordingRule => ({
        record,
        expr: `vector(${value})`,
        labels: { [MODEL_NAME_LABEL]: model.servedModelName },
    });
    return modelObjectives(settings).flatMap((m) => [
        rule(S.SLO_AVAILABILITY_OBJECTIVE, m.availabilityObjective, m),
        rule(S.SLO_LATENCY_OBJECTIVE, m.latencyObjective, m),
        rule(S.SLO_TTFT_THRESHOLD_SECONDS, m.latencyThresholdSeconds, m),
    ]);
}
