/** Grafana dashboards as code (no Pulumi import): build, export for import, render, inspect. */
export * from "./constants";
export { type BuildOptions, buildDashboard, dashboardRows } from "./dashboard";
export { exportForImport, type ImportableDashboard } from "./export";
export { dashboardQueries, type PanelQuery, variableQueries } from "./queries";
export { renderCommittedDashboardFiles } from "./render";
