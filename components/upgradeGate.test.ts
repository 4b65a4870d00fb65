import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { defaultLinks } from "../monitoring/links";
import { parseSettings } from "../settings";
import { announceUpgradeGate } from "./upgradeGate";

/** Runs f and returns what it printed through console.warn/console.error (pulumi.log's output without an engine). */
function printed(f: () => void): string {
    const out: string[] = [];
    const saved = [console.warn, console.error];
    console.warn = console.error = (...args: unknown[]) => void out.push(args.join(" "));
    try {
        f();
    } finally {
        [console.warn, console.error] = saved;
    }
    return out.join("\n");
}

describe("the upgrade gate at preview", () => {
    it("warns about an image without a verified contract, naming the closest one and the key", () => {
        const settings = parseSettings("dev", { sglangImage: "registry.example.com/sglang-ananke:v0.5.4-ananke.1" });
        let lines: string[] = [];
        const output = printed(() => {
            lines = announceUpgradeGate(settings, defaultLinks(settings));
        });
        const warning = lines.find((l) => l.includes("has no verified metric contract"));
        assert.ok(warning, lines.join("\n"));
        assert.match(warning, /sglangMetricsContract/);
        assert.ok(output.includes("has no verified metric contract"), output);
    });

    it("names each enabled alert and panel that cannot have data on the default images", () => {
        const settings = parseSettings("dev", {});
        let found: string[] = [];
        const lines = printed(() => (found = announceUpgradeGate(settings, defaultLinks(settings))));
        for (const line of found) {
            assert.match(line, /^(alert \S+ cannot fire|dashboard panel ".+" has no data): not emitted by .+: needs \S+/);
            assert.ok(lines.includes(line));
        }
        assert.doesNotMatch(lines, /no verified metric contract/);
    });
});

describe("the upgrade gate's start-up cost", () => {
    it("a preview reads the generated table and never loads the PromQL parser", function () {
        this.timeout(60000);
        const probe =
            "require('./components/stack');" +
            "const loaded = Object.keys(require.cache);" +
            "console.log(JSON.stringify({" +
            " parser: loaded.some((k) => k.includes('lezer-promql') || k.endsWith('monitoring/availability.ts'))," +
            " table: loaded.some((k) => k.endsWith('availability.generated.json')) }));";
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", probe], {
            cwd: path.resolve(__dirname, ".."),
            encoding: "utf8",
        });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout.trim().split("\n").pop()!), { parser: false, table: true });
    });
});
