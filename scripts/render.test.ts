import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { SECRET_KEYS } from "../settings";
import { CATALOG_BY_KEY } from "../settings/catalog";
import { resolveCommand } from "../tests/debian-tools";
import { runProgram, stackFileConfig } from "../tests/harness";
import { validateObject } from "../tests/support/kubernetes-schemas";
import { operatorMode } from "../tests/support/operator-mode";
import { encryptedProductionSecrets, isProduction } from "../tests/support/production-secrets";
import { main, readStackFile, render, runStack, SECRET_PLACEHOLDER, secretNames } from "./render";
import { DOCKER_FILE, INDEX_FILE, renderedInputs, secretPlaceholder } from "./render-resources";

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
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
}

function tool(cmd: string, args: string[]): void {
    const binary = resolveCommand(cmd); // a missing tool says so in one line
    try {
        execFileSync(binary, args, { stdio: "pipe" });
    } catch (e) {
        const err = e as { stdout?: Buffer; stderr?: Buffer };
        assert.fail(`${cmd} ${args.join(" ")} failed:\n${err.stdout?.toString()}${err.stderr?.toString()}`);
    }
}

/** Version of an installed Prometheus tool, e.g. [0, 25]. */
function toolVersion(cmd: string): [number, number] {
    const m = /version (\d+)\.(\d+)/.exec(execFileSync(resolveCommand(cmd), ["--version"], { encoding: "utf8", stdio: "pipe" }) || "");
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
            assert.ok(
                (block.namespaces?.names ?? []).length > 0 && block.namespaces!.names!.every((n) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n)),
                `${String(job.job_name)}: names its namespaces`,
            );
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
    const monitoringFiles = files.filter((f) => /^(prometheus|alertmanager|grafana\/dashboards)\//.test(f));
    assert.deepEqual(monitoringFiles, expected);
    const manifests = files.filter((f) => f.startsWith("kubernetes/"));
    if (!bundled) checkOperatorObjects(out, manifests);
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
    const objects = manifests
        .map(
            (f) =>
                YAML.parse(fs.readFileSync(path.join(out, f), "utf8")) as {
                    apiVersion: string;
                    kind: string;
                    metadata: { name: string };
                    spec: Record<string, unknown>;
                },
        )
        .filter((o) => o.apiVersion.startsWith("monitoring.coreos.com/"));
    const kinds = objects.map((o) => o.kind).sort();
    assert.ok(kinds.includes("PrometheusRule") && kinds.includes("AlertmanagerConfig"), kinds.join(", "));
    assert.ok(
        kinds.some((k) => k === "ServiceMonitor" || k === "PodMonitor"),
        kinds.join(", "),
    );
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

/**
 * A repository stack file's `config` as it stands once the secrets it requires
 * are set: a production stack file gets them encrypted (`secure:`), as
 * `pulumi config set --secret` would store them.
 */
function configWithRequiredSecrets(file: string): Record<string, unknown> {
    const config = (YAML.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as { config: Record<string, unknown> }).config;
    if (!isProduction({ production: config["sglang-ananke:production"] })) return config;
    return { ...config, ...Object.fromEntries(Object.entries(encryptedProductionSecrets()).map(([k, v]) => [`sglang-ananke:${k}`, v])) };
}

/** A copy of a repository stack file to render, with the secrets a production stack requires set. */
function renderableStackFile(file: string): string {
    const copy = path.join(tempDir(), file);
    fs.writeFileSync(copy, YAML.stringify({ config: configWithRequiredSecrets(file) }));
    return copy;
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
        it(`renders every file of the ${stack} stack, each accepted by promtool/amtool or parsed`, async () => {
            const out = tempDir();
            const stackFile = renderableStackFile(file);
            const raw = readStackFile(fs.readFileSync(stackFile, "utf8")).raw;
            const { written } = await render({ stack, out, file: stackFile });
            assert.ok(written.length >= 4);
            checkRendered(out, (raw.monitoringMode ?? "bundled") === "bundled");
        });
    }

    it("renders a Kubernetes stack with pod discovery, and an operator-mode stack without its own Prometheus", async () => {
        const out = tempDir();
        await render({ stack: "k8s", out, file: writeStackFile({ target: "kubernetes", namespace: "llm" }) });
        checkRendered(out, true);
        const prometheus = YAML.parse(fs.readFileSync(path.join(out, "prometheus/prometheus.yml"), "utf8")) as {
            scrape_configs: { job_name: string; kubernetes_sd_configs?: { role: string; namespaces?: { names: string[] } }[] }[];
        };
        const sglang = prometheus.scrape_configs.find((j) => j.job_name === "sglang");
        assert.equal(sglang?.kubernetes_sd_configs?.[0].role, "pod");
        assert.deepEqual(sglang?.kubernetes_sd_configs?.[0].namespaces?.names, ["llm"]);

        const operator = tempDir();
        await render({
            stack: "op",
            out: operator,
            file: writeStackFile({
                target: "kubernetes",
                ...operatorMode({ secure: "v1:c2VjcmV0" }),
            }),
        });
        checkRendered(operator, false);
    });

    it("counts encrypted secrets as set without reading them, and writes file references instead of values", async () => {
        const secure = (s: string) => ({ secure: `v1:${Buffer.from(s).toString("base64")}` });
        const out = tempDir();
        await render({
            stack: "dev",
            out,
            file: writeStackFile({
                slackWebhookUrl: secure("slack"),
                pagerdutyRoutingKey: secure("pd"),
                heartbeatUrl: secure("hb"),
                huggingFaceToken: secure("hf"),
            }),
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
        const compose = fs.readFileSync(path.join(out, DOCKER_FILE), "utf8");
        for (const key of ["slackWebhookUrl", "pagerdutyRoutingKey", "heartbeatUrl", "huggingFaceToken"])
            assert.ok(compose.includes(secretPlaceholder(key)), `${key} is shown as ${secretPlaceholder(key)}`);
    });

    it("has a placeholder for every secret that passes the secret's own check", () => {
        assert.deepEqual(Object.keys(SECRET_PLACEHOLDER).sort(), [...SECRET_KEYS].sort());
        for (const key of SECRET_KEYS) assert.ok(CATALOG_BY_KEY.get(key)!.check(SECRET_PLACEHOLDER[key]).ok, key);
    });

    it("warns about a secret stored in plain text, without showing it", async () => {
        const out = tempDir();
        const { warnings } = await render({ stack: "dev", out, file: writeStackFile({ huggingFaceToken: "hf_plainTEXTsecret" }) });
        assert.deepEqual(warnings, [
            "sglang-ananke:huggingFaceToken is stored in plain text in Pulumi.test.yaml: run `pulumi config set --secret huggingFaceToken <value>`",
        ]);
    });

    it("stops a bad configuration with its message and exit status 1, no stack trace, no file written", () => {
        const out = tempDir();
        const file = writeStackFile({ gpuCount: 3, sglangApiKey: "short key SECRET" });
        const r = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(__dirname, "render.ts"), "--stack", "bad", "--out", out, "--file", file],
            { cwd: ROOT, encoding: "utf8" },
        );
        assert.equal(r.status, 1, r.stderr);
        assert.equal(
            r.stderr,
            [
                "Invalid stack configuration:",
                "  - sglang-ananke:gpuCount = 3: must be one of 1, 2, 4, 8, 16 (the tensor-parallel size)",
                '  - sglang-ananke:sglangApiKey = [secret]: must be "" or at least 8 characters without spaces',
                "",
            ].join("\n"),
        );
        assert.equal(r.stdout, "");
        assert.deepEqual(listFiles(out), []);
    });

    it("answers a wrong command line with its usage and exit status 2", async () => {
        const errors: string[] = [];
        const original = console.error;
        console.error = (message: string) => errors.push(message);
        try {
            assert.equal(await main(["--stack", "dev"]), 2);
            assert.equal(await main(["--stack", "dev", "--out", tempDir(), "--colour"]), 2);
            assert.equal(await main(["--stack", "nosuchstack", "--out", tempDir()]), 2);
        } finally {
            console.error = original;
        }
        assert.match(errors[0], /^usage: npm run render -- --stack <name> --out <dir>/);
        assert.match(errors[1], /Unknown option '--colour'/);
        assert.match(errors[2], /^no stack file .*Pulumi\.nosuchstack\.yaml: create the stack \(docs\/adding-a-stack\.md\) or pass --file$/);
    });
    describe("every object the stack creates", () => {
        /** Type token of a manifest, as the Kubernetes provider names it. */
        const typeOf = (m: { apiVersion: string; kind: string }) => {
            const [group, version] = m.apiVersion.includes("/") ? m.apiVersion.split("/") : ["core", m.apiVersion];
            return `kubernetes:${group}/${version}:${m.kind}`;
        };
        const variants: [string, Record<string, unknown>][] = [
            ...STACK_FILES.map((f): [string, Record<string, unknown>] => [f.split(".")[1], configWithRequiredSecrets(f)]),
            [
                "operator",
                Object.fromEntries(
                    Object.entries({
                        target: "kubernetes",
                        ...operatorMode({ secure: "v1:c2VjcmV0" }),
                    }).map(([k, v]) => [`sglang-ananke:${k}`, v]),
                ),
            ],
        ];
        for (const [stack, config] of variants) {
            it(`${stack}: the render holds exactly the resources the program registers under mocks, with the same inputs`, async () => {
                const out = tempDir();
                const file = path.join(tempDir(), `Pulumi.${stack}.yaml`);
                fs.writeFileSync(file, YAML.stringify({ config }));
                await render({ stack, out, file });
                const { raw, secureKeys } = readStackFile(fs.readFileSync(file, "utf8"));
                const run = await runStack(stack, raw, secureKeys);
                // The same set as the tests' own run of the program.
                const testRun = await runProgram(
                    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
                    { stack, secretKeys: secureKeys },
                );
                const ids = (rs: { type: string; name: string }[]) => rs.map((r) => `${r.type} ${r.name}`).sort();
                assert.deepEqual(ids(run.resources), ids(testRun.resources));
                const index = (
                    YAML.parse(fs.readFileSync(path.join(out, INDEX_FILE), "utf8")) as {
                        resources: { type: string; name: string; file?: string; key?: string; inputs?: unknown }[];
                    }
                ).resources;
                assert.deepEqual(ids(index), ids(run.resources), "the index lists every resource once");
                const names = secretNames(raw, run);
                for (const password of run.byType("random:index/randomPassword:RandomPassword"))
                    assert.equal(names.get(password.state.result), password.name);
                const compose = fs.existsSync(path.join(out, DOCKER_FILE))
                    ? (YAML.parse(fs.readFileSync(path.join(out, DOCKER_FILE), "utf8")) as Record<string, Record<string, unknown>>)
                    : {};
                for (const r of run.resources) {
                    const entry = index.find((e) => e.type === r.type && e.name === r.name)!;
                    let shown: unknown;
                    if (entry.key) {
                        const [section, name] = entry.key.split(/\.(.*)/s);
                        shown = compose[section]?.[name];
                    } else if (entry.file) {
                        shown = YAML.parse(fs.readFileSync(path.join(out, entry.file), "utf8"));
                    } else {
                        shown = entry.inputs ?? {};
                    }
                    assert.deepEqual(shown, renderedInputs(r, names), `${r.type} ${r.name}`);
                    // Placeholders stand exactly where the program's secrets are.
                    assert.deepEqual(
                        JSON.stringify(shown).includes("<secret"),
                        JSON.stringify(r.inputs).includes("4dabf18193072939515e22adb298388d"),
                        `${r.type} ${r.name}: secrets`,
                    );
                }
                // Kubernetes manifests: one per object, each valid against the API schema, in apply order.
                const manifests = listFiles(out).filter((f) => f.startsWith("kubernetes/"));
                assert.equal(manifests.length, run.resources.filter((r) => r.type.startsWith("kubernetes:")).length);
                for (const f of manifests) {
                    const m = YAML.parse(fs.readFileSync(path.join(out, f), "utf8")) as {
                        apiVersion: string;
                        kind: string;
                        metadata: { name?: string };
                    };
                    assert.match(m.metadata.name ?? "", /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, `${f} is named`);
                    assert.deepEqual(await validateObject(typeOf(m), m as unknown as Record<string, unknown>), [], f);
                }
                const namespaceFirst = manifests.findIndex((f) => f.includes("-namespace-"));
                if (namespaceFirst >= 0) assert.equal(namespaceFirst, 0, "the namespace is applied first");
                // What the program logs at preview (where each severity's alerts go) is in the index.
                const log = (YAML.parse(fs.readFileSync(path.join(out, INDEX_FILE), "utf8")) as { log: string[] }).log;
                assert.deepEqual(
                    log,
                    run.logs.map((l) => `${l.severity}: ${l.message}`),
                );
                assert.ok(
                    log.some((l) => l.startsWith("info: alerts critical: ")),
                    log.join("\n"),
                );
            });
        }

        it("the same stack renders the same files, byte for byte", async () => {
            const [a, b] = [tempDir(), tempDir()];
            const file = renderableStackFile("Pulumi.prod.yaml");
            await render({ stack: "prod", out: a, file });
            await render({ stack: "prod", out: b, file });
            assert.deepEqual(listFiles(a), listFiles(b));
            for (const f of listFiles(a)) assert.equal(fs.readFileSync(path.join(a, f), "utf8"), fs.readFileSync(path.join(b, f), "utf8"), f);
        });

        /** Renders of the unchanged configurations, made once for the cases below. */
        const baseRenders = new Map<string, string>();
        after(() => {
            for (const dir of baseRenders.values()) fs.rmSync(dir, { recursive: true, force: true });
        });
        async function baseRender(stack: string, base: Record<string, unknown>): Promise<string> {
            const key = JSON.stringify([stack, base]);
            if (!baseRenders.has(key)) {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-base-"));
                baseRenders.set(key, dir);
                await render({ stack, out: dir, file: writeStackFile(base) });
            }
            return baseRenders.get(key)!;
        }

        /** Files whose content differs between two renders. */
        async function changedFiles(stack: string, base: Record<string, unknown>, change: Record<string, unknown>): Promise<string[]> {
            const [a, b] = [await baseRender(stack, base), tempDir()];
            await render({ stack, out: b, file: writeStackFile({ ...base, ...change }) });
            const all = [...new Set([...listFiles(a), ...listFiles(b)])].sort();
            const read = (dir: string, f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined);
            return all.filter((f) => read(a, f) !== read(b, f));
        }

        const prod = stackFileConfig("Pulumi.prod.yaml");
        const prodRaw = {
            ...Object.fromEntries(Object.entries(prod).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v])),
            ...encryptedProductionSecrets(),
        };
        const cases: [string, Record<string, unknown>, Record<string, unknown>, RegExp][] = [
            ["dev", {}, { sglangImage: "registry.example.com/sglang-ananke:v0.5.4-ananke.1" }, /^docker\/compose\.yaml$/],
            ["dev", {}, { gpuCount: 2 }, /^docker\/compose\.yaml$/],
            ["dev", {}, { alertLatencyP95Seconds: "7" }, /^prometheus\/rules\/ananke-alerts\.yaml$/],
            ["dev", {}, { slackWebhookUrl: { secure: "v1:c2xhY2s=" } }, /^alertmanager\/alertmanager\.yml$/],
            ["prod", prodRaw, { sglangImage: "registry.example.com/sglang-ananke:v0.5.4-ananke.1" }, /^kubernetes\/10-deployment-sglang\.yaml$/],
            ["prod", prodRaw, { gpuCount: 8 }, /^kubernetes\/10-deployment-sglang\.yaml$/],
            // One key of each other group of the catalog.
            ["dev", {}, { gpuExporter: "nvidia-smi" }, /^docker\/compose\.yaml$/],
            ["dev", {}, { grafanaImage: "grafana/grafana:12.1.2" }, /^docker\/compose\.yaml$/],
            ["dev", {}, { bindAddress: "10.0.0.12" }, /^docker\/compose\.yaml$/],
            ["dev", {}, { prometheusRetention: "30d" }, /^docker\/compose\.yaml$/],
            ["dev", {}, { alertGroupWait: "1m" }, /^alertmanager\/alertmanager\.yml$/],
            ["dev", {}, { sloAvailabilityObjective: "0.999" }, /^prometheus\/rules\//],
            ["dev", {}, { grafanaExternalUrl: "https://grafana.example.com" }, /^prometheus\/rules\/ananke-alerts\.yaml$/],
            ["dev", {}, { huggingFaceToken: { secure: "v1:aGY=" } }, /^docker\/compose\.yaml$/],
            ["prod", prodRaw, { storageClass: "premium-rwo" }, /^kubernetes\/08-persistentvolumeclaim-prometheus-data\.yaml$/],
        ];
        for (const [stack, base, change, expected] of cases) {
            it(`${stack}: changing ${Object.keys(change).join(", ")} changes the render (${expected.source})`, async () => {
                const changed = await changedFiles(stack, base, change);
                assert.ok(
                    changed.some((f) => expected.test(f)),
                    `changed: ${changed.join(", ")}`,
                );
            });
        }
    });
});
