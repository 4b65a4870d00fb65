import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { CATALOG } from "../settings/catalog";
import { CONFIG_DOC, renderConfigDoc } from "./gen-config-docs";
import { PULUMI_YAML, renderPulumiYaml } from "./gen-pulumi-yaml";

describe("docs/configuration.md", () => {
    const pulumiYaml = fs.readFileSync(PULUMI_YAML, "utf8");
    const doc = fs.readFileSync(CONFIG_DOC, "utf8");

    it("is up to date with Pulumi.yaml (run `npm run gen`)", () => {
        assert.equal(doc, renderConfigDoc(pulumiYaml));
    });

    it("has one row per key, under its catalogue section, with type and default", () => {
        for (const def of CATALOG) {
            const rows = doc.split("\n").filter((l) => l.startsWith(`| \`${def.key}\` |`));
            assert.equal(rows.length, 1, def.key);
            const [, , type, dflt] = rows[0].split(/(?<!\\)\|/).map((c) => c.trim());
            assert.equal(type, def.items ? `array of ${def.items}` : def.type, def.key);
            const shown = def.default === "" ? '`""`' : Array.isArray(def.default) ? `\`${JSON.stringify(def.default)}\`` : `\`${def.default}\``;
            assert.equal(dflt, shown, def.key);
            const section = doc.lastIndexOf("\n## ", doc.indexOf(rows[0]));
            assert.ok(doc.startsWith(`\n## ${def.group}\n`, section), `${def.key} under ${def.group}`);
        }
    });

    it("changes when Pulumi.yaml changes, so a stale page fails the first test", () => {
        const changed = renderPulumiYaml(
            pulumiYaml,
            CATALOG.map((d) => (d.key === "gpuCount" ? { ...d, description: "Changed." } : d)),
        );
        assert.notEqual(renderConfigDoc(changed), doc);
        assert.match(renderConfigDoc(changed), /\| `gpuCount` \| integer \| `1` \| Changed\. \|/);
    });

    it("escapes table pipes in descriptions", () => {
        const withPipe = renderPulumiYaml(
            pulumiYaml,
            CATALOG.map((d) => (d.key === "target" ? { ...d, description: "a | b" } : d)),
        );
        assert.match(renderConfigDoc(withPipe), /\| a \\\| b \|/);
    });
});
