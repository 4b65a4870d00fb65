import { strict as assert } from "node:assert";
import type { ExporterContract } from "../types";
import { DEFAULT_SGLANG_CONTRACT, SGLANG_CONTRACTS } from "./index";

/** Every label any metric of the contract writes. */
function labelsOf(contract: ExporterContract): Set<string> {
    return new Set(contract.metrics.flatMap((m) => m.labels));
}

describe("SGLang metric contracts", () => {
    it("the default contract is the default image's and comes first", () => {
        assert.equal(SGLANG_CONTRACTS[0], DEFAULT_SGLANG_CONTRACT);
        assert.ok(DEFAULT_SGLANG_CONTRACT.images.includes("lmsysorg/sglang:v0.5.4.post1"), DEFAULT_SGLANG_CONTRACT.images.join(", "));
    });

    it("ids are unique", () => {
        const ids = SGLANG_CONTRACTS.map((c) => c.id);
        assert.deepEqual(ids, [...new Set(ids)]);
    });

    for (const contract of SGLANG_CONTRACTS) {
        describe(contract.id, () => {
            it("names its source commit and the two spellings", () => {
                assert.equal(contract.exporter, "sglang");
                assert.match(contract.source.commit, /^[0-9a-f]{9,40}$/);
                assert.match(contract.source.date ?? "", /^\d{4}-\d{2}-\d{2}$/);
                assert.deepEqual(contract.spellings, ["sglang:", "sglang_"]);
                assert.ok(contract.images.length > 0);
            });

            it("lists each metric once, in the sglang: spelling (or the Ananke exporter's ananke_)", () => {
                const names = contract.metrics.map((m) => m.name);
                const repeated = names.filter((n, i) => names.indexOf(n) !== i);
                assert.deepEqual(repeated, []);
                for (const n of names) assert.match(n, /^(sglang:|ananke_)[a-zA-Z_][a-zA-Z0-9_]*$/, n);
            });

            it("counters end in _total (a gauge may too: sglang:lora_pool_slots_total)", () => {
                for (const m of contract.metrics.filter((x) => x.type === "counter")) assert.match(m.name, /_total$/, m.name);
            });

            it("histograms have strictly ascending finite buckets; other types have none", () => {
                for (const m of contract.metrics) {
                    if (m.type !== "histogram") {
                        assert.equal(m.buckets, undefined, m.name);
                        continue;
                    }
                    const b = m.buckets ?? [];
                    assert.ok(b.length > 0, `${m.name} has no buckets`);
                    for (let i = 0; i < b.length; i++) {
                        assert.ok(Number.isFinite(b[i]), `${m.name} bucket ${b[i]}`);
                        if (i > 0) assert.ok(b[i] > b[i - 1], `${m.name}: ${b[i - 1]} then ${b[i]}`);
                    }
                }
            });

            it("labels are unique per metric, never job or instance, and le only on a gauge", () => {
                for (const m of contract.metrics) {
                    assert.equal(new Set(m.labels).size, m.labels.length, `${m.name}: ${m.labels.join(",")}`);
                    for (const reserved of ["job", "instance"]) assert.ok(!m.labels.includes(reserved), `${m.name} has ${reserved}`);
                    // A histogram's le is written by the client library; a gauge histogram writes its own.
                    if (m.type !== "gauge") assert.ok(!m.labels.includes("le"), `${m.name} has le`);
                }
            });

            it("every label with listed values is a label of some metric, with distinct values", () => {
                const labels = labelsOf(contract);
                for (const [label, values] of Object.entries(contract.labelValues ?? {})) {
                    assert.ok(labels.has(label), `labelValues.${label} is no metric's label`);
                    assert.ok(values.length > 0, label);
                    assert.equal(new Set(values).size, values.length, label);
                }
            });

            it("each entry names a Python source file", () => {
                for (const m of contract.metrics) assert.match(m.source, /^python\/sglang\/.+\.py$/, m.name);
            });
        });
    }
});
