/**
 * The synthetic canary on the real blackbox exporter (Debian's
 * prometheus-blackbox-exporter) with the configuration the program renders:
 * against an OpenAI stand-in, it succeeds on a completion of the schema's
 * shape and fails on a malformed one, an error, a hung engine and a wrong API
 * key; it sends the constrained request with the key read from its file; and
 * it writes exactly the probe series the promtool fixtures use.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CANARY_MODULE, CANARY_SCHEMA, renderBlackboxConfig } from "../../monitoring/canary";
import { parseSettings } from "../../settings";
import { BLACKBOX_HTTP_PROBE_SERIES } from "../support/monitoring/fixtures";
import { type CompletionMode, OpenAiStandIn } from "./standins/openai";
import { requireBinaries } from "./support/binaries";
import { freePorts, LOOPBACK } from "./support/ports";
import { type ManagedProcess, startProcess } from "./support/processes";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { waitFor } from "./support/wait";

const API_KEY = "canary-test-key-0123";

/** One probe's answer: sample name{labels} → value. */
async function probe(blackbox: string, target: string): Promise<Map<string, number>> {
    const res = await fetch(`http://${blackbox}/probe?module=${CANARY_MODULE}&target=${encodeURIComponent(target)}`);
    const text = await res.text();
    const samples = new Map<string, number>();
    for (const line of text.split("\n")) {
        if (!line || line.startsWith("#")) continue;
        const at = line.lastIndexOf(" ");
        samples.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    return samples;
}

describe("the synthetic canary on the real blackbox exporter", function () {
    this.timeout(60_000);
    let dir: string;
    let blackbox: ManagedProcess;
    let address: string;
    let openai: OpenAiStandIn;
    let target: string;
    const settings = parseSettings("dev", { canaryTimeoutSeconds: 3, canaryInterval: "10s" });

    before(async () => {
        const binaries = requireBinaries();
        dir = makeRunDir();
        const [bbPort, apiPort] = await freePorts(2);
        const keyFile = path.join(dir, "sglang-api-key");
        fs.writeFileSync(keyFile, API_KEY);
        const config = path.join(dir, "blackbox.yml");
        fs.writeFileSync(config, renderBlackboxConfig(settings, keyFile));
        openai = new OpenAiStandIn(apiPort, API_KEY);
        await openai.start();
        target = `http://${LOOPBACK}:${apiPort}/v1/chat/completions`;
        address = `${LOOPBACK}:${bbPort}`;
        blackbox = startProcess({
            name: "blackbox",
            binary: binaries.blackboxExporter,
            args: [`--config.file=${config}`, `--web.listen-address=${address}`],
            logFile: path.join(dir, "blackbox.log"),
        });
        await waitFor(async () => (await fetch(`http://${address}/-/healthy`).catch(() => undefined))?.ok, {
            timeoutMs: 15_000,
            what: "the blackbox exporter",
        });
    });

    after(async () => {
        await blackbox?.stop();
        await openai?.stop();
        if (dir) removeRunDir(dir);
    });

    it("succeeds on a completion of the schema's shape, sending the constrained request with the API key from its file", async () => {
        openai.mode = "ok";
        const samples = await probe(address, target);
        assert.equal(samples.get("probe_success"), 1);
        assert.equal(samples.get("probe_http_status_code"), 200);
        const asked = openai.received.at(-1)!;
        assert.equal(asked.authorization, `Bearer ${API_KEY}`);
        const body = asked.body as { model: string; max_tokens: number; response_format: { type: string; json_schema: { schema: unknown } } };
        assert.equal(body.model, settings.sglang.servedModelName);
        assert.equal(body.max_tokens, settings.canary.maxTokens);
        assert.equal(body.response_format.type, "json_schema");
        assert.deepEqual(body.response_format.json_schema.schema, CANARY_SCHEMA);
    });

    const failures: [CompletionMode, string][] = [
        ["malformed", "a completion that does not follow the schema"],
        ["error", "an HTTP 500"],
        ["hung", "no answer within the timeout (a hung engine)"],
    ];
    for (const [mode, what] of failures) {
        it(`fails on ${what}`, async () => {
            openai.mode = mode;
            const started = Date.now();
            const samples = await probe(address, target);
            assert.equal(samples.get("probe_success"), 0);
            if (mode === "malformed") assert.equal(samples.get("probe_failed_due_to_regex"), 1);
            if (mode === "hung") assert.ok(Date.now() - started >= settings.canary.timeoutSeconds * 1000 * 0.8, "it waited for the timeout");
        });
    }

    it("fails when the server refuses its API key", async () => {
        openai.mode = "ok";
        const wrong = new OpenAiStandIn((await freePorts(1))[0], "another-key-98765");
        await wrong.start();
        try {
            const samples = await probe(address, `http://${wrong.address}/v1/chat/completions`);
            assert.equal(samples.get("probe_success"), 0);
            assert.equal(samples.get("probe_http_status_code"), 401);
        } finally {
            await wrong.stop();
        }
    });

    it("writes exactly the probe series the promtool fixtures use", async () => {
        openai.mode = "ok";
        const samples = await probe(address, target);
        const written = [...samples.keys()].sort();
        const expected = BLACKBOX_HTTP_PROBE_SERIES.map((s) =>
            s.labels
                ? `${s.name}{${Object.entries(s.labels)
                      .map(([k, v]) => `${k}="${v}"`)
                      .join(",")}}`
                : s.name,
        ).sort();
        assert.deepEqual(written, expected);
    });
});
