import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { operatorMode } from "../tests/support/operator-mode";
import { encryptedProductionSecrets } from "../tests/support/production-secrets";
import { alertsOf, diffMonitoring, imagesOf, main, panelsOf, readRender, routingOf } from "./diff-monitoring";
import { render } from "./render";

const ROOT = path.resolve(__dirname, "..");

let made: string[] = [];
function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-monitoring-"));
    made.push(dir);
    return dir;
}

/** Renders of unchanged configurations, made once for all cases. */
const rendered = new Map<string, string>();

/** Renders a stack with `config` (short keys) into a new directory. */
async function renderWith(stack: string, config: Record<string, unknown>): Promise<string> {
    const file = path.join(tempDir(), `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, YAML.stringify({ config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`sglang-ananke:${k}`, v])) }));
    const out = tempDir();
    await render({ stack, out, file });
    return out;
}

/** A render kept for the whole suite (the base of several cases). */
async function sharedRender(stack: string, config: Record<string, unknown>): Promise<string> {
    const key = JSON.stringify([stack, config]);
    if (!rendered.has(key)) {
        const out = await renderWith(stack, config);
        made = made.filter((d) => d !== out);
        rendered.set(key, out);
    }
    return rendered.get(key)!;
}

const prodConfig = (YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
// A production stack: rendered with the secrets it requires set (encrypted).
const prodShort = {
    ...Object.fromEntries(
        Object.entries(prodConfig)
            .filter(([k]) => k.startsWith("sglang-ananke:"))
            .map(([k, v]) => [k.slice("sglang-ananke:".length), v]),
    ),
    ...encryptedProductionSecrets(),
};

describe("npm run diff:monitoring (real renders, before and after)", function () {
    this.timeout(120000);
    afterEach(() => {
        for (const d of made) fs.rmSync(d, { recursive: true, force: true });
        made = [];
    });
    after(() => {
        for (const d of rendered.values()) fs.rmSync(d, { recursive: true, force: true });
    });

    it("says nothing changes when nothing does", async () => {
        const [a, b] = [await sharedRender("dev", {}), await renderWith("dev", {})];
        assert.equal(
            diffMonitoring(readRender(a), readRender(b), "dev"),
            "### Monitoring and serving changes: dev\n\nNo change to alerts, routing, dashboard panels, images or other rendered objects.\n",
        );
    });

    it("dev: a threshold, a for duration, a Slack webhook and an SGLang image", async () => {
        const base = readRender(await sharedRender("dev", {}));
        const head = readRender(
            await renderWith("dev", {
                alertLatencyP95Seconds: "20",
                alertLatencyFor: "10m",
                slackWebhookUrl: { secure: "v1:c2xhY2s=" },
                sglangImage: "registry.example.com/sglang-ananke:v0.5.4-ananke.1",
            }),
        );
        // The readers see the real renders.
        assert.ok(alertsOf(base).size >= 10 && alertsOf(base).has("SGLangHighLatency"));
        assert.equal(imagesOf(base).get("container sglang"), "lmsysorg/sglang:v0.5.4.post1");
        const md = diffMonitoring(base, head, "dev");
        assert.ok(
            md.includes(
                "- `SGLangHighLatency` threshold/expression: `instance_model:sglang_e2e_latency_seconds:p95_5m > 30` → `instance_model:sglang_e2e_latency_seconds:p95_5m > 20`",
            ),
            md,
        );
        assert.ok(md.includes("- `SGLangHighLatency` for: 5m → 10m"), md);
        assert.ok(md.includes("- receiver `slack` added (slack)"), md);
        assert.match(md, /- route added: .* → slack/);
        assert.ok(md.includes("- container sglang: `lmsysorg/sglang:v0.5.4.post1` → `registry.example.com/sglang-ananke:v0.5.4-ananke.1`"), md);
        assert.ok(md.includes("- `docker/compose.yaml` changed"), md);
        // Only what changed: no other alert is named.
        const alertLines = md.split("**Alerts**")[1].split("**")[0].trim().split("\n");
        assert.equal(alertLines.length, 2, alertLines.join("\n"));
    });

    it("prod: an SGLang image and a GPU count on Kubernetes, and a Slack webhook", async () => {
        const base = readRender(await renderWith("prod", prodShort));
        const head = readRender(
            await renderWith("prod", {
                ...prodShort,
                sglangImage: "registry.example.com/sglang-ananke:v0.5.4-ananke.2",
                gpuCount: 8,
                slackWebhookUrl: { secure: "v1:c2xhY2s=" },
            }),
        );
        const md = diffMonitoring(base, head, "prod");
        assert.match(
            md,
            /- Deployment sglang \/ sglang: `lmsysorg\/sglang:v0\.5\.4\.post1` → `registry\.example\.com\/sglang-ananke:v0\.5\.4-ananke\.2`/,
        );
        assert.ok(md.includes("- `kubernetes/10-deployment-sglang.yaml` changed"), md);
        assert.ok(md.includes("- receiver `slack` added (slack)"), md);
        assert.match(md, /- route added: .* → slack/);
        assert.deepEqual(panelsOf(base), panelsOf(head));
    });

    it("alerts and panels added or removed, receivers and routes of an operator-mode stack", async () => {
        const operator = {
            target: "kubernetes",
            ...operatorMode({ secure: "v1:c2VjcmV0" }),
        };
        const dir = await renderWith("op", operator);
        const base = readRender(dir);
        assert.ok(routingOf(base).routes.length > 0, "routes read from the AlertmanagerConfig");
        // The head: one alert and one panel fewer, one alert more.
        const head = new Map(base);
        const rulesFile = [...head.keys()].find((f) => f.startsWith("prometheus/rules/") && f.includes("alerts"))!;
        const rules = YAML.parse(head.get(rulesFile)!) as { groups: { rules: { alert?: string; expr: string }[] }[] };
        const dropped = rules.groups[0].rules.shift()!;
        rules.groups[0].rules.push({ alert: "NewAlert", expr: "vector(1) > 0", for: "2m", labels: { severity: "info" } } as never);
        head.set(rulesFile, YAML.stringify(rules));
        const dashboard = JSON.parse(head.get("grafana/dashboards/sglang-ananke.json")!) as { panels: { title: string; type: string }[] };
        const panel = dashboard.panels.find((p) => p.type !== "row")!;
        dashboard.panels = dashboard.panels.filter((p) => p !== panel);
        head.set("grafana/dashboards/sglang-ananke.json", JSON.stringify(dashboard));
        const md = diffMonitoring(base, head);
        assert.ok(md.includes(`- removed \`${dropped.alert}\``), md);
        assert.ok(md.includes("- added `NewAlert` (info, for 2m): `vector(1) > 0`"), md);
        assert.match(md, new RegExp(`- removed \`(\\w+ / )?${panel.title}\``));
    });

    it("answers a wrong command line with its usage", () => {
        const errors: string[] = [];
        const original = console.error;
        console.error = (m: string) => errors.push(m);
        try {
            assert.equal(main(["--base", "x"]), 2);
            assert.equal(main(["--base", "x", "--head", path.join(os.tmpdir(), "no-such-render-dir")]), 2);
        } finally {
            console.error = original;
        }
        assert.match(errors[0], /^usage: npm run diff:monitoring/);
        assert.match(errors[1], /^no render at /);
    });
});
