/**
 * Generates docs/configuration.md, the configuration reference, from the
 * `config:` block of Pulumi.yaml (what `pulumi config` itself sees), grouped
 * by the catalogue's section headings. Run through `npm run gen`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT } from "../settings";
import { CATALOG, CATALOG_BY_KEY } from "../settings/catalog";
import { type ConfigDeclaration, PULUMI_YAML, SECRET_MARK } from "./gen-pulumi-yaml";

export const CONFIG_DOC = path.join(__dirname, "..", "docs", "configuration.md");

/** Table cells may not contain raw pipes or line breaks. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function showDefault(value: unknown): string {
    if (value === "") return '`""`';
    if (Array.isArray(value)) return `\`${JSON.stringify(value)}\``;
    return `\`${String(value)}\``;
}

function showType(decl: ConfigDeclaration): string {
    return decl.items ? `array of ${decl.items.type}` : decl.type;
}

/** Reads Pulumi.yaml's `config:` block. */
export function readProjectConfig(pulumiYaml: string): Record<string, ConfigDeclaration> {
    const project = YAML.parse(pulumiYaml) as { config?: Record<string, ConfigDeclaration> } | null;
    if (!project?.config) throw new Error("Pulumi.yaml has no config block: run `npm run gen`");
    return project.config;
}

const INTRO = `# Configuration reference

<!-- Generated from Pulumi.yaml by \`npm run gen\`; do not edit by hand. -->

Every key of the \`${PROJECT}\` project, with its type, default and meaning.
Keys are set per stack:

\`\`\`sh
pulumi config set ${PROJECT}:gpuCount 2               # or just: pulumi config set gpuCount 2
pulumi config set --secret slackWebhookUrl https://hooks.slack.com/services/...
\`\`\`

or written into \`Pulumi.<stack>.yaml\` under \`config:\` as \`${PROJECT}:<key>: <value>\`.
Arrays are YAML lists in the stack file (\`${PROJECT}:gpuDevices: [0, 1]\`), or set
one item at a time with \`pulumi config set --path 'gpuDevices[0]' 0\`. Numbers with
decimals are declared as strings (Pulumi project types have no decimals):
\`pulumi config set alertErrorRatio 0.02\`.

Keys marked ${SECRET_MARK} must be set with \`--secret\`: they are encrypted in the
stack file and never printed, not even in error messages. Every value is checked
before any resource is created; a bad value stops the preview with a message
that names the key, the value and what is allowed.

\`npm run render -- --stack <name> --out <dir>\` writes every object and file a
stack's configuration produces, for review.`;

/** The whole reference page. */
export function renderConfigDoc(pulumiYaml: string): string {
    const config = readProjectConfig(pulumiYaml);
    const groups = new Map<string, string[]>();
    for (const key of Object.keys(config)) {
        const group = CATALOG_BY_KEY.get(key)?.group ?? "Other";
        groups.set(group, [...(groups.get(group) ?? []), key]);
    }
    // Sections in the catalogue's order.
    const order = [...new Set(CATALOG.map((d) => d.group)), "Other"].filter((g) => groups.has(g));
    const anchor = (g: string) => g.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const parts = [INTRO, order.map((g) => `- [${g}](#${anchor(g)}) (${groups.get(g)!.length} keys)`).join("\n")];
    for (const group of order) {
        const rows = groups.get(group)!.map((key) => {
            const d = config[key];
            return `| \`${key}\` | ${showType(d)} | ${cell(showDefault(d.default))} | ${cell(d.description)} |`;
        });
        parts.push(`## ${group}\n\n| Key | Type | Default | Meaning |\n| --- | --- | --- | --- |\n${rows.join("\n")}`);
    }
    return `${parts.join("\n\n")}\n`;
}

/** Writes docs/configuration.md; returns whether it changed. */
export function writeConfigDoc(pulumiYamlFile: string = PULUMI_YAML, docFile: string = CONFIG_DOC): boolean {
    const after = renderConfigDoc(fs.readFileSync(pulumiYamlFile, "utf8"));
    const before = fs.existsSync(docFile) ? fs.readFileSync(docFile, "utf8") : undefined;
    if (after === before) return false;
    fs.mkdirSync(path.dirname(docFile), { recursive: true });
    fs.writeFileSync(docFile, after);
    return true;
}

if (require.main === module) {
    console.log(writeConfigDoc() ? "docs/configuration.md regenerated" : "docs/configuration.md: up to date");
}
