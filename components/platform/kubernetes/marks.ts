/**
 * Marks the policy pack reads on Kubernetes objects: which pods may touch
 * the host, and which objects outlive `pulumi destroy`.
 */

/**
 * Label of pods that need the host (the node and GPU exporters): only they
 * may mount host paths (read-only), use the host network or PID namespace,
 * run as root and add capabilities.
 */
export const HOST_ACCESS_LABEL = "sglang-ananke.io/host-access";

/**
 * Annotation of objects created with `retainOnDelete`. CrossGuard hands a
 * resource policy the resource's `protect` option but not `retainOnDelete`,
 * so the object says it in its own metadata; the shipped-stack test checks
 * that the annotation and the option agree.
 */
export const RETAIN_ANNOTATION = "sglang-ananke.io/retain-on-delete";

/** What an object that outlives `pulumi destroy` is created with: the option and its annotation, together. */
export function retainedOnDelete(): { annotations: Record<string, string>; opts: { retainOnDelete: true } } {
    return { annotations: { [RETAIN_ANNOTATION]: "true" }, opts: { retainOnDelete: true } };
}
