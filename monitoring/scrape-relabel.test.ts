/**
 * The scrape-time drops, applied by a real Prometheus with the generated
 * scrape configuration to SGLang servers whose series come from the
 * contracts: only the duplicate ranks of the queue-time histogram go.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { type Instance, sglangSeries } from "../contracts/generate";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { parseSettings } from "../settings";
import { PrometheusApi } from "../tests/e2e/support/apis";
import { freePorts, LOOPBACK } from "../tests/e2e/support/ports";
import { startProcess } from "../tests/e2e/support/processes";
import { waitFor } from "../tests/e2e/support/wait";
import { MODEL, STEP_SECONDS } from "../tests/support/monitoring/fixtures";
import { prometheusConfig } from "./prometheus";
import { QUEUE_TIME } from "./series";
import { JOB } from "./types";
import { toYaml } from "./yaml";

interface Server {
    name: string;
    instances: Instance[];
}

/** Servers of every SGLang version, both spellings, with and without data parallelism. */
function servers(): Server[] {
    return SGLANG_CONTRACTS.flatMap((contract) =>
        [
            { tpSize: 4, dpSize: 1, spelling: "sglang:" },
            { tpSize: 4, dpSize: 1, spelling: "sglang_" },
            { tpSize: 2, dpSize: 2, spelling: "sglang:" },
        ].map((t) => ({
            name: `${contract.id} TP ${t.tpSize} DP ${t.dpSize} ${t.spelling}`,
            instances: sglangSeries(contract, { modelName: MODEL, allSchedulers: false, ...t }, {}),
        })),
    );
}

function exposition(instances: Instance[]): string {
    return instances
        .map((i) => {
            const labels = Object.entries(i.labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
            return `${i.name}{${labels.join(",")}} ${i.value.kind === "gauge" ? i.value.level : i.value.perSecond * STEP_SECONDS}\n`;
        })
        .join("");
}

const key = (name: string, labels: Record<string, string>) =>
    `${name}{${Object.entries(labels)
        // Prometheus stores no label with an empty value.
        .filter(([k, v]) => v !== "" && k !== "job" && k !== "instance" && k !== "__name__")
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(",")}}`;

describe("scrape-time drops (a real Prometheus scraping contract-generated SGLang series)", function () {
    this.timeout(120_000);

    it("keep the queue-time histogram of TP rank 0 only without data parallelism, of every rank with it, and every other series", async () => {
        const all = servers();
        const [prometheusPort, ...ports] = await freePorts(all.length + 1);
        const exporters = all.map((s) =>
            http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition(s.instances))),
        );
        await Promise.all(exporters.map((e, i) => new Promise<void>((r) => e.listen(ports[i], LOOPBACK, r))));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scrape-relabel-"));
        const settings = parseSettings("dev", {});
        const targets = ports.map((p) => `${LOOPBACK}:${p}`);
        const config = prometheusConfig(settings, {
            jobs: [{ job: JOB.sglang, discovery: { kind: "static", targets } }],
            alertmanagers: [],
            ruleFiles: [],
        }) as { global: Record<string, unknown> };
        // Scraped every second, so that the test waits for one scrape, not for the stack's interval.
        const configFile = path.join(dir, "prometheus.yml");
        fs.writeFileSync(configFile, toYaml({ ...config, global: { ...config.global, scrape_interval: "1s" } }, "scrape-relabel test"));
        const prometheus = startProcess({
            name: "prometheus",
            binary: "prometheus",
            args: [
                `--config.file=${configFile}`,
                `--storage.tsdb.path=${path.join(dir, "data")}`,
                `--web.listen-address=${LOOPBACK}:${prometheusPort}`,
            ],
            logFile: path.join(dir, "prometheus.log"),
        });
        try {
            const api = new PrometheusApi(`http://${LOOPBACK}:${prometheusPort}`);
            await waitFor(async () => (prometheus.assertRunning(), (await api.query("count(up == 1)"))[0]?.value[1] === String(all.length)), {
                what: "every server scraped",
                timeoutMs: 60_000,
            });
            for (const [i, server] of all.entries()) {
                const stored = await api.query(`{instance="${targets[i]}", job="${JOB.sglang}", __name__!~"up|scrape_.*"}`);
                const storedKeys = new Set(stored.map((s) => key(s.metric.__name__, s.metric)));
                const queueTime = (x: Instance) => x.name.replace(/^sglang[:_]/, "").startsWith(`${QUEUE_TIME.source}_`);
                const dataParallel = server.instances.some((x) => "dp_rank" in x.labels);
                const expected = server.instances.filter((x) => !queueTime(x) || dataParallel || x.labels.tp_rank === "0");
                assert.ok(
                    server.instances.some((x) => queueTime(x) && x.labels.tp_rank !== "0"),
                    `${server.name}: the contract writes the queue-time histogram on every rank`,
                );
                assert.deepEqual(
                    [...storedKeys].sort(),
                    expected.map((x) => key(x.name, x.labels)).sort(),
                    `${server.name}: stored series (exposed ${server.instances.length})`,
                );
            }
        } finally {
            await prometheus.stop();
            for (const e of exporters) e.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
