/**
 * The `models` key: how entries resolve (defaults from the single-model
 * keys), and the exact message of every check that runs per model, naming
 * the entry's field.
 */
import * as assert from "node:assert/strict";
import { configProblems } from "../tests/support/settings";
import { parseSettings } from ".";

const CODER = { name: "coder", model: "Qwen/Qwen2.5-Coder-7B-Instruct" };
const CHAT = { name: "chat", model: "meta-llama/Llama-3.1-8B-Instruct" };
const K8S = { target: "kubernetes", modelCacheAccessMode: "ReadWriteMany" };
const P = "sglang-ananke:";

describe("several models (the models key)", () => {
    describe("resolves", () => {
        it("a two-model list, each field left out taken from the single-model keys", () => {
            const s = parseSettings("dev", {
                gpuCount: 2,
                anankeLanguage: "go",
                sglangExtraArgs: ["--context-length", "8192"],
                sloTtftThresholdSeconds: 2,
                models: [CODER, { ...CHAT, servedModelName: "chat", image: "ananke-sglang:29925551c", gpuCount: 1, workers: 2 }],
            });
            assert.deepEqual(
                s.models.map((m) => [m.name, m.serviceName, m.modelPath, m.servedModelName, m.image, m.gpuCount, m.workers]),
                [
                    ["coder", "sglang-coder", CODER.model, CODER.model, "lmsysorg/sglang:v0.5.4.post1", 2, 1],
                    ["chat", "sglang-chat", CHAT.model, "chat", "ananke-sglang:29925551c", 1, 2],
                ],
            );
            for (const m of s.models) {
                assert.equal(m.anankeLanguage, "go");
                assert.deepEqual(m.extraArgs, ["--context-length", "8192"]);
                assert.equal(m.slo.latencyThresholdSeconds, 2);
                assert.equal(m.startupSeconds, s.sglang.startupSeconds);
            }
            // The single-model keys stay the defaults.
            assert.equal(s.sglang.gpuCount, 2);
        });

        it("a JSON string (pulumi config set) and a native list (a stack file) alike", () => {
            const native = parseSettings("dev", { models: [CODER, CHAT] }).models;
            const json = parseSettings("dev", { models: JSON.stringify([CODER, CHAT]) }).models;
            assert.deepEqual(json, native);
            assert.deepEqual(
                native.map((m) => m.serviceName),
                ["sglang-coder", "sglang-chat"],
            );
        });

        it("without the key, one model: the single-model keys, named after the service alone", () => {
            const [only, ...rest] = parseSettings("dev", { gpuCount: 2 }).models;
            assert.deepEqual(rest, []);
            assert.equal(only.name, "");
            assert.equal(only.serviceName, "sglang");
            assert.equal(only.gpuCount, 2);
        });

        it("GPUs of several models on one Docker host: listed per model, or the next free ones from 0", () => {
            const listed = parseSettings("dev", {
                models: [
                    { ...CODER, gpuDevices: [3] },
                    { ...CHAT, gpuCount: 2, gpuDevices: [0, 1] },
                ],
            });
            assert.deepEqual(
                listed.models.map((m) => m.gpuDevices),
                [[3], [0, 1]],
            );
            parseSettings("dev", { dockerHostGpus: 5, models: [CODER, { ...CHAT, gpuCount: 2, workers: 2 }] });
        });
    });

    describe("refuses, naming the entry and its field", () => {
        const cases: [name: string, stack: string, raw: Record<string, unknown>, errors: string[]][] = [
            [
                "an unknown field",
                "dev",
                { models: [{ ...CODER, gpus: 2 }, CHAT] },
                [
                    `${P}models[0].gpus is not a model field; allowed: name, model, servedModelName, image, gpuCount, gpuDevices, workers, replicas, nodesPerReplica, anankeLanguage, anankeMaxRollbackTokens, anankeEnabledDomains, memFractionStatic, extraArgs, startupSeconds, availabilityObjective, latencyObjective, ttftThresholdSeconds`,
                ],
            ],
            [
                "a missing name and a missing model",
                "dev",
                { models: [{ model: CODER.model }, { name: "chat" }] },
                [
                    `${P}models[0].name = null: must be a DNS label of at most 30 lowercase letters, digits and dashes (it names the model's objects, sglang-<name>)`,
                    `${P}models[1].model is required: the model's Hugging Face id or a path in its model cache`,
                ],
            ],
            [
                "a name that is no DNS label",
                "dev",
                { models: [{ ...CODER, name: "Coder_1" }, CHAT] },
                [
                    `${P}models[0].name = "Coder_1": must be a DNS label of at most 30 lowercase letters, digits and dashes (it names the model's objects, sglang-<name>)`,
                ],
            ],
            [
                "a duplicate name and a duplicate served name",
                "dev",
                { models: [CODER, { ...CHAT, name: "coder", servedModelName: CODER.model }] },
                [
                    `${P}models[1].name = "coder" is also models[0]'s: each model's name must be unique`,
                    `${P}models[1].servedModelName = "${CODER.model}" is also models[0]'s: each model's servedModelName must be unique`,
                ],
            ],
            [
                "a field refused by the check of the key it overrides",
                "dev",
                { models: [{ ...CODER, gpuCount: 3 }, CHAT] },
                [`${P}models[0].gpuCount = 3: must be one of 1, 2, 4, 8, 16 (the tensor-parallel size) (as for gpuCount)`],
            ],
            [
                "a GPU given to servers of two models",
                "dev",
                {
                    models: [
                        { ...CODER, gpuCount: 2, gpuDevices: [0, 1] },
                        { ...CHAT, gpuDevices: [1] },
                    ],
                },
                [`${P}models[1].gpuDevices = [1] gives GPU 1 to both sglang-coder and sglang-chat: each GPU serves one worker`],
            ],
            [
                "a GPU listed twice for one server",
                "dev",
                {
                    models: [
                        { ...CODER, gpuCount: 2, gpuDevices: [2, 2] },
                        { ...CHAT, gpuDevices: [0] },
                    ],
                },
                [`${P}models[0].gpuDevices = [2,2] lists GPU 2 twice: each index once`],
            ],
            [
                "a model's list of the wrong length",
                "dev",
                { models: [CODER, { ...CHAT, gpuDevices: [2, 3] }] },
                [`${P}models[1].gpuDevices = [2,3] lists 2 GPUs but ${P}models[1].gpuCount = 1: list exactly models[1].gpuCount indices, or none`],
            ],
            [
                "a list of the wrong length for a model's workers",
                "dev",
                {
                    models: [
                        { ...CODER, gpuDevices: [0] },
                        { ...CHAT, workers: 2, gpuDevices: [1, 2, 3] },
                    ],
                },
                [
                    `${P}models[1].gpuDevices = [1,2,3] lists 3 GPUs but ${P}models[1].workers = 2 workers of ${P}models[1].gpuCount = 1 need 2: list exactly models[1].gpuCount × models[1].workers indices, or none`,
                ],
            ],
            [
                "GPUs listed for some models and not others",
                "dev",
                { models: [{ ...CODER, gpuDevices: [0] }, CHAT, { name: "small", model: "Qwen/Qwen2.5-0.5B-Instruct" }] },
                [
                    `${P}models[1].gpuDevices, ${P}models[2].gpuDevices are empty while ${P}models[0].gpuDevices lists GPUs: list gpuDevices for every model, or for none (each server then takes the next free GPUs from 0)`,
                ],
            ],
            [
                "more GPUs over every model than the host has",
                "dev",
                { dockerHostGpus: 4, models: [CODER, { ...CHAT, gpuCount: 2, workers: 2 }] },
                [
                    `${P}models[0].workers = 1 × ${P}models[0].gpuCount = 1 + ${P}models[1].workers = 2 × ${P}models[1].gpuCount = 2 need 5 GPUs but ${P}dockerHostGpus = 4: run fewer models, fewer workers or fewer GPUs per worker`,
                ],
            ],
            [
                "a GPU the host does not have",
                "dev",
                {
                    dockerHostGpus: 4,
                    models: [
                        { ...CODER, gpuDevices: [0] },
                        { ...CHAT, gpuDevices: [4] },
                    ],
                },
                [`${P}models[1].gpuDevices = [4] names GPU 4 but ${P}dockerHostGpus = 4 has GPUs 0 to 3 only`],
            ],
            [
                "GPU indices and Docker workers on Kubernetes",
                "prod",
                {
                    ...K8S,
                    models: [
                        { ...CODER, gpuDevices: [0] },
                        { ...CHAT, workers: 2 },
                    ],
                },
                [
                    `${P}models[0].gpuDevices only applies to target "docker"; on Kubernetes the scheduler picks GPUs: remove it`,
                    `${P}models[1].workers = 2 only applies to target "docker"; on Kubernetes set ${P}models[1].replicas (each replica is a worker behind the router)`,
                ],
            ],
            [
                "a model across nodes on Docker",
                "dev",
                { models: [CODER, { ...CHAT, nodesPerReplica: 2 }] },
                [
                    `${P}models[1].nodesPerReplica = 2 needs ${P}target = "kubernetes" (a LeaderWorkerSet); on Docker one server runs on one host: set it to 1`,
                ],
            ],
            [
                "a model across nodes with the autoscaler",
                "prod",
                { ...K8S, autoscalingEnabled: true, models: [CODER, { ...CHAT, nodesPerReplica: 2 }] },
                [
                    `${P}models[1].nodesPerReplica = 2 with ${P}autoscalingEnabled = true: the autoscaler scales a Deployment, and a server across nodes is a LeaderWorkerSet; set ${P}models[1].replicas instead, or models[1].nodesPerReplica 1`,
                ],
            ],
            [
                "flags the stack sets, in one model's extraArgs",
                "dev",
                { models: [CODER, { ...CHAT, extraArgs: ["--port", "1", "--mem", "0.5"] }] },
                [
                    `${P}models[1].extraArgs contains "--port" (set by sglangPort), "--mem" (SGLang reads it as --mem-fraction-static, set by memFractionStatic): the stack sets these from its own keys; remove them`,
                ],
            ],
            [
                "an ambiguous flag in one model's extraArgs",
                "dev",
                { models: [{ ...CODER, extraArgs: ["--speculative-d", "4"] }, CHAT] },
                [
                    `${P}models[0].extraArgs contains "--speculative-d", which SGLang's parser refuses as ambiguous (--speculative-draft-attention-backend, --speculative-draft-load-format, --speculative-draft-model, --speculative-draft-model-path, --speculative-draft-model-quantization, …): spell the option in full`,
                ],
            ],
            [
                "a TTFT objective off the buckets of the model's own image",
                "dev",
                { models: [CODER, { ...CHAT, image: "ananke-sglang:29925551c", ttftThresholdSeconds: 0.5 }] },
                [
                    `${P}models[1].ttftThresholdSeconds = "0.5": must be a bucket boundary of sglang:time_to_first_token_seconds in SGLang ananke-29925551c, one of 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400`,
                ],
            ],
            [
                "a model cache one node can mount, for a model of two replicas",
                "prod",
                { target: "kubernetes", modelCacheAccessMode: "ReadWriteOnce", models: [CODER, { ...CHAT, replicas: 2 }] },
                [
                    `${P}modelCacheAccessMode = "ReadWriteOnce" with ${P}models[1].replicas = 2: pods on other nodes cannot mount the model cache; set modelCacheAccessMode "ReadWriteMany" with a modelCacheStorageClass that offers it (on a stack that already has the claim, delete it on purpose first: README, Data), or run one replica`,
                ],
            ],
        ];
        for (const [name, stack, raw, errors] of cases) {
            it(name, () => assert.deepEqual(configProblems(raw, stack), errors));
        }
    });
});
