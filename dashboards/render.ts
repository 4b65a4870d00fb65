/** The dashboard files committed to the repository, rendered with the default settings. */
import { parseSettings } from "../settings";
import { COMMITTED_DASHBOARD_PATH, DATASOURCE_UID } from "./constants";
import { buildDashboard } from "./dashboard";
import { exportForImport } from "./export";

/** Pretty JSON with a trailing newline, as committed. */
export function toJsonFile(value: unknown): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}

/** Repository path → file content of every committed dashboard file. */
export function renderCommittedDashboardFiles(): Record<string, string> {
    const settings = parseSettings("dev", {});
    const model = buildDashboard(settings, { datasourceUid: DATASOURCE_UID });
    return { [COMMITTED_DASHBOARD_PATH]: toJsonFile(exportForImport(model)) };
}
