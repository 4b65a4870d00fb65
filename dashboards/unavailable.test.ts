import { strict as assert } from "node:assert";
import { contractIds } from "../contracts/gate";
import { panelsWithoutData } from "../monitoring/upgrade-gate";
import { parseSettings } from "../settings";
import { buildDashboard } from "./dashboard";

type PanelJson = { title?: string; description?: string; targets?: { refId?: string }[]; fieldConfig?: { defaults?: { noValue?: string } } };

describe("dashboard panels without data on the configured contracts", () => {
    for (const id of contractIds(["sglang"])) {
        it(`say "Not emitted by …: needs …" in place of an empty graph (${id})`, () => {
            const settings = parseSettings("dev", { sglangMetricsContract: id });
            const without = panelsWithoutData(settings);
            const panels = (buildDashboard(settings, { datasourceUid: "x" }).panels ?? []) as PanelJson[];
            let marked = 0;
            for (const p of panels) {
                const found = without.get(p.title ?? "");
                const noValue = p.fieldConfig?.defaults?.noValue ?? "";
                if (!found) {
                    assert.doesNotMatch(noValue, /^Not emitted by/, p.title);
                    assert.doesNotMatch(p.description ?? "", /With the configured images/, p.title);
                    continue;
                }
                marked++;
                assert.ok(p.description?.includes(`With the configured images: ${found.reason}`), p.title);
                const all = (p.targets ?? []).every((t) => found.queries.includes(t.refId ?? ""));
                if (all) {
                    assert.match(noValue, /^Not emitted by .+: needs \S+/, p.title);
                    assert.equal(noValue, found.reason.charAt(0).toUpperCase() + found.reason.slice(1));
                }
            }
            assert.equal(marked, without.size, "every panel the table lists is on the dashboard");
        });
    }
});
