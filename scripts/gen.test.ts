import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

describe("npm run gen", () => {
    it("runs every generator in scripts/", () => {
        const generators = fs.readdirSync(__dirname).filter((f) => /^gen-.+\.ts$/.test(f) && !f.endsWith(".test.ts"));
        assert.ok(generators.length >= 4, generators.join(", "));
        const gen = fs.readFileSync(path.join(__dirname, "gen.ts"), "utf8");
        for (const g of generators) assert.match(gen, new RegExp(`from "\\./${g.replace(/\.ts$/, "")}"`), `gen.ts imports ${g}`);
        const scripts = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { scripts: Record<string, string> })
            .scripts;
        assert.equal(scripts.gen, "ts-node --transpile-only scripts/gen.ts");
    });
});
