/**
 * The `app.kubernetes.io/*` labels every object of the stack carries. Pure:
 * selectors in monitors, network policies and the Prometheus scrape
 * configuration are built from the same functions, so they cannot drift.
 */
import type { ServiceName, ServiceSpec } from "../types";

export const PART_OF = "sglang-ananke";
export const NAME_LABEL = "app.kubernetes.io/name";
export const INSTANCE_LABEL = "app.kubernetes.io/instance";

/** One installation of the stack: the project and its Pulumi stack name. */
export const instanceOf = (stack: string): string => `${PART_OF}-${stack}`;

/** Labels that select a service's pods: its name and the installation. */
export function selectorLabels(name: ServiceName, stack: string): Record<string, string> {
    return { [NAME_LABEL]: name, [INSTANCE_LABEL]: instanceOf(stack) };
}

/** Every recommended label, for objects and pod templates. */
export function serviceLabels(spec: Pick<ServiceSpec, "name" | "component">, stack: string): Record<string, string> {
    return {
        ...selectorLabels(spec.name, stack),
        "app.kubernetes.io/component": spec.component,
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/**
 * Labels that select one workload's pods: the service's, plus the workload's
 * own when the service has several (SGLang's models), so that no two
 * workloads' selectors overlap while the service's selector covers them all.
 */
export function workloadSelector(spec: Pick<ServiceSpec, "name" | "workload">, stack: string): Record<string, string> {
    return { ...selectorLabels(spec.name, stack), ...spec.workload?.labels };
}

/** Every recommended label plus the workload's own, for a workload's objects and pod templates. */
export function workloadLabels(spec: Pick<ServiceSpec, "name" | "component" | "workload">, stack: string): Record<string, string> {
    return { ...serviceLabels(spec, stack), ...spec.workload?.labels };
}

/** Labels of objects that belong to the stack as a whole (Namespace, monitors, policies). */
export function stackLabels(stack: string, component: string): Record<string, string> {
    return {
        [NAME_LABEL]: PART_OF,
        [INSTANCE_LABEL]: instanceOf(stack),
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}
