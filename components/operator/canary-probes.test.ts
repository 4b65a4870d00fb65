/**
 * The canary's Probe objects in operator mode: one with one model, as before,
 * and one per model with several, each with its model's blackbox module and
 * `model_name`, all of the same URL, each valid against the Probe schema.
 */
import * as assert from "node:assert/strict";
import { CANARY_MODULE, canaryTargets } from "../../monitoring/canary";
import { parseSettings } from "../../settings";
import { runProgram, stackFileConfig } from "../../tests/harness";
import { validateObject } from "../../tests/support/kubernetes-schemas";
import { CHAT, CODER } from "../../tests/support/monitoring/model-alert-cases";
import { operatorMode } from "../../tests/support/operator-mode";
import { withProductionSecrets } from "../../tests/support/production-secrets";
import { canaryProbes } from "./objects";

const OPERATOR = {
    target: "kubernetes",
    ...operatorMode("token"),
};
const PROBE = "kubernetes:monitoring.coreos.com/v1:Probe";
/** An object's fields, as the schema validator takes them. */
const fields = (o: object) => o as Record<string, unknown>;

describe("the canary's Probe objects (operator mode)", () => {
    it("are one Probe of the one model's module with one model", async () => {
        const settings = parseSettings("prod", OPERATOR);
        const probes = canaryProbes(settings);
        assert.deepEqual(
            probes.map((p) => [p.metadata.name, p.spec.module, p.spec.targets?.staticConfig?.labels]),
            [["sglang-ananke-canary", CANARY_MODULE, { model_name: settings.sglang.servedModelName }]],
        );
        assert.deepEqual(await validateObject(PROBE, fields(probes[0])), []);
    });

    it("are one Probe per model with several, each of its own module and model_name, all of the same URL", async () => {
        const models = [CODER, CHAT].map((m) => ({ name: m.name, model: m.served }));
        const settings = parseSettings("prod", { ...OPERATOR, models: JSON.stringify(models) });
        const probes = canaryProbes(settings);
        assert.deepEqual(
            probes.map((p) => [p.metadata.name, p.spec.module, p.spec.targets?.staticConfig?.labels]),
            canaryTargets(settings).map((t, i) => [`sglang-ananke-canary-${models[i].name}`, t.module, { model_name: models[i].model }]),
        );
        assert.equal(new Set(probes.map((p) => p.spec.module)).size, 2, "a module per model");
        assert.equal(new Set(probes.map((p) => JSON.stringify(p.spec.targets?.staticConfig?.static))).size, 1, "one URL");
        for (const p of probes) assert.deepEqual(await validateObject(PROBE, fields(p)), [], p.metadata.name);
    });

    it("are all registered by the prod stack in operator mode (mocks)", async function () {
        this.timeout(300_000);
        const { config, secretKeys } = withProductionSecrets(stackFileConfig("Pulumi.prod.yaml"));
        const models = [CODER, CHAT].map((m) => ({ name: m.name, model: m.served }));
        const run = await runProgram(
            { ...config, ...OPERATOR, models: JSON.stringify(models) },
            { stack: "prod", secretKeys: [...secretKeys, "grafanaAuth"] },
        );
        const registered = run.byType(PROBE);
        assert.deepEqual(registered.map((p) => [p.plain.metadata.name, p.plain.spec.module]).sort(), [
            ["sglang-ananke-canary-chat", "sglang_canary_chat"],
            ["sglang-ananke-canary-coder", "sglang_canary_coder"],
        ]);
        for (const p of registered) assert.deepEqual(await validateObject(PROBE, p.plain), [], p.plain.metadata.name);
    });
});
