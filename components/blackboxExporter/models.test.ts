/**
 * The dev stack serving two models, under mocks: the blackbox exporter gets a
 * canary module per model (checked by the exporter's own --config.check),
 * and Prometheus a canary target per model at the router's URL, its rules
 * with each model's objectives (promtool check config and check rules).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import * as S from "../../monitoring/series";
import { JOB_CANARY } from "../../monitoring/types";
import { tool } from "../../tests/debian-tools";
import { type MockResource, type ProgramRun, runProgram, stackFileConfig } from "../../tests/harness";
import { CHAT, CODER } from "../../tests/support/monitoring/model-alert-cases";

const CONTAINER = "docker:index/container:Container";
const MODELS = [CODER, CHAT];

/** A container's uploaded files, written under `dir` at their paths, references to /etc rewritten to it. */
function writeUploads(c: MockResource, dir: string, root: string): void {
    for (const u of c.plain.uploads) {
        const file = path.join(dir, u.file);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, u.content.split(root).join(`${dir}${root}`));
    }
}

describe("the dev stack's canary and rules with two models (mocks)", function () {
    this.timeout(300_000);
    let run: ProgramRun;
    let dir: string;
    const container = (name: string) => run.byType(CONTAINER).find((c) => c.plain.name === `sglang-ananke-dev-${name}`)!;

    before(async () => {
        const models = MODELS.map((m, i) => ({
            name: m.name,
            model: m.served,
            gpuDevices: [i],
            availabilityObjective: String(m.availability),
            ttftThresholdSeconds: String(m.ttft),
        }));
        run = await runProgram({ ...stackFileConfig("Pulumi.dev.yaml"), models: JSON.stringify(models) }, { stack: "dev" });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sglang-ananke-models-"));
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("gives the blackbox exporter a canary module per model, each asking for its model (blackbox_exporter --config.check)", () => {
        writeUploads(container("blackbox-exporter"), dir, "/etc/blackbox/");
        const file = path.join(dir, "etc/blackbox/blackbox.yml");
        execFileSync(tool("prometheus-blackbox-exporter"), ["--config.check", `--config.file=${file}`], { stdio: "pipe" });
        const modules = YAML.parse(fs.readFileSync(file, "utf8")).modules;
        assert.deepEqual(Object.keys(modules), ["sglang_canary_coder", "sglang_canary_chat"]);
        MODELS.forEach((m) => assert.equal(JSON.parse(modules[`sglang_canary_${m.name}`].http.body).model, m.served));
    });

    it("scrapes one canary target per model at the router's URL, and loads rules with each model's objectives (promtool)", () => {
        writeUploads(container("prometheus"), dir, "/etc/prometheus/");
        const config = path.join(dir, "etc/prometheus/prometheus.yml");
        assert.match(execFileSync(tool("promtool"), ["check", "config", config], { encoding: "utf8" }), /SUCCESS/);
        const canary = YAML.parse(fs.readFileSync(config, "utf8")).scrape_configs.find((j: any) => j.job_name === JOB_CANARY);
        assert.equal(canary.params, undefined, "no job-wide module");
        assert.deepEqual(
            canary.static_configs.map((c: any) => [c.targets, c.labels]),
            MODELS.map((m) => [
                ["http://sglang-router:30000/v1/chat/completions"],
                { model_name: m.served, __param_module: `sglang_canary_${m.name}` },
            ]),
        );
        const rules = fs.readdirSync(path.join(dir, "etc/prometheus/rules")).map((f) => path.join(dir, "etc/prometheus/rules", f));
        execFileSync(tool("promtool"), ["check", "rules", "--lint=all", "--lint-fatal", ...rules], { stdio: "pipe" });
        const recorded = rules.map((f) => fs.readFileSync(f, "utf8")).join("\n");
        for (const m of MODELS) {
            assert.ok(recorded.includes(`model_name: ${m.served}`), `${m.served}'s rules`);
            assert.ok(recorded.includes(`expr: vector(${m.availability})`), `${m.served}'s availability objective`);
        }
        assert.ok(recorded.includes(S.SLO_TTFT_THRESHOLD_SECONDS));
    });
});
