/**
 * sglang-ananke: SGLang with the Ananke backend on GPUs and the stack that
 * watches it. `pulumi up` on a stack deploys it where the stack's config says.
 */

import { deployStack } from "./components/stack";
import { loadConfig } from "./config";

const outputs = deployStack(loadConfig());

/** OpenAI-compatible base URL: point clients' base_url here. */
export const openaiBaseUrl = outputs.openaiBaseUrl;
export const sglangMetricsUrl = outputs.sglangMetricsUrl;
export const prometheusUrl = outputs.prometheusUrl;
export const alertmanagerUrl = outputs.alertmanagerUrl;
export const grafanaUrl = outputs.grafanaUrl;
export const dashboardUrl = outputs.dashboardUrl;
export const grafanaAdminUser = outputs.grafanaAdminUser;
/** Secret: `pulumi stack output grafanaAdminPassword --show-secrets`. */
export const grafanaAdminPassword = outputs.grafanaAdminPassword;
/** The user Prometheus and Alertmanager require (basic auth). */
export const monitoringWebUser = outputs.monitoringWebUser;
/** Secret: `pulumi stack output prometheusPassword --show-secrets`. */
export const prometheusPassword = outputs.prometheusPassword;
/** Secret: `pulumi stack output alertmanagerPassword --show-secrets`. */
export const alertmanagerPassword = outputs.alertmanagerPassword;
export const alertRouting = outputs.alertRouting;
/** The served model names: a request's `model` picks one (README: Several models). */
export const models = outputs.models;
