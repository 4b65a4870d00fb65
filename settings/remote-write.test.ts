/** Bad remote-write configurations and the message each one produces (key, value unless secret, what is allowed). */
import * as assert from "node:assert/strict";
import { operatorMode } from "../tests/support/operator-mode";
import { configProblems } from "../tests/support/settings";
import { parseSettings } from ".";

const STORE = { clusterName: "gpu-east", remoteWriteUrl: "https://mimir.example.com/api/v1/push" };

const problems = (raw: Record<string, unknown>) => configProblems(raw);

const CASES: { name: string; raw: Record<string, unknown>; errors: string[]; secrets?: string[] }[] = [
    {
        name: "a store URL without a scheme",
        raw: { ...STORE, remoteWriteUrl: "mimir:9009/api/v1/push" },
        errors: [
            'sglang-ananke:remoteWriteUrl = "mimir:9009/api/v1/push": must be "" or a URL starting with http:// or https:// without user:password@, without control characters or {{ }}',
        ],
    },
    {
        name: "credentials inside the store URL",
        raw: { ...STORE, remoteWriteUrl: "https://user:hunter2@mimir.example.com/api/v1/push" },
        errors: [
            'sglang-ananke:remoteWriteUrl = "https://user:hunter2@mimir.example.com/api/v1/push": must be "" or a URL starting with http:// or https:// without user:password@, without control characters or {{ }}',
        ],
    },
    {
        name: "an unknown authentication kind",
        raw: { ...STORE, remoteWriteAuth: "sigv4" },
        errors: ['sglang-ananke:remoteWriteAuth = "sigv4": must be one of "none", "basic", "bearer", "oauth2"'],
    },
    {
        name: "remote write without a cluster name",
        raw: { remoteWriteUrl: STORE.remoteWriteUrl },
        errors: [
            "sglang-ananke:clusterName is required with sglang-ananke:remoteWriteUrl: the store holds series of many clusters, and the `cluster` label tells them apart",
        ],
    },
    {
        name: "a cluster name with a space",
        raw: { ...STORE, clusterName: "gpu east" },
        errors: ['sglang-ananke:clusterName = "gpu east": must be "" or a name of letters, digits and ._- (at most 63)'],
    },
    {
        name: "authentication without a store",
        raw: { remoteWriteAuth: "bearer", remoteWriteBearerToken: "tok-SECRET-1" },
        errors: [
            'sglang-ananke:remoteWriteAuth = "bearer" needs sglang-ananke:remoteWriteUrl: set the store\'s remote-write URL, or remoteWriteAuth "none"',
        ],
        secrets: ["tok-SECRET-1"],
    },
    {
        name: "basic authentication without user or password",
        raw: { ...STORE, remoteWriteAuth: "basic" },
        errors: [
            'sglang-ananke:remoteWritePassword is required with sglang-ananke:remoteWriteAuth = "basic": pulumi config set --secret remoteWritePassword <value>',
            'sglang-ananke:remoteWriteUsername is required with sglang-ananke:remoteWriteAuth = "basic"',
        ],
    },
    {
        name: "a password with a bearer token kind (a secret: not echoed)",
        raw: { ...STORE, remoteWriteAuth: "bearer", remoteWriteBearerToken: "tok-SECRET-2", remoteWritePassword: "pw-SECRET-3" },
        errors: [
            'sglang-ananke:remoteWritePassword is set but sglang-ananke:remoteWriteAuth = "bearer": it is read only with remoteWriteAuth "basic"; remove it or set remoteWriteAuth "basic"',
        ],
        secrets: ["tok-SECRET-2", "pw-SECRET-3"],
    },
    {
        name: "a bearer token with a space (a secret: not echoed)",
        raw: { ...STORE, remoteWriteAuth: "bearer", remoteWriteBearerToken: "Bearer tok-SECRET-4" },
        errors: ['sglang-ananke:remoteWriteBearerToken = [secret]: must be "" or a token without spaces'],
        secrets: ["tok-SECRET-4"],
    },
    {
        name: "OAuth2 without client id or token URL",
        raw: { ...STORE, remoteWriteAuth: "oauth2", remoteWriteOauth2ClientSecret: "cs-SECRET-5" },
        errors: [
            'sglang-ananke:remoteWriteOauth2ClientId is required with sglang-ananke:remoteWriteAuth = "oauth2"',
            'sglang-ananke:remoteWriteOauth2TokenUrl is required with sglang-ananke:remoteWriteAuth = "oauth2"',
        ],
        secrets: ["cs-SECRET-5"],
    },
    {
        name: "an OAuth2 token URL over plain http",
        raw: {
            ...STORE,
            remoteWriteAuth: "oauth2",
            remoteWriteOauth2ClientId: "p",
            remoteWriteOauth2ClientSecret: "cs-SECRET-6",
            remoteWriteOauth2TokenUrl: "http://login.example.com/token",
        },
        errors: [
            'sglang-ananke:remoteWriteOauth2TokenUrl = "http://login.example.com/token": must be "" or a URL starting with https:// without user:password@, without control characters or {{ }}',
        ],
        secrets: ["cs-SECRET-6"],
    },
    {
        name: "more samples per request than the queue holds",
        raw: { ...STORE, remoteWriteQueueCapacity: 1000, remoteWriteMaxSamplesPerSend: 5000 },
        errors: [
            "sglang-ananke:remoteWriteMaxSamplesPerSend = 5000 is above sglang-ananke:remoteWriteQueueCapacity = 1000: a shard could never fill one request",
        ],
    },
    {
        name: "zero shards",
        raw: { ...STORE, remoteWriteMaxShards: 0 },
        errors: ["sglang-ananke:remoteWriteMaxShards = 0: must be an integer from 1 to 1000"],
    },
    {
        name: "a batch deadline without a unit",
        raw: { ...STORE, remoteWriteBatchSendDeadline: "5" },
        errors: [
            'sglang-ananke:remoteWriteBatchSendDeadline = "5": must be a Prometheus duration such as 30s, 5m, 1h or 15d (at least 1s, at most 60s)',
        ],
    },
    {
        name: "remote write from the bundled Prometheus in operator mode",
        raw: {
            ...STORE,
            target: "kubernetes",
            ...operatorMode("admin:x"),
        },
        errors: [
            'sglang-ananke:remoteWriteUrl applies to the bundled Prometheus; with monitoringMode "operator" configure remote write on the cluster\'s Prometheus (Prometheus.spec.remoteWrite)',
        ],
    },
];

describe("bad remote-write configurations", () => {
    for (const c of CASES) {
        it(c.name, () => {
            const found = problems(c.raw);
            assert.deepEqual(found, c.errors);
            for (const s of c.secrets ?? []) assert.ok(!found.join("\n").includes(s), `the message shows the secret ${s}`);
        });
    }

    it("accepts each authentication kind when complete", () => {
        const s = parseSettings("prod", {
            ...STORE,
            remoteWriteAuth: "oauth2",
            remoteWriteOauth2ClientId: "prometheus",
            remoteWriteOauth2ClientSecret: "x",
            remoteWriteOauth2TokenUrl: "https://login.example.com/token",
        });
        assert.deepEqual(s.prometheus.remoteWrite?.auth, {
            kind: "oauth2",
            clientId: "prometheus",
            tokenUrl: "https://login.example.com/token",
            scopes: [],
        });
        assert.equal(parseSettings("prod", {}).prometheus.remoteWrite, undefined);
    });
});
