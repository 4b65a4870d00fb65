/**
 * The mark the policy pack reads on Kubernetes objects that outlive
 * `pulumi destroy` (which pods may touch the host is `HOST_ACCESS_LABEL`,
 * in security.ts).
 */

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
