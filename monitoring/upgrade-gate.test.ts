import { strict as assert } from "node:assert";
import {
    alertVersionNote,
    availabilityTable,
    closestContract,
    contractForImage,
    contractIds,
    contractLabel,
    slotOf,
    useAvailabilityTable,
} from "../contracts/gate";
import { ConfigError, parseSettings } from "../settings";
import { combination, contractSummary } from "../tests/support/availability-table";
import { allAlerts } from "./alerts";
import { defaultLinks } from "./links";
import { configuredContracts, gateFindings } from "./upgrade-gate";

const table = availabilityTable();
const sglangIds = contractIds(["sglang"]);

function enabled(settings: ReturnType<typeof parseSettings>) {
    const alerts = allAlerts(settings, defaultLinks(settings)).map((a) => a.alert);
    const panels = [...new Set(table.combinations.flatMap((c) => Object.keys(c.panels)))];
    return { alerts, panels };
}

describe("upgrade gate", () => {
    it("knows the contract of every image a contract lists, with or without registry host and digest", () => {
        for (const c of table.contracts) {
            for (const image of c.images) {
                assert.equal(contractForImage(c.exporter, image)?.id, c.id, image);
                assert.equal(contractForImage(c.exporter, `${image}@sha256:${"a".repeat(64)}`)?.id, c.id);
            }
        }
        assert.equal(contractForImage("sglang", "lmsysorg/sglang:v9.9.9"), undefined);
    });

    it("the default images follow known contracts: no warning about them", () => {
        const c = configuredContracts(parseSettings("dev", {}));
        for (const r of [c.sglang, c.gpu, c.node]) assert.equal(r?.warning, undefined);
        assert.equal(c.sglang.contract.id, sglangIds[0]);
    });

    it("an unknown image gets the closest verified contract by tag, and a warning naming it and the key", () => {
        const settings = parseSettings("dev", { sglangImage: "registry.example.com/sglang-ananke:v0.5.4-ananke.1" });
        const c = configuredContracts(settings);
        assert.equal(c.sglang.contract.id, "sglang-v0.5.4.post1");
        assert.match(c.sglang.warning ?? "", /registry\.example\.com\/sglang-ananke:v0\.5\.4-ananke\.1 has no verified metric contract/);
        assert.match(c.sglang.warning ?? "", /closest one, SGLang v0\.5\.4\.post1/);
        assert.match(c.sglang.warning ?? "", /Set sglangMetricsContract/);
        assert.ok(gateFindings(settings, enabled(settings)).includes(c.sglang.warning ?? ""));
    });

    it("closest by version: the numbers that agree longest, then the nearest", () => {
        const dcgm = table.contracts.filter((c) => c.exporter === "dcgm-exporter");
        assert.ok(dcgm.length >= 2, "two DCGM contracts to choose between");
        const [older, newer] = dcgm;
        const bump = (image: string) => image.replace(/(\d+)(-ubuntu|-distroless|$)/, (_m, n: string, rest: string) => `${Number(n) + 1}${rest}`);
        assert.equal(closestContract("dcgm-exporter", bump(newer.images[0]))?.id, newer.id);
        assert.equal(closestContract("dcgm-exporter", bump(older.images[0]))?.id, older.id);
    });

    it("a cluster's own GPU exporter: checked against a known DCGM contract, with a warning until the key names its version", () => {
        const base = { target: "kubernetes", gpuExporter: "existing" };
        const unnamed = configuredContracts(parseSettings("prod", base));
        assert.equal(unnamed.gpu?.contract.exporter, "dcgm-exporter");
        assert.match(unnamed.gpu?.warning ?? "", /version of the DCGM exporter the cluster runs is not known; .+ Set gpuExporterMetricsContract/);
        const id = contractIds(["dcgm-exporter"]).slice(-1)[0];
        const named = configuredContracts(parseSettings("prod", { ...base, gpuExporterMetricsContract: id }));
        assert.equal(named.gpu?.contract.id, id);
        assert.equal(named.gpu?.warning, undefined);
        assert.equal(configuredContracts(parseSettings("dev", { gpuExporter: "none" })).gpu, undefined);
    });

    it("a key names the contract of a custom image", () => {
        const other = sglangIds[sglangIds.length - 1];
        const settings = parseSettings("dev", { sglangImage: "registry.example.com/sglang-ananke:v1", sglangMetricsContract: other });
        const c = configuredContracts(settings);
        assert.equal(c.sglang.contract.id, other);
        assert.equal(c.sglang.warning, undefined);
    });

    it("refuses a contract id it does not know, naming key, value and the allowed ids", () => {
        assert.throws(
            () => parseSettings("dev", { sglangMetricsContract: "sglang-v0.0.1" }),
            (e: unknown) =>
                e instanceof ConfigError &&
                e.problems.some(
                    (p) =>
                        p.startsWith('sglang-ananke:sglangMetricsContract = "sglang-v0.0.1": must be one of ""') &&
                        sglangIds.every((id) => p.includes(`"${id}"`)),
                ),
        );
    });

    it("says, per enabled alert and panel without data, its name and the metrics its contract lacks", () => {
        for (const id of sglangIds) {
            const settings = parseSettings("dev", { sglangMetricsContract: id });
            const c = configuredContracts(settings);
            const combo = table.combinations.find((x) => x.sglang === id && x.gpu === c.gpu?.contract.id && x.node === c.node.contract.id);
            assert.ok(combo, id);
            const lines = gateFindings(settings, enabled(settings));
            for (const [alert, needs] of Object.entries(combo.alerts)) {
                const line = lines.find((l) => l.startsWith(`alert ${alert} cannot fire: not emitted by`));
                assert.ok(line, `${id}: ${alert}`);
                for (const m of needs.flat()) assert.ok(line.includes(m), `${line} names ${m}`);
            }
            for (const panel of Object.keys(combo.panels))
                assert.ok(
                    lines.some((l) => l.startsWith(`dashboard panel "${panel}" has no data`)),
                    panel,
                );
            // Nothing else: quiet when the rest can have data.
            assert.equal(lines.length, Object.keys(combo.alerts).length + Object.keys(combo.panels).length);
        }
    });

    it("an alert's description says which supported versions cannot fire it, and only when some cannot", () => {
        const settings = parseSettings("dev", {});
        for (const rule of allAlerts(settings, defaultLinks(settings))) {
            const lackingSomewhere = table.combinations.filter((c) => c.alerts[rule.alert]);
            const description = rule.annotations.description;
            if (lackingSomewhere.length === 0) {
                assert.doesNotMatch(description, /not emitted by/, rule.alert);
                continue;
            }
            assert.match(description, /(Fires only with .+; |No supported version fires it: )not emitted by .+: needs .+\.$/, rule.alert);
            for (const m of lackingSomewhere.flatMap((c) => c.alerts[rule.alert].flat()))
                assert.ok(description.includes(m), `${rule.alert} names ${m}`);
            // A version named as not firing it lacks it in every combination it is part of.
            const named = [...description.matchAll(/not emitted by (.+?): needs/g)].map((m) => m[1]).join(" ");
            for (const c of table.contracts.filter((x) => named.includes(contractLabel(x)))) {
                assert.ok(
                    table.combinations.filter((x) => x[slotOf(c.exporter)] === c.id).every((x) => x.alerts[rule.alert]),
                    `${rule.alert}: ${c.id}`,
                );
            }
        }
    });

    it("gates each model on its own image's contract, naming the models", () => {
        const models = JSON.stringify([
            { name: "coder", model: "org/coder" },
            { name: "chat", model: "org/chat", image: "ananke-sglang:29925551c" },
            { name: "code2", model: "org/code2" },
        ]);
        const settings = parseSettings("dev", { models });
        const [coder, chat] = settings.models;
        const own = (m: typeof coder) => {
            const alone = parseSettings("dev", { sglangImage: m.image });
            return gateFindings(alone, enabled(alone));
        };
        const lines = gateFindings(settings, enabled(settings));
        const expected = [
            ...own(coder).map((l) => `models coder, code2 (${coder.image}): ${l}`),
            ...own(chat).map((l) => `models chat (${chat.image}): ${l}`),
        ];
        // The two images follow different contracts, so at least one of them lacks something the other writes.
        assert.notDeepEqual(own(coder), own(chat));
        assert.deepEqual(lines, [...new Set(expected)]);
    });

    it("only enabled alerts and panels are reported", () => {
        const settings = parseSettings("dev", {});
        assert.deepEqual(gateFindings(settings, { alerts: [], panels: [] }), []);
    });
});

describe("which versions fire an alert, on a made-up table", () => {
    const real = availabilityTable();
    const contract = contractSummary;
    const combo = combination;
    const made = {
        contracts: [
            contract("s1", "sglang", "1"),
            contract("s2", "sglang", "2"),
            contract("d", "dcgm-exporter", "4"),
            contract("v", "nvidia-gpu-exporter", "1.3"),
            contract("n", "node-exporter", "1"),
        ],
        panelQueries: {},
        combinations: [
            combo("s1", "d", { Retractions: [["sglang:num_retracted_requests_total"]] }),
            combo("s1", "v", {
                Retractions: [["sglang:num_retracted_requests_total"]],
                Xid: [["DCGM_FI_DEV_XID_ERRORS"]],
                Both: [["sglang:x", "nvidia_smi_y"]],
            }),
            combo("s2", "d", {}),
            combo("s2", "v", { Xid: [["DCGM_FI_DEV_XID_ERRORS"]] }),
        ],
    };
    before(() => useAvailabilityTable(made));
    after(() => useAvailabilityTable(real));

    it("names the versions that fire it and those that cannot, with what they lack", () => {
        assert.equal(
            alertVersionNote("Retractions"),
            "Fires only with SGLang 2; not emitted by SGLang 1: needs sglang:num_retracted_requests_total.",
        );
        assert.equal(
            alertVersionNote("Xid"),
            "Fires only with DCGM exporter 4; not emitted by nvidia_gpu_exporter 1.3: needs DCGM_FI_DEV_XID_ERRORS.",
        );
        assert.equal(alertVersionNote("Everywhere"), undefined);
    });

    it("names the combinations when no single version is the cause", () => {
        assert.equal(
            alertVersionNote("Both"),
            "Cannot fire on these combinations of supported versions: SGLang 1 + nvidia_gpu_exporter 1.3 + node exporter 1 (needs sglang:x and nvidia_smi_y).",
        );
    });
});

describe("a panel only some of whose queries lack data", () => {
    const real = availabilityTable();
    after(() => useAvailabilityTable(real));

    it("is named with those queries", () => {
        const settings = parseSettings("dev", {});
        const c = configuredContracts(settings);
        const made = structuredClone(real);
        made.panelQueries.P = ["A", "B"];
        const combo = made.combinations.find(
            (x) => x.sglang === c.sglang.contract.id && x.gpu === c.gpu?.contract.id && x.node === c.node.contract.id,
        )!;
        combo.panels.P = [["DCGM_FI_X"]];
        combo.queries["P [B]"] = [["DCGM_FI_X"]];
        useAvailabilityTable(made);
        assert.deepEqual(gateFindings(settings, { alerts: [], panels: ["P"] }), [
            `dashboard panel "P" has no data in queries B: not emitted by ${contractLabel(c.gpu!.contract)}: needs DCGM_FI_X`,
        ]);
    });
});
