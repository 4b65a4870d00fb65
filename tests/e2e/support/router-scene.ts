/**
 * A Docker stack behind the router, on loopback: one SGLang stand-in per
 * server the stack's settings lay out (`dockerWorkers`: each with its model's
 * served name and tensor-parallel size), a router stand-in in front of them
 * that learns each server's model from its `/server_info`, a GPU exporter,
 * Grafana's metrics and a notification receiver; then the stack's generated
 * configuration, run by Debian's Prometheus, Alertmanager, node and blackbox
 * exporters. The stack's own files are used as generated (the rewrites are
 * logged).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type DockerWorker, dockerWorkers } from "../../../components/sglang/workers";
import { DCGM_CONTRACTS } from "../../../contracts/gpu";
import { DEFAULT_SGLANG_CONTRACT } from "../../../contracts/sglang";
import { SGLANG_ROUTER_CONTRACTS } from "../../../contracts/sglang-router";
import { JOB, JOB_ROUTER } from "../../../monitoring/types";
import type { Settings } from "../../../settings";
import { ROUTER_TIMINGS } from "../config";
import { type LocalTargets, writeGeneratedFiles } from "../generate";
import { GpuExporterStandIn, simulatedGpus } from "../standins/gpu";
import { GrafanaMetricsStandIn } from "../standins/grafana";
import { NotificationReceiver } from "../standins/receiver";
import { RouterStandIn } from "../standins/router";
import { SglangWorkerStandIn } from "../standins/sglang-worker";
import type { PrometheusApi } from "./apis";
import { requireBinaries, requirePrometheusClient } from "./binaries";
import { log } from "./clients";
import { startMonitoringStack } from "./monitoring-stack";
import { freePorts, LOOPBACK } from "./ports";
import { stopAllProcesses } from "./processes";

/** One server of the stack and its stand-in. */
export interface SceneServer {
    /** As the stack lays it out (name, model, GPUs). */
    layout: DockerWorker;
    worker: SglangWorkerStandIn;
}

export interface RouterScene {
    servers: SceneServer[];
    router: RouterStandIn;
    receiver: NotificationReceiver;
    prometheusApi: PrometheusApi;
    /** Stops every stand-in and program. */
    stop(): Promise<void>;
}

/** Starts the scene under `dir` (`name` in logs and failures). */
export async function startRouterScene(settings: Settings, dir: string, name: string): Promise<RouterScene> {
    const binaries = requireBinaries();
    requirePrometheusClient();
    fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
    const layout = dockerWorkers(settings);
    const ports = await freePorts(3 * layout.length + 10);
    const port = () => ports.shift()!;
    const servers = layout.map((w, i) => {
        const sglangDir = path.join(dir, w.name);
        fs.mkdirSync(sglangDir, { recursive: true });
        const worker = new SglangWorkerStandIn(
            port(),
            port(),
            port(),
            { contract: DEFAULT_SGLANG_CONTRACT, dir: sglangDir, modelName: w.model.servedModelName, tpSize: w.model.gpuCount, seed: 42 + i },
            w.model.modelPath,
        );
        return { layout: w, worker };
    });
    // No model configured on the router: it learns each worker's from its /server_info, as the stack's router does.
    const router = new RouterStandIn({
        port: port(),
        metricsPort: port(),
        workers: servers.map((s) => s.worker.url),
        contract: SGLANG_ROUTER_CONTRACTS[0],
        ...ROUTER_TIMINGS,
    });
    const receiver = new NotificationReceiver(port());
    const gpuCount = layout.reduce((n, w) => n + Math.max(w.deviceIds.length, w.model.gpuCount), 0);
    const gpu = new GpuExporterStandIn({ port: port(), contract: DCGM_CONTRACTS[0], gpus: simulatedGpus(gpuCount) });
    const grafana = new GrafanaMetricsStandIn(port(), settings.services.grafana.image.split(":").pop() ?? "unknown");
    const stop = async () => {
        await router.stop();
        await Promise.all([...servers.map((s) => s.worker.stop()), receiver.stop(), gpu.stop(), grafana.stop()]);
        await stopAllProcesses();
    };
    try {
        const addr = (p: number) => `${LOOPBACK}:${p}`;
        const at = { nodeExporter: addr(port()), prometheus: addr(port()), alertmanager: addr(port()), blackboxExporter: addr(port()) };
        await Promise.all([...servers.map((s) => s.worker.start()), receiver.start(), gpu.start(), grafana.start()]);
        await router.start();
        const targets: LocalTargets = {
            [JOB.sglang]: servers.map((s) => s.worker.address),
            [JOB_ROUTER]: router.metricsAddress,
            [JOB.gpu]: gpu.address,
            [JOB.node]: at.nodeExporter,
            [JOB.prometheus]: at.prometheus,
            [JOB.alertmanager]: at.alertmanager,
            [JOB.grafana]: grafana.address,
            "blackbox-exporter": at.blackboxExporter,
        };
        const rewrites: string[] = [];
        const files = writeGeneratedFiles({
            settings,
            dir,
            targets,
            alertmanagerAddress: at.alertmanager,
            receiver: { slack: receiver.urlOf("slack"), pagerduty: receiver.urlOf("pagerduty"), heartbeat: receiver.urlOf("heartbeat") },
            alertmanagerBinary: binaries.alertmanager,
            rewrites,
            openaiBaseUrl: `${router.url}/v1`,
        });
        log("generated configuration used as is, except:");
        for (const r of rewrites) log(`  ${r}`);
        const { prometheusApi } = await startMonitoringStack({ name, dir, binaries, files, at });
        return { servers, router, receiver, prometheusApi, stop };
    } catch (err) {
        await stop().catch(() => undefined);
        throw err;
    }
}
