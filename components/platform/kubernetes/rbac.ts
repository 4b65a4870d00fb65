// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../../settings";
import type { ServiceSpec } from "../types";
import { serviceLabels } from "./labels";
import { discoveredNamespaces, kubernetesTopology } from "./topology";

/** What Kubernetes service discovery of pods reads. */
export const DISCOVERY_RULES = [
    { apiGroups: [""], resources: ["pods", "services", "endpoints"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
];

/**
 * The identity a service that discovers pods (Prometheus) runs as: a
 * ServiceAccount named after it, with read access to pods in exactly the
 * namespaces the scrape jobs discover (a Role per namespace, never a
 * ClusterRole). Returns the ServiceAccount's name.
 */
export function discoveryServiceAccount(
    spec: Pick<ServiceSpec, "name" | "component">,
    settings: Settings,
    namespace: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): { name: string; resources: pulumi.Resource[] } {
    const name = spec.name;
    const labels = serviceLabels(spec, settings.stack);
    const account = new corev1.ServiceAccount(name, { metadata: { name, namespace, labels } }, opts);
    const resources: pulumi.Resource[] = [account];
    for (const ns of discoveredNamespaces(kubernetesTopology(settings))) {
        // Roles live in the namespace they grant access to.
        const roleName = `${name}-discovery-${settings.kubernetes.namespace}`;
        const role = new rbacv1.Role(
            `${name}-discovery-${ns}`,
            { metadata: { name: roleName, namespace: ns, labels }, rules: DISCOVERY_RULES },
            opts,
        );
        const binding = new rbacv1.RoleBinding(
            `${name}-discovery-${ns}`,
            {
                metadata: { name: roleName, namespace: ns, labels },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
                subjects: [{ kind: "ServiceAccount", name, namespace }],
            },
            opts,
        );
        resources.push(role, binding);
    }
    return { name, resources };
}
