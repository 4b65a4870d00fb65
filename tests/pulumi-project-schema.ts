/**
 * The rules Pulumi applies to a project file (Pulumi.yaml), restated for
 * tests: the JSON schema of the project file (pulumi/pulumi,
 * sdk/go/common/workspace/project.json, the parts this project uses) and the
 * checks `Project.Validate` makes beyond the schema (a default must have the
 * declared type; an array must declare its item type).
 */
import Ajv2020 from "ajv/dist/2020";

const configTypeName = { enum: ["string", "integer", "boolean", "array"] };

const itemsType: object = {
    type: "object",
    required: ["type"],
    properties: {
        type: { oneOf: [configTypeName, { $ref: "#/$defs/itemsType" }] },
        items: { $ref: "#/$defs/itemsType" },
    },
    if: { properties: { type: { const: "array" } } },
    then: { required: ["items"] },
};

export const PROJECT_SCHEMA = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    required: ["name", "runtime"],
    additionalProperties: true,
    properties: {
        name: { type: "string", minLength: 1 },
        description: { type: ["string", "null"] },
        main: { type: ["string", "null"] },
        runtime: {
            oneOf: [
                { type: "string", minLength: 1 },
                {
                    type: "object",
                    additionalProperties: false,
                    properties: {
                        name: { type: "string", minLength: 1 },
                        options: { type: "object", additionalProperties: true },
                    },
                },
            ],
        },
        backend: {
            type: ["object", "null"],
            additionalProperties: false,
            properties: { url: { type: "string" } },
        },
        config: {
            type: ["object", "null"],
            additionalProperties: {
                oneOf: [{ type: "string" }, { type: "integer" }, { type: "boolean" }, { $ref: "#/$defs/configTypeDeclaration" }],
            },
        },
    },
    $defs: {
        itemsType,
        configTypeDeclaration: {
            type: "object",
            additionalProperties: false,
            required: ["type"],
            properties: {
                type: configTypeName,
                items: { $ref: "#/$defs/itemsType" },
                description: { type: "string" },
                secret: { type: "boolean" },
                default: {},
            },
            if: { properties: { type: { const: "array" } } },
            then: { required: ["items"] },
        },
    },
} as const;

const validateSchema = new Ajv2020({ allErrors: true, strict: false }).compile(PROJECT_SCHEMA);

interface ItemsType {
    type: string;
    items?: ItemsType;
}

/** Pulumi's ValidateConfigValue: does `value` have the declared type? */
export function valueHasType(type: string, items: ItemsType | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        default:
            return Array.isArray(value) && items !== undefined && value.every((v) => valueHasType(items.type, items.items, v));
    }
}

/** Every problem Pulumi would report for this project document (empty = valid). */
export function projectProblems(project: unknown): string[] {
    const problems: string[] = [];
    if (!validateSchema(project)) {
        for (const e of validateSchema.errors ?? []) problems.push(`schema: ${e.instancePath || "/"} ${e.message}`);
    }
    const p = project as { name?: string; config?: Record<string, unknown> };
    for (const [key, decl] of Object.entries(p.config ?? {})) {
        if (typeof decl !== "object" || decl === null) continue;
        const d = decl as { type?: string; items?: ItemsType; default?: unknown; value?: unknown };
        const ownKey = !key.includes(":") || key.startsWith(`${p.name}:`);
        if (!ownKey) {
            problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
            continue;
        }
        if (d.type === "array" && !d.items) {
            problems.push(`The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
        }
        if (d.type && d.default !== undefined && d.default !== null && !valueHasType(d.type, d.items, d.default)) {
            problems.push(`The default value specified for configuration key '${key}' is not of the expected type '${d.type}'`);
        }
    }
    return problems;
}
