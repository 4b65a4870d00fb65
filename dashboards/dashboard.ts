/**
 * The SGLang Ananke dashboard as a Grafana dashboard JSON model, built with
 * the Grafana foundation SDK from the stack's settings (alert thresholds
 * become panel thresholds).
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { Settings } from "../settings";
import { DASHBOARD_TAGS, DASHBOARD_TITLE, DASHBOARD_UID } from "./constants";
import { placeRows } from "./layout";
import type { RowSpec } from "./panels";
import { anankeRow } from "./rows/ananke";
import { cacheRow } from "./rows/cache";
import { canaryRow } from "./rows/canary";
import { costRow } from "./rows/cost";
import { gpuRow } from "./rows/gpu";
import { hostRow } from "./rows/host";
import { latencyRow } from "./rows/latency";
import { overviewRow } from "./rows/overview";
import { routerRow } from "./rows/router";
import { throughputRow } from "./rows/throughput";
import { markPanelsWithoutData } from "./unavailable";
import { datasourceVariable, instanceVariable, modelVariable } from "./variables";

export interface BuildOptions {
    /** Uid of the Prometheus datasource the datasource variable preselects. */
    datasourceUid: string;
}

/** The rows, top to bottom. */
export function dashboardRows(settings: Settings): RowSpec[] {
    const canary = canaryRow(settings);
    return [
        overviewRow(settings),
        ...(canary ? [canary] : []),
        latencyRow(settings),
        throughputRow(settings),
        cacheRow(settings),
        anankeRow(settings),
        gpuRow(settings),
        hostRow(settings),
        routerRow(settings),
        costRow(settings),
    ];
}

/** Builds the dashboard JSON model as plain data (what Grafana's API and provider take as `config_json`). */
export function buildDashboard(settings: Settings, opts: BuildOptions): dashboard.Dashboard {
    const builder = new dashboard.DashboardBuilder(DASHBOARD_TITLE)
        .uid(DASHBOARD_UID)
        .description(
            "SGLang server with the Ananke constrained-decoding backend: requests, latency, throughput, caches, " +
                "Ananke constraints, GPUs and hosts. Panels read the normalized series of the recording rules, so " +
                "they work whichever SGLang metric prefix or GPU exporter is in use.",
        )
        .tags(DASHBOARD_TAGS)
        .editable()
        .timezone("browser")
        .tooltip(dashboard.DashboardCursorSync.Crosshair)
        .time({ from: "now-1h", to: "now" })
        .refresh("30s")
        .withVariable(datasourceVariable(opts.datasourceUid))
        .withVariable(instanceVariable())
        .withVariable(modelVariable());

    const rows = dashboardRows(settings).map((r) => ({ title: r.title, items: r.panels }));
    for (const placed of placeRows(rows)) {
        // Expanded rows: the row header, then its panels at the top level of the dashboard.
        builder.withRow(new dashboard.RowBuilder(placed.row.title).id(placed.id).gridPos(placed.gridPos));
        for (const cell of placed.cells) {
            cell.item.builder.id(cell.id);
            cell.item.builder.gridPos(cell.gridPos);
            builder.withPanel(cell.item.builder);
        }
    }
    // Plain JSON: the SDK's query objects carry marker methods that JSON (and Grafana) do not have.
    const model = JSON.parse(JSON.stringify(builder.build())) as dashboard.Dashboard;
    markPanelsWithoutData(model, settings);
    return model;
}
