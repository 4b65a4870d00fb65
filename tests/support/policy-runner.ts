/**
 * Runs one policy of the pack on a made-up resource as the policy engine
 * would (its validateResource with the engine's arguments), collecting the
 * violations it reports.
 */
import * as assert from "node:assert/strict";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { policies } from "../../policy/policies";

/** What the engine tells a policy about the resource besides its type and inputs. */
export interface ResourceContext {
    /** The Pulumi resource name (default "test"). */
    name?: string;
    /** The `protect` option (default false). */
    protect?: boolean;
}

/** The violations `policyName` reports for a resource of `type` with inputs `props`. */
export function violations(policyName: string, type: string, props: Record<string, unknown>, context: ResourceContext = {}): string[] {
    const policy = policies().find((p) => p.name === policyName);
    assert.ok(policy, `no policy ${policyName}`);
    const name = context.name ?? "test";
    const args = {
        type,
        props,
        urn: `urn:pulumi:dev::sglang-ananke::${type}::${name}`,
        name,
        opts: {
            protect: context.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => ({}),
        notApplicable: () => {
            throw new Error("not applicable");
        },
    } as unknown as ResourceValidationArgs;
    const found: string[] = [];
    const validate = policy.validateResource;
    for (const v of Array.isArray(validate) ? validate : [validate!]) void v(args, (message) => found.push(message));
    return found;
}
