import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { AVAILABILITY_PATH, computeAvailabilityTable, renderAvailabilityTable } from "./gen-availability";

describe("contracts/availability.generated.json", () => {
    const table = computeAvailabilityTable();

    it("is what the contracts, rules, alerts and dashboard give (run: npm run gen)", () => {
        const file = path.resolve(__dirname, "..", AVAILABILITY_PATH);
        assert.equal(fs.readFileSync(file, "utf8"), renderAvailabilityTable(table));
    });

    it("has every combination of SGLang, GPU exporter and node exporter contracts", () => {
        const count = (slot: (e: string) => boolean) => table.contracts.filter((c) => slot(c.exporter)).length;
        const gpu = count((e) => e === "dcgm-exporter" || e === "nvidia-gpu-exporter");
        assert.ok(gpu > 0);
        assert.equal(table.combinations.length, count((e) => e === "sglang") * gpu * count((e) => e === "node-exporter"));
    });
});
