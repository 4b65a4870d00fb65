/**
 * Small PromQL builders shared by the recording and alerting rules. They keep
 * the two rules that matter most in one place: aggregate (`sum by`) before
 * dividing or taking a quantile, and accept both SGLang metric prefixes.
 */

/** `label1, label2, …` for a `by (…)` clause. */
export function byClause(labels: readonly string[]): string {
    return labels.join(", ");
}

/** `sum by (labels) (expr)`. */
export function sumBy(labels: readonly string[], expr: string): string {
    return `sum by (${byClause(labels)}) (${expr})`;
}

/** The two prefixes SGLang builds have used: `sglang:` (current) and `sglang_`. */
export const SGLANG_PREFIXES = ["sglang:", "sglang_"] as const;

/**
 * `(f("sglang:")) or (f("sglang_"))`: the same expression on either prefix.
 * `or` (rather than a `__name__=~` regex) keeps functions such as `rate()`
 * from failing on two series that differ only by name, and prefers the
 * current prefix when a target exposes both.
 */
export function eitherPrefix(f: (prefix: string) => string): string {
    return firstOf(...SGLANG_PREFIXES.map(f));
}

/**
 * `((a) or (b) or …)`: the first alternative that has data, per label set.
 * Wrapped in parentheses so it composes safely (`or` binds loosest).
 */
export function firstOf(...alternatives: string[]): string {
    if (alternatives.length === 1) return alternatives[0];
    return `(${alternatives.map((a) => (isParenthesized(a) ? a : `(${a})`)).join(" or ")})`;
}

/** Whether the whole expression is one parenthesized group, e.g. "(a or b)" but not "(a) or (b)". */
function isParenthesized(expr: string): boolean {
    if (!expr.startsWith("(")) return false;
    let depth = 0;
    for (let i = 0; i < expr.length; i++) {
        if (expr[i] === "(") depth++;
        else if (expr[i] === ")") depth--;
        if (depth === 0) return i === expr.length - 1;
    }
    return false;
}

/**
 * A regex matching a histogram bucket's `le` label for `value`, whichever way
 * the exporter formats it ("2", "2.0"; Prometheus 3 normalizes, 2.x does not).
 */
export function leRegex(value: number): string {
    const text = String(value);
    const escaped = text.replace(/\./g, "\\\\.");
    return text.includes(".") ? `${escaped}0*` : `${escaped}(\\\\.0+)?`;
}
