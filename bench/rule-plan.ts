/**
 * Which recording rules bench/queries backfills, and in what order.
 *
 * `promtool tsdb create-blocks-from rules` evaluates rules against a running
 * Prometheus, so a rule that reads another recorded series sees nothing
 * until that series' blocks are loaded: rules are backfilled level by level
 * (level 0 reads only exporter series, level n reads series of level < n).
 */
import type { RecordingRule, RuleGroup } from "../monitoring/types";

/** Whether `text` mentions the series name `name` (not as part of a longer name). */
export function mentions(text: string, name: string): boolean {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^A-Za-z0-9_:])${escaped}($|[^A-Za-z0-9_:])`).test(text);
}

export interface RulePlan {
    /** Rules of each level, grouped as in the source groups; `read` = needed by the queried expressions. */
    levels: { read: RuleGroup[]; unread: RuleGroup[] }[];
    /** Recorded names the queried expressions need, directly or through other rules. */
    readNames: Set<string>;
    /** Every expression Prometheus evaluates for the queries: the queries and the rules they need. */
    readExprs: string[];
}

export function planRules(groups: RuleGroup[], queried: string[]): RulePlan {
    const rules = groups.flatMap((g) => g.rules.filter((r): r is RecordingRule => "record" in r).map((rule) => ({ group: g.name, rule })));
    const names = [...new Set(rules.map((r) => r.rule.record))];
    const depsOf = (expr: string) => names.filter((n) => mentions(expr, n));

    const level = new Map<string, number>();
    const levelOf = (name: string, seen: string[] = []): number => {
        const known = level.get(name);
        if (known !== undefined) return known;
        if (seen.includes(name)) throw new Error(`recording rules depend on each other in a cycle: ${[...seen, name].join(" → ")}`);
        const deps = rules
            .filter((r) => r.rule.record === name)
            .flatMap((r) => depsOf(r.rule.expr))
            .filter((d) => d !== name);
        const l = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => levelOf(d, [...seen, name])));
        level.set(name, l);
        return l;
    };

    const readNames = new Set<string>();
    const visit = (name: string) => {
        if (readNames.has(name)) return;
        readNames.add(name);
        for (const r of rules.filter((x) => x.rule.record === name)) depsOf(r.rule.expr).forEach(visit);
    };
    queried.flatMap(depsOf).forEach(visit);

    const maxLevel = Math.max(0, ...names.map((n) => levelOf(n)));
    const pick = (l: number, read: boolean): RuleGroup[] =>
        groups
            .map((g) => ({
                name: g.name,
                rules: g.rules.filter((r): r is RecordingRule => "record" in r && levelOf(r.record) === l && readNames.has(r.record) === read),
            }))
            .filter((g) => g.rules.length > 0);
    const levels = Array.from({ length: maxLevel + 1 }, (_, l) => ({ read: pick(l, true), unread: pick(l, false) }));
    const readExprs = [...queried, ...rules.filter((r) => readNames.has(r.rule.record)).map((r) => r.rule.expr)];
    return { levels, readNames, readExprs };
}
