/**
 * One monitoring stack on loopback: the real Prometheus, Alertmanager and
 * node exporter (Debian's binaries) with the program's generated
 * configuration, scraping stand-ins for SGLang, the GPU exporter and
 * Grafana, and notifying a local receiver. Data directories live in the
 * stack's own directory, so a restart finds its data again.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import type { ExporterContract } from "../../contracts/types";
import { JOB } from "../../monitoring/types";
import { WEB_USERNAME } from "../../monitoring/web-auth";
import type { Settings } from "../../settings";
import { e2eSettings } from "./config";
import { type GeneratedPaths, type LocalTargets, writeGeneratedFiles } from "./generate";
import { GpuExporterStandIn, simulatedGpus } from "./standins/gpu";
import { GrafanaMetricsStandIn } from "./standins/grafana";
import { OpenAiStandIn } from "./standins/openai";
import { NotificationReceiver } from "./standins/receiver";
import { SglangStandIn } from "./standins/sglang";
import { AlertmanagerApi, PrometheusApi } from "./support/apis";
import type { BinaryKey } from "./support/binaries";
import { freePorts, LOOPBACK } from "./support/ports";
import { type ManagedProcess, startProcess } from "./support/processes";
import { waitFor } from "./support/wait";

export interface StackSpec {
    /** Stack name (also the directory name). */
    name: string;
    /** Configuration keys on top of E2E_CONFIG. */
    config: Record<string, unknown>;
    /** The SGLang version the stand-in writes, and the spelling its scrape shows (`sglang:` or `sglang_`). */
    sglang: { contract: ExporterContract; spelling: string };
    /** The GPU exporter version the stand-in writes; its kind must be the `gpuExporter` of `config`. */
    gpu: ExporterContract;
}

/** The `gpuExporter` setting of each GPU exporter contract's kind. */
const GPU_EXPORTER_SETTING: Record<string, string> = { "dcgm-exporter": "dcgm", "nvidia-gpu-exporter": "nvidia-smi" };

const READY_TIMEOUT_MS = 30_000;

export class E2eStack {
    readonly settings: Settings;
    readonly dir: string;
    readonly sglang: SglangStandIn;
    readonly gpu: GpuExporterStandIn;
    readonly grafana: GrafanaMetricsStandIn;
    readonly receiver: NotificationReceiver;
    /** SGLang's OpenAI endpoint as the canary sees it (the metrics stand-in serves no completions). */
    readonly openai: OpenAiStandIn;
    /** Authenticated once the generated files (and passwords) exist. */
    prometheusApi: PrometheusApi;
    alertmanagerApi: AlertmanagerApi;
    /** What was changed in the generated configuration to run it here. */
    readonly rewrites: string[] = [];
    private files: GeneratedPaths | undefined;
    private prometheus: ManagedProcess | undefined;
    private alertmanager: ManagedProcess | undefined;
    private nodeExporter: ManagedProcess | undefined;
    private blackbox: ManagedProcess | undefined;

    private constructor(
        readonly spec: StackSpec,
        parentDir: string,
        private readonly binaries: Record<BinaryKey, string>,
        private readonly ports: {
            sglang: number;
            gpu: number;
            grafana: number;
            receiver: number;
            node: number;
            prometheus: number;
            alertmanager: number;
            blackbox: number;
            openai: number;
        },
    ) {
        this.settings = e2eSettings(spec.name, spec.config);
        this.dir = path.join(parentDir, spec.name);
        fs.mkdirSync(path.join(this.dir, "logs"), { recursive: true });
        if (GPU_EXPORTER_SETTING[spec.gpu.exporter] !== this.settings.gpuExporter) {
            throw new Error(
                `stack ${spec.name}: gpuExporter ${this.settings.gpuExporter} does not run contract ${spec.gpu.id} (${spec.gpu.exporter})`,
            );
        }
        const sglangDir = path.join(this.dir, "sglang");
        fs.mkdirSync(sglangDir, { recursive: true });
        this.sglang = new SglangStandIn({
            contract: spec.sglang.contract,
            spelling: spec.sglang.spelling,
            dir: sglangDir,
            port: ports.sglang,
            modelName: this.settings.sglang.servedModelName,
            tpSize: this.settings.sglang.gpuCount,
        });
        this.gpu = new GpuExporterStandIn({ port: ports.gpu, contract: spec.gpu, gpus: simulatedGpus(this.settings.sglang.gpuCount) });
        this.grafana = new GrafanaMetricsStandIn(ports.grafana, this.settings.services.grafana.image.split(":").pop() ?? "unknown");
        this.receiver = new NotificationReceiver(ports.receiver);
        this.openai = new OpenAiStandIn(ports.openai);
        this.prometheusApi = new PrometheusApi(`http://${LOOPBACK}:${ports.prometheus}`);
        this.alertmanagerApi = new AlertmanagerApi(`http://${LOOPBACK}:${ports.alertmanager}`);
    }

    static async create(spec: StackSpec, parentDir: string, binaries: Record<BinaryKey, string>): Promise<E2eStack> {
        const [sglang, gpu, grafana, receiver, node, prometheus, alertmanager, blackbox, openai] = await freePorts(9);
        return new E2eStack(spec, parentDir, binaries, { sglang, gpu, grafana, receiver, node, prometheus, alertmanager, blackbox, openai });
    }

    private addr(port: number): string {
        return `${LOOPBACK}:${port}`;
    }

    /** The address each scrape job is pointed at. */
    get targets(): LocalTargets {
        return {
            [JOB.sglang]: this.sglang.address,
            [JOB.gpu]: this.gpu.address,
            [JOB.node]: this.addr(this.ports.node),
            [JOB.prometheus]: this.addr(this.ports.prometheus),
            [JOB.alertmanager]: this.addr(this.ports.alertmanager),
            [JOB.grafana]: this.grafana.address,
            "blackbox-exporter": this.addr(this.ports.blackbox),
        };
    }

    /** Starts the stand-ins, then node exporter, Alertmanager and Prometheus, and waits until both are ready. */
    async start(): Promise<void> {
        await Promise.all([this.sglang.start(), this.gpu.start(), this.grafana.start(), this.receiver.start(), this.openai.start()]);
        this.files = writeGeneratedFiles({
            settings: this.settings,
            dir: this.dir,
            targets: this.targets,
            alertmanagerAddress: this.addr(this.ports.alertmanager),
            receiver: {
                slack: this.receiver.urlOf("slack"),
                pagerduty: this.receiver.urlOf("pagerduty"),
                heartbeat: this.receiver.urlOf("heartbeat"),
            },
            alertmanagerBinary: this.binaries.alertmanager,
            rewrites: this.rewrites,
            openaiBaseUrl: `http://${this.openai.address}/v1`,
        });
        const { passwords } = this.files.web;
        this.prometheusApi = new PrometheusApi(this.prometheusApi.baseUrl, { username: WEB_USERNAME, password: passwords.prometheus });
        this.alertmanagerApi = new AlertmanagerApi(this.alertmanagerApi.baseUrl, { username: WEB_USERNAME, password: passwords.alertmanager });
        this.blackbox = startProcess({
            name: `${this.spec.name}/blackbox-exporter`,
            binary: this.binaries.blackboxExporter,
            args: [`--config.file=${this.files.blackboxConfig}`, `--web.listen-address=${this.addr(this.ports.blackbox)}`],
            logFile: this.logFile("blackbox-exporter"),
        });
        this.nodeExporter = startProcess({
            name: `${this.spec.name}/node-exporter`,
            binary: this.binaries.nodeExporter,
            args: [`--web.listen-address=${this.addr(this.ports.node)}`],
            logFile: this.logFile("node-exporter"),
        });
        this.startAlertmanager();
        this.startPrometheus();
        await Promise.all([this.waitReady("alertmanager"), this.waitReady("prometheus")]);
    }

    private logFile(name: string): string {
        return path.join(this.dir, "logs", `${name}.log`);
    }

    private startPrometheus(): void {
        this.prometheus = startProcess({
            name: `${this.spec.name}/prometheus`,
            binary: this.binaries.prometheus,
            args: [
                `--config.file=${this.files!.prometheusConfig}`,
                `--storage.tsdb.path=${path.join(this.dir, "prometheus-data")}`,
                `--web.listen-address=${this.addr(this.ports.prometheus)}`,
                `--web.external-url=http://${this.addr(this.ports.prometheus)}`,
                `--web.config.file=${this.files!.web.webConfigs.prometheus}`,
            ],
            logFile: this.logFile("prometheus"),
        });
    }

    private startAlertmanager(): void {
        this.alertmanager = startProcess({
            name: `${this.spec.name}/alertmanager`,
            binary: this.binaries.alertmanager,
            args: [
                `--config.file=${this.files!.alertmanagerConfig}`,
                `--storage.path=${path.join(this.dir, "alertmanager-data")}`,
                `--web.listen-address=${this.addr(this.ports.alertmanager)}`,
                `--web.external-url=http://${this.addr(this.ports.alertmanager)}`,
                `--web.config.file=${this.files!.web.webConfigs.alertmanager}`,
                // One instance: no gossip cluster (it would also wait for peers before notifying).
                "--cluster.listen-address=",
            ],
            logFile: this.logFile("alertmanager"),
        });
    }

    private async waitReady(which: "prometheus" | "alertmanager"): Promise<void> {
        const proc = which === "prometheus" ? this.prometheus! : this.alertmanager!;
        const api = which === "prometheus" ? this.prometheusApi : this.alertmanagerApi;
        await waitFor(
            async () => {
                proc.assertRunning();
                return api.ready();
            },
            { what: `${this.spec.name}/${which} to be ready`, timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 },
        ).catch((err: Error) => {
            throw new Error(`${err.message}\n${which} log:\n${proc.logTail()}`);
        });
    }

    /** Stops Prometheus (SIGTERM: a clean shutdown) and starts it again on the same data directory. */
    async restartPrometheus(): Promise<void> {
        await this.prometheus!.stop();
        this.startPrometheus();
        await this.waitReady("prometheus");
    }

    /** Stops Alertmanager and starts it again on the same data directory. */
    async restartAlertmanager(): Promise<void> {
        await this.alertmanager!.stop();
        this.startAlertmanager();
        await this.waitReady("alertmanager");
    }

    /** Every process of this stack, for liveness checks and failure messages. */
    processes(): ManagedProcess[] {
        return [this.prometheus, this.alertmanager, this.nodeExporter, this.blackbox].filter((p): p is ManagedProcess => p !== undefined);
    }

    /** Stops everything this stack started; safe to call twice. */
    async stop(): Promise<void> {
        await Promise.all(this.processes().map((p) => p.stop()));
        await Promise.all([this.sglang.stop(), this.gpu.stop(), this.grafana.stop(), this.receiver.stop(), this.openai.stop()]);
    }
}
