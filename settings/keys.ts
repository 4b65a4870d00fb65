/**
 * The declaration of one stack configuration key. A key's value type comes
 * from its check, so whatever reads it gets that type without restating it.
 */
import type { Check } from "./checks";

export type SchemaType = "string" | "integer" | "boolean" | "array";

export interface KeyDef<T = unknown, K extends string = string> {
    key: K;
    /** Pulumi project-config type (numbers with decimals are strings). */
    type: SchemaType;
    /** Item type of arrays. */
    items?: "string" | "integer";
    default: string | number | boolean | (string | number)[];
    description: string;
    /** Set with `pulumi config set --secret`; never echoed in errors. */
    secret?: boolean;
    /** Section heading in the configuration reference. */
    group: string;
    check: Check<T>;
}

/** The value type of a key declaration. */
export type ValueOf<D> = D extends KeyDef<infer T, string> ? T : never;

export function def<K extends string, T>(
    group: string,
    key: K,
    type: SchemaType,
    dflt: KeyDef["default"],
    description: string,
    check: Check<T>,
    extra: Partial<Pick<KeyDef, "items" | "secret">> = {},
): KeyDef<T, K> {
    return { group, key, type, default: dflt, description, check, ...extra };
}
