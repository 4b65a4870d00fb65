/**
 * The program's generated monitoring configuration, made runnable on
 * loopback. Only addresses change: scrape targets become the local stand-ins,
 * Prometheus's Alertmanager and rule paths become local ones, and the
 * Slack, PagerDuty and heartbeat endpoints become the local receiver; the
 * web passwords are generated for the run, their files local.
 * Everything else (rules, routes, inhibitions, timings) is used as generated.
 * Every change is listed in `rewrites`, so a run says what it altered.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import {
    ALERTMANAGER_SECRET_FILES,
    alertmanagerConfig,
    defaultLinks,
    dockerTopology,
    renderPrometheusConfig,
    renderRuleFiles,
} from "../../monitoring";
import { renderBlackboxConfig } from "../../monitoring/canary";
import type { AlertmanagerSecretFiles, JobName, Topology } from "../../monitoring/types";
import { type AuthenticatedService, type BasicAuthFile, prometheusPasswordFile, renderWebConfig } from "../../monitoring/web-auth";
import type { Settings } from "../../settings";
import { E2E_PAGERDUTY_ROUTING_KEY } from "./config";

/** Where each job's stand-in (or real exporter) listens, host:port; a list for a job with one target per worker. */
export type LocalTargets = Partial<Record<JobName, string | string[]>>;

/** The scrape topology of the Docker stack with every address replaced by a loopback one. */
export function localTopology(
    settings: Settings,
    targets: LocalTargets,
    alertmanager: string,
    ruleGlob: string,
    rewrites: string[],
    openaiBaseUrl?: string,
): Topology {
    const docker = dockerTopology(settings);
    const jobs = docker.jobs.map((job) => {
        if (job.discovery.kind !== "static") throw new Error(`job ${job.job}: only static targets can be rewritten, got ${job.discovery.kind}`);
        const local = targets[job.job];
        if (!local) throw new Error(`job ${job.job} has no local stand-in: add one to the end-to-end stack`);
        const locals = Array.isArray(local) ? local : [local];
        // A list stands for the targets one by one (one SGLang stand-in per worker).
        if (Array.isArray(local) && locals.length !== job.discovery.targets.length) {
            throw new Error(`job ${job.job}: ${job.discovery.targets.length} targets, ${locals.length} local stand-ins`);
        }
        rewrites.push(`scrape job ${job.job}: ${job.discovery.targets.join(", ")} -> ${locals.join(", ")}`);
        return { ...job, discovery: { kind: "static" as const, targets: locals } };
    });
    rewrites.push(`alertmanagers: ${docker.alertmanagers.join(", ")} -> ${alertmanager}`);
    rewrites.push(`rule_files: ${docker.ruleFiles.join(", ")} -> ${ruleGlob}`);
    let canary: Topology["canary"];
    if (docker.canary) {
        if (!openaiBaseUrl) throw new Error("the canary is on: the end-to-end stack needs an OpenAI stand-in");
        const prober = targets["blackbox-exporter"];
        if (!prober || Array.isArray(prober)) throw new Error("the canary is on: the end-to-end stack needs a blackbox exporter");
        canary = { proberAddress: prober, openaiBaseUrl };
        rewrites.push(`canary: ${docker.canary.proberAddress} probing ${docker.canary.openaiBaseUrl} -> ${prober} probing ${openaiBaseUrl}`);
    }
    return {
        jobs,
        alertmanagers: [alertmanager],
        ...(docker.alertmanagerAuth ? { alertmanagerAuth: docker.alertmanagerAuth } : {}),
        ruleFiles: [ruleGlob],
        ...(canary ? { canary } : {}),
    };
}

/** The web servers' basic auth on loopback: generated passwords, the files Prometheus reads them from, each server's web configuration. */
export interface LocalWebAuth {
    /** Password by service, for the test's own API calls. */
    passwords: Record<AuthenticatedService, string>;
    /** The file Prometheus reads each password from, by the path prometheus.yml names in the container. */
    passwordFiles: Record<string, string>;
    /** `--web.config.file` by service. */
    webConfigs: Record<AuthenticatedService, string>;
}

/** A bcrypt hash, as the web configuration takes it (the python3 `bcrypt` module, else libcrypt's). */
function bcryptHash(password: string): string {
    const script = [
        "import sys",
        "try:",
        "    import bcrypt; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4)).decode())",
        "except ImportError:",
        "    import crypt; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))",
    ].join("\n");
    return execFileSync("/usr/bin/python3", ["-W", "ignore", "-c", script, password], { encoding: "utf8" }).trim();
}

/** Writes each server's web configuration and password file under `secretsDir`, as the stack mounts them. */
export function writeLocalWebAuth(secretsDir: string, rewrites: string[]): LocalWebAuth {
    const services: AuthenticatedService[] = ["prometheus", "alertmanager"];
    const passwords = Object.fromEntries(services.map((s) => [s, randomBytes(16).toString("hex")])) as Record<AuthenticatedService, string>;
    const passwordFiles: Record<string, string> = {};
    const webConfigs = {} as Record<AuthenticatedService, string>;
    for (const s of services) {
        const file = path.join(secretsDir, path.basename(prometheusPasswordFile(s)));
        fs.writeFileSync(file, passwords[s], { mode: 0o600 });
        passwordFiles[prometheusPasswordFile(s)] = file;
        webConfigs[s] = path.join(secretsDir, `${s}-web.yml`);
        fs.writeFileSync(webConfigs[s], renderWebConfig(bcryptHash(passwords[s])), { mode: 0o600 });
    }
    rewrites.push(
        `web passwords: ${Object.keys(passwordFiles).join(", ")} -> ${secretsDir} (generated for the run; each web configuration holds its bcrypt hash)`,
    );
    return { passwords, passwordFiles, webConfigs };
}

/** The topology with the password files prometheus.yml names replaced by the local ones. */
export function withLocalPasswordFiles(topology: Topology, web: LocalWebAuth): Topology {
    const local = (auth: BasicAuthFile): BasicAuthFile => {
        const file = web.passwordFiles[auth.passwordFile];
        if (!file) throw new Error(`no local file for ${auth.passwordFile}`);
        return { ...auth, passwordFile: file };
    };
    return {
        ...topology,
        jobs: topology.jobs.map((job) => (job.basicAuth ? { ...job, basicAuth: local(job.basicAuth) } : job)),
        ...(topology.alertmanagerAuth ? { alertmanagerAuth: local(topology.alertmanagerAuth) } : {}),
    };
}

/** Alertmanager's version, e.g. [0, 25, 0]. */
export function alertmanagerVersion(binary: string): number[] {
    const out = execFileSync(binary, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const m = /version (\d+)\.(\d+)\.(\d+)/.exec(out);
    if (!m) throw new Error(`cannot read the version of ${binary} from: ${out}`);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export interface ReceiverUrls {
    slack: string;
    pagerduty: string;
    heartbeat: string;
}

type Json = Record<string, unknown>;

/**
 * Points every notification integration of a generated Alertmanager
 * configuration at the local receiver. Slack reads its URL from the file
 * the config names (written by the caller); PagerDuty gets `url`; the
 * heartbeat webhook reads `url_file`, which Alertmanager before 0.26 (Debian
 * ships 0.25) cannot parse: there, and only there, it becomes `url`.
 */
export function pointAtReceiver(config: Json, urls: ReceiverUrls, webhookUrlFileSupported: boolean, rewrites: string[]): Json {
    const copy = structuredClone(config);
    const global = copy.global as Json | undefined;
    if (global?.slack_api_url !== undefined) {
        global.slack_api_url = urls.slack;
        rewrites.push("global.slack_api_url -> local receiver");
    }
    if (global?.pagerduty_url !== undefined) {
        global.pagerduty_url = urls.pagerduty;
        rewrites.push("global.pagerduty_url -> local receiver");
    }
    for (const receiver of (copy.receivers ?? []) as Json[]) {
        for (const slack of (receiver.slack_configs ?? []) as Json[]) {
            if (slack.api_url !== undefined) {
                slack.api_url = urls.slack;
                rewrites.push(`receiver ${receiver.name}: slack api_url -> local receiver`);
            }
        }
        for (const pd of (receiver.pagerduty_configs ?? []) as Json[]) {
            pd.url = urls.pagerduty;
            rewrites.push(`receiver ${receiver.name}: pagerduty url -> local receiver`);
        }
        for (const hook of (receiver.webhook_configs ?? []) as Json[]) {
            if (hook.url !== undefined) {
                hook.url = urls.heartbeat;
                rewrites.push(`receiver ${receiver.name}: webhook url -> local receiver`);
            } else if (hook.url_file !== undefined && !webhookUrlFileSupported) {
                delete hook.url_file;
                hook.url = urls.heartbeat;
                rewrites.push(`receiver ${receiver.name}: webhook url_file -> url of the local receiver (this Alertmanager predates url_file)`);
            }
        }
    }
    return copy;
}

export interface GeneratedPaths {
    prometheusConfig: string;
    rulesDir: string;
    alertmanagerConfig: string;
    secretFiles: AlertmanagerSecretFiles;
    /** The canary's prober configuration. */
    blackboxConfig: string;
    /** Basic auth of Prometheus and Alertmanager. */
    web: LocalWebAuth;
}

/**
 * Writes the generated Prometheus configuration and rule files, the
 * Alertmanager configuration and the credential files it names, under `dir`.
 */
export function writeGeneratedFiles(opts: {
    settings: Settings;
    dir: string;
    targets: LocalTargets;
    alertmanagerAddress: string;
    receiver: ReceiverUrls;
    alertmanagerBinary: string;
    rewrites: string[];
    /** Where the OpenAI stand-in answers the canary, `http://host:port/v1`. */
    openaiBaseUrl?: string;
}): GeneratedPaths {
    const { settings, dir, rewrites } = opts;
    const links = defaultLinks(settings);
    const rulesDir = path.join(dir, "rules");
    const secretsDir = path.join(dir, "secrets");
    fs.mkdirSync(rulesDir, { recursive: true });
    fs.mkdirSync(secretsDir, { recursive: true, mode: 0o700 });

    const ruleFiles = renderRuleFiles(settings, links);
    for (const [name, content] of Object.entries(ruleFiles)) fs.writeFileSync(path.join(rulesDir, name), content);
    const web = writeLocalWebAuth(secretsDir, rewrites);
    const topology = withLocalPasswordFiles(
        localTopology(settings, opts.targets, opts.alertmanagerAddress, path.join(rulesDir, "*.yaml"), rewrites, opts.openaiBaseUrl),
        web,
    );
    const prometheusConfig = path.join(dir, "prometheus.yml");
    fs.writeFileSync(prometheusConfig, renderPrometheusConfig(settings, topology));
    const blackboxConfig = path.join(dir, "blackbox.yml");
    fs.writeFileSync(blackboxConfig, renderBlackboxConfig(settings, undefined));

    const secretFiles: AlertmanagerSecretFiles = {
        slackWebhookUrl: path.join(secretsDir, "slack_webhook_url"),
        pagerdutyRoutingKey: path.join(secretsDir, "pagerduty_routing_key"),
        heartbeatUrl: path.join(secretsDir, "heartbeat_url"),
    };
    const secretValues: AlertmanagerSecretFiles = {
        slackWebhookUrl: opts.receiver.slack,
        pagerdutyRoutingKey: E2E_PAGERDUTY_ROUTING_KEY,
        heartbeatUrl: opts.receiver.heartbeat,
    };
    for (const key of Object.keys(secretFiles) as (keyof AlertmanagerSecretFiles)[]) {
        fs.writeFileSync(secretFiles[key], secretValues[key], { mode: 0o600 });
    }
    rewrites.push(
        `credential files: ${Object.values(ALERTMANAGER_SECRET_FILES).join(", ")} -> ${secretsDir} (the local receiver's URLs, a test routing key)`,
    );
    const [major, minor] = alertmanagerVersion(opts.alertmanagerBinary);
    const generated = alertmanagerConfig(settings, secretFiles, links) as Json;
    const local = pointAtReceiver(generated, opts.receiver, major > 0 || minor >= 26, rewrites);
    const alertmanagerConfigPath = path.join(dir, "alertmanager.yml");
    fs.writeFileSync(alertmanagerConfigPath, stringify(local, { lineWidth: 0 }));
    return { prometheusConfig, rulesDir, alertmanagerConfig: alertmanagerConfigPath, secretFiles, blackboxConfig, web };
}
