/**
 * Panels that cannot have data on the configured images' metric contracts
 * say so: "Not emitted by <version>: needs <metric>" in place of an empty
 * graph, and the same in their description (the upgrade gate, see
 * monitoring/upgrade-gate.ts).
 */
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { panelsWithoutData } from "../monitoring/upgrade-gate";
import type { Settings } from "../settings";

/** "Not emitted by …" from a reason "not emitted by …". */
function sentence(reason: string): string {
    return reason.charAt(0).toUpperCase() + reason.slice(1);
}

type PanelJson = {
    title?: string;
    description?: string;
    targets?: { refId?: string }[];
    fieldConfig?: { defaults?: { noValue?: string } };
    panels?: PanelJson[];
};

/** Marks, in place, every panel of the model whose queries cannot have data on the stack's contracts. */
export function markPanelsWithoutData(model: dashboard.Dashboard, settings: Settings): void {
    const without = panelsWithoutData(settings);
    const visit = (panels: PanelJson[]) => {
        for (const p of panels) {
            if (p.panels) visit(p.panels);
            const found = p.title !== undefined ? without.get(p.title) : undefined;
            if (!found) continue;
            const refIds = (p.targets ?? []).map((t) => t.refId ?? "");
            const everyQuery = refIds.every((r) => found.queries.includes(r));
            const which = everyQuery ? "" : ` (queries ${found.queries.join(", ")})`;
            p.description = `${p.description ?? ""} With the configured images: ${found.reason}${which}.`.trim();
            // Grafana shows noValue only when every query is empty.
            if (everyQuery) p.fieldConfig = { ...p.fieldConfig, defaults: { ...p.fieldConfig?.defaults, noValue: sentence(found.reason) } };
        }
    };
    visit((model.panels ?? []) as PanelJson[]);
}
