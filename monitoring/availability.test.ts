import { strict as assert } from "node:assert";
import type { ExporterContract, MetricEntry } from "../contracts/types";
import { parseSettings } from "../settings";
import { AvailabilityChecker } from "./availability";
import { recordingRuleGroups } from "./recording";
import * as S from "./series";
import type { RuleGroup } from "./types";

function metric(name: string, type: MetricEntry["type"], labels: string[], appears: MetricEntry["appears"] = "at-start"): MetricEntry {
    return { name, type, labels, writers: "tokenizer", appears, source: "test" };
}

const SGLANG: ExporterContract = {
    exporter: "sglang",
    id: "sglang-test",
    version: "test",
    images: [],
    source: { repository: "test", commit: "0" },
    spellings: ["sglang:", "sglang_"],
    metrics: [
        metric("sglang:num_requests_total", "counter", ["model_name"]),
        metric("sglang:num_retracted_requests_total", "counter", ["model_name"], "never"),
        metric("sglang:http_responses_total", "counter", ["model_name", "status_code", "endpoint"], "first-event"),
        metric("sglang:time_to_first_token_seconds", "histogram", ["model_name"]),
    ],
};

const DCGM: ExporterContract = {
    exporter: "dcgm-exporter",
    id: "dcgm-test",
    version: "test",
    images: [],
    source: { repository: "test", commit: "0" },
    metrics: [{ ...metric("DCGM_FI_DEV_GPU_UTIL", "gauge", ["gpu", "UUID"]), conditionalLabels: { pod: "on Kubernetes" } }],
};

const checker = (groups: RuleGroup[] = []) => new AvailabilityChecker([SGLANG, DCGM], groups);

describe("availability of series on metric contracts", () => {
    it("a written metric has data on either SGLang spelling; a registered-only one does not", () => {
        assert.equal(checker().check("rate(sglang_num_requests_total[5m])").ok, true);
        assert.deepEqual(checker().check("rate(sglang_num_retracted_requests_total[5m])").missing, ["sglang_num_retracted_requests_total"]);
        // Both spellings lacking count once, in the first spelling.
        assert.deepEqual(checker().check("rate(sglang:num_retracted_requests_total[5m]) or rate(sglang_num_retracted_requests_total[5m])").missing, [
            "sglang:num_retracted_requests_total",
        ]);
        assert.deepEqual(checker().check("nvidia_smi_temperature_gpu").missing, ["nvidia_smi_temperature_gpu"]);
    });

    it("or needs either side, and/arithmetic both, unless the left", () => {
        const c = checker();
        assert.equal(c.check("sglang:num_requests_total or sglang:num_retracted_requests_total").ok, true);
        assert.deepEqual(c.check("sglang:num_requests_total / sglang:num_retracted_requests_total").missing, ["sglang:num_retracted_requests_total"]);
        assert.deepEqual(c.check("sglang:num_requests_total and on (job) foo_total").missing, ["foo_total"]);
        assert.equal(c.check("sglang:num_requests_total unless foo_total").ok, true);
        assert.deepEqual(c.check("foo_total unless sglang:num_requests_total").missing, ["foo_total"]);
        assert.deepEqual(c.check("(foo_total or bar) > 0").missing, ["bar", "foo_total"]);
    });

    it("says what would give data: alternatives of metrics that must all be written", () => {
        const c = checker();
        assert.deepEqual(c.check("(foo_total or bar) / sglang:num_requests_total").needs, [["foo_total"], ["bar"]]);
        assert.deepEqual(c.check("(foo_total or bar) / baz").needs, [
            ["baz", "foo_total"],
            ["bar", "baz"],
        ]);
        // Both SGLang spellings of the same set are one alternative.
        assert.deepEqual(c.check("(sglang:a_total / sglang:b_total) or (sglang_a_total / sglang_b_total)").needs, [
            ["sglang:a_total", "sglang:b_total"],
        ]);
        // An alternative that needs more than another adds nothing.
        assert.deepEqual(c.check("foo_total or (foo_total * bar)").needs, [["foo_total"]]);
    });

    it("absent(), vector(), literals, up and the stack's own metrics always have data", () => {
        const c = checker();
        for (const e of [
            "absent(foo_total)",
            "vector(1)",
            "1",
            'up{job="sglang"} == 0',
            'ALERTS{alertname="x"}',
            "rate(prometheus_rule_evaluation_failures_total[5m]) > 0",
            "foo_total or vector(0)",
        ]) {
            assert.equal(c.check(e).ok, true, e);
        }
    });

    it("label matchers need the label, unless they also match its absence", () => {
        const c = checker();
        assert.equal(c.check('sglang:http_responses_total{status_code=~"5..", endpoint!~"/health.*"}').ok, true);
        assert.deepEqual(c.check('sglang:num_requests_total{status_code="500"}').missing, ["sglang:num_requests_total"]);
        assert.equal(c.check('sglang:num_requests_total{status_code!~"5.."}').ok, true);
        assert.equal(c.check('sglang:num_requests_total{instance=~".+", job="sglang"}').ok, true);
        // A label written only in some deployments is not a label the exporter always has.
        assert.equal(c.check('DCGM_FI_DEV_GPU_UTIL{pod="x"}').ok, false);
    });

    it("a selector by name pattern has data iff some written metric's scraped name matches", () => {
        const c = checker();
        assert.equal(c.check('{__name__=~"sglang[:_]num_requests_total"}').ok, true);
        assert.equal(c.check('count({__name__=~"sglang_time_to_first_token_seconds_bucket", le="2"})').ok, true);
        assert.deepEqual(c.check('{__name__=~"sglang[:_]num_retracted_requests_total|ananke_.+"}').missing, [
            '{__name__=~"sglang[:_]num_retracted_requests_total|ananke_.+"}',
        ]);
        assert.equal(c.check('{__name__=~"sglang[:_]num_requests_total", status_code="500"}').ok, false);
    });

    it("histogram parts are the histogram, le only on buckets", () => {
        const c = checker();
        assert.equal(c.check('sum by (le) (rate(sglang:time_to_first_token_seconds_bucket{le="2"}[5m]))').ok, true);
        assert.equal(c.check("sglang:time_to_first_token_seconds_count").ok, true);
        assert.equal(c.check('sglang:time_to_first_token_seconds_count{le="2"}').ok, false);
    });

    it("a name both recorded and written is either, as the matchers on the rule's labels allow", () => {
        const groups: RuleGroup[] = [
            {
                name: "g",
                rules: [{ record: "sglang:num_requests_total", expr: "foo_total", labels: { recorded_from: "foo_total" } }],
            },
        ];
        assert.equal(checker(groups).check('sglang:num_requests_total{recorded_from=""}').ok, true);
        assert.deepEqual(checker(groups).check('sglang:num_requests_total{recorded_from="foo_total"}').missing, [
            "foo_total",
            "sglang:num_requests_total",
        ]);
    });

    it("resolves recorded series through their rules, recursively", () => {
        const groups: RuleGroup[] = [
            {
                name: "g",
                rules: [
                    { record: "a:rate", expr: "rate(sglang:num_retracted_requests_total[5m])" },
                    { record: "b:ratio", expr: "a:rate / on () group_left sum(rate(sglang:num_requests_total[5m]))" },
                    { record: "c:either", expr: "a:rate" },
                    { record: "c:either", expr: "sglang:num_requests_total" },
                ],
            },
        ];
        const c = checker(groups);
        assert.deepEqual(c.check("b:ratio > 0.1").missing, ["sglang:num_retracted_requests_total"]);
        assert.equal(c.check("c:either").ok, true);
    });

    it("throws on a query that does not parse", () => {
        assert.throws(() => checker().check("sum(rate(x[5m])"), /cannot parse/);
    });

    it("follows the project's recording rules to the raw metrics they need", () => {
        const c = checker(recordingRuleGroups(parseSettings("dev", {})));
        assert.deepEqual(c.recordedSeries(S.SGLANG_RETRACTED_RATE).missing, ["sglang:num_retracted_requests_total"]);
        assert.equal(c.recordedSeries(S.SGLANG_REQUESTS_RATE).ok, true);
        // HTTP 5xx or, failing those, aborted requests: neither is in this contract.
        assert.equal(c.recordedSeries(S.SGLANG_ERRORS_RATE).ok, true);
        assert.equal(c.recordedSeries(S.GPU_UTILIZATION).ok, true);
        assert.equal(c.recordedSeries(S.GPU_TEMPERATURE_CELSIUS).ok, false);
    });
});
