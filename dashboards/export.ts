/**
 * The hand-importable variant of the dashboard (Dashboards → Import → Upload
 * JSON file). Grafana's import asks for every `__inputs` entry and replaces
 * `${DS_PROMETHEUS}` everywhere with the chosen datasource, so the datasource
 * variable starts on the user's Prometheus whatever its uid is. (The guide's
 * original file referenced `${DS_PROMETHEUS}` without declaring the input,
 * which left every panel without a datasource.)
 */
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DATASOURCE_VARIABLE, IMPORT_DATASOURCE_INPUT } from "./constants";

/** Oldest Grafana the exported panels and variables are written for. */
export const MIN_GRAFANA_VERSION = "11.0.0";

export interface ImportInput {
    name: string;
    label: string;
    description: string;
    type: "datasource";
    pluginId: string;
    pluginName: string;
}

export interface ImportRequirement {
    type: "grafana" | "datasource" | "panel";
    id: string;
    name: string;
    version: string;
}

export type ImportableDashboard = {
    __inputs: ImportInput[];
    __elements: Record<string, never>;
    __requires: ImportRequirement[];
} & Omit<dashboard.Dashboard, "id">;

/** Display names of the panel plugins the dashboard may use, for `__requires`. */
const PANEL_NAMES: Record<string, string> = {
    timeseries: "Time series",
    stat: "Stat",
    gauge: "Gauge",
    heatmap: "Heatmap",
};

function panelTypes(model: dashboard.Dashboard): string[] {
    const types = new Set<string>();
    for (const p of model.panels ?? []) {
        if (p.type === "row") {
            for (const inner of (p as dashboard.RowPanel).panels) types.add(inner.type);
        } else {
            types.add(p.type);
        }
    }
    return [...types].sort();
}

/** The dashboard with a datasource input instead of a fixed datasource uid, and no instance-specific id. */
export function exportForImport(model: dashboard.Dashboard): ImportableDashboard {
    const copy = structuredClone(model);
    delete copy.id;
    const placeholder = `\${${IMPORT_DATASOURCE_INPUT}}`;
    const dsVariable = copy.templating.list?.find((v) => v.name === DATASOURCE_VARIABLE);
    if (!dsVariable) throw new Error(`the dashboard has no "${DATASOURCE_VARIABLE}" variable to default to the import input`);
    dsVariable.current = { text: placeholder, value: placeholder, selected: true };

    const requires: ImportRequirement[] = [
        { type: "grafana", id: "grafana", name: "Grafana", version: MIN_GRAFANA_VERSION },
        { type: "datasource", id: "prometheus", name: "Prometheus", version: "1.0.0" },
        ...panelTypes(model).map((id): ImportRequirement => ({ type: "panel", id, name: PANEL_NAMES[id] ?? id, version: "" })),
    ];
    return {
        __inputs: [
            {
                name: IMPORT_DATASOURCE_INPUT,
                label: "Prometheus",
                description: "The Prometheus that scrapes SGLang, the GPU exporter and node exporter and loads the recording rules.",
                type: "datasource",
                pluginId: "prometheus",
                pluginName: "Prometheus",
            },
        ],
        __elements: {},
        __requires: requires,
        ...copy,
    };
}
