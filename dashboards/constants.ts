/**
 * Names and identifiers shared by the dashboard code, the Grafana components
 * and the links in alerts. One place for each, so a rename cannot leave a
 * dangling reference.
 */

/** Stable dashboard uid: alert links and the stack output point at /d/<uid>. */
export const DASHBOARD_UID = "sglang-ananke";

export const DASHBOARD_TITLE = "SGLang Ananke Dashboard";

/** Grafana folder the dashboard is placed in. */
export const FOLDER_TITLE = "SGLang";

/**
 * Fixed uid of the Prometheus datasource the stack creates in Grafana. A fixed
 * uid (rather than a generated one) lets the dashboard be rendered without
 * knowing the Grafana instance.
 */
export const DATASOURCE_UID = "sglang-prometheus";

/** Name of the dashboard's datasource variable; panels refer to `${datasource}`. */
export const DATASOURCE_VARIABLE = "datasource";

/** Name of the import-time input in the hand-importable JSON (`${DS_PROMETHEUS}`). */
export const IMPORT_DATASOURCE_INPUT = "DS_PROMETHEUS";

/** Tags put on the dashboard, for search and dashboard-list panels. */
export const DASHBOARD_TAGS = ["sglang", "ananke", "llm", "gpu"];

/** Repository path of the committed, hand-importable dashboard JSON (the guide's path). */
export const COMMITTED_DASHBOARD_PATH = "monitoring/grafana/dashboards/sglang-ananke.json";
