/**
 * Multi-window multi-burn-rate SLO alerts (Google SRE workbook, as Sloth and
 * Pyrra generate them) over a 30-day objective: page when the budget burns
 * 14.4× too fast over 1h (and still over 5m) or 6× over 6h (and 30m); ticket
 * at 3× over 1d (and 2h) or 1× over 3d (and 6h). The short window makes the
 * alert resolve soon after the burn stops.
 */
import type { Settings } from "../../settings";
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

function burnExpr(ratio: (w: S.SloWindow) => string, budget: number, windows: BurnWindow[]): string {
    return windows.map((w) => `(${ratio(w.long)} > ${num(w.factor * budget)} and ${ratio(w.short)} > ${num(w.factor * budget)})`).join(" or ");
}

const KIND_NAME = { Availability: "availability", Latency: "latency", Itl: "inter-token latency" } as const;

function sloPair(
    links: Links,
    kind: "Availability" | "Latency" | "Itl",
    ratio: (w: S.SloWindow) => string,
    objective: number,
    what: string,
): AlertingRule[] {
    const budget = 1 - objective;
    const pct = `${num(objective * 100)}%`;
    return [
        alertRule(links, {
            name: `SGLang${kind}BudgetBurnFast`,
            expr: burnExpr(ratio, budget, FAST_BURN),
            for: "2m",
            severity: "critical",
            summary: `SGLang ${KIND_NAME[kind]} error budget is burning fast`,
            description: `${what} is {{ $value | humanizePercentage }} over the last hour(s) on ${ON_SGLANG}: at this rate the 30-day error budget of the ${pct} objective is gone within days.`,
        }),
        alertRule(links, {
            name: `SGLang${kind}BudgetBurnSlow`,
            expr: burnExpr(ratio, budget, SLOW_BURN),
            for: "15m",
            severity: "warning",
            summary: `SGLang ${KIND_NAME[kind]} error budget is burning`,
            description: `${what} is {{ $value | humanizePercentage }} over the last day(s) on ${ON_SGLANG}: the ${pct} objective will be missed this month if it continues.`,
        }),
    ];
}

export function sloAlerts(settings: Settings, links: Links): RuleGroup {
    return {
        name: "slo.alerts",
        rules: [
            ...sloPair(links, "Availability", S.sloAvailabilityErrorRatio, settings.slo.availabilityObjective, "The share of failed requests"),
            ...sloPair(
                links,
                "Latency",
                S.sloLatencyErrorRatio,
                settings.slo.latencyObjective,
                `The share of requests with a time to first token above ${settings.slo.latencyThresholdSeconds} s`,
            ),
            ...sloPair(
                links,
                "Itl",
                S.sloItlErrorRatio,
                settings.slo.itlObjective,
                `The share of tokens streamed more than ${settings.slo.itlThresholdSeconds} s after the previous one`,
            ),
        ],
    };
}
