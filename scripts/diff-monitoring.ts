/**
 * `npm run diff:monitoring -- --base <render dir> --head <render dir> [--stack <name>]`
 *
 * Compares two renders of a stack (`npm run render`, before and after a
 * change) and prints, in Markdown for a pull request comment, what the
 * change does to monitoring and serving in plain terms: alerts added or
 * removed, thresholds (the alert expression) and `for` durations changed,
 * Alertmanager routes and receivers changed, dashboard panels added or
 * removed, images changed, and which other rendered objects changed.
 * A missing directory or file counts as empty (a stack that is new, or a
 * base rendered before a file existed).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as YAML from "yaml";

export interface AlertView {
    expr: string;
    for: string;
    severity: string;
}

/** Every rendered file under `dir`, relative path → content. */
export function readRender(dir: string): Map<string, string> {
    const files = new Map<string, string>();
    if (!fs.existsSync(dir)) return files;
    for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!e.isFile()) continue;
        const full = path.join(e.parentPath, e.name);
        files.set(path.relative(dir, full).split(path.sep).join("/"), fs.readFileSync(full, "utf8"));
    }
    return files;
}

type Doc = Record<string, any>;
const parse = (text: string | undefined): Doc | undefined => (text === undefined ? undefined : (YAML.parse(text) as Doc));

/** Kubernetes manifests of a render. */
function manifests(files: Map<string, string>): Doc[] {
    return [...files]
        .filter(([f]) => f.startsWith("kubernetes/"))
        .map(([, t]) => parse(t)!)
        .filter(Boolean);
}

/** Alert name → what a reviewer compares: the rule files, or the PrometheusRule when the cluster's Prometheus runs them. */
export function alertsOf(files: Map<string, string>): Map<string, AlertView> {
    const groups: Doc[] = [];
    for (const [f, t] of files) if (/^prometheus\/rules\/.+\.ya?ml$/.test(f)) groups.push(...(parse(t)?.groups ?? []));
    if (groups.length === 0) for (const m of manifests(files)) if (m.kind === "PrometheusRule") groups.push(...(m.spec?.groups ?? []));
    const alerts = new Map<string, AlertView>();
    for (const g of groups)
        for (const r of g.rules ?? []) {
            if (!r.alert) continue;
            alerts.set(String(r.alert), { expr: String(r.expr).trim(), for: String(r.for ?? "0s"), severity: String(r.labels?.severity ?? "") });
        }
    return alerts;
}

/** Alertmanager routes as "matchers → receiver" lines, and receiver name → its integrations. */
export function routingOf(files: Map<string, string>): { routes: string[]; receivers: Map<string, string> } {
    let config = parse(files.get("alertmanager/alertmanager.yml"));
    if (!config) {
        const amc = manifests(files).find((m) => m.kind === "AlertmanagerConfig");
        if (amc) config = { route: amc.spec?.route, receivers: amc.spec?.receivers };
    }
    const routes: string[] = [];
    const walk = (route: Doc | undefined, parents: string[]): void => {
        if (!route) return;
        const matchers = (route.matchers ?? []).map((m: unknown) =>
            typeof m === "string" ? m : `${(m as Doc).name}${(m as Doc).matchType ?? "="}"${(m as Doc).value}"`,
        );
        const here = [...parents, ...matchers];
        routes.push(
            `${here.length ? here.join(", ") : "(everything else)"} → ${route.receiver ?? "(parent's receiver)"}${route.continue ? " (continue)" : ""}`,
        );
        for (const child of route.routes ?? []) walk(child, here);
    };
    walk(config?.route, []);
    const receivers = new Map<string, string>();
    for (const r of config?.receivers ?? []) {
        const kinds = Object.keys(r)
            .filter((k) => k !== "name")
            .map((k) => k.replace(/_?[cC]onfigs$/, ""))
            .sort();
        receivers.set(String(r.name), kinds.length ? kinds.join(", ") : "no integration");
    }
    return { routes, receivers };
}

/** Titles of the dashboard's panels, rows included (nested panels of collapsed rows too). */
export function panelsOf(files: Map<string, string>): string[] {
    const text = files.get("grafana/dashboards/sglang-ananke.json");
    if (!text) return [];
    // Panels follow their row in the list; a collapsed row holds its own.
    const titles: string[] = [];
    let row = "";
    const walk = (panels: Doc[] | undefined): void => {
        for (const p of panels ?? []) {
            if (p.type === "row") {
                row = String(p.title);
                titles.push(`${row} (row)`);
                walk(p.panels);
            } else {
                titles.push(row ? `${row} / ${p.title}` : String(p.title));
            }
        }
    };
    walk((JSON.parse(text) as Doc).panels);
    return titles;
}

/** Where → image: Docker containers and images, and every container of a Kubernetes workload. */
export function imagesOf(files: Map<string, string>): Map<string, string> {
    const images = new Map<string, string>();
    const compose = parse(files.get("docker/compose.yaml"));
    for (const [name, c] of Object.entries((compose?.containers ?? {}) as Record<string, Doc>))
        if (c.image) images.set(`container ${name}`, String(c.image));
    for (const m of manifests(files)) {
        const pod = m.spec?.template?.spec;
        if (!pod) continue;
        for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])])
            images.set(`${m.kind} ${m.metadata?.name} / ${c.name}`, String(c.image));
    }
    return images;
}

/** Rendered files that differ, other than the monitoring files summarized above. */
function otherChanges(base: Map<string, string>, head: Map<string, string>): string[] {
    const summarized = /^(prometheus\/|alertmanager\/|grafana\/dashboards\/)/;
    const all = [...new Set([...base.keys(), ...head.keys()])].filter((f) => !summarized.test(f)).sort();
    return all.flatMap((f) => {
        if (!base.has(f)) return [`\`${f}\` added`];
        if (!head.has(f)) return [`\`${f}\` removed`];
        return base.get(f) !== head.get(f) ? [`\`${f}\` changed`] : [];
    });
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** The Markdown summary of what changes from `base` to `head`; says so when nothing does. */
export function diffMonitoring(base: Map<string, string>, head: Map<string, string>, stack?: string): string {
    const sections: string[] = [];
    const section = (title: string, lines: string[]): void => {
        if (lines.length) sections.push(`**${title}**\n\n${lines.map((l) => `- ${l}`).join("\n")}`);
    };

    const [a, b] = [alertsOf(base), alertsOf(head)];
    const alertLines: string[] = [];
    for (const [name, alert] of b)
        if (!a.has(name)) alertLines.push(`added ${code(name)} (${alert.severity}, for ${alert.for}): ${code(alert.expr)}`);
    for (const [name, alert] of a) if (!b.has(name)) alertLines.push(`removed ${code(name)} (${alert.severity})`);
    for (const [name, before] of a) {
        const after = b.get(name);
        if (!after) continue;
        if (before.expr !== after.expr) alertLines.push(`${code(name)} threshold/expression: ${code(before.expr)} → ${code(after.expr)}`);
        if (before.for !== after.for) alertLines.push(`${code(name)} for: ${before.for} → ${after.for}`);
        if (before.severity !== after.severity) alertLines.push(`${code(name)} severity: ${before.severity} → ${after.severity}`);
    }
    section("Alerts", alertLines);

    const [ra, rb] = [routingOf(base), routingOf(head)];
    const routeLines: string[] = [];
    for (const [name, kinds] of rb.receivers) {
        if (!ra.receivers.has(name)) routeLines.push(`receiver ${code(name)} added (${kinds})`);
        else if (ra.receivers.get(name) !== kinds) routeLines.push(`receiver ${code(name)}: ${ra.receivers.get(name)} → ${kinds}`);
    }
    for (const name of ra.receivers.keys()) if (!rb.receivers.has(name)) routeLines.push(`receiver ${code(name)} removed`);
    for (const r of rb.routes) if (!ra.routes.includes(r)) routeLines.push(`route added: ${r}`);
    for (const r of ra.routes) if (!rb.routes.includes(r)) routeLines.push(`route removed: ${r}`);
    section("Alert routing", routeLines);

    const [pa, pb] = [panelsOf(base), panelsOf(head)];
    section("Dashboard panels", [
        ...pb.filter((p) => !pa.includes(p)).map((p) => `added ${code(p)}`),
        ...pa.filter((p) => !pb.includes(p)).map((p) => `removed ${code(p)}`),
    ]);

    const [ia, ib] = [imagesOf(base), imagesOf(head)];
    const imageLines: string[] = [];
    for (const [where, image] of ib) {
        if (!ia.has(where)) imageLines.push(`${where}: ${code(image)} (new)`);
        else if (ia.get(where) !== image) imageLines.push(`${where}: ${code(ia.get(where)!)} → ${code(image)}`);
    }
    for (const where of ia.keys()) if (!ib.has(where)) imageLines.push(`${where}: removed`);
    section("Images", imageLines);

    section("Other rendered objects", otherChanges(base, head));

    const heading = `### Monitoring and serving changes${stack ? `: ${stack}` : ""}`;
    return sections.length
        ? `${heading}\n\n${sections.join("\n\n")}\n`
        : `${heading}\n\nNo change to alerts, routing, dashboard panels, images or other rendered objects.\n`;
}

const USAGE = "usage: npm run diff:monitoring -- --base <render dir> --head <render dir> [--stack <name>]";

export function main(argv: string[]): number {
    try {
        const { values } = parseArgs({ args: argv, options: { base: { type: "string" }, head: { type: "string" }, stack: { type: "string" } } });
        if (!values.base || !values.head) {
            console.error(USAGE);
            return 2;
        }
        if (!fs.existsSync(values.head)) {
            console.error(`no render at ${values.head}: run npm run render -- --stack <name> --out ${values.head}`);
            return 2;
        }
        process.stdout.write(diffMonitoring(readRender(values.base), readRender(values.head), values.stack));
        return 0;
    } catch (e) {
        if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS")) {
            console.error(`${e.message}\n${USAGE}`);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
