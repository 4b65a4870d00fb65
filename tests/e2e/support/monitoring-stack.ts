/**
 * The monitoring programs of an end-to-end stack, Debian's binaries on
 * loopback, run on the generated configuration: the blackbox exporter (the
 * canary's prober), the node exporter, Alertmanager and Prometheus, each
 * with its log under `<dir>/logs`. Returns once Prometheus and Alertmanager
 * answer ready, with their APIs logged in as the stack's own clients.
 */
import * as path from "node:path";
import { WEB_USERNAME } from "../../../monitoring/web-auth";
import type { GeneratedPaths } from "../generate";
import { AlertmanagerApi, PrometheusApi } from "./apis";
import type { BinaryKey } from "./binaries";
import { type ManagedProcess, startProcess } from "./processes";
import { waitFor } from "./wait";

/** Where each program listens, host:port. */
export interface MonitoringAddresses {
    nodeExporter: string;
    prometheus: string;
    alertmanager: string;
    blackboxExporter: string;
}

export interface MonitoringStack {
    prometheusApi: PrometheusApi;
    alertmanagerApi: AlertmanagerApi;
    processes: ManagedProcess[];
}

/** Starts the four programs (named `<name>/<program>` in failures) and waits for Prometheus and Alertmanager. */
export async function startMonitoringStack(opts: {
    name: string;
    dir: string;
    binaries: Record<BinaryKey, string>;
    files: GeneratedPaths;
    at: MonitoringAddresses;
}): Promise<MonitoringStack> {
    const { name, dir, binaries, files, at } = opts;
    const logFile = (program: string) => path.join(dir, "logs", `${program}.log`);
    const blackbox = startProcess({
        name: `${name}/blackbox-exporter`,
        binary: binaries.blackboxExporter,
        args: [`--config.file=${files.blackboxConfig}`, `--web.listen-address=${at.blackboxExporter}`],
        logFile: logFile("blackbox-exporter"),
    });
    const node = startProcess({
        name: `${name}/node-exporter`,
        binary: binaries.nodeExporter,
        args: [`--web.listen-address=${at.nodeExporter}`],
        logFile: logFile("node-exporter"),
    });
    const alertmanager = startProcess({
        name: `${name}/alertmanager`,
        binary: binaries.alertmanager,
        args: [
            `--config.file=${files.alertmanagerConfig}`,
            `--storage.path=${path.join(dir, "alertmanager-data")}`,
            `--web.listen-address=${at.alertmanager}`,
            `--web.external-url=http://${at.alertmanager}`,
            `--web.config.file=${files.web.webConfigs.alertmanager}`,
            "--cluster.listen-address=",
        ],
        logFile: logFile("alertmanager"),
    });
    const prometheus = startProcess({
        name: `${name}/prometheus`,
        binary: binaries.prometheus,
        args: [
            `--config.file=${files.prometheusConfig}`,
            `--storage.tsdb.path=${path.join(dir, "prometheus-data")}`,
            `--web.listen-address=${at.prometheus}`,
            `--web.external-url=http://${at.prometheus}`,
            `--web.config.file=${files.web.webConfigs.prometheus}`,
        ],
        logFile: logFile("prometheus"),
    });
    const { passwords } = files.web;
    const prometheusApi = new PrometheusApi(`http://${at.prometheus}`, { username: WEB_USERNAME, password: passwords.prometheus });
    const alertmanagerApi = new AlertmanagerApi(`http://${at.alertmanager}`, { username: WEB_USERNAME, password: passwords.alertmanager });
    for (const [api, proc] of [
        [prometheusApi, prometheus],
        [alertmanagerApi, alertmanager],
    ] as const) {
        await waitFor(
            async () => {
                proc.assertRunning();
                return api.ready();
            },
            { what: `${proc.opts.name} to be ready`, timeoutMs: 30_000, intervalMs: 100 },
        ).catch((err: Error) => {
            throw new Error(`${err.message}\nlog:\n${proc.logTail()}`);
        });
    }
    return { prometheusApi, alertmanagerApi, processes: [blackbox, node, alertmanager, prometheus] };
}
