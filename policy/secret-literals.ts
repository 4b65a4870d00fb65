/**
 * Secrets written where anyone who can read the object reads them: in a
 * container's command line or environment, or in a ConfigMap.
 *
 * Decisions:
 * - A name is a secret's when it says TOKEN, KEY, PASSWORD (PASSWD), SECRET,
 *   WEBHOOK or CREDENTIAL, or is one of the stack's secret keys in any
 *   spelling (`heartbeatUrl`, `HEARTBEAT_URL`, `heartbeat-url`). Names ending
 *   in _FILE/_PATH/_DIR (or -file, …) hold where the secret lives, not the secret.
 * - A value is not a literal when it is empty or a reference the process
 *   resolves: `$VAR`, `$(…)`, `${…}`, Grafana's `$__file{…}`, Alertmanager's `<secret>`.
 * - Values shaped like a known credential (a Slack webhook, a Hugging Face or
 *   Slack token, a private key) are reported whatever their name.
 * - Messages never contain the value.
 * - The stack file itself is not visible to a policy: @pulumi/policy hands
 *   policies only stack tags, not the stack configuration, so plain-text
 *   secret keys are refused by the program at preview (settings/plainSecrets.ts).
 */
import { CATALOG } from "../settings/catalog";
import { bag, list, podsOf, type ResourceLike, resourceTitle, str } from "./workloads";

/** Words that make a name a secret's; a count of tokens (`max-tokens`) is not one. */
const SECRET_WORDS = new Set(["token", "key", "apikey", "password", "passwd", "secret", "webhook", "credential", "credentials"]);
const REFERENCE_SUFFIX = /[_-](FILE|PATH|DIR)$/i;
const normalized = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");
const SECRET_KEYS = new Set(CATALOG.filter((d) => d.secret).map((d) => normalized(d.key)));

/** `routing_key`, `apiKey`, `HF-TOKEN` → their lower-case words. */
const words = (name: string): string[] =>
    name
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w !== "");

/** Whether a variable, flag or field of this name holds a secret (not a path to one). */
export function isSecretName(name: string): boolean {
    if (REFERENCE_SUFFIX.test(name)) return false;
    return words(name).some((w) => SECRET_WORDS.has(w)) || SECRET_KEYS.has(normalized(name));
}

/** Whether a value is a reference resolved at run time, or no value at all. */
export function isReference(value: string): boolean {
    const v = value.trim().replace(/^["']|["']$/g, "");
    return v === "" || v.startsWith("$") || v === "<secret>" || v === "null" || v === "~";
}

/** Credential shapes recognised whatever they are called. */
const CREDENTIAL_SHAPES: readonly { what: string; pattern: RegExp }[] = [
    { what: "a Slack webhook URL", pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9/]+/ },
    { what: "a Hugging Face token", pattern: /\bhf_[A-Za-z0-9]{20,}/ },
    { what: "a Slack token", pattern: /\bxox[abpr]-[A-Za-z0-9-]{10,}/ },
    { what: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** What credential a text contains by its shape, if any. */
export function credentialShape(text: string): string | undefined {
    return CREDENTIAL_SHAPES.find((s) => s.pattern.test(text))?.what;
}

/** `--api-key`, `--token=…`: a flag whose name says secret. */
const FLAG = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)(?:=(.*))?$/;
/** `password=…`, `token=…` inside a word (connection strings, query strings). */
const ASSIGNMENT = /(?:^|[^A-Za-z0-9_])([A-Za-z0-9_.-]*(?:password|passwd|token|secret|api[_-]?key))=([^\s&;'"]+)/i;

/** The secret-looking literals of a command line (shell scripts in it are split into words). */
export function commandLineSecrets(argv: readonly string[]): string[] {
    const words = argv.flatMap((a) => a.split(/\s+/)).filter((w) => w !== "");
    const found: string[] = [];
    words.forEach((word, i) => {
        const flag = FLAG.exec(word);
        if (flag && isSecretName(flag[1])) {
            const value = flag[2] ?? words[i + 1];
            // An absolute path names a file holding the secret.
            if (value !== undefined && !(flag[2] === undefined && value.startsWith("-")) && !isReference(value) && !value.startsWith("/")) {
                found.push(`--${flag[1]} with a literal value`);
            }
            return;
        }
        const assignment = ASSIGNMENT.exec(word);
        if (assignment && !isReference(assignment[2])) found.push(`${assignment[1]}= with a literal value`);
        const shape = credentialShape(word);
        if (shape) found.push(shape);
    });
    return found;
}

/** `key: value`, `key = value`: a line of YAML, INI or env files. */
const FIELD = /^\s*-?\s*["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(.*?),?\s*$/;
/** `"key": "value"` anywhere in a line (JSON). */
const JSON_PAIR = /"([A-Za-z_][A-Za-z0-9_.-]*)"\s*:\s*"([^"]*)"/g;

/** The fields of one line: name and literal text of the value. */
function fieldsOf(line: string): [string, string][] {
    const pairs = [...line.matchAll(JSON_PAIR)].map((m): [string, string] => [m[1], m[2]]);
    if (pairs.length > 0) return pairs;
    const field = FIELD.exec(line);
    // A value opening a block or a map is not itself the secret.
    return field && !/^[|>{[]/.test(field[2]) ? [[field[1], field[2]]] : [];
}

/** The secret-looking literals of a configuration file's text. */
export function configTextSecrets(text: string): string[] {
    const found: string[] = [];
    text.split("\n").forEach((line, i) => {
        for (const [name, value] of fieldsOf(line)) {
            if (isSecretName(name) && !isReference(value)) found.push(`line ${i + 1}: ${name} has a literal value`);
        }
        const shape = credentialShape(line);
        if (shape) found.push(`line ${i + 1}: ${shape}`);
    });
    return found;
}

const DOCKER_CONTAINER = "docker:index/container:Container";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const WHAT_TO_DO = "pass it as a file from a Secret (or a *_FILE variable), never on the command line";

/** Secrets on command lines (args, command, Docker entrypoint) and in environment values of any name. */
export function noSecretsInArguments(r: ResourceLike): string[] {
    if (r.type === DOCKER_CONTAINER) {
        const who = `docker container "${str(r.props.name) ?? r.name ?? ""}"`;
        const argv = [...list(r.props.entrypoint), ...list(r.props.command)].map(String);
        const envShapes = list(r.props.envs)
            .map(String)
            .flatMap((e) => {
                const shape = credentialShape(e);
                return shape ? [`environment ${e.split("=")[0]} holds ${shape}`] : [];
            });
        return [
            ...commandLineSecrets(argv).map((s) => `${who} command line has ${s}: ${WHAT_TO_DO}`),
            ...envShapes.map((s) => `${who} ${s}: ${WHAT_TO_DO}`),
        ];
    }
    return podsOf(r)
        .flatMap((pod) => pod.containers.map((c) => ({ pod, c })))
        .flatMap(({ pod, c }) => {
            const who = `${pod.who} container "${str(c.name) ?? ""}"`;
            const argv = [...list(c.command), ...list(c.args)].map(String);
            const envShapes = list(c.env)
                .map(bag)
                .flatMap((e) => {
                    const shape = credentialShape(str(e.value) ?? "");
                    return shape ? [`env ${String(e.name)} holds ${shape}`] : [];
                });
            return [
                ...commandLineSecrets(argv).map((s) => `${who} command/args have ${s}: ${WHAT_TO_DO}`),
                ...envShapes.map((s) => `${who} ${s}: ${WHAT_TO_DO}`),
            ];
        });
}

/** No secret in a ConfigMap: neither a secret-named entry nor a secret-looking field or value in a file. */
export function noSecretsInConfigMaps(r: ResourceLike): string[] {
    if (r.type !== CONFIG_MAP) return [];
    const who = resourceTitle(r);
    return Object.entries(bag(r.props.data)).flatMap(([key, value]) => {
        const text = str(value) ?? "";
        if (isSecretName(key) && !isReference(text)) {
            return [`${who} data.${key} looks like a secret: move it to a Secret and mount it as a file`];
        }
        // A script's assignments are code, not settings: only credential shapes count there.
        const found = SCRIPT.test(key) ? scriptSecrets(text) : configTextSecrets(text);
        return found.map((s) => `${who} data["${key}"] ${s}: move the secret to a Secret and point the file at it (a *_file field)`);
    });
}

/** Keys of ConfigMap entries that are programs (the SGLang launcher), by extension. */
const SCRIPT = /\.(py|sh)$/;

/** The credential-shaped literals of a script's text. */
function scriptSecrets(text: string): string[] {
    return text.split("\n").flatMap((line, i) => {
        const shape = credentialShape(line);
        return shape ? [`line ${i + 1}: ${shape}`] : [];
    });
}
