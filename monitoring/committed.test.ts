import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMITTED_PATH, renderCommittedMonitoringFiles } from "./render";

const root = path.resolve(__dirname, "..");

describe("committed monitoring files", () => {
    const rendered = renderCommittedMonitoringFiles();

    it("sit at the guide's paths", () => {
        assert.deepEqual(Object.keys(rendered).sort(), Object.values(COMMITTED_PATH).sort());
        assert.ok(rendered["monitoring/prometheus/alerts/ananke-alerts.yaml"]);
    });

    for (const [relative, content] of Object.entries(rendered)) {
        it(`${relative} is what the code renders (run: npx ts-node --transpile-only scripts/gen-monitoring.ts)`, () => {
            const file = path.join(root, relative);
            assert.ok(fs.existsSync(file), `${relative} is missing`);
            assert.equal(fs.readFileSync(file, "utf8"), content);
        });
    }
});
