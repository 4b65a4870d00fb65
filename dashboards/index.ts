/** Grafana dashboards as code (no Pulumi import): build, export for import, render, inspect. */
export * from "./constants";
export { buildDashboard, dashboardRows, type BuildOptions } from "./dashboard";
export { exportForImport, type ImportableDashboard } from "./export";
export { dashboardQueries, variableQueries, type PanelQuery } from "./queries";
export { renderCommittedDashboardFiles } from "./render";
