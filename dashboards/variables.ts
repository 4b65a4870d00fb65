/**
 * The dashboard's variables: the Prometheus datasource, the SGLang servers
 * and the models. Panels filter with `=~"$instance"` and `=~"$model"`; "All"
 * stands for `.*` so a new server or model shows up without editing anything.
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as s from "../monitoring/series";
import { DATASOURCE_VARIABLE } from "./constants";
import { PANEL_DATASOURCE } from "./panels";
import { MODEL_LABEL, SGLANG_TARGETS_UP, VARIABLE } from "./selectors";

/** Grafana's value for the "All" option of a multi-value variable. */
const ALL: dashboard.VariableOption = { text: "All", value: "$__all", selected: true };

/** Datasource picker of type prometheus; `datasourceUid` is the preselected datasource. */
export function datasourceVariable(datasourceUid: string): dashboard.DatasourceVariableBuilder {
    return new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE)
        .label("Data source")
        .type("prometheus")
        .current({ text: datasourceUid, value: datasourceUid, selected: true });
}

function labelValuesVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
    return new dashboard.QueryVariableBuilder(name)
        .label(label)
        .datasource(PANEL_DATASOURCE)
        .query(query)
        .definition(query)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue(".*")
        .current(ALL);
}

/**
 * SGLang servers, from Prometheus' own `up` series of the SGLang job: a server
 * whose /metrics fails (the classic missing --enable-metrics) is still listed,
 * and shown DOWN, instead of vanishing from the picker.
 */
export function instanceVariable(): dashboard.QueryVariableBuilder {
    return labelValuesVariable(VARIABLE.instance, "Instance", `label_values(${SGLANG_TARGETS_UP}, instance)`);
}

/** Models served by the chosen servers, from the normalized request-rate series. */
export function modelVariable(): dashboard.QueryVariableBuilder {
    return labelValuesVariable(VARIABLE.model, "Model", `label_values(${s.SGLANG_REQUESTS_RATE}{instance=~"$${VARIABLE.instance}"}, ${MODEL_LABEL})`);
}
