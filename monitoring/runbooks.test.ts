import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseSettings } from "../settings";
import { CATALOG_BY_KEY } from "../settings/catalog";
import { allAlerts } from "./alerts";
import { defaultLinks } from "./links";

const runbooks = path.resolve(__dirname, "..", "docs", "runbooks");

describe("runbooks", () => {
    const settings = parseSettings("dev", {});
    const alerts = allAlerts(settings, defaultLinks(settings)).map((a) => a.alert);

    for (const alert of alerts) {
        it(`${alert} has docs/runbooks/${alert}.md saying what it means, what to check and how to fix`, () => {
            const file = path.join(runbooks, `${alert}.md`);
            assert.ok(fs.existsSync(file), `missing ${file}`);
            const text = fs.readFileSync(file, "utf8");
            assert.match(text, new RegExp(`^# ${alert}\\n`));
            for (const section of ["## What it means", "## What to check", "## How to fix"]) assert.ok(text.includes(section), `${alert}: ${section}`);
            // Configuration keys named in a runbook must exist (they are what a reader will set).
            for (const [, word] of text.matchAll(/`([a-z]+[A-Z][A-Za-z0-9]*)`/g)) assert.ok(CATALOG_BY_KEY.has(word), `${alert}.md names unknown config key ${word}`);
        });
    }

    it("exist only for alerts that exist", () => {
        const files = fs.readdirSync(runbooks).filter((f) => f.endsWith(".md") && f !== "README.md");
        assert.deepEqual(files.map((f) => f.replace(/\.md$/, "")).sort(), [...alerts].sort());
    });
});
