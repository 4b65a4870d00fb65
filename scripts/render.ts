/**
 * `npm run render -- --stack <name> --out <dir> [--file <Pulumi.<name>.yaml>]`
 *
 * Writes every object a stack would create and every configuration file it
 * deploys, from its stack file and without the Pulumi CLI: the program runs
 * under Pulumi's mocks and each registered resource is written out
 * (`render-resources.ts`: Kubernetes manifests, a Compose-like file of Docker
 * objects, the Grafana datasource, folder and dashboard, an index of every
 * resource), next to the Prometheus configuration and rule files, the
 * Alertmanager configuration (credentials as `*_file` references, never
 * values) and the Grafana dashboard JSON. For review and for GitOps users.
 * Encrypted (`secure:`) values are never decrypted: they only count as set,
 * and every secret is written as a placeholder such as `<secret:slackWebhookUrl>`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as YAML from "yaml";
import { kubernetesTopology } from "../components/platform/kubernetes/topology";
import { buildDashboard, DATASOURCE_UID, exportForImport } from "../dashboards";
import { toJsonFile } from "../dashboards/render";
import {
    ALERTMANAGER_SECRET_FILES,
    defaultLinks,
    dockerTopology,
    renderAlertmanagerConfig,
    renderPrometheusConfig,
    renderRuleFiles,
    type Topology,
} from "../monitoring";
import { ConfigError, PROJECT, parseSettings, SECRET_KEYS, type SecretKey, type Settings } from "../settings";
import { CATALOG_BY_KEY } from "../settings/catalog";
import { mockState, type ProgramRun, runProgram } from "./program-under-mocks";
import { renderResources, type SecretNames } from "./render-resources";

const ROOT = path.resolve(__dirname, "..");

/**
 * Stand-ins for encrypted values: each passes its key's check, so the
 * configuration validates as it will under `pulumi up`. They only decide
 * shapes (is there a Slack receiver?) and never reach a rendered file.
 */
export const SECRET_PLACEHOLDER: Record<SecretKey, string> = {
    slackWebhookUrl: "https://render-placeholder.invalid/slack",
    pagerdutyRoutingKey: "renderplaceholder0000000000000000",
    heartbeatUrl: "https://render-placeholder.invalid/heartbeat",
    huggingFaceToken: "render-placeholder",
    sglangApiKey: "render-placeholder",
    grafanaAuth: "render-placeholder",
    remoteWritePassword: "render-placeholder",
    remoteWriteBearerToken: "render-placeholder",
    remoteWriteOauth2ClientSecret: "render-placeholder",
    grafanaDatasourcePassword: "render-placeholder",
};

export interface StackFile {
    /** Short key → value, with encrypted values replaced by placeholders. */
    raw: Record<string, unknown>;
    /** Secret keys stored in plain text in the stack file (a mistake worth saying). */
    plainSecrets: string[];
    /** Keys whose values are encrypted (`secure:`). */
    secureKeys: string[];
}

const isSecure = (v: unknown): boolean => v !== null && typeof v === "object" && !Array.isArray(v) && "secure" in v;

/** Reads `Pulumi.<stack>.yaml`'s `sglang-ananke:*` keys. */
export function readStackFile(text: string): StackFile {
    const doc = YAML.parse(text) as { config?: Record<string, unknown> } | null;
    const raw: Record<string, unknown> = {};
    const plainSecrets: string[] = [];
    const secureKeys: string[] = [];
    for (const [fullKey, value] of Object.entries(doc?.config ?? {})) {
        if (!fullKey.startsWith(`${PROJECT}:`)) continue; // provider keys such as docker:host
        const key = fullKey.slice(PROJECT.length + 1);
        if (isSecure(value)) {
            secureKeys.push(key);
            const placeholder = Object.hasOwn(SECRET_PLACEHOLDER, key) ? SECRET_PLACEHOLDER[key as SecretKey] : undefined;
            // An encrypted non-secret key cannot be checked without the passphrase: say so through the check.
            raw[key] = placeholder ?? value;
            continue;
        }
        if (CATALOG_BY_KEY.get(key)?.secret && value !== "" && value !== null) plainSecrets.push(key);
        raw[key] = value;
    }
    return { raw, plainSecrets, secureKeys };
}

/** The Prometheus topology of the stack's target. */
export function topologyOf(settings: Settings): Topology {
    return settings.target === "kubernetes" ? kubernetesTopology(settings) : dockerTopology(settings);
}

/** Relative path → content of every file the stack deploys. */
export function renderStackFiles(settings: Settings): Record<string, string> {
    const links = defaultLinks(settings);
    const files: Record<string, string> = {};
    for (const [name, content] of Object.entries(renderRuleFiles(settings, links))) files[`prometheus/rules/${name}`] = content;
    if (settings.monitoringMode === "bundled") {
        files["prometheus/prometheus.yml"] = renderPrometheusConfig(settings, topologyOf(settings));
        files["alertmanager/alertmanager.yml"] = renderAlertmanagerConfig(settings, ALERTMANAGER_SECRET_FILES, links);
    }
    // Otherwise the cluster's Prometheus and Alertmanager keep their own configuration:
    // the stack's monitors, rules and routing are operator objects, rendered with
    // the other Kubernetes objects (the rule files above are the PrometheusRule's groups).
    const model = buildDashboard(settings, { datasourceUid: DATASOURCE_UID });
    files["grafana/dashboards/sglang-ananke.json"] = toJsonFile(model);
    files["grafana/dashboards/sglang-ananke.import.json"] = toJsonFile(exportForImport(model));
    return files;
}

export interface RenderOptions {
    stack: string;
    out: string;
    /** Stack file; default Pulumi.<stack>.yaml at the repository root. */
    file?: string;
}

/** Provider state for the render: an image is identified by its reference, so a container names the image it runs. */
function renderState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    return type === "docker:index/remoteImage:RemoteImage" ? { ...inputs, imageId: inputs.name } : mockState(type, name, inputs);
}

/** Runs the program under mocks with the stack file's values, as `pulumi config` would hand them over. */
export async function runStack(stack: string, raw: Record<string, unknown>, secureKeys: string[]): Promise<ProgramRun> {
    const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    const secretKeys = Object.keys(raw).filter((k) => secureKeys.includes(k) || (SECRET_KEYS as readonly string[]).includes(k));
    return runProgram(config, { stack, secretKeys, state: renderState });
}

/** Secret value → name for placeholders: the stack's secret keys, and passwords the program generates. */
export function secretNames(raw: Record<string, unknown>, run: ProgramRun): SecretNames {
    const names: SecretNames = new Map();
    for (const key of SECRET_KEYS) if (typeof raw[key] === "string" && raw[key] !== "") names.set(raw[key] as string, key);
    for (const r of run.byType("random:index/randomPassword:RandomPassword")) names.set(String(r.state.result), r.name);
    return names;
}

/** Relative path → content of everything the stack creates and deploys. */
export async function renderStack(stack: string, raw: Record<string, unknown>, secureKeys: string[]): Promise<Record<string, string>> {
    const settings = parseSettings(stack, raw);
    const run = await runStack(stack, raw, secureKeys);
    const files = { ...renderStackFiles(settings) };
    for (const [relative, content] of Object.entries(renderResources(run.resources, secretNames(raw, run), run.logs))) {
        if (files[relative] !== undefined) throw new Error(`${relative} is rendered twice`);
        files[relative] = content;
    }
    return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

/** Renders one stack into `out`; returns the written paths (relative to `out`) and warnings. */
export async function render(opts: RenderOptions): Promise<{ written: string[]; warnings: string[] }> {
    const file = opts.file ?? path.join(ROOT, `Pulumi.${opts.stack}.yaml`);
    if (!fs.existsSync(file)) throw new UsageError(`no stack file ${file}: create the stack (docs/adding-a-stack.md) or pass --file`);
    const { raw, plainSecrets, secureKeys } = readStackFile(fs.readFileSync(file, "utf8"));
    const files = await renderStack(opts.stack, raw, secureKeys);
    for (const [relative, content] of Object.entries(files)) {
        const target = path.join(opts.out, relative);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
    }
    const warnings = plainSecrets.map(
        (k) => `${PROJECT}:${k} is stored in plain text in ${path.basename(file)}: run \`pulumi config set --secret ${k} <value>\``,
    );
    return { written: Object.keys(files), warnings };
}

/** A mistake in the command line, reported without a stack trace. */
export class UsageError extends Error {}

const USAGE = "usage: npm run render -- --stack <name> --out <dir> [--file <stack file>]";

export async function main(argv: string[]): Promise<number> {
    try {
        const { values } = parseArgs({ args: argv, options: { stack: { type: "string" }, out: { type: "string" }, file: { type: "string" } } });
        if (!values.stack || !values.out) throw new UsageError(USAGE);
        const { written, warnings } = await render({
            stack: values.stack,
            out: path.resolve(values.out),
            file: values.file && path.resolve(values.file),
        });
        for (const w of warnings) console.error(`warning: ${w}`);
        for (const w of written) console.log(path.join(values.out, w));
        return 0;
    } catch (e) {
        if (e instanceof ConfigError) {
            console.error(e.message);
            return 1;
        }
        if (e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
            console.error(e.message);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
