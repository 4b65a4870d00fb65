/** Thin clients of the Prometheus (v1) and Alertmanager (v2) HTTP APIs the assertions read. */

/** Basic auth for a server started with a web configuration. */
export interface ApiAuth {
    username: string;
    password: string;
}

function authHeaders(auth?: ApiAuth): Record<string, string> {
    return auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` } : {};
}

async function getJson<T>(url: string, auth?: ApiAuth): Promise<T> {
    const res = await fetch(url, { headers: authHeaders(auth), signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
}

async function postJson<T>(url: string, body: unknown, auth?: ApiAuth): Promise<T> {
    const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...authHeaders(auth) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
}

/** True when GET `url` answers 200. */
export async function isReady(url: string, auth?: ApiAuth): Promise<boolean> {
    try {
        const res = await fetch(url, { headers: authHeaders(auth), signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        return res.ok;
    } catch {
        return false;
    }
}

export interface PromSample {
    metric: Record<string, string>;
    value: [number, string];
}

export interface PromTarget {
    labels: Record<string, string>;
    scrapePool: string;
    scrapeUrl: string;
    health: "up" | "down" | "unknown";
    lastError: string;
}

export interface PromRule {
    name: string;
    type: "recording" | "alerting";
    /** The rule's expression. */
    query: string;
    health: string;
    lastError?: string;
    state?: string;
    /** Seconds between evaluations of the rule's group. */
    groupInterval: number;
}

interface PromResponse<T> {
    status: "success" | "error";
    data: T;
    error?: string;
}

export class PrometheusApi {
    constructor(
        readonly baseUrl: string,
        readonly auth?: ApiAuth,
    ) {}

    /** Instant query (at `time`, seconds since the epoch, or now); a vector result. */
    async query(expr: string, time?: number): Promise<PromSample[]> {
        const params = new URLSearchParams({ query: expr });
        if (time !== undefined) params.set("time", String(time));
        const res = await getJson<PromResponse<{ resultType: string; result: unknown }>>(`${this.baseUrl}/api/v1/query?${params}`, this.auth);
        if (res.status !== "success") throw new Error(`query ${expr}: ${res.error}`);
        if (res.data.resultType === "scalar") {
            return [{ metric: {}, value: res.data.result as [number, string] }];
        }
        if (res.data.resultType !== "vector") throw new Error(`query ${expr}: unexpected ${res.data.resultType} result`);
        return res.data.result as PromSample[];
    }

    async targets(): Promise<PromTarget[]> {
        const res = await getJson<PromResponse<{ activeTargets: PromTarget[] }>>(`${this.baseUrl}/api/v1/targets?state=active`, this.auth);
        return res.data.activeTargets;
    }

    async rules(): Promise<PromRule[]> {
        const res = await getJson<PromResponse<{ groups: { interval: number; rules: Omit<PromRule, "groupInterval">[] }[] }>>(
            `${this.baseUrl}/api/v1/rules`,
            this.auth,
        );
        return res.data.groups.flatMap((g) => g.rules.map((r) => ({ ...r, groupInterval: g.interval })));
    }

    /** Alertmanagers Prometheus sends to. */
    async alertmanagers(): Promise<string[]> {
        const res = await getJson<PromResponse<{ activeAlertmanagers: { url: string }[] }>>(`${this.baseUrl}/api/v1/alertmanagers`, this.auth);
        return res.data.activeAlertmanagers.map((a) => a.url);
    }

    ready(): Promise<boolean> {
        return isReady(`${this.baseUrl}/-/ready`, this.auth);
    }
}

export interface AmAlert {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    fingerprint: string;
    startsAt: string;
    status: { state: "active" | "suppressed" | "unprocessed"; inhibitedBy: string[]; silencedBy: string[] };
    receivers: { name: string }[];
}

export interface AmSilence {
    id: string;
    status: { state: "active" | "pending" | "expired" };
    matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
    startsAt: string;
    endsAt: string;
    createdBy: string;
    comment: string;
}

export class AlertmanagerApi {
    constructor(
        readonly baseUrl: string,
        readonly auth?: ApiAuth,
    ) {}

    /** Every alert Alertmanager holds, active, silenced and inhibited alike. */
    alerts(): Promise<AmAlert[]> {
        return getJson<AmAlert[]>(`${this.baseUrl}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`, this.auth);
    }

    silences(): Promise<AmSilence[]> {
        return getJson<AmSilence[]>(`${this.baseUrl}/api/v2/silences`, this.auth);
    }

    async createSilence(matchers: Record<string, string>, minutes: number, comment: string): Promise<string> {
        const now = Date.now();
        const res = await postJson<{ silenceID: string }>(
            `${this.baseUrl}/api/v2/silences`,
            {
                matchers: Object.entries(matchers).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
                startsAt: new Date(now).toISOString(),
                endsAt: new Date(now + minutes * 60_000).toISOString(),
                createdBy: "e2e",
                comment,
            },
            this.auth,
        );
        return res.silenceID;
    }

    ready(): Promise<boolean> {
        return isReady(`${this.baseUrl}/-/ready`, this.auth);
    }
}
