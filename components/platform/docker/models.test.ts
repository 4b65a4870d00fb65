/**
 * Several models on one Docker host, under mocks: each model's servers in
 * containers of their own (image, flags, GPUs, model cache, names), all
 * behind the one router, each scraped, and the served names as an output.
 */
import * as assert from "node:assert/strict";
import { policies } from "../../../policy/policies";
import { type MockResource, type ProgramRun, runProgram, stackFileConfig } from "../../../tests/harness";
import { flagValues } from "../../../tests/support/mock-objects";
import { violations } from "../../../tests/support/policy-runner";
import { withProductionSecrets } from "../../../tests/support/production-secrets";
import { checkedPrometheusConfig as checkedConfigOf } from "../../../tests/support/prometheus-config";
import { MODEL_LABEL } from "../../sglang/service";
import { SERVICE_LABEL } from "./container";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const VOLUME = "docker:index/volume:Volume";
const DEV = stackFileConfig("Pulumi.dev.yaml");
const CODER = { name: "coder", model: "Qwen/Qwen2.5-Coder-7B-Instruct" };
const CHAT = {
    name: "chat",
    model: "meta-llama/Llama-3.1-8B-Instruct",
    servedModelName: "chat",
    image: "ananke-sglang:29925551c",
    gpuCount: 2,
    workers: 2,
    startupSeconds: 3600,
};

const label = (c: MockResource, key: string): string | undefined => c.plain.labels.find((l: any) => l.label === key)?.value;
const containersOf = (r: ProgramRun, service: string) => r.byType(CONTAINER).filter((c) => label(c, SERVICE_LABEL) === service);
const flag = (c: MockResource, name: string): string => c.plain.command[c.plain.command.indexOf(name) + 1];

/** The Prometheus configuration the run uploads, checked by promtool, parsed. */
const checkedPrometheusConfig = (r: ProgramRun): any => checkedConfigOf(containersOf(r, "prometheus")[0]);

describe("several models on one Docker host (mocks)", function () {
    this.timeout(180000);
    let run: ProgramRun;
    let servers: MockResource[];
    before(async () => {
        run = await runProgram({ ...DEV, dockerHostGpus: "5", models: JSON.stringify([CODER, CHAT]) });
        servers = containersOf(run, "sglang");
    });

    it("runs a container per server of every model, named after its model, labelled with it", () => {
        assert.deepEqual(
            servers.map((c) => [c.name, c.plain.name, label(c, MODEL_LABEL)]),
            [
                ["sglang-coder", "sglang-ananke-dev-sglang-coder", "coder"],
                ["sglang-chat-0", "sglang-ananke-dev-sglang-chat-0", "chat"],
                ["sglang-chat-1", "sglang-ananke-dev-sglang-chat-1", "chat"],
            ],
        );
    });

    it("gives each model its own image, flags and GPUs, disjoint over the models", () => {
        assert.deepEqual(
            servers.map((c) => [
                label(c, "org.opencontainers.image.source"),
                c.plain.image,
                flag(c, "--model-path"),
                flag(c, "--served-model-name"),
                flag(c, "--tp-size"),
                c.plain.deviceRequests[0].deviceIds,
            ]),
            [
                ["lmsysorg/sglang:v0.5.4.post1", "sha256:mock-sglang-coder-image", CODER.model, CODER.model, "1", ["0"]],
                ["ananke-sglang:29925551c", "sha256:mock-sglang-chat-image", CHAT.model, "chat", "2", ["1", "2"]],
                ["ananke-sglang:29925551c", "sha256:mock-sglang-chat-image", CHAT.model, "chat", "2", ["3", "4"]],
            ],
        );
        assert.deepEqual(
            run
                .byType(IMAGE)
                .filter((i) => i.name.startsWith("sglang-") && !i.name.startsWith("sglang-router"))
                .map((i) => [i.name, i.plain.name]),
            [
                ["sglang-coder-image", "lmsysorg/sglang:v0.5.4.post1"],
                ["sglang-chat-image", "ananke-sglang:29925551c"],
            ],
        );
    });

    it("gives each model its own model cache, kept on destroy and shared by its servers", () => {
        const caches = run.byType(VOLUME).filter((v) => label(v, SERVICE_LABEL) === "sglang");
        assert.deepEqual(
            caches.map((v) => [v.name, v.plain.name, label(v, MODEL_LABEL), v.retainOnDelete]),
            [
                ["sglang-coder-model-cache", "sglang-ananke-dev-sglang-coder-model-cache", "coder", true],
                ["sglang-chat-model-cache", "sglang-ananke-dev-sglang-chat-model-cache", "chat", true],
            ],
        );
        assert.deepEqual(
            servers.map((c) => c.plain.volumes.map((v: any) => v.volumeName)),
            [
                ["sglang-ananke-dev-sglang-coder-model-cache"],
                ["sglang-ananke-dev-sglang-chat-model-cache"],
                ["sglang-ananke-dev-sglang-chat-model-cache"],
            ],
        );
    });

    it("names each server on the network by its own name and its model's, never the bare service's, and publishes none", () => {
        assert.deepEqual(
            servers.map((c) => c.plain.networksAdvanced[0].aliases),
            [["sglang-coder"], ["sglang-chat-0", "sglang-chat"], ["sglang-chat-1", "sglang-chat"]],
        );
        for (const c of servers) assert.deepEqual(c.plain.ports, [], `${c.plain.name} publishes nothing`);
        assert.equal(run.outputs.sglangMetricsUrl, undefined);
    });

    it("registers no two resources of a type under one name", () => {
        const names = run.resources.map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(
            names.filter((n, i) => names.indexOf(n) !== i),
            [],
        );
    });

    it("passes the pack's guardrails, and its contract advice reads each model's own image", () => {
        // Under mocks an image id is no digest (images-pinned); metric-contracts is advice, checked below.
        const guardrails = policies().filter((p) => p.name !== "images-pinned" && p.name !== "metric-contracts");
        assert.ok(guardrails.some((p) => p.name === "gpus-only-for-gpu-services"));
        const found = guardrails.flatMap((p) =>
            run.resources.flatMap((r) => violations(p.name, r.type, r.plain, { name: r.name }).map((v) => `${p.name}: ${v}`)),
        );
        assert.deepEqual(found, []);
        const contractsSeen = servers.map((c) => [
            ...new Set(violations("metric-contracts", c.type, c.plain, { name: c.name }).map((v) => /^sglang \(([^)]+)\)/.exec(v)?.[1])),
        ]);
        assert.deepEqual(contractsSeen, [["SGLang v0.5.4.post1"], ["SGLang ananke-29925551c"], ["SGLang ananke-29925551c"]]);
    });

    it("puts every server of every model behind the one router, on the published API port", () => {
        const [router] = containersOf(run, "sglang-router");
        assert.deepEqual(flagValues(router.plain.command, "--worker-urls"), [
            "http://sglang-coder:30000",
            "http://sglang-chat-0:30000",
            "http://sglang-chat-1:30000",
        ]);
        assert.deepEqual(router.plain.ports, [{ internal: 30000, external: 30000, ip: "127.0.0.1", protocol: "tcp" }]);
        // A restarted worker may take the slowest model's start-up (3600 s) before the router drops it: 3600 / (3 × 60 s probes).
        assert.deepEqual(flagValues(router.plain.command, "--health-failure-threshold"), ["20"]);
        assert.deepEqual(
            servers.map((c) => c.plain.healthcheck.startPeriod),
            ["1800s", "3600s", "3600s"],
        );
        assert.equal(run.outputs.openaiBaseUrl, "http://localhost:30000/v1");
    });

    it("scrapes every server of every model in the one sglang job", () => {
        const job = checkedPrometheusConfig(run).scrape_configs.find((j: any) => j.job_name === "sglang");
        assert.deepEqual(
            job.static_configs.flatMap((c: any) => c.targets),
            ["sglang-coder:30000", "sglang-chat-0:30000", "sglang-chat-1:30000"],
        );
    });

    it("lists the served model names as a plain output", async () => {
        assert.deepEqual(run.outputs.models, [CODER.model, "chat"]);
        assert.ok(!run.secretOutputs.has("models"));
        const single = await runProgram(DEV);
        assert.deepEqual(single.outputs.models, [DEV.model]);
        // The short form's server keeps its names.
        assert.deepEqual(
            containersOf(single, "sglang").map((c) => [c.name, c.plain.name, c.plain.networksAdvanced[0].aliases, label(c, MODEL_LABEL)]),
            [["sglang", "sglang-ananke-dev-sglang", ["sglang"], undefined]],
        );
    });

    it("a list of one model of one server: its own names, behind the router, which requests name the model to", async () => {
        const one = await runProgram({ ...DEV, models: JSON.stringify([CODER]) });
        const [server, ...more] = containersOf(one, "sglang");
        assert.deepEqual(more, []);
        assert.equal(server.plain.name, "sglang-ananke-dev-sglang-coder");
        assert.deepEqual(server.plain.networksAdvanced[0].aliases, ["sglang-coder"]);
        assert.deepEqual(server.plain.ports, []);
        const [router] = containersOf(one, "sglang-router");
        assert.deepEqual(router.plain.ports, [{ internal: 30000, external: 30000, ip: "127.0.0.1", protocol: "tcp" }]);
        const config = checkedPrometheusConfig(one);
        const job = config.scrape_configs.find((j: any) => j.job_name === "sglang");
        assert.deepEqual(
            job.static_configs.flatMap((c: any) => c.targets),
            ["sglang-coder:30000"],
        );
        const canary = JSON.stringify(config.scrape_configs.filter((j: any) => /canary/.test(j.job_name)));
        assert.match(canary, /http:\/\/sglang-router:30000\/v1/);
    });

    it("lists the served model names on Kubernetes too", async () => {
        const { config, secretKeys } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
        const prod = await runProgram(config, { stack: "prod", secretKeys });
        assert.deepEqual(prod.outputs.models, ["llama-3.3-70b"]);
        assert.ok(!prod.secretOutputs.has("models"));
    });
});
