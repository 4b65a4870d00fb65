/**
 * The local end of Alertmanager's integrations: Slack's webhook, PagerDuty's
 * Events API v2 and the heartbeat URL all point here. Every request is
 * recorded with its arrival time; a path can be told to answer 500 a number
 * of times first, to prove that Alertmanager retries.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpStandIn } from "./server";

export const RECEIVER_PATHS = {
    slack: "/slack",
    pagerduty: "/pagerduty",
    heartbeat: "/heartbeat",
} as const;
export type Channel = keyof typeof RECEIVER_PATHS;

export interface Notification {
    channel: Channel;
    /** Milliseconds since the epoch when the request arrived. */
    receivedAt: number;
    /** HTTP status the receiver answered with. */
    answered: number;
    /** The JSON body as sent. */
    body: unknown;
    raw: string;
}

export class NotificationReceiver extends HttpStandIn {
    private readonly received: Notification[] = [];
    private readonly failuresLeft = new Map<Channel, number>();

    constructor(port: number) {
        super("receiver", port);
    }

    urlOf(channel: Channel): string {
        return `${this.server.url}${RECEIVER_PATHS[channel]}`;
    }

    /** The next `times` requests on `channel` are answered with 500. */
    failNext(channel: Channel, times: number): void {
        this.failuresLeft.set(channel, times);
    }

    /** Every request on `channel`, successful or not, in arrival order. */
    all(channel: Channel): Notification[] {
        return this.received.filter((n) => n.channel === channel);
    }

    /** Requests on `channel` that were accepted (answered 2xx). */
    delivered(channel: Channel): Notification[] {
        return this.all(channel).filter((n) => n.answered < 300);
    }

    protected handle(req: IncomingMessage, res: ServerResponse): void {
        const path = (req.url ?? "/").split("?")[0];
        const channel = (Object.keys(RECEIVER_PATHS) as Channel[]).find((c) => RECEIVER_PATHS[c] === path);
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            if (!channel || req.method !== "POST") {
                res.writeHead(404).end();
                return;
            }
            const raw = Buffer.concat(chunks).toString("utf8");
            let body: unknown;
            try {
                body = JSON.parse(raw);
            } catch {
                body = undefined;
            }
            const left = this.failuresLeft.get(channel) ?? 0;
            const answered = left > 0 ? 500 : 200;
            if (left > 0) this.failuresLeft.set(channel, left - 1);
            this.received.push({ channel, receivedAt: Date.now(), answered, body, raw });
            // PagerDuty answers 202 with a JSON status; Slack and webhooks 200 "ok".
            if (answered !== 200) res.writeHead(answered, { "content-type": "text/plain" }).end("internal error");
            else if (channel === "pagerduty")
                res.writeHead(202, { "content-type": "application/json" }).end('{"status":"success","message":"Event processed"}');
            else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        });
    }
}

/** Whether a notification names `alertname` (as a whole word) anywhere in its payload. */
export function mentions(n: Notification, alertname: string): boolean {
    return new RegExp(`\\b${alertname}\\b`).test(n.raw);
}

/** "firing" or "resolved", read the way each integration says it. */
export function notificationStatus(n: Notification): "firing" | "resolved" | "unknown" {
    const body = n.body as Record<string, unknown> | undefined;
    if (!body) return "unknown";
    if (n.channel === "pagerduty") {
        return body.event_action === "trigger" ? "firing" : body.event_action === "resolve" ? "resolved" : "unknown";
    }
    if (typeof body.status === "string") return body.status === "resolved" ? "resolved" : "firing";
    // Slack: the default and usual titles start with [FIRING:n] or [RESOLVED].
    if (/\[RESOLVED\]/i.test(n.raw)) return "resolved";
    if (/\[FIRING/i.test(n.raw)) return "firing";
    return "unknown";
}
