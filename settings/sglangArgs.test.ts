import { strict as assert } from "node:assert";
import { sglangArgs } from "../components/sglang/spec";
import { parseSettings } from ".";
import { MANAGED_SGLANG_SETTINGS, managedArguments, resolveOption } from "./sglangArgs";
import { SGLANG_SERVER_FLAGS } from "./sglangFlags";

describe("SGLang's server flags", () => {
    it("know every option the stack passes, and every managed setting is an option's destination", () => {
        const args = sglangArgs(parseSettings("dev", { sglangApiKey: "an-api-key-1234", memFractionStatic: "0.85" }));
        const passed = args.filter((a) => a.startsWith("--")).map((a) => a.split("=")[0]);
        assert.ok(passed.includes("--model-path") && passed.includes("--enable-metrics"));
        for (const option of passed) assert.ok(option in SGLANG_SERVER_FLAGS, `${option} is not an SGLang option`);
        const dests = new Set(Object.values(SGLANG_SERVER_FLAGS));
        for (const dest of Object.keys(MANAGED_SGLANG_SETTINGS)) assert.ok(dests.has(dest), `${dest} is no option's destination`);
        // Every option the stack passes is managed: a user's extra argument cannot override it.
        assert.deepEqual(
            managedArguments(passed).map((m) => m.given),
            passed.filter((p, i) => passed.indexOf(p) === i),
        );
    });

    it("resolve as argparse does: exact options, aliases, and prefixes", () => {
        assert.deepEqual(resolveOption("--tp-size=2"), ["--tp-size"]);
        assert.deepEqual(resolveOption("--tensor-parallel-size"), ["--tensor-parallel-size"]);
        assert.deepEqual(resolveOption("--api-k"), ["--api-key"]);
        assert.deepEqual(resolveOption("-x"), []);
        assert.ok(resolveOption("--speculative-draft").length > 1);
    });
});
