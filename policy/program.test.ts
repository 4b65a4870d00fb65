/**
 * The program itself passes its policy pack: every resource each stack
 * registers (under the SDK's mocks) is run through every guardrail.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { RETAIN_ANNOTATION } from "../components/platform/kubernetes/marks";
import { type MockResource, runProgram, stackFileConfig } from "../tests/harness";
import { withProductionSecrets } from "../tests/support/production-secrets";
import { GUARDRAILS } from "./policies";
import { DOCKER_CONTAINER, gpuAccess, workloadOf } from "./workloads";

const ROOT = path.resolve(__dirname, "..");
const LWS = "kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet";
const STACK_FILES = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

/** Secrets set, so that every optional secret file and receiver exists too. */
const SECRETS = {
    slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/policy-test",
    pagerdutyRoutingKey: "pdroutingkey0123456789abcdefABCD",
    heartbeatUrl: "https://heartbeat.example.com/ping/policy-test",
    huggingFaceToken: "hf_policy_test_token",
    sglangApiKey: "policy-test-api-key",
};

/**
 * The mocks report a RemoteImage's id as "sha256:mock-<name>"; Docker's is
 * "sha256:" and 64 hex digits. Containers get the realistic form.
 */
function realisticProps(r: MockResource): Record<string, unknown> {
    const props = { ...r.plain };
    if (r.type === DOCKER_CONTAINER && typeof props.image === "string" && props.image.startsWith("sha256:mock-")) {
        props.image = `sha256:${createHash("sha256").update(props.image).digest("hex")}`;
    }
    return props;
}

function violations(resources: MockResource[]): string[] {
    return resources.flatMap((r) =>
        GUARDRAILS.flatMap((g) =>
            // What the engine shows a resource policy: type, inputs, name and `protect` (not retainOnDelete).
            // The program protects nothing (`pulumi destroy` must work), so `protect` is false.
            g.check({ type: r.type, props: realisticProps(r), name: r.name, protect: false }).map((m) => `${g.name}: ${r.type} ${r.name}: ${m}`),
        ),
    );
}

describe("the program passes its policy pack", function () {
    this.timeout(120000);

    for (const file of STACK_FILES) {
        const stack = file.split(".")[1];
        it(`${stack} stack, with only the secrets it requires and with every optional one`, async () => {
            const { config, secretKeys } = withProductionSecrets(stackFileConfig(file));
            const plain = await runProgram(config, { stack, secretKeys });
            const withSecrets = await runProgram(
                { ...config, ...SECRETS },
                { stack, secretKeys: [...new Set([...secretKeys, ...Object.keys(SECRETS)])] },
            );
            for (const run of [plain, withSecrets]) {
                const checked = run.resources.filter(
                    (r) => r.type === DOCKER_CONTAINER || r.type.startsWith("kubernetes:apps/") || r.type === "docker:index/remoteImage:RemoteImage",
                );
                assert.ok(checked.length >= 5, `${stack}: the guardrails see the workloads (${checked.length})`);
                assert.deepEqual(violations(run.resources), []);
                // The retention annotation the policy trusts is set only with the option it stands for.
                const claimsRetention = run.resources.filter((r) => r.plain.metadata?.annotations?.[RETAIN_ANNOTATION] !== undefined);
                for (const r of claimsRetention) assert.ok(r.retainOnDelete, `${r.type} ${r.name} has ${RETAIN_ANNOTATION} without retainOnDelete`);
                // The guardrails read the real inputs: they see which services hold GPUs.
                const gpuHolders = run.resources.flatMap((r) => {
                    const w = workloadOf({ type: r.type, props: r.plain });
                    return w && gpuAccess({ type: r.type, props: r.plain }, w).length > 0 ? [w.service] : [];
                });
                if (config.gpuExporter === undefined || ["dcgm", "nvidia-smi"].includes(config.gpuExporter)) {
                    assert.deepEqual([...new Set(gpuHolders)].sort(), ["gpu-exporter", "sglang"]);
                }
            }
        });
    }

    it("prod with two models, one across nodes: every workload of both passes", async () => {
        const { config, secretKeys } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
        const models = [
            { name: "chat", model: "org/chat", replicas: 2 },
            { name: "big", model: "org/big", nodesPerReplica: 2, gpuCount: 8 },
        ];
        const run = await runProgram(
            { ...config, ...SECRETS, models: JSON.stringify(models), modelCacheAccessMode: "ReadWriteMany" },
            { stack: "prod", secretKeys: [...secretKeys, ...Object.keys(SECRETS)] },
        );
        assert.deepEqual(violations(run.resources), []);
        const servers = run.resources.filter((r) => workloadOf({ type: r.type, props: r.plain })?.service === "sglang").map((r) => r.name);
        assert.deepEqual(servers.sort(), ["sglang-big-group", "sglang-chat"]);
    });

    it("prod with a server across nodes: both pod templates of the LeaderWorkerSet are checked", async () => {
        const { config, secretKeys } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
        const run = await runProgram(
            { ...config, ...SECRETS, sglangNodesPerReplica: "2" },
            { stack: "prod", secretKeys: [...secretKeys, ...Object.keys(SECRETS)] },
        );
        assert.deepEqual(violations(run.resources), []);
        const set = run.resources.find((r) => r.type === LWS)!;
        const w = workloadOf({ type: set.type, props: set.plain });
        assert.equal(w?.service, "sglang");
        assert.equal(w?.containers.length, 2, "the leader's and the worker's containers");
        // A breach in the worker's template alone is reported, naming the template.
        const broken = structuredClone(set.plain);
        broken.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].securityContext.privileged = true;
        const found = violations([{ ...set, plain: broken }]);
        assert.equal(found.length > 0 && found.every((m) => m.includes("workerTemplate")), true, found.join("\n"));
    });
});
