/**
 * The metric relabelings, applied by a real Prometheus with the generated
 * scrape configuration to SGLang servers and GPU exporters whose series come
 * from the contracts: only the duplicate ranks of the queue-time histogram
 * go, and DCGM's identity labels are copied to the rules' names.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { gpuSeries, type Instance, sglangSeries } from "../contracts/generate";
import { DCGM_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "../contracts/gpu";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { parseSettings } from "../settings";
import { PrometheusApi } from "../tests/e2e/support/apis";
import { freePorts, LOOPBACK } from "../tests/e2e/support/ports";
import { startProcess } from "../tests/e2e/support/processes";
import { waitFor } from "../tests/e2e/support/wait";
import { GPUS, MODEL, STEP_SECONDS } from "../tests/support/monitoring/fixtures";
import { afterMetricRelabels } from "../tests/support/monitoring/relabel";
import { prometheusConfig } from "./prometheus";
import { QUEUE_TIME } from "./series";
import { JOB } from "./types";
import { toYaml } from "./yaml";

interface Target {
    name: string;
    job: typeof JOB.sglang | typeof JOB.gpu;
    instances: Instance[];
}

/** SGLang servers of every version, both spellings, with and without data parallelism; GPU exporters of every version. */
function targets(): Target[] {
    const sglang = SGLANG_CONTRACTS.flatMap((contract) =>
        [
            { tpSize: 4, dpSize: 1, spelling: "sglang:" },
            { tpSize: 4, dpSize: 1, spelling: "sglang_" },
            { tpSize: 2, dpSize: 2, spelling: "sglang:" },
        ].map((t) => ({
            name: `${contract.id} TP ${t.tpSize} DP ${t.dpSize} ${t.spelling}`,
            job: JOB.sglang,
            instances: sglangSeries(contract, { modelName: MODEL, allSchedulers: false, ...t }, {}),
        })),
    );
    const gpu = [...DCGM_CONTRACTS, ...NVIDIA_GPU_EXPORTER_CONTRACTS].map((contract) => ({
        name: contract.id,
        job: JOB.gpu,
        instances: gpuSeries(contract, { hostName: "gpu-host-1", gpus: GPUS, cpus: 0, filesystems: [] }, {}),
    }));
    return [...sglang, ...gpu];
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

describe("metric relabelings (a real Prometheus scraping contract-generated series)", function () {
    this.timeout(120_000);

    it("store what the relabelings say: SGLang's queue-time histogram of TP rank 0 only without data parallelism, DCGM's identity under the rules' names, every other series as is", async () => {
        const all = targets();
        const [prometheusPort, ...ports] = await freePorts(all.length + 1);
        const exporters = all.map((t) =>
            http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition(t.instances))),
        );
        await Promise.all(exporters.map((e, i) => new Promise<void>((r) => e.listen(ports[i], LOOPBACK, r))));
        const address = (i: number) => `${LOOPBACK}:${ports[i]}`;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scrape-relabel-"));
        const config = prometheusConfig(parseSettings("dev", {}), {
            jobs: [JOB.sglang, JOB.gpu].map((job) => ({
                job,
                discovery: { kind: "static" as const, targets: all.flatMap((t, i) => (t.job === job ? [address(i)] : [])) },
            })),
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
                what: "every target scraped",
                timeoutMs: 60_000,
            });
            for (const [i, t] of all.entries()) {
                const stored = await api.query(`{instance="${address(i)}", job="${t.job}", __name__!~"up|scrape_.*"}`);
                const relabelled = t.instances.flatMap((x) => {
                    const labels = afterMetricRelabels(t.job, x.name, x.labels);
                    return labels ? [{ ...x, labels }] : [];
                });
                // The test support's reading of the relabelings (rule tests feed it) is Prometheus' own.
                assert.deepEqual(
                    stored.map((s) => key(s.metric.__name__, s.metric)).sort(),
                    relabelled.map((x) => key(x.name, x.labels)).sort(),
                    `${t.name}: stored series (exposed ${t.instances.length})`,
                );
                // And it does what is meant.
                if (t.job === JOB.sglang) {
                    const queueTime = (x: Instance) => x.name.replace(/^sglang[:_]/, "").startsWith(`${QUEUE_TIME.source}_`);
                    const dataParallel = t.instances.some((x) => "dp_rank" in x.labels);
                    assert.ok(
                        t.instances.some((x) => queueTime(x) && x.labels.tp_rank !== "0"),
                        `${t.name}: the contract writes queue time on every rank`,
                    );
                    assert.deepEqual(
                        relabelled,
                        t.instances.filter((x) => !queueTime(x) || dataParallel || x.labels.tp_rank === "0"),
                        t.name,
                    );
                } else {
                    assert.equal(relabelled.length, t.instances.length, t.name);
                    for (const [n, x] of relabelled.entries()) {
                        const raw = t.instances[n].labels;
                        const copied = { uuid: raw.UUID, hostname: raw.Hostname, gpu_name: raw.modelName };
                        assert.deepEqual(
                            x.labels,
                            { ...raw, ...Object.fromEntries(Object.entries(copied).filter(([, v]) => v)) },
                            `${t.name} ${x.name}`,
                        );
                    }
                    if (t.name.startsWith("dcgm"))
                        assert.ok(
                            relabelled.every((x) => x.labels.uuid && x.labels.hostname && x.labels.gpu_name),
                            t.name,
                        );
                }
            }
        } finally {
            await prometheus.stop();
            for (const e of exporters) e.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
