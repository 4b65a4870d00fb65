/**
 * The canary of a stack serving two models, on the real programs: the
 * blackbox exporter (Debian's) sends each model's module a request naming
 * that model, and Prometheus scrapes one target per model, all of the same
 * URL, each with its own module and its `model_name` label (read back from
 * Prometheus' targets API, as it will scrape them).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { canaryScrapeConfig, canaryTargets, renderBlackboxConfig } from "../../monitoring/canary";
import { toYaml } from "../../monitoring/yaml";
import { CHAT, CODER, twoModelSettings } from "../support/monitoring/model-alert-cases";
import { OpenAiStandIn } from "./standins/openai";
import { requireBinaries } from "./support/binaries";
import { freePorts, LOOPBACK } from "./support/ports";
import { type ManagedProcess, startProcess } from "./support/processes";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { waitFor } from "./support/wait";

interface ActiveTarget {
    labels: Record<string, string>;
    scrapeUrl: string;
}

describe("the canary of two models on the real blackbox exporter and Prometheus", function () {
    this.timeout(60_000);
    const settings = twoModelSettings();
    let dir: string;
    const processes: ManagedProcess[] = [];
    let openai: OpenAiStandIn;
    let blackbox: string;
    let prometheus: string;
    let target: string;

    before(async () => {
        const binaries = requireBinaries();
        dir = makeRunDir();
        const [bbPort, apiPort, promPort] = await freePorts(3);
        openai = new OpenAiStandIn(apiPort);
        await openai.start();
        target = `http://${LOOPBACK}:${apiPort}/v1/chat/completions`;
        blackbox = `${LOOPBACK}:${bbPort}`;
        prometheus = `${LOOPBACK}:${promPort}`;
        const bbConfig = path.join(dir, "blackbox.yml");
        fs.writeFileSync(bbConfig, renderBlackboxConfig(settings, undefined));
        const promConfig = path.join(dir, "prometheus.yml");
        const job = canaryScrapeConfig(settings, blackbox, `http://${LOOPBACK}:${apiPort}/v1`);
        fs.writeFileSync(promConfig, toYaml({ global: { scrape_interval: "1s" }, scrape_configs: [job] }));
        processes.push(
            startProcess({
                name: "blackbox",
                binary: binaries.blackboxExporter,
                args: [`--config.file=${bbConfig}`, `--web.listen-address=${blackbox}`],
                logFile: path.join(dir, "blackbox.log"),
            }),
            startProcess({
                name: "prometheus",
                binary: binaries.prometheus,
                args: [`--config.file=${promConfig}`, `--web.listen-address=${prometheus}`, `--storage.tsdb.path=${path.join(dir, "tsdb")}`],
                logFile: path.join(dir, "prometheus.log"),
            }),
        );
        for (const [address, what] of [
            [blackbox, "the blackbox exporter"],
            [prometheus, "Prometheus"],
        ])
            await waitFor(async () => (await fetch(`http://${address}/-/ready`).catch(() => undefined))?.ok, { timeoutMs: 20_000, what });
    });

    after(async () => {
        for (const p of processes) await p.stop();
        await openai?.stop();
        if (dir) removeRunDir(dir);
    });

    it("has one module per model, each asking for its own model", async () => {
        const modules = canaryTargets(settings);
        assert.deepEqual(
            modules.map((m) => m.servedModelName),
            [CODER.served, CHAT.served],
        );
        for (const m of modules) {
            const res = await fetch(`http://${blackbox}/probe?module=${m.module}&target=${encodeURIComponent(target)}`);
            assert.match(await res.text(), /^probe_success 1$/m, `${m.module} succeeds`);
            assert.equal((openai.received.at(-1)!.body as { model: string }).model, m.servedModelName);
        }
    });

    it("is scraped by Prometheus as one target per model of the same URL, each with its module and model_name", async () => {
        let targets: ActiveTarget[] = [];
        await waitFor(
            async () => {
                const res = await fetch(`http://${prometheus}/api/v1/targets?state=active`);
                targets = ((await res.json()) as { data: { activeTargets: ActiveTarget[] } }).data.activeTargets;
                return targets.length === 2;
            },
            { timeoutMs: 20_000, what: "two canary targets" },
        );
        const byModel = new Map(targets.map((t) => [t.labels.model_name, t]));
        for (const m of canaryTargets(settings)) {
            const t = byModel.get(m.servedModelName);
            assert.ok(t, `a target for ${m.servedModelName}`);
            assert.equal(t.labels.instance, target);
            const url = new URL(t.scrapeUrl);
            assert.equal(url.searchParams.get("module"), m.module);
            assert.equal(url.searchParams.get("target"), target);
        }
    });
});
