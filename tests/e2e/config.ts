/**
 * The stack configuration of the end-to-end runs. Alert durations and
 * Alertmanager timings are shortened here, through the same keys a user
 * sets, so that the generated files are used exactly as generated.
 */
import { strict as assert } from "node:assert";
import { durationSeconds, parseSettings, type Settings } from "../../settings";
import { log } from "./support/clients";

/** The PagerDuty routing key of the runs (well-formed for Events v2); the receiver checks it arrives. */
export const E2E_PAGERDUTY_ROUTING_KEY = "e2e0routing0key0000000000000000ab";

/** Keys shared by every end-to-end stack. */
export const E2E_CONFIG: Readonly<Record<string, unknown>> = {
    // Two GPUs: tensor parallel size 2, so scheduler series come once per tp_rank.
    gpuCount: 2,
    prometheusScrapeInterval: "1s",
    prometheusEvaluationInterval: "1s",
    alertGroupWait: "1s",
    alertGroupInterval: "1s",
    alertRepeatInterval: "1m",
    // Not shorter: Prometheus discovers its targets about 5 s after it starts, and
    // until the first scrape `absent(up{job="sglang"})` holds, so a shorter
    // `for` fires SGLangServerDown at every fresh start.
    alertServerDownFor: "10s",
    alertLatencyFor: "5s",
    alertErrorRateFor: "5s",
    // The canary at its shortest interval: its first probe comes within 10 s of the start.
    canaryInterval: "10s",
    canaryTimeoutSeconds: 5,
    alertCanaryFailingFor: "10s",
    // Secrets only need to be present here: their values are written to the
    // files Alertmanager reads, pointing at the local receiver.
    slackWebhookUrl: "https://hooks.slack.com/services/T0000/B0000/e2e",
    pagerdutyRoutingKey: E2E_PAGERDUTY_ROUTING_KEY,
    heartbeatUrl: "https://heartbeat.invalid/ping",
};

export function e2eSettings(stack: string, overrides: Record<string, unknown> = {}): Settings {
    return parseSettings(stack, { ...E2E_CONFIG, ...overrides });
}

/**
 * The longest a critical alert may take, beyond its `for` duration, from the
 * fault to its delivery: up to one scrape interval until a scrape sees the
 * fault, one evaluation interval until a rule evaluation starts the `for`
 * clock (evaluations are periodic, so the one that fires comes exactly `for`
 * later), then Alertmanager's group wait.
 */
export function detectionBoundSeconds(settings: Settings): number {
    return (
        durationSeconds(settings.prometheus.scrapeInterval) +
        durationSeconds(settings.prometheus.evaluationInterval) +
        durationSeconds(settings.alertmanager.groupWait)
    );
}

/** How far a detection latency may exceed its bound ("a few seconds"). */
export const DETECTION_TOLERANCE_SECONDS = 3;

/** A detection bound in seconds, and what it adds up ("scrape 1s + evaluation 1s + …"). */
export interface DetectionBound {
    seconds: number;
    parts: string;
}

/**
 * Asserts that a notification came after the alert's `for` and within its
 * bound beyond it (plus the tolerance), and prints the latency (`test:e2e`).
 */
export function assertDetectedWithin(alert: string, at: { faultAt: number; receivedAt: number; forDuration: string; bound: DetectionBound }): void {
    const forSeconds = durationSeconds(at.forDuration);
    const sinceFault = (at.receivedAt - at.faultAt) / 1000;
    const latency = sinceFault - forSeconds;
    log(
        `${alert} detection latency ${latency.toFixed(2)} s (delivered ${sinceFault.toFixed(2)} s after the fault, minus for ${forSeconds} s); bound ${at.bound.seconds} s = ${at.bound.parts}`,
    );
    assert.ok(
        latency <= at.bound.seconds + DETECTION_TOLERANCE_SECONDS,
        `${alert}: detection latency ${latency.toFixed(2)} s exceeds ${at.bound.seconds} s by more than ${DETECTION_TOLERANCE_SECONDS} s`,
    );
    assert.ok(latency >= 0, `${alert} notified ${sinceFault.toFixed(2)} s after the fault, before its for duration of ${forSeconds} s`);
}

/** Detection through the stack alone: scrape, evaluation and group wait. */
export function stackDetectionBound(settings: Settings): DetectionBound {
    return {
        seconds: detectionBoundSeconds(settings),
        parts: `scrape ${settings.prometheus.scrapeInterval} + evaluation ${settings.prometheus.evaluationInterval} + group wait ${settings.alertmanager.groupWait}`,
    };
}

/** The router's probing, shortened as `--health-check-interval-secs` and the thresholds would be. */
export const ROUTER_TIMINGS = {
    healthIntervalMs: 1000,
    healthFailureThreshold: 3,
    healthSuccessThreshold: 2,
    cbFailureThreshold: 3,
    cbSuccessThreshold: 3,
    cbTimeoutMs: 60_000,
};

/**
 * The bound of an alert on the canary, beyond its `for` duration: its probe
 * runs once per canary interval (not per scrape interval) and may take up to
 * its timeout, then a rule evaluation and Alertmanager's group wait.
 */
export function canaryDetectionBound(settings: Settings): { seconds: number; parts: string } {
    return {
        seconds:
            detectionBoundSeconds(settings) -
            durationSeconds(settings.prometheus.scrapeInterval) +
            durationSeconds(settings.canary.interval) +
            settings.canary.timeoutSeconds,
        parts: `canary interval ${settings.canary.interval} + probe timeout ${settings.canary.timeoutSeconds} s + evaluation ${settings.prometheus.evaluationInterval} + group wait ${settings.alertmanager.groupWait}`,
    };
}
