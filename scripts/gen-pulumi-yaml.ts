/**
 * Generates the `config:` block of Pulumi.yaml from settings/catalog.ts, so
 * that `pulumi config` documents and type-checks every key. The rest of the
 * file (name, runtime, main, backend, …) is kept as it is; a missing file is
 * created with the project's name, the nodejs runtime and a local file backend.
 *
 * Run through `npm run gen`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT } from "../settings";
import { CATALOG, type KeyDef } from "../settings/catalog";

export const PULUMI_YAML = path.join(__dirname, "..", "Pulumi.yaml");

/** Marks secret keys in their description (see `configDeclaration`). */
export const SECRET_MARK = "(secret)";

/** One key's declaration in Pulumi.yaml's `config:` block. */
export interface ConfigDeclaration {
    type: KeyDef["type"];
    items?: { type: "string" | "integer" };
    description: string;
    default: KeyDef["default"];
}

/**
 * The declaration of one catalog key.
 *
 * Secrets carry no `secret: true`: Pulumi fills an unset key with its
 * project default as a plain value and then rejects a plain value of a key
 * declared secret, so an optional secret with a `""` default would fail every
 * stack that does not set it. They are marked "(secret)" in the description
 * instead, and settings/parse.ts never echoes their values.
 */
export function configDeclaration(def: KeyDef): ConfigDeclaration {
    const decl: ConfigDeclaration = {
        type: def.type,
        description: def.secret ? `${SECRET_MARK} ${def.description} Set it with \`pulumi config set --secret ${def.key}\`.` : def.description,
        default: def.default,
    };
    if (def.type === "array") {
        if (!def.items) throw new Error(`catalog key ${def.key} is an array without an item type`);
        // Key order as Pulumi's documentation writes it: type, items, description, default.
        return { type: decl.type, items: { type: def.items }, description: decl.description, default: decl.default };
    }
    return decl;
}

/** Every project key, in catalog order. */
export function projectConfig(catalog: readonly KeyDef[] = CATALOG): Record<string, ConfigDeclaration> {
    return Object.fromEntries(catalog.map((def) => [def.key, configDeclaration(def)]));
}

/** The parts of Pulumi.yaml used when the file does not exist yet. */
export const NEW_PROJECT = {
    name: PROJECT,
    description: (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { description: string }).description,
    // The precompiled program (npm run build; package.json "main"), as in the committed Pulumi.yaml.
    runtime: { name: "nodejs", options: { typescript: false } },
    // A local state backend: no Pulumi Cloud account needed. PULUMI_BACKEND_URL overrides it.
    backend: { url: "file://~" },
} as const;

/**
 * Pulumi.yaml's text with a regenerated `config:` block. `existing` is the
 * current file (its other keys, comments and order are kept), or undefined.
 */
export function renderPulumiYaml(existing: string | undefined, catalog: readonly KeyDef[] = CATALOG): string {
    const doc = existing === undefined ? new YAML.Document({ ...NEW_PROJECT }) : YAML.parseDocument(existing);
    if (doc.errors.length > 0) throw new Error(`Pulumi.yaml does not parse: ${doc.errors[0].message}`);
    if (existing !== undefined && !YAML.isMap(doc.contents)) throw new Error("Pulumi.yaml is not a mapping");
    const config = doc.createNode(projectConfig(catalog));
    config.commentBefore = " Generated from settings/catalog.ts by `npm run gen`: edit the catalogue, not this block.";
    doc.set("config", config);
    return doc.toString({ lineWidth: 0 });
}

/** Writes Pulumi.yaml; returns whether it changed. */
export function writePulumiYaml(file: string = PULUMI_YAML): boolean {
    const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    const after = renderPulumiYaml(before);
    if (after === before) return false;
    fs.writeFileSync(file, after);
    return true;
}

if (require.main === module) {
    console.log(writePulumiYaml() ? "Pulumi.yaml: config block regenerated" : "Pulumi.yaml: up to date");
}
