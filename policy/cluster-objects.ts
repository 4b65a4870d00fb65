/**
 * Kubernetes objects other than workloads: RBAC rules, load balancers and
 * the objects whose data must outlive `pulumi destroy`.
 */
import { RETAIN_ANNOTATION } from "../components/platform/kubernetes/marks";
import { bag, list, type ResourceLike, resourceTitle, str } from "./workloads";

const ROLE_TYPES = ["kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"];
const RULE_FIELDS = ["verbs", "resources", "apiGroups"];

/** No `*` in the verbs, resources or API groups of a Role or ClusterRole rule. */
export function rbacWithoutWildcards(r: ResourceLike): string[] {
    if (!ROLE_TYPES.includes(r.type)) return [];
    return list(r.props.rules).flatMap((rule, i) =>
        RULE_FIELDS.flatMap((field) => {
            const wild = list(bag(rule)[field])
                .map(String)
                .filter((v) => v.includes("*"));
            return wild.length > 0
                ? [`${resourceTitle(r)} rules[${i}].${field} contains ${wild.map((w) => `"${w}"`).join(", ")}: list the ${field} the rule needs`]
                : [];
        }),
    );
}

const SERVICE = "kubernetes:core/v1:Service";
const EVERYWHERE = ["0.0.0.0/0", "::/0"];

/** A LoadBalancer Service admits only listed source ranges, none of them the whole Internet. */
export function loadBalancersRestricted(r: ResourceLike): string[] {
    const spec = bag(r.props.spec);
    if (r.type !== SERVICE || spec.type !== "LoadBalancer") return [];
    const ranges = list(spec.loadBalancerSourceRanges).map(String);
    if (ranges.length === 0) {
        return [`${resourceTitle(r)} is a public LoadBalancer: set spec.loadBalancerSourceRanges to the networks that may reach it`];
    }
    const open = ranges.filter((c) => EVERYWHERE.includes(c.trim()));
    return open.length > 0
        ? [`${resourceTitle(r)} spec.loadBalancerSourceRanges admits ${open.join(", ")}: list the networks that may reach it instead`]
        : [];
}

const RETAINED_TYPES = ["kubernetes:core/v1:PersistentVolumeClaim", "kubernetes:core/v1:Namespace"];
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";

/**
 * Claims and the Namespace survive `pulumi destroy`: `protect`, or the
 * annotation the program sets with `retainOnDelete` (which CrossGuard does
 * not show a policy). A StatefulSet's claims follow its
 * persistentVolumeClaimRetentionPolicy, whose default keeps them.
 */
export function claimsRetained(r: ResourceLike): string[] {
    if (r.type === STATEFUL_SET) {
        const policy = bag(bag(r.props.spec).persistentVolumeClaimRetentionPolicy);
        return ["whenDeleted", "whenScaled"]
            .filter((when) => policy[when] === "Delete")
            .map((when) => `${resourceTitle(r)} deletes its claims (spec.persistentVolumeClaimRetentionPolicy.${when}: Delete): set it to Retain`);
    }
    if (!RETAINED_TYPES.includes(r.type) || r.protect === true) return [];
    if (str(bag(bag(r.props.metadata).annotations)[RETAIN_ANNOTATION]) === "true") return [];
    return [
        `${resourceTitle(r)} would be deleted with its data by pulumi destroy: create it with retainOnDelete: true and the annotation ${RETAIN_ANNOTATION}: "true" (retainedOnDelete() in components/platform/kubernetes/marks.ts), or protect: true`,
    ];
}
