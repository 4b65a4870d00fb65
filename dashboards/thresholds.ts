/**
 * Threshold steps derived from the alert settings, so that a panel turns red
 * exactly where the matching alert starts counting its `for` duration.
 */
import type { ThresholdStep } from "./panels";

/** Grafana's colours for "fine", "look at it" and "alerting". */
export const COLOR = { ok: "green", notice: "orange", alert: "red" } as const;

/** Too high is bad: green below `threshold`, `color` from it up (alerts of the form `value > threshold`). */
export function alertAbove(threshold: number, color: string = COLOR.alert): ThresholdStep[] {
    return [
        { value: null, color: COLOR.ok },
        { value: threshold, color },
    ];
}

/** Too low is bad: `color` below `threshold`, green from it up (alerts of the form `value < threshold`). */
export function alertBelow(threshold: number, color: string = COLOR.alert): ThresholdStep[] {
    return [
        { value: null, color },
        { value: threshold, color: COLOR.ok },
    ];
}

/** A 0–1 ratio as a percent for descriptions, without floating-point noise (0.07 → "7"). */
export function asPercent(ratio: number): string {
    return String(Number((ratio * 100).toPrecision(6)));
}
