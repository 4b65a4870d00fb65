import { strict as assert } from "node:assert";
import { routerSeries, written } from "../generate";
import { SGLANG_ROUTER_V1_9_0 } from "./v1.9.0";

const W0 = "http://sglang-0:30000";
const W1 = "http://sglang-1:30000";

describe("the SGLang router's series generated from its contract", () => {
    const at = (traffic: Parameters<typeof routerSeries>[2]) => routerSeries(SGLANG_ROUTER_V1_9_0, { workers: [W0, W1] }, traffic);

    it("writes every at-start metric from the first scrape, per worker where it has a worker label, and nothing it never writes", () => {
        const series = at({});
        const names = new Set(series.map((s) => s.entry.name));
        for (const m of SGLANG_ROUTER_V1_9_0.metrics) {
            assert.equal(names.has(m.name), m.appears === "at-start", `${m.name} (${m.appears})`);
        }
        const health = series.filter((s) => s.name === "smg_worker_health");
        assert.deepEqual(health.map((s) => s.labels.worker).sort(), [W0, W1]);
        assert.ok(SGLANG_ROUTER_V1_9_0.metrics.filter(written).length > 0);
    });

    it("writes bucket bounds as Rust writes an f64, and a bucketless histogram as a summary with the exporter's quantiles", () => {
        const series = at({
            smg_router_request_duration_seconds: { histogram: { rate: 1, mix: { 1: 1 } } },
            smg_worker_retry_backoff_seconds: { histogram: { rate: 1, mix: { 0.1: 1 } } },
        });
        const les = series.filter((s) => s.name === "smg_router_request_duration_seconds_bucket").map((s) => s.labels.le);
        assert.ok(les.includes("1") && les.includes("0.001") && les.includes("7200") && les.at(-1) === "+Inf", les.join(" "));
        const backoff = series.filter((s) => s.entry.name === "smg_worker_retry_backoff_seconds");
        assert.deepEqual(
            backoff.filter((s) => s.labels.quantile !== undefined).map((s) => s.labels.quantile),
            ["0", "0.5", "0.9", "0.95", "0.99", "0.999", "1"],
        );
        assert.deepEqual(
            backoff.filter((s) => s.labels.quantile === undefined).map((s) => s.name),
            ["smg_worker_retry_backoff_seconds_sum", "smg_worker_retry_backoff_seconds_count"],
        );
    });

    it("gives the tokio runtime's worker label a thread index, not a worker URL", () => {
        const busy = at({}).filter((s) => s.name === "smg_tokio_worker_busy_ratio");
        assert.deepEqual(
            busy.map((s) => s.labels.worker),
            ["0"],
        );
    });

    it('leaves out a label written as "" (no error code), as Prometheus stores it', () => {
        const responses = at({
            smg_http_responses_total: {
                bySeries: [
                    { labels: { path: "/generate", status_code: "200", error_code: "" }, rate: 1 },
                    { labels: { path: "/generate", status_code: "503", error_code: "no_available_workers" }, rate: 1 },
                ],
            },
        }).filter((s) => s.name === "smg_http_responses_total");
        assert.deepEqual(
            responses.map((s) => s.labels),
            [
                { path: "/generate", status_code: "200" },
                { path: "/generate", status_code: "503", error_code: "no_available_workers" },
            ],
        );
    });

    it("gives a value that names a worker to that worker only", () => {
        const opened = at({
            smg_worker_cb_transitions_total: { bySeries: [{ labels: { worker: W1, from: "half_open", to: "open" }, rate: 0.1 }] },
        }).filter((s) => s.name === "smg_worker_cb_transitions_total");
        assert.deepEqual(
            opened.map((s) => s.labels),
            [{ worker: W1, from: "half_open", to: "open" }],
        );
    });
});
