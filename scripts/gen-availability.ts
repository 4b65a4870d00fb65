/**
 * Writes contracts/availability.generated.json: for every combination of
 * known contracts (SGLang × GPU exporter × node exporter), the recording
 * rules, alerts, panels and dashboard queries that cannot have data, with the
 * raw metrics they lack (see monitoring/availability.ts for the semantics).
 *   npx ts-node --transpile-only scripts/gen-availability.ts   (or `npm run gen`)
 * A test fails when the committed file differs from what this computes.
 */

import { type AvailabilityTable, type Combination, type ContractSummary, type Lacking, useAvailabilityTable } from "../contracts/gate";
import * as gpuContracts from "../contracts/gpu";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { SGLANG_ROUTER_CONTRACTS } from "../contracts/sglang-router";
import type { ExporterContract } from "../contracts/types";
import { buildDashboard } from "../dashboards/dashboard";
import { substituteVariables } from "../dashboards/promql-check";
import { alertRuleGroups } from "../monitoring/alerts";
import { AvailabilityChecker } from "../monitoring/availability";
import { defaultLinks } from "../monitoring/links";
import { recordingRuleGroups } from "../monitoring/recording";
import type { AlertingRule, RecordingRule } from "../monitoring/types";
import { parseSettings } from "../settings";
import { writeRepoFiles } from "./write-repo-files";

export const AVAILABILITY_PATH = "contracts/availability.generated.json";

/** Every GPU exporter contract: each list contracts/gpu.ts exports, node exporter's aside. */
function gpuExporterContracts(): ExporterContract[] {
    return Object.values(gpuContracts)
        .filter((v): v is readonly ExporterContract[] => Array.isArray(v))
        .flat()
        .filter((c) => c.exporter === "dcgm-exporter" || c.exporter === "nvidia-gpu-exporter");
}

function summary(c: ExporterContract): ContractSummary {
    return { id: c.id, exporter: c.exporter, version: c.version, images: c.images };
}

interface Panel {
    title: string;
    queries: { refId: string; expr: string }[];
}

/** Every panel with queries, as Grafana would send them ("All" for variables). */
function panels(model: { panels?: unknown[] }): Panel[] {
    type P = { title?: string; targets?: { refId?: string; expr?: string }[]; panels?: P[] };
    const out: Panel[] = [];
    const visit = (list: P[]) => {
        for (const p of list) {
            const queries = (p.targets ?? [])
                .filter((t) => typeof t.expr === "string")
                .map((t) => ({ refId: t.refId ?? "", expr: substituteVariables(t.expr as string) }));
            if (queries.length > 0) out.push({ title: p.title ?? "", queries });
            if (p.panels) visit(p.panels);
        }
    };
    visit((model.panels ?? []) as P[]);
    return out;
}

function ruleKey(r: RecordingRule): string {
    const labels = Object.entries(r.labels ?? {}).map(([k, v]) => `${k}="${v}"`);
    return labels.length > 0 ? `${r.record}{${labels.join(", ")}}` : r.record;
}

/** Adds what an item needs; several rules or queries of one name need all of theirs. */
function add(into: Lacking, name: string, needs: string[][]): void {
    const before = into[name];
    const combined = before ? before.flatMap((a) => needs.map((b) => [...new Set([...a, ...b])].sort())) : needs;
    const unique = [...new Map(combined.map((set) => [set.join(" "), set])).values()];
    // An alternative that needs more than another adds nothing.
    into[name] = unique.filter((set) => !unique.some((other) => other.length < set.length && other.every((m) => set.includes(m))));
}

/** The table from the default settings' rules, alerts and dashboard (thresholds do not change which series they read). */
export function computeAvailabilityTable(): AvailabilityTable {
    const settings = parseSettings("dev", {});
    const groups = [...recordingRuleGroups(settings), ...alertRuleGroups(settings, defaultLinks(settings))];
    const rules = groups.flatMap((g) => g.rules);
    const recording = rules.filter((r): r is RecordingRule => "record" in r);
    const alerts = rules.filter((r): r is AlertingRule => "alert" in r);
    const dashboardPanels = panels(buildDashboard(settings, { datasourceUid: "sglang-prometheus" }));

    const sglang = SGLANG_CONTRACTS;
    const gpu = gpuExporterContracts();
    const node = [...gpuContracts.NODE_EXPORTER_CONTRACTS];
    const combinations: Combination[] = [];
    for (const s of sglang) {
        for (const g of gpu) {
            for (const n of node) {
                // One router version is supported: every combination reads it beside the others.
                const checker = new AvailabilityChecker([s, g, n, ...SGLANG_ROUTER_CONTRACTS], groups);
                const combo: Combination = { sglang: s.id, gpu: g.id, node: n.id, alerts: {}, panels: {}, queries: {}, rules: {} };
                for (const r of recording) {
                    const v = checker.check(r.expr);
                    if (!v.ok) add(combo.rules, ruleKey(r), v.needs);
                }
                for (const a of alerts) {
                    const v = checker.check(a.expr);
                    if (!v.ok) add(combo.alerts, a.alert, v.needs);
                }
                for (const p of dashboardPanels) {
                    for (const q of p.queries) {
                        const v = checker.check(q.expr);
                        if (v.ok) continue;
                        add(combo.queries, `${p.title} [${q.refId}]`, v.needs);
                        add(combo.panels, p.title, v.needs);
                    }
                }
                combinations.push(combo);
            }
        }
    }
    return {
        contracts: [...sglang, ...gpu, ...node].map(summary),
        panelQueries: Object.fromEntries(dashboardPanels.map((p) => [p.title, p.queries.map((q) => q.refId)])),
        combinations,
    };
}

/** The file's content: stable JSON, one key per line. */
export function renderAvailabilityTable(table: AvailabilityTable): string {
    return `${JSON.stringify(table, null, 2)}\n`;
}

/** Writes the table and makes it the one later generators of this run read; returns the path written. */
export function main(): string[] {
    const table = computeAvailabilityTable();
    useAvailabilityTable(table);
    return writeRepoFiles({ [AVAILABILITY_PATH]: renderAvailabilityTable(table) });
}

if (require.main === module) {
    for (const relative of main()) console.log(`wrote ${relative}`);
}
