import { strict as assert } from "node:assert";
import { SGLANG_ROUTER_CONTRACTS } from "./index";
import { SMG_DURATION_BUCKETS, SMG_EVENT_LOOP_DELAY_BUCKETS } from "./v1.9.0";

/** The files of lightseekorg/smg that register metrics. */
const SOURCES = new Set([
    "model_gateway/src/observability/metrics.rs",
    "model_gateway/src/observability/runtime_metrics.rs",
    "model_gateway/src/observability/inflight_tracker.rs",
    "model_gateway/src/middleware/scheduler/metrics.rs",
    "crates/mesh/src/metrics.rs",
]);

/**
 * The buckets `start_prometheus` gives a histogram by its name; undefined
 * means none, so metrics-exporter-prometheus renders it as a summary.
 */
function exporterBuckets(name: string): number[] | undefined {
    if (name === "smg_tokio_event_loop_delay_seconds") return SMG_EVENT_LOOP_DELAY_BUCKETS;
    if (/(duration_seconds|ttft_seconds|tpot_seconds)$/.test(name)) return SMG_DURATION_BUCKETS;
    return undefined;
}

describe("SGLang router metric contracts", () => {
    it("ids are unique and each names the exporter", () => {
        const ids = SGLANG_ROUTER_CONTRACTS.map((c) => c.id);
        assert.deepEqual(ids, [...new Set(ids)]);
        for (const c of SGLANG_ROUTER_CONTRACTS) assert.equal(c.exporter, "sglang-router");
    });

    for (const contract of SGLANG_ROUTER_CONTRACTS) {
        describe(contract.id, () => {
            it("names its source commit and an image tagged with its version number", () => {
                assert.match(contract.source.commit, /^[0-9a-f]{40}$/);
                assert.match(contract.source.date ?? "", /^\d{4}-\d{2}-\d{2}$/);
                // Image tags are the Python package version, without the release tag's "v".
                assert.ok(contract.images.includes(`lightseekorg/smg:${contract.version.replace(/^v/, "")}`), contract.images.join(", "));
            });

            it("lists each metric once, with the smg_ prefix or the mesh crate's router_", () => {
                const names = contract.metrics.map((m) => m.name);
                assert.deepEqual(
                    names.filter((n, i) => names.indexOf(n) !== i),
                    [],
                );
                for (const n of names) assert.match(n, /^(smg|router)_[a-z0-9_]+$/, n);
            });

            it("counters end in _total, except smg_db_items_stored as the source spells it", () => {
                for (const m of contract.metrics.filter((x) => x.type === "counter")) {
                    if (m.name !== "smg_db_items_stored") assert.match(m.name, /_total$/, m.name);
                }
            });

            it("a histogram has exactly the buckets the exporter's matchers give its name; a summary is what gets none", () => {
                for (const m of contract.metrics) {
                    const expected = exporterBuckets(m.name);
                    if (m.type === "histogram") assert.deepEqual(m.buckets, expected, m.name);
                    else if (m.type === "summary") assert.equal(expected, undefined, `${m.name} would get buckets`);
                    if (m.type !== "histogram") assert.equal(m.buckets, undefined, m.name);
                }
            });

            it("bucket lists ascend strictly", () => {
                for (const b of [SMG_DURATION_BUCKETS, SMG_EVENT_LOOP_DELAY_BUCKETS]) {
                    for (let i = 1; i < b.length; i++) assert.ok(b[i] > b[i - 1], `${b[i - 1]} then ${b[i]}`);
                }
            });

            it("labels are unique, never job or instance, le only on a gauge, quantile never", () => {
                for (const m of contract.metrics) {
                    assert.equal(new Set(m.labels).size, m.labels.length, `${m.name}: ${m.labels.join(",")}`);
                    for (const reserved of ["job", "instance", "quantile"]) assert.ok(!m.labels.includes(reserved), `${m.name} has ${reserved}`);
                    if (m.type !== "gauge") assert.ok(!m.labels.includes("le"), `${m.name} has le`);
                }
            });

            it("every label with listed values is a label of some metric, with distinct values", () => {
                const labels = new Set(contract.metrics.flatMap((m) => m.labels));
                for (const [label, values] of Object.entries(contract.labelValues ?? {})) {
                    assert.ok(labels.has(label), `labelValues.${label} is no metric's label`);
                    assert.ok(values.length > 0, label);
                    assert.equal(new Set(values).size, values.length, label);
                }
            });

            it("each entry is a single-process exporter's, from a file that registers metrics, and says why when it never appears", () => {
                for (const m of contract.metrics) {
                    assert.equal(m.writers, "exporter", m.name);
                    assert.ok(SOURCES.has(m.source), `${m.name}: ${m.source}`);
                    if (m.appears === "never") assert.ok((m.note ?? "").length > 0, `${m.name} never appears but has no note`);
                }
            });
        });
    }
});
