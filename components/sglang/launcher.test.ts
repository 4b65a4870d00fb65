/**
 * The SGLang API key stays off every command line: the spec's (what Docker
 * and Kubernetes store) and the running processes' (/proc/<pid>/cmdline, what
 * `ps` shows), checked by running the launcher with Debian's python3 in front
 * of a stand-in `sglang` package that parses its arguments as SGLang does and
 * spawns a worker as SGLang does.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseSettings } from "../../settings";
import { DEBIAN_PYTHON } from "../../tests/e2e/support/binaries";
import { startProcess } from "../../tests/e2e/support/processes";
import { makeRunDir, removeRunDir } from "../../tests/e2e/support/tempdir";
import { waitFor } from "../../tests/e2e/support/wait";
import { API_KEY_FILE_OPTION, SGLANG_LAUNCHER, SGLANG_LAUNCHER_PATH } from "./launcher";
import { SGLANG_SECRET_DIR, sglangSpec } from "./spec";

const KEY = "sk-launcher-test-4f1c9a";

/** A stand-in for the parts of SGLang the launcher relies on. */
const STANDIN: Record<string, string> = {
    "sglang/__init__.py": "",
    "sglang/srt/__init__.py": "",
    "sglang/srt/server_args.py": [
        "import dataclasses",
        "from typing import Optional",
        "@dataclasses.dataclass",
        "class ServerArgs:",
        "    model_path: str = ''",
        "    api_key: Optional[str] = None",
    ].join("\n"),
    // Parses sys.argv[1:] and spawns a worker, as launch_server and its engine do; reports what it read.
    "sglang/launch_server.py": [
        "import json, multiprocessing, os, sys, time",
        "from sglang.srt.server_args import ServerArgs",
        "def worker():",
        "    time.sleep(60)",
        "if __name__ == '__main__':",
        "    argv = sys.argv[1:]",
        "    args = ServerArgs(model_path=argv[argv.index('--model-path') + 1], api_key=argv[argv.index('--api-key') + 1])",
        "    child = multiprocessing.get_context('spawn').Process(target=worker, daemon=True)",
        "    child.start()",
        "    report = {'argv': argv, 'logged': repr(args), 'worker': child.pid, 'key_read': args.api_key}",
        "    with open(os.environ['REPORT'] + '.tmp', 'w') as f: json.dump(report, f)",
        "    os.rename(os.environ['REPORT'] + '.tmp', os.environ['REPORT'])",
        "    time.sleep(60)",
    ].join("\n"),
};

const cmdline = (pid: number): string[] => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);

describe("SGLang API key", () => {
    it("is in no argument of the spec: the launcher names the key's file, mounted as a secret", () => {
        const s = parseSettings("dev", {});
        const spec = sglangSpec(s, { apiKey: pulumi.secret(KEY) });
        const keyFile = `${SGLANG_SECRET_DIR}/api_key`;
        assert.deepEqual(spec.command, ["python3", SGLANG_LAUNCHER_PATH, API_KEY_FILE_OPTION, keyFile]);
        for (const a of [...spec.command!, ...spec.args]) assert.ok(!a.includes("$(cat") && !a.includes("--api-key "), a);
        assert.ok(!spec.args.includes("--api-key"));
        assert.deepEqual(
            spec.files.map((f) => [f.path, f.secret]),
            [
                [SGLANG_LAUNCHER_PATH, false],
                [keyFile, true],
            ],
        );
        // Without a key, SGLang starts as its image documents.
        assert.deepEqual(sglangSpec(s, {}).command, ["python3", "-m", "sglang.launch_server"]);
    });

    it("reaches SGLang's parser but no process's command line (Debian's python3)", async function () {
        this.timeout(60000);
        const dir = makeRunDir();
        try {
            for (const [file, text] of Object.entries(STANDIN)) {
                fs.mkdirSync(path.dirname(path.join(dir, "pkg", file)), { recursive: true });
                fs.writeFileSync(path.join(dir, "pkg", file), text);
            }
            const launcher = path.join(dir, "launch_server.py");
            fs.writeFileSync(launcher, SGLANG_LAUNCHER);
            const keyFile = path.join(dir, "api_key");
            fs.writeFileSync(keyFile, `${KEY}\n`, { mode: 0o400 });
            const report = path.join(dir, "report.json");
            const server = startProcess({
                name: "launcher",
                binary: DEBIAN_PYTHON,
                args: [launcher, API_KEY_FILE_OPTION, keyFile, "--model-path", "org/model", "--port", "30000"],
                logFile: path.join(dir, "launcher.log"),
                env: { PYTHONPATH: path.join(dir, "pkg"), REPORT: report },
                processGroup: true,
            });
            try {
                const read = await waitFor(
                    () => {
                        server.assertRunning();
                        return fs.existsSync(report) && (JSON.parse(fs.readFileSync(report, "utf8")) as Record<string, any>);
                    },
                    { timeoutMs: 30000, what: "the stand-in's report" },
                );
                assert.equal(read.key_read, KEY, "SGLang's parser gets the key");
                assert.deepEqual(read.argv, ["--model-path", "org/model", "--port", "30000", "--api-key", KEY]);
                assert.ok(!read.logged.includes(KEY) && read.logged.includes("api_key='<hidden>'"), read.logged);
                for (const [what, pid] of [
                    ["launcher", server.pid],
                    ["spawned worker", read.worker as number],
                ] as const) {
                    const line = cmdline(pid);
                    assert.ok(line.length > 0, `${what} is running`);
                    assert.ok(!line.join(" ").includes(KEY), `${what}: ${line.join(" ")}`);
                    assert.ok(!fs.readFileSync(`/proc/${pid}/environ`, "utf8").includes(KEY), `${what}'s environment`);
                }
                assert.deepEqual(cmdline(server.pid).slice(1), [
                    launcher,
                    API_KEY_FILE_OPTION,
                    keyFile,
                    "--model-path",
                    "org/model",
                    "--port",
                    "30000",
                ]);
            } finally {
                await server.stop();
            }
        } finally {
            removeRunDir(dir);
        }
    });

    it("the check can fail: a shell's $(cat …) puts the key on the command line it execs", async function () {
        this.timeout(30000);
        const dir = makeRunDir();
        try {
            const keyFile = path.join(dir, "api_key");
            fs.writeFileSync(keyFile, KEY);
            const shell = startProcess({
                name: "shell",
                binary: "/bin/sh",
                args: ["-c", `exec ${DEBIAN_PYTHON} -c "import time; time.sleep(30)" --api-key "$(cat ${keyFile})"`],
                logFile: path.join(dir, "shell.log"),
            });
            try {
                await waitFor(() => cmdline(shell.pid)[0] === DEBIAN_PYTHON, { timeoutMs: 10000, what: "the exec" });
                assert.ok(cmdline(shell.pid).includes(KEY));
            } finally {
                await shell.stop();
            }
        } finally {
            removeRunDir(dir);
        }
    });
});
