/**
 * The secret-literal policies on made-up resources: secrets on command
 * lines, in environment values and in ConfigMaps are reported without being
 * echoed; references, file paths and counts that merely say "tokens" pass.
 */
import * as assert from "node:assert/strict";
import { violations } from "../tests/support/policy-runner";
import { isSecretName } from "./secret-literals";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CONTAINER = "docker:index/container:Container";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

const sglang = (container: Record<string, unknown>) => ({
    metadata: { name: "sglang" },
    spec: { template: { spec: { containers: [{ name: "sglang", image: "lmsysorg/sglang:v0.5.4.post1", ...container }] } } },
});

const SLACK_HOOK = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";

describe("secret-literal policies", () => {
    it("know a secret's name in any spelling, and not a count of tokens or a path", () => {
        for (const name of [
            "HF_TOKEN",
            "apiKey",
            "--api-key".slice(2),
            "routing_key",
            "HEARTBEAT_URL",
            "heartbeat-url",
            "grafanaAuth",
            "client_secret",
        ])
            assert.ok(isSecretName(name), name);
        for (const name of ["ananke-max-rollback-tokens", "MAX_TOKENS", "monkey", "api_url_file", "HF_TOKEN_PATH", "routing_key_file", "keys"])
            assert.ok(!isSecretName(name), name);
    });

    describe("no-secrets-in-arguments", () => {
        const check = (type: string, props: Record<string, unknown>) => violations("no-secrets-in-arguments", type, props);
        it("reports an --api-key literal, a password= literal and a token-shaped value, never echoing them", () => {
            const found = check(
                DEPLOYMENT,
                sglang({
                    command: ["python3", "-m", "sglang.launch_server"],
                    args: ["--api-key", "sk-LITERAL-123", "--model-path", "m", "--db=postgres://u@h/db?password=HUNTER2"],
                    env: [{ name: "NOTIFY", value: SLACK_HOOK }],
                }),
            );
            assert.deepEqual(found, [
                'Deployment "sglang" container "sglang" command/args have --api-key with a literal value: pass it as a file from a Secret (or a *_FILE variable), never on the command line',
                'Deployment "sglang" container "sglang" command/args have password= with a literal value: pass it as a file from a Secret (or a *_FILE variable), never on the command line',
                'Deployment "sglang" container "sglang" env NOTIFY holds a Slack webhook URL: pass it as a file from a Secret (or a *_FILE variable), never on the command line',
            ]);
            assert.ok(!/LITERAL|HUNTER2|XXXXSECRET/.test(found.join("\n")));
            const docker = check(CONTAINER, {
                name: "sglang-ananke-dev-sglang",
                command: ["sh", "-c", "exec python3 -m sglang.launch_server --api-key=sk-LITERAL"],
            });
            assert.deepEqual(docker, [
                'docker container "sglang-ananke-dev-sglang" command line has --api-key with a literal value: pass it as a file from a Secret (or a *_FILE variable), never on the command line',
            ]);
        });
        it("passes a key read from a file at start, a key file flag, and a count of tokens", () => {
            assert.deepEqual(
                check(
                    DEPLOYMENT,
                    sglang({
                        command: [
                            "sh",
                            "-c",
                            'exec python3 -m sglang.launch_server --api-key "$(cat /run/secrets/sglang/api_key)" --ananke-max-rollback-tokens 200',
                        ],
                        args: ["--api-key-file", "/run/secrets/key", "--token", "$(HF_TOKEN)"],
                    }),
                ),
                [],
            );
            assert.deepEqual(
                check(CONTAINER, { name: "x", command: ["--api-key", "/run/secrets/api_key"], envs: ["HF_TOKEN_PATH=/run/secrets/hf"] }),
                [],
            );
        });
    });

    describe("no-secrets-in-config-maps", () => {
        const check = (data: Record<string, string>) =>
            violations("no-secrets-in-config-maps", CONFIG_MAP, { metadata: { name: "alertmanager-config" }, data });
        it("reports secret-named entries, secret fields and credential-shaped values", () => {
            const found = check({
                "alertmanager.yml": `receivers:\n  - name: slack\n    slack_configs:\n      - api_url: ${SLACK_HOOK}\n  - name: pagerduty\n    pagerduty_configs:\n      - routing_key: abcdef0123456789abcdef0123456789\n`,
                sglangApiKey: "sk-LITERAL",
            });
            assert.deepEqual(found, [
                'ConfigMap "alertmanager-config" data["alertmanager.yml"] line 4: a Slack webhook URL: move the secret to a Secret and point the file at it (a *_file field)',
                'ConfigMap "alertmanager-config" data["alertmanager.yml"] line 7: routing_key has a literal value: move the secret to a Secret and point the file at it (a *_file field)',
                'ConfigMap "alertmanager-config" data.sglangApiKey looks like a secret: move it to a Secret and mount it as a file',
            ]);
            assert.ok(!/LITERAL|XXXXSECRET|abcdef0123/.test(found.join("\n")));
            assert.equal(check({ "datasource.json": '{ "basicAuthPassword": "plain" }' }).length, 1);
        });
        it("passes *_file fields, file expansions and masked values", () => {
            assert.deepEqual(
                check({
                    "alertmanager.yml":
                        "receivers:\n  - name: pagerduty\n    pagerduty_configs:\n      - routing_key_file: /etc/alertmanager/secrets/pagerduty\n    slack_configs:\n      - api_url_file: /etc/alertmanager/secrets/slack\n        api_url: <secret>\n",
                    "datasource.yaml": "secureJsonData:\n  basicAuthPassword: $__file{/run/secrets/grafana/ds}\n",
                    "prometheus.yml": "remote_write:\n  - authorization:\n      credentials_file: /etc/prometheus/secrets/token\n",
                }),
                [],
            );
        });
        it("reads a script's assignments as code: only credential shapes count there", () => {
            const launcher = "def read_key(path):\n    with open(path) as f:\n        key = f.read().strip()\n    return key\n";
            assert.deepEqual(check({ "launch_server.py": launcher }), []);
            // The same line in a settings file is a literal; a token in a script is still found.
            assert.equal(check({ "settings.ini": "key = f.read().strip()\n" }).length, 1);
            assert.equal(check({ "launch.sh": `curl -d @- ${SLACK_HOOK}\n` }).length, 1);
        });
    });
});
