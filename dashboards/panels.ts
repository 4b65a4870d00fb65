/**
 * Typed builder functions, one per kind of panel. Rows describe panels with
 * these specs; the layout (layout.ts) gives them ids and grid positions.
 * Every panel queries the dashboard's `${datasource}` variable, never a
 * hard-coded datasource uid, so the same JSON works when provisioned and when
 * imported by hand.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { DATASOURCE_VARIABLE } from "./constants";

/** The datasource every panel and variable query uses: the dashboard's variable. */
export const PANEL_DATASOURCE: common.DataSourceRef = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

/** One PromQL query of a panel. */
export interface Query {
    expr: string;
    /** Legend template, e.g. "{{instance}} p95". */
    legend: string;
    /** Grafana's min step ("Min interval"): a series recorded at a slower pace is drawn one point per recording. Default: the panel's. */
    minStep?: string;
}

/** A threshold step: from `value` upwards the panel shows `color` (null = the base step). */
export interface ThresholdStep {
    value: number | null;
    color: string;
}

/** What every kind of panel is described by. */
export interface PanelSpec {
    title: string;
    /** Shown in the panel's (i) tooltip: what it shows, and why it may be empty. */
    description: string;
    /** Grafana unit id (see @grafana/grafana-foundation-sdk/units), or "suffix:<text>". */
    unit: string;
    queries: Query[];
    /** Grid columns (of 24) and rows the panel takes. */
    width: number;
    height: number;
    thresholds?: ThresholdStep[];
    min?: number;
    max?: number;
    decimals?: number;
    /** Text shown instead of "No data" when the queries return nothing. */
    noValue?: string;
}

export interface TimeseriesSpec extends PanelSpec {
    /** Stack the series (e.g. running + queued requests). */
    stacked?: boolean;
}

export interface StatSpec extends PanelSpec {
    /** Text and colour for exact values (e.g. 1 → UP, 0 → DOWN). */
    valueText?: { value: number; text: string; color: string }[];
    /** Draw the sparkline behind the value. */
    sparkline?: boolean;
}

/** The SDK panel builders share these; the layout needs only them. */
export interface PlaceablePanel extends cog.Builder<dashboard.Panel> {
    id(id: number): unknown;
    gridPos(gridPos: dashboard.GridPos): unknown;
}

/** A panel ready to be placed: its builder and its size. */
export interface PanelCell {
    title: string;
    width: number;
    height: number;
    builder: PlaceablePanel;
}

/** A dashboard row: a header and the panels under it. */
export interface RowSpec {
    title: string;
    panels: PanelCell[];
}

/** Query builders with refIds A, B, C… in order. */
export function promQueries(queries: Query[], opts: { instant?: boolean } = {}): prometheus.DataqueryBuilder[] {
    return queries.map((q, i) => {
        const b = new prometheus.DataqueryBuilder()
            .datasource(PANEL_DATASOURCE)
            .expr(q.expr)
            .legendFormat(q.legend)
            .refId(String.fromCharCode(65 + i));
        if (q.minStep) b.interval(q.minStep);
        return opts.instant ? b.instant() : b.range();
    });
}

function thresholdsConfig(steps: ThresholdStep[] | undefined): dashboard.ThresholdsConfigBuilder {
    // Without thresholds a single neutral step keeps Grafana from colouring values red at 80.
    return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps ?? [{ value: null, color: "green" }]);
}

/** Options every kind of panel has; applied through the common builder methods. */
function applyCommon<B extends stat.PanelBuilder | timeseries.PanelBuilder | gauge.PanelBuilder>(b: B, spec: PanelSpec): B {
    b.title(spec.title).description(spec.description).datasource(PANEL_DATASOURCE).unit(spec.unit).thresholds(thresholdsConfig(spec.thresholds));
    if (spec.min !== undefined) b.min(spec.min);
    if (spec.max !== undefined) b.max(spec.max);
    if (spec.decimals !== undefined) b.decimals(spec.decimals);
    if (spec.noValue !== undefined) b.noValue(spec.noValue);
    return b;
}

function cell(spec: PanelSpec, builder: PlaceablePanel): PanelCell {
    return { title: spec.title, width: spec.width, height: spec.height, builder };
}

/** A time series graph; thresholds, when given, are drawn as dashed lines (the alert levels). */
export function timeseriesPanel(spec: TimeseriesSpec): PanelCell {
    const b = applyCommon(new timeseries.PanelBuilder(), spec)
        .targets(promQueries(spec.queries))
        .lineWidth(1)
        .fillOpacity(spec.stacked ? 30 : 10)
        .showPoints(common.VisibilityMode.Never)
        .legend(
            new common.VizLegendOptionsBuilder()
                .showLegend(true)
                .displayMode(common.LegendDisplayMode.Table)
                .placement(common.LegendPlacement.Bottom)
                .calcs(["mean", "lastNotNull", "max"]),
        )
        .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
        .thresholdsStyle(
            new common.GraphThresholdsStyleConfigBuilder().mode(
                spec.thresholds ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off,
            ),
        );
    if (spec.stacked) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
    return cell(spec, b);
}

function valueMappings(valueText: StatSpec["valueText"]): dashboard.ValueMapping[] {
    if (!valueText || valueText.length === 0) return [];
    const options: Record<string, dashboard.ValueMappingResult> = {};
    valueText.forEach((v, index) => {
        options[String(v.value)] = { text: v.text, color: v.color, index };
    });
    return [{ type: dashboard.MappingType.ValueToText, options }];
}

/** A single big number (last value), coloured by its thresholds. */
export function statPanel(spec: StatSpec): PanelCell {
    const b = applyCommon(new stat.PanelBuilder(), spec)
        .targets(promQueries(spec.queries))
        .mappings(valueMappings(spec.valueText))
        .colorMode(common.BigValueColorMode.Background)
        .graphMode(spec.sparkline ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None)
        .textMode(common.BigValueTextMode.ValueAndName)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
    return cell(spec, b);
}

/** A gauge (last value) between min and max, with the threshold markers shown. */
export function gaugePanel(spec: PanelSpec): PanelCell {
    const b = applyCommon(new gauge.PanelBuilder(), spec)
        .targets(promQueries(spec.queries))
        .showThresholdMarkers(true)
        .showThresholdLabels(false)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
    return cell(spec, b);
}

/** A latency heatmap from pre-bucketed rates (one series per `le`), as Grafana draws Prometheus histograms. */
export function heatmapPanel(spec: Omit<PanelSpec, "thresholds" | "min" | "max" | "decimals">): PanelCell {
    const queries = promQueries(spec.queries).map((q) => q.format(prometheus.PromQueryFormat.Heatmap));
    const b = new heatmap.PanelBuilder()
        .title(spec.title)
        .description(spec.description)
        .datasource(PANEL_DATASOURCE)
        .targets(queries)
        // Buckets are already counted by Prometheus: Grafana must not re-bucket them.
        .calculate(false)
        .yAxis(new heatmap.YAxisConfigBuilder().unit(spec.unit))
        .color(
            new heatmap.HeatmapColorOptionsBuilder()
                .mode(heatmap.HeatmapColorMode.Scheme)
                .scheme("Oranges")
                .scale(heatmap.HeatmapColorScale.Exponential)
                .exponent(0.5)
                .steps(64),
        )
        .cellValues(new heatmap.CellValuesBuilder().unit("reqps"))
        .showLegend();
    if (spec.noValue !== undefined) b.noValue(spec.noValue);
    return cell({ ...spec }, b);
}
