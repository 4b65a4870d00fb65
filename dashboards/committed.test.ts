import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseSettings } from "../settings";
import { COMMITTED_DASHBOARD_PATH, DASHBOARD_UID, DATASOURCE_UID } from "./constants";
import { buildDashboard } from "./dashboard";
import { exportForImport } from "./export";
import { renderCommittedDashboardFiles } from "./render";

const root = path.resolve(__dirname, "..");

describe("committed dashboard JSON", () => {
    const files = renderCommittedDashboardFiles();

    it("is at the guide's path", () => {
        assert.deepEqual(Object.keys(files), ["monitoring/grafana/dashboards/sglang-ananke.json"]);
        assert.equal(Object.keys(files)[0], COMMITTED_DASHBOARD_PATH);
    });

    for (const [relative, content] of Object.entries(files)) {
        it(`${relative} is what the code renders (run: npx ts-node --transpile-only scripts/gen-dashboards.ts)`, () => {
            const file = path.join(root, relative);
            assert.ok(fs.existsSync(file), `${relative} is missing`);
            assert.equal(fs.readFileSync(file, "utf8"), content);
        });
    }

    it("is pretty JSON with a trailing newline", () => {
        const content = files[COMMITTED_DASHBOARD_PATH];
        assert.ok(content.endsWith("}\n"));
        assert.equal(content, `${JSON.stringify(JSON.parse(content), null, 2)}\n`);
    });
});

describe("hand-importable dashboard", () => {
    const model = buildDashboard(parseSettings("dev", {}), { datasourceUid: DATASOURCE_UID });
    const exported = exportForImport(model);

    it("declares the DS_PROMETHEUS datasource input and what it requires", () => {
        assert.deepEqual(
            exported.__inputs.map((i) => [i.name, i.type, i.pluginId]),
            [["DS_PROMETHEUS", "datasource", "prometheus"]],
        );
        const requires = exported.__requires.map((r) => `${r.type}:${r.id}`);
        for (const r of ["grafana:grafana", "datasource:prometheus", "panel:timeseries", "panel:stat", "panel:heatmap"]) {
            assert.ok(requires.includes(r), `__requires lacks ${r}`);
        }
    });

    it("defaults the datasource variable to the input, and uses no other ${DS_…} placeholder", () => {
        const ds = exported.templating.list?.find((v) => v.name === "datasource");
        assert.equal(ds?.current?.value, "${DS_PROMETHEUS}");
        const placeholders = new Set(JSON.stringify(exported).match(/\$\{DS_[A-Z_]+\}/g));
        assert.deepEqual([...placeholders], ["${DS_PROMETHEUS}"], "every ${DS_…} placeholder must be a declared input");
        assert.ok(!JSON.stringify(exported).includes(DATASOURCE_UID), "no trace of the provisioned datasource uid");
    });

    it("keeps the uid and panels and leaves the provisioned model untouched", () => {
        assert.equal(exported.uid, DASHBOARD_UID);
        assert.equal("id" in exported, false);
        assert.deepEqual(exported.panels, model.panels);
        assert.equal(model.templating.list?.[0].current?.value, DATASOURCE_UID);
    });
});
