/** Assertions over a running stack that more than one test uses. */
import type { NamedQuery } from "./queries";
import type { PrometheusApi } from "./support/apis";
import { sleep } from "./support/wait";

/**
 * Runs every query until each has returned at least one series, or the
 * deadline passes; returns those that never did. A query Prometheus rejects
 * fails at once: waiting cannot fix it.
 */
export async function queriesWithoutData(api: PrometheusApi, queries: readonly NamedQuery[], timeoutMs: number): Promise<NamedQuery[]> {
    const deadline = Date.now() + timeoutMs;
    let pending = [...queries];
    for (;;) {
        const results = await Promise.all(pending.map(async (q) => ({ q, n: (await api.query(q.expr).catch((err: Error) => {
            throw new Error(`${q.source}: Prometheus rejected ${q.expr}: ${err.message}`);
        })).length })));
        pending = results.filter((r) => r.n === 0).map((r) => r.q);
        if (pending.length === 0 || Date.now() >= deadline) return pending;
        await sleep(500);
    }
}

export function describeQueries(queries: readonly NamedQuery[]): string {
    return queries.map((q) => `  - ${q.source}: ${q.expr}`).join("\n");
}
