/**
 * PromQL inspection with Prometheus' own Lezer grammar (@prometheus-io/lezer-promql,
 * which ships a CommonJS build next to its ES module, so `import` works from
 * this CommonJS project). Used by the tests to prove that every dashboard
 * query parses and names only series that something produces.
 */
import { parser } from "@prometheus-io/lezer-promql";

/** Values the tests give Grafana's variables before parsing: what Grafana would send with "All" chosen. */
export const VARIABLE_SAMPLES: Readonly<Record<string, string>> = {
    instance: ".*",
    model: ".*",
    datasource: "sglang-prometheus",
    __rate_interval: "1m",
    __interval: "30s",
    __range: "1h",
};

/** Replaces `$name` and `${name}` by sample values; throws on a variable the dashboard does not define. */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>> = VARIABLE_SAMPLES): string {
    return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, braced: string | undefined, bare: string | undefined) => {
        const name = (braced ?? bare) as string;
        const value = values[name];
        if (value === undefined) throw new Error(`unknown variable $${name} in ${expr}`);
        return value;
    });
}

/** A vector selector found in a query: its metric name and the labels it matches on. */
export interface SelectorUse {
    metric: string;
    labels: string[];
}

export interface ParsedQuery {
    /** Text of every error node; empty when the query parses. */
    errors: string[];
    selectors: SelectorUse[];
}

/** Parses a query (variables already substituted). */
export function parsePromql(expr: string): ParsedQuery {
    const tree = parser.parse(expr);
    const errors: string[] = [];
    const selectors: SelectorUse[] = [];
    const cursor = tree.cursor();
    do {
        const node = cursor.node;
        if (node.type.isError) {
            errors.push(`error at ${node.from}: "${expr.slice(Math.max(0, node.from - 10), node.to + 10)}"`);
        }
        if (node.name === "VectorSelector") {
            const ident = node.getChild("Identifier");
            const labels = node
                .getChildren("LabelMatchers")
                .flatMap((m) => m.getChildren("UnquotedLabelMatcher").concat(m.getChildren("QuotedLabelMatcher")))
                .map((m) => m.getChild("LabelName"))
                .filter((n): n is NonNullable<typeof n> => n !== null)
                .map((n) => expr.slice(n.from, n.to));
            selectors.push({ metric: ident ? expr.slice(ident.from, ident.to) : "", labels });
        }
    } while (cursor.next());
    return { errors, selectors };
}
