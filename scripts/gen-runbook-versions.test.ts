import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { availabilityTable, useAvailabilityTable } from "../contracts/gate";
import { combination, contractSummary } from "../tests/support/availability-table";
import { renderRunbooks, versionsSection, withVersionsSection } from "./gen-runbook-versions";

const root = path.resolve(__dirname, "..");

describe("runbooks' generated 'Which versions fire it' sections", () => {
    const rendered = renderRunbooks();

    for (const [relative, text] of Object.entries(rendered)) {
        it(`${relative} is up to date (run: npm run gen)`, () => {
            assert.equal(fs.readFileSync(path.join(root, relative), "utf8"), text);
        });
    }

    it("exist exactly for the alerts some combination of supported versions cannot fire", () => {
        const table = availabilityTable();
        for (const [relative, text] of Object.entries(rendered)) {
            const alert = path.basename(relative, ".md");
            const lacking = table.combinations.some((c) => c.alerts[alert]);
            assert.equal(text.includes("## Which versions fire it"), lacking, relative);
            if (lacking) {
                for (const m of table.combinations.flatMap((c) => c.alerts[alert] ?? []).flat())
                    assert.ok(text.includes(`\`${m}\``), `${relative} names ${m}`);
            }
        }
    });

    it("replace an old section and leave the rest of the runbook alone", () => {
        const alert = Object.keys(rendered)
            .map((r) => path.basename(r, ".md"))
            .find((a) => availabilityTable().combinations.some((c) => c.alerts[a]));
        assert.ok(alert, "some alert cannot fire on some version");
        const once = withVersionsSection("# X\n\n## What it means\n\nText.\n", alert);
        assert.equal(withVersionsSection(once, alert), once);
        assert.ok(once.startsWith("# X\n\n## What it means\n\nText.\n\n<!-- versions"));
        // An alert every version fires gets no section (and loses a stale one).
        assert.equal(withVersionsSection(once, "NoSuchAlert"), "# X\n\n## What it means\n\nText.\n");
    });
});

describe("a runbook's versions section, on a made-up table", () => {
    const real = availabilityTable();
    const c = contractSummary;
    const combo = combination;
    before(() =>
        useAvailabilityTable({
            contracts: [
                c("s1", "sglang", "1"),
                c("s2", "sglang", "2"),
                c("d", "dcgm-exporter", "4"),
                c("v", "nvidia-gpu-exporter", "1.3"),
                c("n", "node-exporter", "1"),
            ],
            panelQueries: {},
            combinations: [
                combo("s1", "d", { A: [["sglang:a_total"]] }),
                combo("s1", "v", { A: [["sglang:a_total"]], B: [["sglang:x", "nvidia_smi_y"]] }),
                combo("s2", "d", {}),
                combo("s2", "v", {}),
            ],
        }),
    );
    after(() => useAvailabilityTable(real));

    it("has a row per version of the exporter at fault", () => {
        const section = versionsSection("A");
        assert.ok(section.includes("| SGLang 1 | no: needs `sglang:a_total` |"), section);
        assert.ok(section.includes("| SGLang 2 | yes |"), section);
        assert.ok(!section.includes("DCGM"), section);
    });

    it("names the combinations when no single version is the cause", () => {
        assert.ok(
            versionsSection("B").includes("| SGLang 1 + nvidia_gpu_exporter 1.3 + node exporter 1 | no: needs `sglang:x` and `nvidia_smi_y` |"),
        );
        assert.equal(versionsSection("C"), "");
    });
});
