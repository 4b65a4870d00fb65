import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { SECRET_KEYS } from "../settings";
import { CATALOG_BY_KEY } from "../settings/catalog";
import { SECRET_PLACEHOLDER, main, readStackFile, render } from "./render";

const ROOT = path.resolve(__dirname, "..");
const STACK_FILES = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

const made: string[] = [];

/** A temporary directory, removed after each test. */
function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-"));
    made.push(dir);
    return dir;
}

/** Every file under `dir`, relative. */
function listFiles(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
}

function tool(cmd: string, args: string[]): void {
    try {
        execFileSync(cmd, args, { stdio: "pipe" });
    } catch (e) {
        const err = e as { stdout?: Buffer; stderr?: Buffer };
        assert.fail(`${cmd} ${args.join(" ")} failed:\n${err.stdout?.toString()}${err.stderr?.toString()}`);
    }
}

/** Version of an installed Prometheus tool, e.g. [0, 25]. */
function toolVersion(cmd: string): [number, number] {
    const m = /version (\d+)\.(\d+)/.exec(execFileSync(cmd, ["--version"], { encoding: "utf8", stdio: "pipe" }) || "");
    return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/**
 * The Prometheus configuration as Debian's promtool can check it: Debian
 * builds Prometheus without Kubernetes discovery, so each `kubernetes_sd_configs`
 * block is checked here for shape and replaced by a static target; promtool
 * then checks everything else (relabelling, intervals, alerting, rule files).
 */
function forDebianPromtool(config: string): string {
    const doc = YAML.parse(config) as { scrape_configs?: Record<string, unknown>[] };
    for (const job of doc.scrape_configs ?? []) {
        const sd = job.kubernetes_sd_configs as { role?: string; namespaces?: { names?: string[] } }[] | undefined;
        if (!sd) continue;
        for (const block of sd) {
            assert.equal(block.role, "pod", `${String(job.job_name)}: discovers pods`);
            assert.ok((block.namespaces?.names ?? []).length > 0 && block.namespaces!.names!.every((n) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n)), `${String(job.job_name)}: names its namespaces`);
        }
        delete job.kubernetes_sd_configs;
        job.static_configs = [{ targets: ["discovered.invalid:80"] }];
    }
    return YAML.stringify(doc);
}

/** Alertmanager before 0.26 (Debian's amtool 0.25) cannot read a webhook's `url_file`: check it with a stand-in `url`. */
function forInstalledAmtool(config: string): string {
    const [major, minor] = toolVersion("amtool");
    if (major > 0 || minor >= 26) return config;
    const doc = YAML.parse(config) as { receivers?: { webhook_configs?: Record<string, unknown>[] }[] };
    for (const r of doc.receivers ?? []) {
        for (const hook of r.webhook_configs ?? []) {
            if (typeof hook.url_file !== "string") continue;
            assert.match(hook.url_file, /^\//, "url_file is an absolute path");
            delete hook.url_file;
            hook.url = "https://url-file.invalid/";
        }
    }
    return YAML.stringify(doc);
}

/** Parses and checks every rendered file with the tool that consumes it. */
function checkRendered(out: string, bundled: boolean): void {
    const files = listFiles(out);
    const expected = [
        "grafana/dashboards/sglang-ananke.import.json",
        "grafana/dashboards/sglang-ananke.json",
        "prometheus/rules/ananke-alerts.yaml",
        "prometheus/rules/recording-rules.yaml",
        ...(bundled ? ["alertmanager/alertmanager.yml", "prometheus/prometheus.yml"] : []),
    ].sort();
    assert.deepEqual(files.filter((f) => !f.startsWith("kubernetes/")), expected);
    const manifests = files.filter((f) => f.startsWith("kubernetes/"));
    if (bundled) assert.deepEqual(manifests, []);
    else checkOperatorObjects(out, manifests);
    for (const f of files) {
        const text = fs.readFileSync(path.join(out, f), "utf8");
        if (f.endsWith(".json")) {
            const dashboard = JSON.parse(text) as { uid?: string; panels?: unknown[] };
            assert.ok(dashboard.uid && (dashboard.panels?.length ?? 0) > 0, `${f} is a dashboard`);
        } else {
            assert.ok(YAML.parse(text), `${f} parses`);
        }
    }
    const rules = files.filter((f) => f.startsWith("prometheus/rules/")).map((f) => path.join(out, f));
    tool("promtool", ["check", "rules", ...rules]);
    if (bundled) {
        const checkDir = tempDir();
        const prometheus = path.join(checkDir, "prometheus.yml");
        fs.writeFileSync(prometheus, forDebianPromtool(fs.readFileSync(path.join(out, "prometheus/prometheus.yml"), "utf8")));
        tool("promtool", ["check", "config", "--syntax-only", prometheus]);
        const alertmanager = path.join(checkDir, "alertmanager.yml");
        fs.writeFileSync(alertmanager, forInstalledAmtool(fs.readFileSync(path.join(out, "alertmanager/alertmanager.yml"), "utf8")));
        tool("amtool", ["check-config", alertmanager]);
    }
}

/** The operator objects: each a custom resource the Prometheus Operator knows, the rules the same as the rule files. */
function checkOperatorObjects(out: string, manifests: string[]): void {
    const objects = manifests.map((f) => YAML.parse(fs.readFileSync(path.join(out, f), "utf8")) as { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> });
    const kinds = objects.map((o) => o.kind).sort();
    assert.ok(kinds.includes("PrometheusRule") && kinds.includes("AlertmanagerConfig"), kinds.join(", "));
    assert.ok(kinds.some((k) => k === "ServiceMonitor" || k === "PodMonitor"), kinds.join(", "));
    for (const o of objects) assert.match(o.apiVersion, /^monitoring\.coreos\.com\/v1(alpha1)?$/);
    const rule = objects.find((o) => o.kind === "PrometheusRule")!;
    const ruleFile = path.join(tempDir(), "prometheusrule.yaml");
    fs.writeFileSync(ruleFile, YAML.stringify({ groups: rule.spec.groups }));
    tool("promtool", ["check", "rules", ruleFile]);
}

function writeStackFile(config: Record<string, unknown>): string {
    const file = path.join(tempDir(), "Pulumi.test.yaml");
    fs.writeFileSync(file, YAML.stringify({ config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`sglang-ananke:${k}`, v])) }));
    return file;
}

describe("npm run render", function () {
    afterEach(() => {
        for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    });

    this.timeout(60000);

    it("finds the repository's stack files", () => {
        assert.ok(STACK_FILES.includes("Pulumi.dev.yaml"), STACK_FILES.join(", "));
    });

    for (const file of STACK_FILES) {
        const stack = file.split(".")[1];
        it(`renders every file of the ${stack} stack, each accepted by promtool/amtool or parsed`, () => {
            const out = tempDir();
            const raw = readStackFile(fs.readFileSync(path.join(ROOT, file), "utf8")).raw;
            const { written } = render({ stack, out });
            assert.ok(written.length >= 4);
            checkRendered(out, (raw.monitoringMode ?? "bundled") === "bundled");
        });
    }

    it("renders a Kubernetes stack with pod discovery, and an operator-mode stack without its own Prometheus", () => {
        const out = tempDir();
        render({ stack: "k8s", out, file: writeStackFile({ target: "kubernetes", grafanaServiceType: "LoadBalancer", namespace: "llm" }) });
        checkRendered(out, true);
        const prometheus = YAML.parse(fs.readFileSync(path.join(out, "prometheus/prometheus.yml"), "utf8")) as { scrape_configs: { job_name: string; kubernetes_sd_configs?: { role: string; namespaces?: { names: string[] } }[] }[] };
        const sglang = prometheus.scrape_configs.find((j) => j.job_name === "sglang");
        assert.equal(sglang?.kubernetes_sd_configs?.[0].role, "pod");
        assert.deepEqual(sglang?.kubernetes_sd_configs?.[0].namespaces?.names, ["llm"]);

        const operator = tempDir();
        render({
            stack: "op",
            out: operator,
            file: writeStackFile({
                target: "kubernetes", monitoringMode: "operator", grafanaUrl: "https://grafana.example.com",
                operatorPrometheusUrl: "http://prometheus-operated.monitoring.svc:9090", grafanaAuth: { secure: "v1:c2VjcmV0" },
            }),
        });
        checkRendered(operator, false);
    });

    it("counts encrypted secrets as set without reading them, and writes file references instead of values", () => {
        const secure = (s: string) => ({ secure: `v1:${Buffer.from(s).toString("base64")}` });
        const out = tempDir();
        render({
            stack: "dev",
            out,
            file: writeStackFile({ slackWebhookUrl: secure("slack"), pagerdutyRoutingKey: secure("pd"), heartbeatUrl: secure("hb"), huggingFaceToken: secure("hf") }),
        });
        checkRendered(out, true);
        const am = fs.readFileSync(path.join(out, "alertmanager/alertmanager.yml"), "utf8");
        assert.match(am, /api_url_file: \/\S+/);
        assert.match(am, /routing_key_file: \/\S+/);
        assert.match(am, /url_file: \/\S+/);
        for (const f of listFiles(out)) {
            const text = fs.readFileSync(path.join(out, f), "utf8");
            for (const placeholder of Object.values(SECRET_PLACEHOLDER)) assert.ok(!text.includes(placeholder), `${f} contains a placeholder`);
            assert.ok(!text.includes("v1:"), `${f} contains ciphertext`);
        }
    });

    it("has a placeholder for every secret that passes the secret's own check", () => {
        assert.deepEqual(Object.keys(SECRET_PLACEHOLDER).sort(), [...SECRET_KEYS].sort());
        for (const key of SECRET_KEYS) assert.ok(CATALOG_BY_KEY.get(key)!.check(SECRET_PLACEHOLDER[key]).ok, key);
    });

    it("warns about a secret stored in plain text, without showing it", () => {
        const out = tempDir();
        const { warnings } = render({ stack: "dev", out, file: writeStackFile({ huggingFaceToken: "hf_plainTEXTsecret" }) });
        assert.deepEqual(warnings, ["sglang-ananke:huggingFaceToken is stored in plain text in Pulumi.test.yaml: run `pulumi config set --secret huggingFaceToken <value>`"]);
    });

    it("stops a bad configuration with its message and exit status 1, no stack trace, no file written", () => {
        const out = tempDir();
        const file = writeStackFile({ gpuCount: 3, sglangApiKey: "short key SECRET" });
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "render.ts"), "--stack", "bad", "--out", out, "--file", file], { cwd: ROOT, encoding: "utf8" });
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stderr, [
            "Invalid stack configuration:",
            "  - sglang-ananke:gpuCount = 3: must be one of 1, 2, 4, 8, 16 (the tensor-parallel size)",
            '  - sglang-ananke:sglangApiKey = [secret]: must be "" or at least 8 characters without spaces',
            "",
        ].join("\n"));
        assert.equal(r.stdout, "");
        assert.deepEqual(listFiles(out), []);

    });

    it("answers a wrong command line with its usage and exit status 2", () => {
        const errors: string[] = [];
        const original = console.error;
        console.error = (message: string) => errors.push(message);
        try {
            assert.equal(main(["--stack", "dev"]), 2);
            assert.equal(main(["--stack", "dev", "--out", tempDir(), "--colour"]), 2);
            assert.equal(main(["--stack", "nosuchstack", "--out", tempDir()]), 2);
        } finally {
            console.error = original;
        }
        assert.match(errors[0], /^usage: npm run render -- --stack <name> --out <dir>/);
        assert.match(errors[1], /Unknown option '--colour'/);
        assert.match(errors[2], /^no stack file .*Pulumi\.nosuchstack\.yaml: create the stack \(docs\/adding-a-stack\.md\) or pass --file$/);
    });
});
