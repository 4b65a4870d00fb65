/** Assertions over a running stack that more than one test uses. */
import type { NamedQuery } from "./queries";
import type { PrometheusApi, PromSample } from "./support/apis";
import { sleep } from "./support/wait";

/** Whether a query's result counts as data for it (see NamedQuery.finite). */
function hasData(q: NamedQuery, result: PromSample[]): boolean {
    return q.finite ? result.some((s) => Number.isFinite(Number(s.value[1]))) : result.length > 0;
}

/**
 * Runs every query until each has returned data, or the deadline passes;
 * returns those that never did. A query Prometheus rejects fails at once:
 * waiting cannot fix it.
 */
export async function queriesWithoutData(api: PrometheusApi, queries: readonly NamedQuery[], timeoutMs: number): Promise<NamedQuery[]> {
    const deadline = Date.now() + timeoutMs;
    let pending = [...queries];
    for (;;) {
        const results = await Promise.all(
            pending.map(async (q) => {
                const result = await api.query(q.expr).catch((err: Error) => {
                    throw new Error(`${q.source}: Prometheus rejected ${q.expr}: ${err.message}`);
                });
                return { q, ok: hasData(q, result) };
            }),
        );
        pending = results.filter((r) => !r.ok).map((r) => r.q);
        if (pending.length === 0 || Date.now() >= deadline) return pending;
        await sleep(500);
    }
}

export function describeQueries(queries: readonly NamedQuery[]): string {
    return queries.map((q) => `  - ${q.source}: ${q.expr}`).join("\n");
}
