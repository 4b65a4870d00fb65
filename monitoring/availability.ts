/**
 * Which rules, alerts and panels can have data on a given set of exporter
 * versions (their metric contracts), and which raw metrics they lack when
 * they cannot. Pure, no Pulumi; it parses PromQL with Prometheus' own Lezer
 * grammar (a dev dependency), so it runs at generation time (`npm run gen`
 * writes contracts/availability.generated.json) and in tests, never in a
 * preview.
 *
 * Semantics, per expression:
 * - a selector has data iff some contract writes that metric (either SGLang
 *   spelling counts) and every label it requires a value of is a label the
 *   exporter writes; a recorded series has data iff one of its rules does;
 * - `a or b`: either side; `a and b`, arithmetic and comparison between two
 *   vectors: both; `a unless b`: the left side;
 * - functions and aggregations: all their vector arguments; `absent()`,
 *   `vector()`, `time()`, `scalar()` and literals: always;
 * - `up`, `ALERTS`, the self-metrics of Prometheus, Alertmanager and
 *   Grafana, and the canary's `probe_*`: always (the monitoring stack itself
 *   writes them).
 */
import { parser } from "@prometheus-io/lezer-promql";
import { baseName, written } from "../contracts/generate";
import type { ExporterContract, MetricEntry } from "../contracts/types";
import type { RecordingRule, RuleGroup } from "./types";

/** A node of the parsed tree (the type as the parser package exports it). */
type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

/** Series the monitoring stack writes itself, whatever the exporters. */
const ALWAYS_PRESENT = /^(up|ALERTS|ALERTS_FOR_STATE|(prometheus|alertmanager|grafana|scrape|probe)_.*)$/;

/** Functions that return a sample whether or not their argument has one. */
const ALWAYS_RETURN = new Set(["absent", "absent_over_time", "vector", "time", "scalar", "pi"]);

/** Labels every scraped series carries besides the exporter's own. */
const TARGET_LABELS = ["job", "instance", "__name__"];

/** Whether an expression can have data, and if not, the raw metrics it lacks. */
export interface Verdict {
    ok: boolean;
    /**
     * What would give it data: alternatives, each a set of lacking metrics
     * that must all be written (`[["a", "b"], ["c"]]` = a and b, or c).
     * Empty when `ok`.
     */
    needs: string[][];
    /** Every metric named in `needs`, sorted. */
    missing: string[];
}

const OK: Verdict = { ok: true, needs: [], missing: [] };

/** Alternatives kept at most; beyond them, the first ones (cross products of many `or`s grow fast). */
const MAX_ALTERNATIVES = 16;

function verdictOf(needs: string[][]): Verdict {
    return { ok: false, needs, missing: [...new Set(needs.flat())].sort() };
}

function lacking(metric: string): Verdict {
    return verdictOf([[metric]]);
}

/** Same alternatives in canonical form: sorted sets, one per spelling-insensitive key, no superset of another. */
function simplify(needs: string[][], canonical: (name: string) => string): string[][] {
    const byKey = new Map<string, string[]>();
    for (const set of needs) {
        const sorted = [...new Set(set)].sort();
        const key = [...new Set(sorted.map(canonical))].sort().join(" ");
        if (!byKey.has(key)) byKey.set(key, sorted);
    }
    const sets = [...byKey.values()];
    const keys = [...byKey.keys()].map((k) => new Set(k.split(" ")));
    return sets
        .filter((_, i) => !keys.some((other, j) => j !== i && other.size < keys[i].size && [...other].every((n) => keys[i].has(n))))
        .slice(0, MAX_ALTERNATIVES);
}

/** A label matcher of a selector. */
interface Matcher {
    label: string;
    op: string;
    value: string;
}

/** Whether a matcher matches a label value ("" for a label the series lacks, as Prometheus treats it). */
function matchesValue(m: Matcher, value: string): boolean {
    const pattern = (() => {
        try {
            return new RegExp(`^(?:${m.value})$`);
        } catch {
            return undefined;
        }
    })();
    switch (m.op) {
        case "=":
            return m.value === value;
        case "!=":
            return m.value !== value;
        case "=~":
            return pattern ? pattern.test(value) : true;
        case "!~":
            return pattern ? !pattern.test(value) : true;
        default:
            return true;
    }
}

/** Whether a matcher can match a series that lacks the label. */
function matchesEmpty(m: Matcher): boolean {
    return matchesValue(m, "");
}

/** A raw metric a contract writes, with the suffix the selector used (`_bucket`, …). */
interface Found {
    contract: ExporterContract;
    entry: MetricEntry;
    suffix: string;
}

const HISTOGRAM_PARTS = ["_bucket", "_count", "_sum"];

/** The entry a selector's name refers to in one contract (histogram parts included), if listed at all. */
function findEntry(contract: ExporterContract, name: string): Found | undefined {
    const base = baseName(contract, name);
    for (const entry of contract.metrics) {
        const entryBase = baseName(contract, entry.name);
        if (entryBase === base) return { contract, entry, suffix: "" };
        if (entry.type === "histogram") {
            const suffix = HISTOGRAM_PARTS.find((s) => base === entryBase + s);
            if (suffix) return { contract, entry, suffix };
        }
    }
    return undefined;
}

function matchersOf(node: SyntaxNode, text: (n: SyntaxNode) => string): Matcher[] {
    return node
        .getChildren("LabelMatchers")
        .flatMap((m) => m.getChildren("UnquotedLabelMatcher").concat(m.getChildren("QuotedLabelMatcher")))
        .map((m) => {
            const label = m.getChild("LabelName");
            const op = m.getChild("MatchOp");
            const value = m.getChild("StringLiteral");
            return {
                label: label ? text(label) : "",
                op: op ? text(op) : "=",
                value: value ? (JSON.parse(text(value).replace(/^'|'$/g, '"')) as string) : "",
            };
        });
}

/** Node names that are expressions (as opposed to operators, modifiers, durations). */
const EXPRESSIONS = new Set([
    "BinaryExpr",
    "AggregateExpr",
    "FunctionCall",
    "ParenExpr",
    "VectorSelector",
    "MatrixSelector",
    "SubqueryExpr",
    "OffsetExpr",
    "UnaryExpr",
    "StepInvariantExpr",
    "NumberDurationLiteral",
    "NumberLiteral",
    "StringLiteral",
]);

function children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
}

function expressionChildren(node: SyntaxNode): SyntaxNode[] {
    return children(node).filter((c) => EXPRESSIONS.has(c.name));
}

/**
 * Decides expressions against one set of contracts. Recorded series are
 * resolved through the rules given (every group, recording and alerting).
 */
export class AvailabilityChecker {
    private readonly recorded = new Map<string, RecordingRule[]>();
    private readonly ruleVerdicts = new Map<RecordingRule, Verdict>();
    private readonly resolving = new Set<RecordingRule>();

    constructor(
        private readonly contracts: readonly ExporterContract[],
        groups: readonly RuleGroup[],
    ) {
        for (const g of groups) {
            for (const r of g.rules) {
                if ("record" in r) this.recorded.set(r.record, [...(this.recorded.get(r.record) ?? []), r]);
            }
        }
    }

    /** Whether a PromQL expression can have data; throws when it does not parse. */
    check(expr: string): Verdict {
        const tree = parser.parse(expr);
        const errors: string[] = [];
        tree.iterate({
            enter: (n) => {
                if (n.type.isError) errors.push(`at ${n.from}`);
            },
        });
        if (errors.length > 0) throw new Error(`cannot parse PromQL (${errors.join(", ")}): ${expr}`);
        const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
        return this.node(tree.topNode, text);
    }

    /** Whether a recorded series has data: one of the rules recording it does. */
    recordedSeries(name: string): Verdict {
        return this.any((this.recorded.get(name) ?? []).map((r) => this.rule(r)));
    }

    /** A name in the first spelling of the contract it belongs to (`sglang_x` → `sglang:x`). */
    private readonly canonical = (name: string): string => {
        for (const c of this.contracts) {
            const [first, ...others] = c.spellings ?? [];
            const s = others.find((p) => name.startsWith(p));
            if (first !== undefined && s !== undefined) return first + name.slice(s.length);
        }
        return name;
    };

    /** Both (all) must have data: every combination of their alternatives. */
    private all(verdicts: Verdict[]): Verdict {
        const failed = verdicts.filter((v) => !v.ok);
        if (failed.length === 0) return OK;
        let needs: string[][] = [[]];
        for (const v of failed)
            needs = simplify(
                needs.flatMap((set) => v.needs.map((alt) => [...set, ...alt])),
                this.canonical,
            );
        return verdictOf(needs);
    }

    /** Either (any) has data. */
    private any(verdicts: Verdict[]): Verdict {
        if (verdicts.length === 0 || verdicts.some((v) => v.ok)) return OK;
        return verdictOf(
            simplify(
                verdicts.flatMap((v) => v.needs),
                this.canonical,
            ),
        );
    }

    private rule(r: RecordingRule): Verdict {
        const known = this.ruleVerdicts.get(r);
        if (known) return known;
        if (this.resolving.has(r)) throw new Error(`recording rules refer to ${r.record} in a cycle`);
        this.resolving.add(r);
        const verdict = this.check(r.expr);
        this.resolving.delete(r);
        this.ruleVerdicts.set(r, verdict);
        return verdict;
    }

    private node(node: SyntaxNode, text: (n: SyntaxNode) => string): Verdict {
        switch (node.name) {
            case "VectorSelector":
                return this.selector(node, text);
            case "NumberDurationLiteral":
            case "NumberLiteral":
            case "StringLiteral":
                return OK;
            case "BinaryExpr":
                return this.binary(node, text);
            case "FunctionCall": {
                const fn = node.getChild("FunctionIdentifier");
                if (fn && ALWAYS_RETURN.has(text(fn))) return OK;
                const body = node.getChild("FunctionCallBody");
                return this.all(body ? expressionChildren(body).map((c) => this.node(c, text)) : []);
            }
            case "AggregateExpr": {
                const body = node.getChild("FunctionCallBody");
                return this.all(body ? expressionChildren(body).map((c) => this.node(c, text)) : []);
            }
            default:
                return this.all(expressionChildren(node).map((c) => this.node(c, text)));
        }
    }

    private binary(node: SyntaxNode, text: (n: SyntaxNode) => string): Verdict {
        const [left, right] = expressionChildren(node);
        const op = children(node).find((c) => !EXPRESSIONS.has(c.name) && c.name !== "MatchingModifierClause" && c.name !== "BoolModifier");
        const l = this.node(left, text);
        const r = this.node(right, text);
        switch (op?.name) {
            case "Or":
                return this.any([l, r]);
            case "Unless":
                return l;
            default:
                // `and`, arithmetic and comparisons: a result needs both sides (a literal side always has data).
                return this.all([l, r]);
        }
    }

    private selector(node: SyntaxNode, text: (n: SyntaxNode) => string): Verdict {
        const ident = node.getChild("Identifier");
        const matchers = matchersOf(node, text);
        const nameMatcher = matchers.find((m) => m.label === "__name__" && m.op === "=");
        const name = ident ? text(ident) : (nameMatcher?.value ?? "");
        if (name === "") return this.byNamePattern(matchers);
        if (ALWAYS_PRESENT.test(name)) return OK;
        // A name may be both recorded (with the rule's static labels) and written by an exporter (without them).
        const rules = (this.recorded.get(name) ?? []).filter((r) =>
            matchers.every((m) => r.labels?.[m.label] === undefined || matchesValue(m, r.labels[m.label])),
        );
        const candidates = this.contracts.map((c) => findEntry(c, name)).filter((f): f is Found => f !== undefined);
        const verdicts = rules.map((r) => this.rule(r));
        if (candidates.length > 0 || verdicts.length === 0) verdicts.push(this.raw(name, matchers, candidates));
        return this.any(verdicts);
    }

    /** A selector without a fixed name (`{__name__=~"ananke_.+"}`): some written metric whose scraped name matches. */
    private byNamePattern(matchers: Matcher[]): Verdict {
        const nameMatchers = matchers.filter((m) => m.label === "__name__");
        const others = matchers.filter((m) => m.label !== "__name__");
        const matches = (scraped: string) => nameMatchers.every((m) => matchesValue(m, scraped));
        if ([...this.recorded.keys()].some(matches) || ["up", "ALERTS"].some(matches)) return OK;
        const candidates: Found[] = [];
        for (const contract of this.contracts) {
            for (const entry of contract.metrics) {
                const spellings = contract.spellings?.length ? contract.spellings : [""];
                const names = spellings.map((s) => (s ? s + baseName(contract, entry.name) : entry.name));
                const parts = entry.type === "histogram" ? ["_bucket", "_count", "_sum"] : [""];
                const suffix = parts.find((p) => names.some((n) => matches(n + p)));
                if (suffix !== undefined) candidates.push({ contract, entry, suffix });
            }
        }
        return this.raw(nameMatchers.map((m) => `{__name__${m.op}"${m.value}"}`).join(""), others, candidates);
    }

    private raw(name: string, matchers: Matcher[], candidates: Found[]): Verdict {
        const required = matchers.filter((m) => !matchesEmpty(m) && !TARGET_LABELS.includes(m.label));
        const usable = candidates.some(
            (f) => written(f.entry) && required.every((m) => f.entry.labels.includes(m.label) || (m.label === "le" && f.suffix === "_bucket")),
        );
        return usable ? OK : lacking(name);
    }
}
