/**
 * Multi-window multi-burn-rate SLO alerts (Google SRE workbook, as Sloth and
 * Pyrra generate them) over a 30-day objective: page when the budget burns
 * 14.4× too fast over 1h (and still over 5m) or 6× over 6h (and 30m); ticket
 * at 3× over 1d (and 2h) or 1× over 3d (and 6h). The short window makes the
 * alert resolve soon after the burn stops.
 */
import type { Settings } from "../../settings";
import { MODEL_NAME_LABEL, modelObjectives, severalModels } from "../objectives";
import * as S from "../series";
import type { AlertingRule, Links, RuleGroup } from "../types";
import { alertRule, ON_SGLANG } from "./common";

interface BurnWindow {
    long: S.SloWindow;
    short: S.SloWindow;
    factor: number;
}

/** Fast burn: pages. */
export const FAST_BURN: BurnWindow[] = [
    { long: "1h", short: "5m", factor: 14.4 },
    { long: "6h", short: "30m", factor: 6 },
];
/** Slow burn: a ticket. */
export const SLOW_BURN: BurnWindow[] = [
    { long: "1d", short: "2h", factor: 3 },
    { long: "3d", short: "6h", factor: 1 },
];

/** Round away floating-point noise (14.4 × 0.005 = 0.07200000000000001). */
function num(x: number): string {
    return String(Number(x.toPrecision(12)));
}

/** The burn threshold at `factor`: a constant with one model, else `factor` times each model's budget, joined by `model_name`. */
type BurnThreshold = (factor: number) => string;

/** One model's budget, written into the rule. */
function constantBudget(budget: number): BurnThreshold {
    return (factor) => num(factor * budget);
}

/** Each model's budget, from its recorded objective series. */
function recordedBudget(objective: string): BurnThreshold {
    return (factor) => `on (${MODEL_NAME_LABEL}) group_left () ${num(factor)} * (1 - ${objective})`;
}

function burnExpr(ratio: (w: S.SloWindow) => string, threshold: BurnThreshold, windows: BurnWindow[]): string {
    return windows.map((w) => `(${ratio(w.long)} > ${threshold(w.factor)} and ${ratio(w.short)} > ${threshold(w.factor)})`).join(" or ");
}

/**
 * A model's recorded objective as a percentage, read by the alert's template
 * when it fires (Prometheus' `query` template function).
 */
function recordedPercent(series: string): string {
    return `{{ with printf "${series}{${MODEL_NAME_LABEL}='%s'}" $labels.${MODEL_NAME_LABEL} | query }}{{ . | first | value | humanizePercentage }}{{ end }}`;
}

/** A model's recorded TTFT threshold in seconds, read by the alert's template. */
function recordedSeconds(series: string): string {
    return `{{ with printf "${series}{${MODEL_NAME_LABEL}='%s'}" $labels.${MODEL_NAME_LABEL} | query }}{{ . | first | value }}{{ end }}`;
}

/** How an SLO pair reads its objective: the value and its text, constant or per model. */
interface Objective {
    threshold: BurnThreshold;
    /** "99.5%", or the template reading the firing model's objective. */
    text: string;
}

function constantObjective(objective: number): Objective {
    return { threshold: constantBudget(1 - objective), text: `${num(objective * 100)}%` };
}

function recordedObjective(series: string): Objective {
    return { threshold: recordedBudget(series), text: recordedPercent(series) };
}

const KIND_NAME = { Availability: "availability", Latency: "latency", Itl: "inter-token latency" } as const;

function sloPair(
    links: Links,
    kind: "Availability" | "Latency" | "Itl",
    ratio: (w: S.SloWindow) => string,
    objective: Objective,
    what: string,
): AlertingRule[] {
    const pct = objective.text;
    return [
        alertRule(links, {
            name: `SGLang${kind}BudgetBurnFast`,
            expr: burnExpr(ratio, objective.threshold, FAST_BURN),
            for: "2m",
            severity: "critical",
            summary: `SGLang ${KIND_NAME[kind]} error budget is burning fast`,
            description: `${what} is {{ $value | humanizePercentage }} over the last hour(s) on ${ON_SGLANG}: at this rate the 30-day error budget of the ${pct} objective is gone within days.`,
        }),
        alertRule(links, {
            name: `SGLang${kind}BudgetBurnSlow`,
            expr: burnExpr(ratio, objective.threshold, SLOW_BURN),
            for: "15m",
            severity: "warning",
            summary: `SGLang ${KIND_NAME[kind]} error budget is burning`,
            description: `${what} is {{ $value | humanizePercentage }} over the last day(s) on ${ON_SGLANG}: the ${pct} objective will be missed this month if it continues.`,
        }),
    ];
}

/**
 * The burn-rate alerts. Availability and TTFT objectives are each model's
 * (see objectives.ts): constants with one model, joined from the recorded
 * objective series with several, so a page names its model. The inter-token
 * latency objective is the stack's, for every model.
 */
export function sloAlerts(settings: Settings, links: Links): RuleGroup {
    const [one] = modelObjectives(settings);
    const several = severalModels(settings);
    const availability = several ? recordedObjective(S.SLO_AVAILABILITY_OBJECTIVE) : constantObjective(one.availabilityObjective);
    const latency = several ? recordedObjective(S.SLO_LATENCY_OBJECTIVE) : constantObjective(one.latencyObjective);
    const ttftThreshold = several ? `the model's threshold (${recordedSeconds(S.SLO_TTFT_THRESHOLD_SECONDS)} s)` : `${one.latencyThresholdSeconds} s`;
    return {
        name: "slo.alerts",
        rules: [
            ...sloPair(links, "Availability", S.sloAvailabilityErrorRatio, availability, "The share of failed requests"),
            ...sloPair(links, "Latency", S.sloLatencyErrorRatio, latency, `The share of requests with a time to first token above ${ttftThreshold}`),
            ...sloPair(
                links,
                "Itl",
                S.sloItlErrorRatio,
                constantObjective(settings.slo.itlObjective),
                `The share of tokens streamed more than ${settings.slo.itlThresholdSeconds} s after the previous one`,
            ),
        ],
    };
}
