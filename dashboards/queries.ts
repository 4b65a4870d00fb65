/** Every PromQL query of a dashboard JSON model, for checks and for end-to-end tests against a real Prometheus. */

export interface PanelQuery {
    panelTitle: string;
    expr: string;
}

interface PanelLike {
    type?: string;
    title?: string;
    targets?: unknown[];
    panels?: PanelLike[];
}

/** The queries of every panel, collapsed rows' panels included, in panel order. */
export function dashboardQueries(model: { panels?: unknown[] }): PanelQuery[] {
    const out: PanelQuery[] = [];
    const visit = (panels: PanelLike[]) => {
        for (const p of panels) {
            for (const t of p.targets ?? []) {
                const expr = (t as { expr?: unknown }).expr;
                if (typeof expr === "string") out.push({ panelTitle: p.title ?? "", expr });
            }
            if (p.panels) visit(p.panels);
        }
    };
    visit((model.panels ?? []) as PanelLike[]);
    return out;
}

/** The query of each template variable (label_values(...) and the like), by variable name. */
export function variableQueries(model: { templating?: { list?: unknown[] } }): { name: string; query: string }[] {
    return (model.templating?.list ?? [])
        .map((v) => v as { name?: string; type?: string; query?: unknown })
        .filter((v) => v.type === "query" && typeof v.query === "string")
        .map((v) => ({ name: v.name ?? "", query: v.query as string }));
}
