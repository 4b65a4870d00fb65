/**
 * The metric names a PromQL expression reads, found without a PromQL parser
 * (the parser is a dev dependency and must not load in a preview). The
 * expressions are this project's own; a test compares the result with
 * Prometheus' Lezer grammar on every dashboard query and alert.
 */

/** What an expression selects by name: exact names and `__name__` regexes. */
export interface NamesRead {
    names: Set<string>;
    /** `{__name__=~"…"}` patterns (unanchored as written; Prometheus anchors them). */
    patterns: Set<string>;
}

/** Words in PromQL that look like metric names but are not. */
const KEYWORDS = new Set([
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "and",
    "or",
    "unless",
    "bool",
    "offset",
    "inf",
    "nan",
    "atan2",
    "start",
    "end",
]);

/** `"…"`, `'…'` and `` `…` `` with escapes. */
const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;

export function namesRead(expr: string, into: NamesRead = { names: new Set(), patterns: new Set() }): NamesRead {
    // Name matchers first, while the strings are still there.
    for (const m of expr.matchAll(/\{([^}]*)\}/g)) {
        for (const nm of m[1].matchAll(/__name__\s*(=~|=)\s*("(?:[^"\\]|\\.)*")/g)) {
            const value = JSON.parse(nm[2]) as string;
            if (nm[1] === "=") into.names.add(value);
            else into.patterns.add(value);
        }
    }
    const bare = expr
        .replace(STRING, '""')
        .replace(/\{[^}]*\}/g, " ") // label matchers
        .replace(/\[[^\]]*\]/g, " ") // ranges and subqueries
        .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ") // label lists
        .replace(/\$\{\w+(?::\w+)?\}|\$\w+/g, " "); // Grafana variables
    for (const m of bare.matchAll(/(?<![\w:.])([A-Za-z_:][\w:]*)(?!\w)(\s*\()?/g)) {
        const [, word, call] = m;
        if (call || KEYWORDS.has(word.toLowerCase())) continue;
        into.names.add(word);
    }
    return into;
}

/** The names and patterns read by a list of expressions together. */
export function namesReadByAll(exprs: readonly string[]): NamesRead {
    const acc: NamesRead = { names: new Set(), patterns: new Set() };
    for (const e of exprs) namesRead(e, acc);
    return acc;
}
