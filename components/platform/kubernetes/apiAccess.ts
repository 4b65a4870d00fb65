// Submodule imports: the package root loads every API group at start-up (README: Benchmarks).
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../../settings";
import type { ServiceSpec } from "../types";
import { serviceLabels } from "./labels";

/**
 * The identity of a service that reads the Kubernetes API in its own
 * namespace (the router discovering SGLang pods): a ServiceAccount named
 * after it, and a Role and RoleBinding granting exactly the spec's rules
 * there, never a ClusterRole. Returns the ServiceAccount's name.
 */
export function namespacedApiAccess(
    spec: Pick<ServiceSpec, "name" | "component" | "kubernetes">,
    settings: Settings,
    namespace: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): { name: string; resources: pulumi.Resource[] } {
    const rules = spec.kubernetes.apiAccess ?? [];
    const name = spec.name;
    const metadata = { name, namespace, labels: serviceLabels(spec, settings.stack) };
    const account = new corev1.ServiceAccount(name, { metadata }, opts);
    const role = new rbacv1.Role(name, { metadata, rules }, opts);
    const binding = new rbacv1.RoleBinding(
        name,
        {
            metadata,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
            subjects: [{ kind: "ServiceAccount", name, namespace }],
        },
        opts,
    );
    return { name, resources: [account, role, binding] };
}
