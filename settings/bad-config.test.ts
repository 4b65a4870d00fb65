/**
 * Bad stack configurations and the exact message each one produces. Every
 * message names the key, the value (never a secret's) and what is allowed,
 * and none carries a stack trace.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { runProgram, stackFileConfig } from "../tests/harness";
import { ConfigError, parseSettings, plainTextSecrets } from ".";
import { CATALOG } from "./catalog";

/** A Kubernetes stack that is valid on its own (Grafana reachable through a LoadBalancer). */
const K8S = { target: "kubernetes" };

interface BadConfig {
    name: string;
    raw: Record<string, unknown>;
    /** The problems listed in the ConfigError, in order. */
    errors: string[];
    /** Secret values in `raw` that must not appear in the message. */
    secrets?: string[];
}

const CASES: BadConfig[] = [
    // Wrong types
    {
        name: "a word where an integer is due",
        raw: { gpuCount: "two" },
        errors: ['sglang-ananke:gpuCount = "two": must be one of 1, 2, 4, 8, 16 (the tensor-parallel size)'],
    },
    {
        name: "a decimal where an integer is due",
        raw: { sglangPort: "30000.5" },
        errors: ['sglang-ananke:sglangPort = "30000.5": must be an integer from 1 to 65535'],
    },
    { name: "a word for a boolean", raw: { autoscalingEnabled: "yes" }, errors: ['sglang-ananke:autoscalingEnabled = "yes": must be true or false'] },
    {
        name: "a comma list where a YAML list is due",
        raw: { gpuDevices: "0,1", gpuCount: 2 },
        errors: ['sglang-ananke:gpuDevices = "0,1": must be a list of GPU indices from 0 to 63'],
    },
    {
        name: "a list where a string is due",
        raw: { model: ["Qwen/Qwen2.5-Coder-7B-Instruct"] },
        errors: ['sglang-ananke:model = ["Qwen/Qwen2.5-Coder-7B-Instruct"]: must be a Hugging Face model id such as org/name, or a path'],
    },
    {
        name: "a mapping where an enum is due",
        raw: { target: { name: "docker" } },
        errors: ['sglang-ananke:target = {"name":"docker"}: must be one of "docker", "kubernetes"'],
    },
    {
        name: "affinity that is not JSON",
        raw: { ...K8S, affinityJson: "{nodeAffinity: " },
        errors: ['sglang-ananke:affinityJson = "{nodeAffinity: ": must be "" or a JSON object (a Kubernetes Affinity)'],
    },

    // Out-of-range numbers
    {
        name: "a GPU count that is no tensor-parallel size",
        raw: { gpuCount: 3 },
        errors: ["sglang-ananke:gpuCount = 3: must be one of 1, 2, 4, 8, 16 (the tensor-parallel size)"],
    },
    { name: "port 0", raw: { grafanaPort: 0 }, errors: ["sglang-ananke:grafanaPort = 0: must be an integer from 1 to 65535"] },
    { name: "a port above 65535", raw: { sglangPort: 70000 }, errors: ["sglang-ananke:sglangPort = 70000: must be an integer from 1 to 65535"] },
    {
        name: "an error ratio above 1",
        raw: { alertErrorRatio: "1.5" },
        errors: ['sglang-ananke:alertErrorRatio = "1.5": must be a number greater than 0 and less than 1'],
    },
    {
        name: "a negative GPU price",
        raw: { gpuHourlyPrice: "-2.5" },
        errors: ['sglang-ananke:gpuHourlyPrice = "-2.5": must be "" (unset) or a number from 0 to 1000000'],
    },
    {
        name: "a GPU price with a currency sign",
        raw: { gpuHourlyPrice: "$2.50" },
        errors: ['sglang-ananke:gpuHourlyPrice = "$2.50": must be "" (unset) or a number from 0 to 1000000'],
    },
    {
        name: "a router error ratio of 1",
        raw: { alertRouterErrorRatio: "1" },
        errors: ['sglang-ananke:alertRouterErrorRatio = "1": must be a number greater than 0 and less than 1'],
    },
    {
        name: "a percentage above 100",
        raw: { alertGpuMemoryPercent: 150 },
        errors: ["sglang-ananke:alertGpuMemoryPercent = 150: must be an integer from 1 to 100 percent"],
    },
    { name: "negative replicas", raw: { ...K8S, replicas: -1 }, errors: ["sglang-ananke:replicas = -1: must be an integer from 1 to 64"] },
    {
        name: "a retention shorter than two hours",
        raw: { prometheusRetention: "1h" },
        errors: ['sglang-ananke:prometheusRetention = "1h": must be a Prometheus duration such as 30s, 5m, 1h or 15d (at least 7200s)'],
    },
    {
        name: "mem-fraction-static below 0.1",
        raw: { memFractionStatic: "0.05" },
        errors: ['sglang-ananke:memFractionStatic = "0.05": must be 0 or a number from 0.1 to 0.95'],
    },
    {
        name: "an SLO threshold that is no histogram bucket",
        raw: { sloTtftThresholdSeconds: "2.5" },
        errors: [
            'sglang-ananke:sloTtftThresholdSeconds = "2.5": must be a bucket boundary of sglang:time_to_first_token_seconds in SGLang v0.5.4.post1, one of 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400',
        ],
    },
    {
        name: "an SLO threshold on a bucket boundary SGLang does not have (0.5 s)",
        raw: { sloTtftThresholdSeconds: "0.5" },
        errors: [
            'sglang-ananke:sloTtftThresholdSeconds = "0.5": must be a bucket boundary of sglang:time_to_first_token_seconds in SGLang v0.5.4.post1, one of 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400',
        ],
    },

    // Malformed URLs, addresses and names
    {
        name: "a Grafana URL without a scheme",
        raw: { grafanaUrl: "grafana.local:3000" },
        errors: [
            'sglang-ananke:grafanaUrl = "grafana.local:3000": must be "" or a URL starting with http:// or https:// without user:password@, without control characters or {{ }}',
        ],
    },
    {
        name: "a URL with credentials in a plain key",
        raw: { grafanaExternalUrl: "https://admin:hunter2@grafana.example.com" },
        errors: [
            'sglang-ananke:grafanaExternalUrl = "https://admin:hunter2@grafana.example.com": must be "" or a URL starting with http:// or https:// without user:password@, without control characters or {{ }}',
        ],
    },
    {
        name: "an ftp runbook URL",
        raw: { runbookBaseUrl: "ftp://example.com/runbooks" },
        errors: [
            'sglang-ananke:runbookBaseUrl = "ftp://example.com/runbooks": must be a URL starting with http:// or https:// without user:password@, without control characters or {{ }}',
        ],
    },
    {
        name: "a plain-http Slack webhook (a secret: not echoed)",
        raw: { slackWebhookUrl: "http://hooks.slack.com/services/T000/B000/XXXXSECRET" },
        errors: ['sglang-ananke:slackWebhookUrl = [secret]: must be "" or a URL starting with https://, without control characters or {{ }}'],
        secrets: ["XXXXSECRET"],
    },
    {
        name: "a Docker host without a scheme",
        raw: { dockerHost: "gpu-host:2376" },
        errors: [
            'sglang-ananke:dockerHost = "gpu-host:2376": must be "" or unix:///path or ssh://[user@]host[:port] (not tcp://: the stack has no TLS client certificate for it; reach a remote daemon over ssh://)',
        ],
    },
    {
        name: "a host name as bind address",
        raw: { bindAddress: "localhost" },
        errors: ['sglang-ananke:bindAddress = "localhost": must be an IPv4 address such as 127.0.0.1'],
    },
    {
        name: "a CIDR with a /33 mask",
        raw: { ...K8S, apiClientCidrs: ["10.0.0.0/33"] },
        errors: ['sglang-ananke:apiClientCidrs = ["10.0.0.0/33"]: must be a list of IPv4 CIDRs such as 10.0.0.0/8'],
    },
    {
        name: "an uppercase namespace",
        raw: { ...K8S, namespace: "SGLang" },
        errors: [
            'sglang-ananke:namespace = "SGLang": must be a lowercase DNS label such as sglang, not default, kube-system, kube-public, kube-node-lease',
        ],
    },
    {
        name: "host exporters in the stack's own namespace",
        raw: { ...K8S, namespace: "llm", hostNamespace: "llm" },
        errors: [
            'sglang-ananke:hostNamespace = "llm" is the stack\'s namespace: it must differ, so that namespace can enforce Pod Security restricted',
        ],
    },
    {
        name: "a namespace too long to derive the host namespace from",
        raw: { ...K8S, namespace: "n".repeat(60) },
        errors: [
            `sglang-ananke:namespace = "${"n".repeat(60)}" makes the host exporters' namespace "${"n".repeat(60)}-host", longer than 63 characters: set sglang-ananke:hostNamespace to a lowercase DNS label`,
        ],
    },

    // Unknown enum values, unpinned images, unknown keys
    { name: "an unknown target", raw: { target: "nomad" }, errors: ['sglang-ananke:target = "nomad": must be one of "docker", "kubernetes"'] },
    {
        name: "an unknown Ananke language",
        raw: { anankeLanguage: "cobol" },
        errors: ['sglang-ananke:anankeLanguage = "cobol": must be one of "python", "typescript", "go", "rust", "kotlin", "swift", "zig"'],
    },
    {
        name: "an unknown Ananke domain",
        raw: { anankeEnabledDomains: ["syntax", "style"] },
        errors: [
            'sglang-ananke:anankeEnabledDomains = ["syntax","style"]: must be a list of syntax, types, imports, controlflow, semantics (at least 1)',
        ],
    },
    {
        name: "an image on :latest",
        raw: { sglangImage: "lmsysorg/sglang:latest" },
        errors: [
            'sglang-ananke:sglangImage = "lmsysorg/sglang:latest": must be an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)',
        ],
    },
    {
        name: "an untagged image",
        raw: { grafanaImage: "grafana/grafana" },
        errors: [
            'sglang-ananke:grafanaImage = "grafana/grafana": must be an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)',
        ],
    },
    {
        name: "a misspelt key",
        raw: { gpuCuont: 2 },
        errors: ["sglang-ananke:gpuCuont is not a known key (did you mean gpuCount?) (see docs/configuration.md)"],
    },
    {
        name: "a key from another project",
        raw: { grafanaPassword: "x" },
        errors: ["sglang-ananke:grafanaPassword is not a known key (see docs/configuration.md)"],
    },
    {
        name: "a toleration without an effect",
        raw: { ...K8S, tolerations: ["nvidia.com/gpu"] },
        errors: [
            'sglang-ananke:tolerations = ["nvidia.com/gpu"]: must be a list of key[=value]:Effect strings (Effect NoSchedule, PreferNoSchedule or NoExecute; key and value as in labels)',
        ],
    },

    // Secrets in a bad shape: the message never shows them
    {
        name: "a PagerDuty key that is too short",
        raw: { pagerdutyRoutingKey: "pd-SECRET" },
        errors: ['sglang-ananke:pagerdutyRoutingKey = [secret]: must be "" or a 32-character PagerDuty integration key'],
        secrets: ["pd-SECRET"],
    },
    {
        name: "an API key with a space",
        raw: { sglangApiKey: "sk live SECRET42" },
        errors: ['sglang-ananke:sglangApiKey = [secret]: must be "" or at least 8 characters without spaces'],
        secrets: ["SECRET42"],
    },
    {
        name: "the API key smuggled in as an extra server flag",
        raw: { sglangExtraArgs: ["--context-length", "32768", "--api-key=sk-SECRET42"] },
        errors: [
            'sglang-ananke:sglangExtraArgs contains "--api-key" (set by sglangApiKey (a secret)): the stack sets these from its own keys; remove them',
        ],
        secrets: ["sk-SECRET42"],
    },
    {
        name: "managed flags through SGLang's aliases",
        raw: { sglangExtraArgs: ["--model", "other/model", "--tensor-parallel-size", "4"] },
        errors: [
            'sglang-ananke:sglangExtraArgs contains "--model" (set by model), "--tensor-parallel-size" (set by gpuCount × sglangNodesPerReplica): the stack sets these from its own keys; remove them',
        ],
    },
    {
        name: "an API key through an argparse prefix",
        raw: { sglangExtraArgs: ["--api-k=sk-PREFIXED99"] },
        errors: [
            'sglang-ananke:sglangExtraArgs contains "--api-k" (SGLang reads it as --api-key, set by sglangApiKey (a secret)): the stack sets these from its own keys; remove them',
        ],
        secrets: ["sk-PREFIXED99"],
    },
    {
        name: "a config file of arguments",
        raw: { sglangExtraArgs: ["--config", "/models/args.yaml"] },
        errors: [
            'sglang-ananke:sglangExtraArgs contains "--config" (set by not allowed: its file could set any managed flag): the stack sets these from its own keys; remove them',
        ],
    },
    {
        name: "an ambiguous option prefix",
        raw: { sglangExtraArgs: ["--speculative-d", "x"] },
        errors: [
            'sglang-ananke:sglangExtraArgs contains "--speculative-d", which SGLang\'s parser refuses as ambiguous (--speculative-draft-attention-backend, --speculative-draft-load-format, --speculative-draft-model, --speculative-draft-model-path, --speculative-draft-model-quantization, …): spell the option in full',
        ],
    },

    // Adversarial values: each would otherwise produce something wrong
    {
        name: "a Go template in a runbook URL (breaks the rule file)",
        raw: { runbookBaseUrl: "https://wiki.example.com/{{ $labels.alertname }}" },
        errors: [
            'sglang-ananke:runbookBaseUrl = "https://wiki.example.com/{{ $labels.alertname }}": must be a URL starting with http:// or https:// without user:password@, without control characters or {{ }}',
        ],
    },
    {
        name: "a template in an external URL (breaks links in pages)",
        raw: { alertmanagerExternalUrl: "https://am.example.com/}}" },
        errors: [
            'sglang-ananke:alertmanagerExternalUrl = "https://am.example.com/}}": must be "" or a URL starting with http:// or https:// without user:password@, without control characters or {{ }}',
        ],
    },
    {
        name: "a newline inside a URL (the URL parser drops it silently)",
        raw: { prometheusExternalUrl: "https://prom.example.com/\nx" },
        errors: [
            'sglang-ananke:prometheusExternalUrl = "https://prom.example.com/\\nx": must be "" or a URL starting with http:// or https:// without user:password@, without control characters or {{ }}',
        ],
    },
    {
        name: "a control character in a heartbeat URL (a secret: not echoed)",
        raw: { heartbeatUrl: "https://hb.example.com/ping/SECRET-HB\u0007" },
        errors: ['sglang-ananke:heartbeatUrl = [secret]: must be "" or a URL starting with http:// or https://, without control characters or {{ }}'],
        secrets: ["SECRET-HB"],
    },
    {
        name: "an image with an uppercase repository",
        raw: { sglangImage: "LMSysOrg/SGLang:v0.5.4" },
        errors: [
            'sglang-ananke:sglangImage = "LMSysOrg/SGLang:v0.5.4": must be an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)',
        ],
    },
    {
        name: "an image with an empty path component",
        raw: { prometheusImage: "prom//prometheus:v3.5.0" },
        errors: [
            'sglang-ananke:prometheusImage = "prom//prometheus:v3.5.0": must be an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)',
        ],
    },
    {
        name: "an image with two tags",
        raw: { grafanaImage: "grafana/grafana:12.1.1:13" },
        errors: [
            'sglang-ananke:grafanaImage = "grafana/grafana:12.1.1:13": must be an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)',
        ],
    },
    {
        name: "an image with a short digest",
        raw: { nodeExporterImage: "prom/node-exporter@sha256:abc123" },
        errors: [
            'sglang-ananke:nodeExporterImage = "prom/node-exporter@sha256:abc123": must be an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)',
        ],
    },
    {
        name: "an image with a registry port that is no number",
        raw: { alertmanagerImage: "registry:port/prom/alertmanager:v0.28.1" },
        errors: [
            'sglang-ananke:alertmanagerImage = "registry:port/prom/alertmanager:v0.28.1": must be an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)',
        ],
    },
    {
        name: "a ReadWriteOnce model cache shared by two replicas",
        raw: { ...K8S, replicas: 2, modelCacheAccessMode: "ReadWriteOnce" },
        errors: [
            'sglang-ananke:modelCacheAccessMode = "ReadWriteOnce" with sglang-ananke:replicas = 2: pods on other nodes cannot mount the model cache; set modelCacheAccessMode "ReadWriteMany" with a modelCacheStorageClass that offers it (on a stack that already has the claim, delete it on purpose first: README, Data), or run one replica',
        ],
    },
    {
        name: "two replicas with the default (ReadWriteOnce) model cache",
        raw: { ...K8S, replicas: 2 },
        errors: [
            'sglang-ananke:modelCacheAccessMode = "ReadWriteOnce" with sglang-ananke:replicas = 2: pods on other nodes cannot mount the model cache; set modelCacheAccessMode "ReadWriteMany" with a modelCacheStorageClass that offers it (on a stack that already has the claim, delete it on purpose first: README, Data), or run one replica',
        ],
    },
    {
        name: "a Prometheus size in Kubernetes units",
        raw: { prometheusRetentionSize: "40Gi" },
        errors: ['sglang-ananke:prometheusRetentionSize = "40Gi": must be a Prometheus size in whole B, KB, MB, GB, TB (powers of 2) such as 40GB'],
    },
    {
        name: "a size-based retention as large as the Prometheus volume",
        raw: { ...K8S, prometheusStorageSize: "50Gi", prometheusRetentionSize: "50GB" },
        errors: [
            'sglang-ananke:prometheusRetentionSize = "50GB" is not below sglang-ananke:prometheusStorageSize = "50Gi": the TSDB would fill its volume (the WAL needs room beyond it); set at most 80-85 % of it, or "" for 80 %',
        ],
    },
    {
        name: "a model-cache access mode left empty",
        raw: { ...K8S, modelCacheAccessMode: "" },
        errors: ['sglang-ananke:modelCacheAccessMode = "": must be one of "ReadWriteOnce", "ReadWriteMany"'],
    },
    {
        name: "a ReadWriteOnce model cache under autoscaling",
        raw: { ...K8S, autoscalingEnabled: true, autoscalingMaxReplicas: 3, modelCacheAccessMode: "ReadWriteOnce" },
        errors: [
            'sglang-ananke:modelCacheAccessMode = "ReadWriteOnce" with sglang-ananke:autoscalingMaxReplicas = 3: pods on other nodes cannot mount the model cache; set modelCacheAccessMode "ReadWriteMany" with a modelCacheStorageClass that offers it (on a stack that already has the claim, delete it on purpose first: README, Data), or run one replica',
        ],
    },
    {
        name: "an unencrypted tcp:// Docker host",
        raw: { dockerHost: "tcp://gpu-host:2375" },
        errors: [
            'sglang-ananke:dockerHost = "tcp://gpu-host:2375": must be "" or unix:///path or ssh://[user@]host[:port] (not tcp://: the stack has no TLS client certificate for it; reach a remote daemon over ssh://)',
        ],
    },
    {
        name: "the kube-system namespace",
        raw: { ...K8S, namespace: "kube-system" },
        errors: [
            'sglang-ananke:namespace = "kube-system": must be a lowercase DNS label such as sglang, not default, kube-system, kube-public, kube-node-lease',
        ],
    },
    {
        name: "monitors in the default namespace",
        raw: { ...K8S, monitorNamespace: "default" },
        errors: [
            'sglang-ananke:monitorNamespace = "default": must be "" or a lowercase DNS label such as sglang, not default, kube-system, kube-public, kube-node-lease',
        ],
    },
    {
        name: "a node label key with two slashes",
        raw: { ...K8S, nodeSelector: ["a/b/c=x"] },
        errors: [
            'sglang-ananke:nodeSelector = ["a/b/c=x"]: must be a list of key=value strings (node labels; key [DNS-subdomain prefix/]name, name and value at most 63 letters, digits, -, _ or . starting and ending alphanumeric, value may be empty)',
        ],
    },
    {
        name: "a node label value longer than 63 characters",
        raw: { ...K8S, nodeSelector: [`gpu=${"x".repeat(64)}`] },
        errors: [
            `sglang-ananke:nodeSelector = ["gpu=${"x".repeat(64)}"]: must be a list of key=value strings (node labels; key [DNS-subdomain prefix/]name, name and value at most 63 letters, digits, -, _ or . starting and ending alphanumeric, value may be empty)`,
        ],
    },
    {
        name: "a monitor label value ending in a dash",
        raw: { ...K8S, monitorLabels: ["release=kube-prometheus-"] },
        errors: [
            'sglang-ananke:monitorLabels = ["release=kube-prometheus-"]: must be a list of key=value strings (labels; key [DNS-subdomain prefix/]name, name and value at most 63 letters, digits, -, _ or . starting and ending alphanumeric, value may be empty)',
        ],
    },
    {
        name: "a pod label key with an uppercase prefix",
        raw: { ...K8S, gpuExporterPodLabels: ["Example.COM/app=dcgm"] },
        errors: [
            'sglang-ananke:gpuExporterPodLabels = ["Example.COM/app=dcgm"]: must be a list of key=value strings (pod labels; key [DNS-subdomain prefix/]name, name and value at most 63 letters, digits, -, _ or . starting and ending alphanumeric, value may be empty)',
        ],
    },
    {
        name: "one label key given two values",
        raw: { ...K8S, monitorLabels: ["release=a", "release=b"] },
        errors: ['sglang-ananke:monitorLabels = ["release=a","release=b"]: must be key=value strings (labels) with each key once'],
    },
    {
        name: "a memory limit below the request",
        raw: { sglangMemoryRequest: "64Gi", sglangMemoryLimit: "60000M" },
        errors: [
            'sglang-ananke:sglangMemoryLimit = "60000M" is below sglang-ananke:sglangMemoryRequest = "64Gi": the limit must be at least the request',
        ],
    },

    {
        name: "a production stack without its paging, heartbeat and API key",
        raw: { production: true },
        errors: [
            "sglang-ananke:production = true requires pagerdutyRoutingKey, heartbeatUrl, sglangApiKey: pulumi config set --secret pagerdutyRoutingKey <value>; pulumi config set --secret heartbeatUrl <value>; pulumi config set --secret sglangApiKey <value>",
        ],
    },
    {
        name: "a production stack with only a PagerDuty key",
        raw: { production: "true", pagerdutyRoutingKey: "pdSECRETkey0123456789abcdefABCDEF" },
        errors: [
            "sglang-ananke:production = true requires heartbeatUrl, sglangApiKey: pulumi config set --secret heartbeatUrl <value>; pulumi config set --secret sglangApiKey <value>",
        ],
        secrets: ["pdSECRETkey"],
    },
    {
        name: "a newline in a kubeconfig context",
        raw: { ...K8S, kubeContext: "prod\nuser: admin" },
        errors: ['sglang-ananke:kubeContext = "prod\\nuser: admin": must be a context name (without control characters)'],
    },
    {
        name: "an escape character in an API key (a secret: not echoed)",
        raw: { sglangApiKey: "sk-SECRET\u001b[0m" },
        errors: ['sglang-ananke:sglangApiKey = [secret]: must be "" or at least 8 characters without spaces (without control characters)'],
        secrets: ["sk-SECRET"],
    },
    {
        name: "a toleration key with a path after its prefix",
        raw: { ...K8S, tolerations: ["nvidia.com/gpu/extra:NoSchedule"] },
        errors: [
            'sglang-ananke:tolerations = ["nvidia.com/gpu/extra:NoSchedule"]: must be a list of key[=value]:Effect strings (Effect NoSchedule, PreferNoSchedule or NoExecute; key and value as in labels)',
        ],
    },

    // Contradictory settings and missing required keys
    {
        name: "operator mode without grafanaUrl, grafanaAuth or operatorPrometheusUrl",
        raw: { target: "kubernetes", monitoringMode: "operator" },
        errors: [
            'sglang-ananke:grafanaUrl is required with monitoringMode "operator": the URL of the cluster\'s Grafana',
            'sglang-ananke:grafanaAuth is required with monitoringMode "operator": pulumi config set --secret grafanaAuth <user:password or token>',
            'sglang-ananke:operatorPrometheusUrl is required with monitoringMode "operator": the in-cluster URL of the cluster\'s Prometheus (for the Grafana datasource and autoscaling), e.g. http://prometheus-operated.monitoring.svc:9090',
        ],
    },
    {
        name: "operator mode on Docker",
        raw: { monitoringMode: "operator", grafanaUrl: "https://grafana.example.com", grafanaAuth: "svc-token-SECRET" },
        errors: [
            'sglang-ananke:monitoringMode = "operator" needs sglang-ananke:target = "kubernetes" (a Prometheus Operator runs only on Kubernetes); with target "docker" use "bundled"',
        ],
        secrets: ["svc-token-SECRET"],
    },
    {
        name: "the GPU Operator's exporter on Docker",
        raw: { gpuExporter: "existing" },
        errors: [
            'sglang-ananke:gpuExporter = "existing" needs sglang-ananke:target = "kubernetes" (a GPU Operator\'s exporter); on Docker use "dcgm", "nvidia-smi" or "none"',
        ],
    },
    {
        name: "fewer GPU indices than gpuCount",
        raw: { gpuCount: 2, gpuDevices: [0] },
        errors: ["sglang-ananke:gpuDevices = [0] lists 1 GPUs but sglang-ananke:gpuCount = 2: list exactly gpuCount indices, or none"],
    },
    {
        name: "GPU indices on Kubernetes",
        raw: { ...K8S, gpuDevices: [0] },
        errors: ['sglang-ananke:gpuDevices only applies to target "docker"; on Kubernetes the scheduler picks GPUs: remove it'],
    },
    // Several SGLang servers behind the router
    {
        name: "two workers sharing a GPU",
        raw: { sglangWorkers: 2, gpuCount: 2, gpuDevices: [0, 1, 1, 2] },
        errors: ["sglang-ananke:gpuDevices = [0,1,1,2] gives GPU 1 to both sglang-0 and sglang-1: each GPU serves one worker"],
    },
    {
        name: "a GPU listed twice for one server",
        raw: { gpuCount: 2, gpuDevices: [1, 1] },
        errors: ["sglang-ananke:gpuDevices = [1,1] lists GPU 1 twice: each index once"],
    },
    {
        name: "more GPUs than the Docker host has",
        raw: { sglangWorkers: 4, gpuCount: 2, dockerHostGpus: 4 },
        errors: [
            "sglang-ananke:sglangWorkers = 4 × sglang-ananke:gpuCount = 2 needs 8 GPUs but sglang-ananke:dockerHostGpus = 4: run fewer workers or fewer GPUs per worker",
        ],
    },
    {
        name: "a GPU index beyond the Docker host's GPUs",
        raw: { gpuDevices: [5], dockerHostGpus: 4 },
        errors: ["sglang-ananke:gpuDevices = [5] names GPU 5 but sglang-ananke:dockerHostGpus = 4 has GPUs 0 to 3 only"],
    },
    {
        name: "GPU indices for fewer workers than configured",
        raw: { sglangWorkers: 2, gpuCount: 2, gpuDevices: [0, 1] },
        errors: [
            "sglang-ananke:gpuDevices = [0,1] lists 2 GPUs but sglang-ananke:sglangWorkers = 2 workers of sglang-ananke:gpuCount = 2 need 4: list exactly gpuCount × sglangWorkers indices, or none",
        ],
    },
    {
        name: "Docker workers on Kubernetes",
        raw: { ...K8S, sglangWorkers: 2 },
        errors: [
            'sglang-ananke:sglangWorkers = 2 only applies to target "docker"; on Kubernetes set sglang-ananke:replicas (each replica is a worker behind the router)',
        ],
    },
    {
        name: "a routing policy the router's launcher does not know",
        raw: { routerPolicy: "least_loaded" },
        errors: [
            'sglang-ananke:routerPolicy = "least_loaded": must be one of "random", "round_robin", "passthrough", "cache_aware", "power_of_two", "least_load", "manual", "consistent_hashing", "prefix_hash"',
        ],
    },
    {
        name: "a cache threshold above 1",
        raw: { routerCacheThreshold: "1.5" },
        errors: ['sglang-ananke:routerCacheThreshold = "1.5": must be a number from 0 to 1'],
    },
    {
        name: "an unpinned router image",
        raw: { routerImage: "lightseekorg/smg:latest" },
        errors: [
            'sglang-ananke:routerImage = "lightseekorg/smg:latest": must be an image reference [registry[:port]/]path:tag or [registry[:port]/]path[:tag]@sha256:<64 hex digits>, pinned to a version tag or digest, e.g. repo/name:v1.2.3 (not :latest, not untagged)',
        ],
    },
    {
        name: "the router's API on its metrics port",
        raw: { routerPort: 29000 },
        errors: [
            "sglang-ananke:routerPort = 29000: must be an integer from 1 to 65535 other than 29000 and 29001 (the router's metrics and probe ports)",
        ],
    },
    {
        name: "the router published on another service's port",
        raw: { sglangWorkers: 2, routerPort: 3000 },
        errors: ["sglang-ananke:grafanaPort = 3000 is also sglang-ananke:routerPort: every published port must differ"],
    },
    {
        name: "two services on one published port",
        raw: { grafanaPort: 9090 },
        errors: ["sglang-ananke:grafanaPort = 9090 is also sglang-ananke:prometheusPort: every published port must differ"],
    },
    {
        name: "autoscaling on Docker",
        raw: { autoscalingEnabled: true },
        errors: ['sglang-ananke:autoscalingEnabled = true needs target "kubernetes" (KEDA)'],
    },
    {
        name: "autoscaling minimum above maximum",
        raw: { ...K8S, autoscalingEnabled: true, autoscalingMinReplicas: 5, autoscalingMaxReplicas: 2, modelCacheAccessMode: "ReadWriteMany" },
        errors: ["sglang-ananke:autoscalingMinReplicas = 5 is above sglang-ananke:autoscalingMaxReplicas = 2"],
    },
    {
        name: "a KV-cache threshold that is not a ratio, a negative scale-up window",
        raw: {
            ...K8S,
            autoscalingEnabled: true,
            autoscalingKvCacheThreshold: "85",
            autoscalingScaleUpSeconds: -1,
            modelCacheAccessMode: "ReadWriteMany",
        },
        errors: [
            'sglang-ananke:autoscalingKvCacheThreshold = "85": must be a number greater than 0 and less than 1',
            "sglang-ananke:autoscalingScaleUpSeconds = -1: must be an integer from 0 to 3600 seconds",
        ],
    },
    {
        name: "zero replicas without asking for scale to zero",
        raw: { ...K8S, autoscalingEnabled: true, autoscalingMinReplicas: 0, modelCacheAccessMode: "ReadWriteMany" },
        errors: [
            "sglang-ananke:autoscalingMinReplicas = 0 needs sglang-ananke:autoscalingScaleToZero = true (cold starts: README, Autoscaling), or set it to 1 or more",
        ],
    },
    {
        name: "scale to zero with a minimum of one",
        raw: { ...K8S, autoscalingEnabled: true, autoscalingScaleToZero: true, canaryEnabled: false, modelCacheAccessMode: "ReadWriteMany" },
        errors: ["sglang-ananke:autoscalingScaleToZero = true with sglang-ananke:autoscalingMinReplicas = 1: set autoscalingMinReplicas to 0"],
    },
    {
        name: "scale to zero of a single replica without the router, and with the canary",
        raw: { ...K8S, autoscalingEnabled: true, autoscalingScaleToZero: true, autoscalingMinReplicas: 0, autoscalingMaxReplicas: 1 },
        errors: [
            "sglang-ananke:autoscalingScaleToZero = true needs the SGLang router (router true, or autoscalingMaxReplicas above 1): with no replica running, only the router sees the requests that wake one",
            "sglang-ananke:autoscalingScaleToZero = true with sglang-ananke:canaryEnabled = true: the canary's request every 60s would keep a replica running; set canaryEnabled false",
        ],
    },
    {
        name: "rules evaluated faster than targets are scraped",
        raw: { prometheusScrapeInterval: "30s", prometheusEvaluationInterval: "10s", alertServerDownFor: "1m" },
        errors: [
            'sglang-ananke:prometheusEvaluationInterval = "10s" is shorter than sglang-ananke:prometheusScrapeInterval = "30s": rules would evaluate the same samples repeatedly',
        ],
    },
    {
        name: "a remote Docker host reached in plain HTTP by the Grafana provider",
        raw: { dockerHost: "ssh://ops@gpu-1", publicHost: "gpu-1" },
        errors: [
            'sglang-ananke:publicHost = "gpu-1": the Grafana provider would send the admin credentials in clear to http://gpu-1; reach the host through an SSH tunnel and keep publicHost "localhost", or set sglang-ananke:grafanaUrl to an https URL (README: remote GPU host)',
        ],
    },
    {
        name: "a Grafana provider URL in plain HTTP over a network",
        raw: { ...K8S, grafanaUrl: "http://grafana.example.com" },
        errors: [
            'sglang-ananke:grafanaUrl = "http://grafana.example.com": the Grafana provider sends the admin credentials to it, so it must be https:// or http:// on a loopback address (127.0.0.1, localhost: an SSH tunnel or kubectl port-forward)',
        ],
    },
    {
        name: "a Grafana load balancer without client ranges",
        raw: { ...K8S, grafanaExposure: "load-balancer" },
        errors: [
            'sglang-ananke:grafanaExposure = "load-balancer" needs sglang-ananke:grafanaLoadBalancerSourceRanges: the client CIDRs it admits, e.g. ["203.0.113.0/24"] (it serves plain HTTP; for access from anywhere use grafanaExposure "ingress" with TLS)',
        ],
    },
    {
        name: "a Grafana load balancer open to every address",
        raw: { ...K8S, grafanaExposure: "load-balancer", grafanaLoadBalancerSourceRanges: ["10.0.0.0/8", "0.0.0.0/0"] },
        errors: [
            'sglang-ananke:grafanaLoadBalancerSourceRanges contains "0.0.0.0/0": it admits every address to a plain-HTTP Grafana; list your clients\' CIDRs, or use grafanaExposure "ingress" with TLS',
        ],
    },
    {
        name: "a Grafana ingress without host or TLS Secret",
        raw: { ...K8S, grafanaExposure: "ingress", grafanaIngressClass: "nginx" },
        errors: [
            'sglang-ananke:grafanaExposure = "ingress" needs sglang-ananke:grafanaIngressHost: the host name it serves, e.g. grafana.example.com',
            'sglang-ananke:grafanaExposure = "ingress" needs sglang-ananke:grafanaIngressTlsSecret: the kubernetes.io/tls Secret with the certificate for grafanaIngressHost (an Ingress without TLS serves plain HTTP)',
        ],
    },
    {
        name: "ingress and load-balancer keys with another Grafana exposure",
        raw: { ...K8S, grafanaIngressHost: "grafana.example.com", grafanaLoadBalancerSourceRanges: ["10.0.0.0/8"] },
        errors: [
            'sglang-ananke:grafanaLoadBalancerSourceRanges only applies with sglang-ananke:grafanaExposure = "load-balancer" (it is "cluster-ip"): remove it or set grafanaExposure "load-balancer"',
            'sglang-ananke:grafanaIngressHost only applies with sglang-ananke:grafanaExposure = "ingress" (it is "cluster-ip"): remove it or set grafanaExposure "ingress"',
        ],
    },
    {
        name: "NetworkPolicies in front of a Grafana Ingress without the ingress controller's namespace",
        raw: {
            ...K8S,
            networkPolicyEnabled: true,
            grafanaExposure: "ingress",
            grafanaIngressHost: "grafana.example.com",
            grafanaIngressTlsSecret: "grafana-tls",
        },
        errors: [
            'sglang-ananke:networkPolicyEnabled = true with sglang-ananke:grafanaExposure = "ingress": the ingress controller could not reach Grafana; add its namespace to sglang-ananke:networkPolicyClientNamespaces, e.g. ["ingress-nginx"]',
        ],
    },
    {
        name: "a client namespace that is not a namespace name",
        raw: { ...K8S, networkPolicyClientNamespaces: ["Ingress_Nginx"] },
        errors: ['sglang-ananke:networkPolicyClientNamespaces = ["Ingress_Nginx"]: must be a list of namespace names (lowercase DNS labels)'],
    },
    {
        name: "the former grafanaServiceType key",
        raw: { ...K8S, grafanaServiceType: "LoadBalancer" },
        errors: [
            "sglang-ananke:grafanaServiceType is not a known key (see docs/configuration.md)",
            'sglang-ananke:grafanaServiceType was replaced by sglang-ananke:grafanaExposure: "cluster-ip" (port-forward), "load-balancer" with grafanaLoadBalancerSourceRanges, or "ingress" with TLS (README: Reaching the services)',
        ],
    },
    {
        name: "an empty model id",
        raw: { model: "" },
        errors: ['sglang-ananke:model = "": must be a Hugging Face model id such as org/name, or a path (not empty)'],
    },

    // Several problems are reported at once
    {
        name: "three bad values in one stack",
        raw: { target: "swarm", gpuCount: 0, slackChannel: "alerts" },
        errors: [
            'sglang-ananke:target = "swarm": must be one of "docker", "kubernetes"',
            "sglang-ananke:gpuCount = 0: must be one of 1, 2, 4, 8, 16 (the tensor-parallel size)",
            'sglang-ananke:slackChannel = "alerts": must be a channel such as #alerts or a user such as @oncall',
        ],
    },
];

function configError(raw: Record<string, unknown>): ConfigError {
    try {
        parseSettings("dev", raw);
    } catch (e) {
        if (e instanceof ConfigError) return e;
        throw new Error(`expected a ConfigError, got ${String(e)}`);
    }
    throw new Error("the configuration was accepted");
}

/** What a stack trace looks like in a message: "    at fn (file.ts:12:3)". */
const STACK_TRACE = /\n\s+at |\.[jt]s:\d+|Error:/;

describe("bad stack configurations", () => {
    it("the table covers at least 25 cases of every kind", () => {
        assert.ok(CASES.length >= 25, `${CASES.length} cases`);
        assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, "case names are unique");
    });

    for (const c of CASES) {
        it(`${c.name}: ${c.errors.length === 1 ? c.errors[0].split(":")[1].split(" ")[0] : `${c.errors.length} problems`}`, () => {
            const e = configError(c.raw);
            assert.deepEqual(e.problems, c.errors);
            assert.equal(e.message, `Invalid stack configuration:\n${c.errors.map((p) => `  - ${p}`).join("\n")}`);
            assert.doesNotMatch(e.message, STACK_TRACE);
            for (const s of c.secrets ?? []) assert.ok(!e.message.includes(s), `the message shows the secret ${s}`);
        });
    }

    it("accepts extra server flags the stack does not manage, in full, with =value or as an unambiguous prefix", () => {
        const s = parseSettings("dev", { sglangExtraArgs: ["--chunk", "4096", "--context-length=32768", "--enable-metrics-for-all-schedulers"] });
        assert.deepEqual(s.sglang.extraArgs, ["--chunk", "4096", "--context-length=32768", "--enable-metrics-for-all-schedulers"]);
    });

    it("no secret key ever echoes its value, whatever is wrong with it", () => {
        const shapes = ["not valid SECRET-1", { nested: "SECRET-2" }, ["SECRET-3"], "SECRET-4 \n"];
        for (const def of CATALOG.filter((d) => d.secret)) {
            for (const value of shapes) {
                const e = configError({ [def.key]: value });
                const shown = JSON.stringify(value).replace(/^"|"$/g, "");
                assert.ok(!e.message.includes(shown) && !e.message.includes("SECRET-"), `${def.key}: ${e.message}`);
                assert.match(e.message, new RegExp(`sglang-ananke:${def.key} = \\[secret\\]`));
            }
        }
    });

    it("values of every wrong shape in every key give a ConfigError, never a crash", () => {
        const shapes: unknown[] = [{}, [], [{}], true, -1, "", "x".repeat(300), 1e309, { secure: "AAAB" }];
        for (const def of CATALOG) {
            for (const value of shapes) {
                try {
                    parseSettings("dev", { ...K8S, [def.key]: value });
                } catch (e) {
                    assert.ok(e instanceof ConfigError, `${def.key} = ${JSON.stringify(value)}: ${String(e)}`);
                    assert.doesNotMatch(e.message, STACK_TRACE);
                }
            }
        }
    });
});

describe("bad stack configurations in the whole program", function () {
    this.timeout(120000);

    /** One case of each kind, run through index.ts under the SDK's mocks. */
    const PROGRAM_CASES = [
        "a plain-http Slack webhook (a secret: not echoed)",
        "operator mode without grafanaUrl, grafanaAuth or operatorPrometheusUrl",
        "a misspelt key",
        "two services on one published port",
    ];

    it("stop before any resource is registered, with the same message and no stack trace", async () => {
        for (const name of PROGRAM_CASES) {
            const c = CASES.find((x) => x.name === name);
            assert.ok(c, name);
            // As `pulumi config` hands values to the program: strings, arrays as JSON.
            const raw = Object.fromEntries(Object.entries(c.raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
            const secretKeys = Object.keys(raw).filter((k) => CATALOG.find((d) => d.key === k)?.secret);
            let error: unknown;
            try {
                await runProgram({ ...stackFileConfig("Pulumi.dev.yaml"), ...raw }, { secretKeys });
            } catch (e) {
                error = e;
            }
            assert.ok(pulumi.RunError.isInstance(error), `${name}: a RunError, which the engine prints without a stack trace`);
            assert.equal((error as Error).message, `Invalid stack configuration:\n${c.errors.map((p) => `  - ${p}`).join("\n")}`);
            assert.equal((error as { registeredResources?: number }).registeredResources, 0, `${name}: no resource reaches a provider`);
            for (const s of c.secrets ?? []) assert.ok(!(error as Error).message.includes(s));
        }
    });
});

describe("secret keys stored in plain text", function () {
    this.timeout(120000);

    it("are refused at preview, naming the key and the command, never the value", async () => {
        let error: unknown;
        try {
            // Set as `pulumi config set sglangApiKey …` (no --secret): the engine lists no secret key.
            await runProgram(
                { ...stackFileConfig("Pulumi.dev.yaml"), sglangApiKey: "sk-PLAINTEXT-42", heartbeatUrl: "https://hb.example.com/PLAIN-HB" },
                { secretKeys: ["heartbeatUrl"], preview: true },
            );
        } catch (e) {
            error = e;
        }
        assert.ok(pulumi.RunError.isInstance(error), `a RunError, got ${String(error)}`);
        assert.equal(
            (error as Error).message,
            "Invalid stack configuration:\n  - sglang-ananke:sglangApiKey is stored in plain text in Pulumi.dev.yaml: run pulumi config set --secret sglangApiKey <value>",
        );
        assert.equal((error as { registeredResources?: number }).registeredResources, 0);
        assert.ok(!(error as Error).message.includes("PLAINTEXT") && !(error as Error).message.includes("PLAIN-HB"));
    });

    it("are found among every secret key, by the stack's name, unset and empty keys aside", () => {
        const raw = { slackWebhookUrl: "https://hooks.slack.com/services/X", pagerdutyRoutingKey: "", grafanaAuth: "token", gpuCount: "2" };
        assert.deepEqual(
            plainTextSecrets("prod", raw, (k) => k === "sglang-ananke:grafanaAuth"),
            ["sglang-ananke:slackWebhookUrl is stored in plain text in Pulumi.prod.yaml: run pulumi config set --secret slackWebhookUrl <value>"],
        );
        assert.deepEqual(
            plainTextSecrets("prod", raw, () => true),
            [],
        );
    });
});
