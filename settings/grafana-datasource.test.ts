/** The Grafana datasource on a long-term store: bad configurations and their messages, and what a complete one parses to. */
import * as assert from "node:assert/strict";
import { configProblems } from "../tests/support/settings";
import { parseSettings } from ".";

const STORE = { clusterName: "gpu-east", remoteWriteUrl: "https://mimir.example.com/api/v1/push" };
const QUERY_URL = "https://mimir.example.com/prometheus";

const problems = (raw: Record<string, unknown>) => configProblems(raw);

const CASES: { name: string; raw: Record<string, unknown>; errors: string[]; secrets?: string[] }[] = [
    {
        name: "a user without a password",
        raw: { ...STORE, grafanaDatasourceUrl: QUERY_URL, grafanaDatasourceUsername: "12345" },
        errors: [
            "sglang-ananke:grafanaDatasourceUsername needs sglang-ananke:grafanaDatasourcePassword: pulumi config set --secret grafanaDatasourcePassword <value>",
        ],
    },
    {
        name: "a password without a user",
        raw: { ...STORE, grafanaDatasourceUrl: QUERY_URL, grafanaDatasourcePassword: "ds-SECRET-1" },
        errors: ["sglang-ananke:grafanaDatasourcePassword needs sglang-ananke:grafanaDatasourceUsername: basic auth sends both"],
        secrets: ["ds-SECRET-1"],
    },
    {
        name: "credentials without a query URL",
        raw: { grafanaDatasourceUsername: "12345", grafanaDatasourcePassword: "ds-SECRET-2" },
        errors: [
            "sglang-ananke:grafanaDatasourceUsername is set but sglang-ananke:grafanaDatasourceUrl is not: it authenticates to the long-term store; set grafanaDatasourceUrl or remove it",
            "sglang-ananke:grafanaDatasourcePassword is set but sglang-ananke:grafanaDatasourceUrl is not: it authenticates to the long-term store; set grafanaDatasourceUrl or remove it",
        ],
        secrets: ["ds-SECRET-2"],
    },
    {
        name: "the store as datasource while the bundled Prometheus writes nothing to it",
        raw: { grafanaDatasourceUrl: QUERY_URL },
        errors: [
            'sglang-ananke:grafanaDatasourceUrl is set but sglang-ananke:remoteWriteUrl is not: the bundled Prometheus writes nothing to the store, so the dashboard would be empty; set remoteWriteUrl, or grafanaDatasourceUrl ""',
        ],
    },
];

describe("Grafana datasource on a long-term store", () => {
    it("refuses a query URL that is not http(s), naming the key and the value", () => {
        const [found] = problems({ ...STORE, grafanaDatasourceUrl: "mimir.example.com/prometheus" });
        assert.match(
            found,
            /^sglang-ananke:grafanaDatasourceUrl = "mimir\.example\.com\/prometheus": must be "" or a URL starting with http:\/\/ or https:\/\//,
        );
    });

    for (const c of CASES) {
        it(`refuses ${c.name}`, () => {
            const found = problems(c.raw);
            assert.deepEqual(found, c.errors);
            for (const s of c.secrets ?? []) assert.ok(!found.join("\n").includes(s), `the message shows the secret ${s}`);
        });
    }

    it("reads the URL and user, and knows the password is set without holding it", () => {
        const s = parseSettings("prod", {
            ...STORE,
            grafanaDatasourceUrl: `${QUERY_URL}/`,
            grafanaDatasourceUsername: "12345",
            grafanaDatasourcePassword: "ds-SECRET-3",
        });
        assert.deepEqual(s.grafana.datasource, { url: QUERY_URL, username: "12345" });
        assert.equal(s.secrets.grafanaDatasourcePassword, true);
        assert.ok(!JSON.stringify(s).includes("ds-SECRET-3"));
        assert.deepEqual(parseSettings("prod", {}).grafana.datasource, { url: "", username: "" });
    });
});
