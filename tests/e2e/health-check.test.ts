/**
 * The authenticated health check of Prometheus and Alertmanager (Docker
 * health check and Kubernetes probes), run as their images run it: by
 * busybox's sh with busybox applets, against Debian's real servers behind
 * their generated passwords. It passes on a healthy server, fails on a wrong
 * password, a missing path or a stopped server, and no program it starts
 * gets the password (or its base64) on its command line.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { authenticatedCheck } from "../../components/platform/health";
import type { HealthSpec } from "../../components/platform/types";
import { WEB_USERNAME } from "../../monitoring/web-auth";
import { tool } from "../debian-tools";
import { type LocalWebAuth, writeLocalWebAuth } from "./generate";
import { requireBinaries } from "./support/binaries";
import { freePorts, LOOPBACK } from "./support/ports";
import { type ManagedProcess, startProcess, stopAllProcesses } from "./support/processes";
import { makeRunDir, removeRunDir } from "./support/tempdir";
import { waitFor } from "./support/wait";

/** What the check may start: each gets a wrapper that logs its command line, then runs busybox's applet. */
const APPLETS = ["cat", "base64", "tr", "nc", "head", "grep"];
type Server = "prometheus" | "alertmanager";

describe("end-to-end: the authenticated health check, with busybox, puts no password on a command line", function () {
    this.timeout(120_000);
    let root: string;
    let web: LocalWebAuth;
    let busybox: string;
    let binDir: string;
    let argvLog: string;
    const ports = {} as Record<Server, number>;
    const servers = {} as Record<Server, ManagedProcess>;

    const health = (passwordFile: string): HealthSpec =>
        ({
            path: "/-/healthy",
            port: "http",
            startupSeconds: 10,
            tool: "busybox",
            basicAuth: { username: WEB_USERNAME, passwordFile },
        }) as HealthSpec;

    /** Runs the check as the container would (`sh -c …` by busybox); its exit status. */
    function check(which: Server, passwordFile: string, urlPath = "/-/healthy", port = ports[which]): number {
        const [shell, flag, script] = authenticatedCheck(health(passwordFile), port, urlPath);
        assert.deepEqual([shell, flag], ["sh", "-c"]);
        const r = spawnSync(busybox, ["sh", "-c", script], { env: { PATH: binDir }, encoding: "utf8", timeout: 10_000 });
        return r.status ?? -1;
    }

    before(async function () {
        this.timeout(60_000);
        const binaries = requireBinaries();
        busybox = tool("busybox");
        root = makeRunDir();
        binDir = path.join(root, "bin");
        argvLog = path.join(root, "argv.log");
        for (const dir of [binDir, path.join(root, "secrets"), path.join(root, "logs")]) fs.mkdirSync(dir);
        for (const applet of APPLETS) {
            const wrapper = path.join(binDir, applet);
            fs.writeFileSync(wrapper, `#!${busybox} sh\necho "$0 $*" >> '${argvLog}'\nexec ${busybox} ${applet} "$@"\n`, { mode: 0o755 });
        }
        web = writeLocalWebAuth(path.join(root, "secrets"), []);
        [ports.prometheus, ports.alertmanager] = await freePorts(2);
        fs.writeFileSync(path.join(root, "prometheus.yml"), "global: {}\n");
        fs.writeFileSync(path.join(root, "alertmanager.yml"), "route:\n  receiver: none\nreceivers:\n  - name: none\n");
        servers.prometheus = startProcess({
            name: "prometheus",
            binary: binaries.prometheus,
            args: [
                `--config.file=${path.join(root, "prometheus.yml")}`,
                `--storage.tsdb.path=${path.join(root, "prometheus-data")}`,
                `--web.listen-address=${LOOPBACK}:${ports.prometheus}`,
                `--web.config.file=${web.webConfigs.prometheus}`,
            ],
            logFile: path.join(root, "logs", "prometheus.log"),
        });
        servers.alertmanager = startProcess({
            name: "alertmanager",
            binary: binaries.alertmanager,
            args: [
                `--config.file=${path.join(root, "alertmanager.yml")}`,
                `--storage.path=${path.join(root, "alertmanager-data")}`,
                `--web.listen-address=${LOOPBACK}:${ports.alertmanager}`,
                `--web.config.file=${web.webConfigs.alertmanager}`,
                "--cluster.listen-address=",
            ],
            logFile: path.join(root, "logs", "alertmanager.log"),
        });
        for (const which of ["prometheus", "alertmanager"] as const) {
            await waitFor(
                async () => {
                    servers[which].assertRunning();
                    const res = await fetch(`http://${LOOPBACK}:${ports[which]}/-/healthy`, { signal: AbortSignal.timeout(2000) });
                    return res.status === 401;
                },
                { what: `${which} up behind its password`, timeoutMs: 30_000 },
            );
        }
    });

    after(async () => {
        await stopAllProcesses();
        if (root) removeRunDir(root);
    });

    const passwordFile = (which: Server) => path.join(root, "secrets", `${which}.password`);

    it("passes on a healthy server with its password, on /-/healthy and /-/ready", () => {
        for (const which of ["prometheus", "alertmanager"] as const) {
            fs.writeFileSync(passwordFile(which), web.passwords[which], { mode: 0o600 });
            assert.equal(check(which, passwordFile(which)), 0, `${which} /-/healthy`);
            assert.equal(check(which, passwordFile(which), "/-/ready"), 0, `${which} /-/ready`);
        }
    });

    it("fails on a wrong password, a path the server does not have, and a server that is not there (the check can fail)", () => {
        const wrong = path.join(root, "secrets", "wrong");
        fs.writeFileSync(wrong, "0".repeat(32));
        for (const which of ["prometheus", "alertmanager"] as const) {
            assert.notEqual(check(which, wrong), 0, `${which}: wrong password`);
            assert.notEqual(check(which, passwordFile(which), "/no/such/path"), 0, `${which}: 404`);
        }
        assert.notEqual(check("prometheus", passwordFile("prometheus"), "/-/healthy", 9), 0, "nothing listening on the discard port");
    });

    it("no program the check starts gets the password or its base64 on its command line", () => {
        const argv = fs.readFileSync(argvLog, "utf8");
        // The wrappers ran: the applets were started as programs, so their command lines are what ps would show.
        for (const applet of ["cat", "base64", "nc"]) assert.match(argv, new RegExp(`/${applet} `), `${applet} was started`);
        for (const which of ["prometheus", "alertmanager"] as const) {
            const password = web.passwords[which];
            const encoded = Buffer.from(`${WEB_USERNAME}:${password}`).toString("base64");
            assert.ok(!argv.includes(password), `${which}'s password on a command line`);
            assert.ok(!argv.includes(encoded), `${which}'s credentials on a command line`);
        }
        // The check's own `sh -c` text names only the file.
        const [, , script] = authenticatedCheck(health(passwordFile("prometheus")), ports.prometheus, "/-/healthy");
        assert.ok(!script.includes(web.passwords.prometheus));
    });
});
