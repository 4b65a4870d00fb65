import * as assert from "node:assert/strict";
import { violations } from "../tests/support/policy-runner";
import { ADVISORIES, GUARDRAILS, policies } from "./policies";

const CONTAINER = "docker:index/container:Container";
const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const DAEMONSET = "kubernetes:apps/v1:DaemonSet";
const STATEFULSET = "kubernetes:apps/v1:StatefulSet";

const IMAGE_ID = `sha256:${"ab".repeat(32)}`;

/** A compliant Docker container of one of our services. */
function dockerContainer(service: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: `sglang-ananke-dev-${service}`,
        image: IMAGE_ID,
        envs: ["TZ=UTC"],
        memory: 1024,
        ports: [{ internal: 9090, external: 9090, ip: "127.0.0.1", protocol: "tcp" }],
        labels: [
            { label: "sglang-ananke.service", value: service },
            { label: "sglang-ananke.exposed", value: "false" },
        ],
        ...extra,
    };
}

/** A compliant Kubernetes container. */
function k8sContainer(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "main",
        image: "prom/prometheus:v3.5.0",
        env: [{ name: "TZ", value: "UTC" }],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        ...extra,
    };
}

function deployment(service: string, containers: Record<string, unknown>[], initContainers: Record<string, unknown>[] = []): Record<string, unknown> {
    return {
        metadata: { labels: { "app.kubernetes.io/name": service } },
        spec: {
            selector: { matchLabels: { "app.kubernetes.io/name": service } },
            template: {
                metadata: { labels: { "app.kubernetes.io/name": service } },
                spec: { containers, ...(initContainers.length ? { initContainers } : {}) },
            },
        },
    };
}

describe("policy pack", () => {
    it("has eighteen mandatory policies and the advisories, with unique, valid names", () => {
        const ps = policies();
        assert.equal(ps.length, 18 + ADVISORIES.length);
        assert.equal(new Set(ps.map((p) => p.name)).size, ps.length);
        for (const p of ps) {
            assert.match(p.name, /^[a-z0-9-]+$/);
            assert.equal(p.enforcementLevel, ADVISORIES.some((a) => a.name === p.name) ? "advisory" : "mandatory");
            assert.ok(p.description.length > 10);
        }
        assert.deepEqual(
            ps.map((p) => p.name),
            [...GUARDRAILS, ...ADVISORIES].map((g) => g.name),
        );
    });

    it("ignores resources it has no rule for", () => {
        for (const g of GUARDRAILS)
            assert.deepEqual(violations(g.name, "kubernetes:core/v1:ServiceAccount", { metadata: { name: "prometheus" } }), [], g.name);
    });

    describe("images-pinned", () => {
        const check = (type: string, props: Record<string, unknown>) => violations("images-pinned", type, props);
        it("passes version tags, digests and Docker image ids", () => {
            assert.deepEqual(check(CONTAINER, dockerContainer("prometheus")), []);
            assert.deepEqual(check(CONTAINER, dockerContainer("prometheus", { image: "prom/prometheus:v3.5.0" })), []);
            assert.deepEqual(check(REMOTE_IMAGE, { name: "nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04" }), []);
            assert.deepEqual(check(REMOTE_IMAGE, { name: `grafana/grafana@sha256:${"0f".repeat(32)}` }), []);
            assert.deepEqual(check(DEPLOYMENT, deployment("prometheus", [k8sContainer()])), []);
        });
        it("flags latest, untagged and tag-without-version images on every kind", () => {
            assert.deepEqual(check(REMOTE_IMAGE, { name: "lmsysorg/sglang:latest" }), [
                'docker RemoteImage uses image "lmsysorg/sglang:latest", which is not pinned to a version tag or digest (e.g. repo/name:v1.2.3 or repo/name@sha256:…)',
            ]);
            assert.equal(check(CONTAINER, dockerContainer("grafana", { image: "grafana/grafana" })).length, 1);
            const found = check(
                DAEMONSET,
                deployment("node-exporter", [k8sContainer({ image: "prom/node-exporter:main" })], [k8sContainer({ name: "init", image: "busybox" })]),
            );
            assert.equal(found.length, 2);
            assert.match(found[0], /container "init" uses image "busybox"/);
            assert.match(found[1], /container "main" uses image "prom\/node-exporter:main"/);
            assert.deepEqual(check("kubernetes:core/v1:Pod", { spec: { containers: [{ name: "x" }] } }), ['container "x" has no image']);
        });
    });

    describe("containers-have-limits", () => {
        const check = (type: string, props: Record<string, unknown>) => violations("containers-have-limits", type, props);
        it("passes containers with a memory limit and a CPU request", () => {
            assert.deepEqual(check(CONTAINER, dockerContainer("alertmanager")), []);
            assert.deepEqual(check(STATEFULSET, deployment("prometheus", [k8sContainer()])), []);
        });
        it("flags containers without them, init containers included", () => {
            const { memory: _, ...noMemory } = dockerContainer("alertmanager");
            assert.deepEqual(check(CONTAINER, noMemory), [
                'docker container "sglang-ananke-dev-alertmanager" has no memory limit (set `memory`, in MiB)',
            ]);
            assert.deepEqual(
                check(
                    DEPLOYMENT,
                    deployment(
                        "grafana",
                        [k8sContainer({ resources: {} })],
                        [k8sContainer({ name: "init", resources: { limits: { memory: "64Mi" } } })],
                    ),
                ),
                [
                    'container "init" has no CPU request (resources.requests.cpu)',
                    'container "main" has no memory limit (resources.limits.memory)',
                    'container "main" has no CPU request (resources.requests.cpu)',
                ],
            );
        });
    });

    describe("gpus-only-for-gpu-services", () => {
        const check = (type: string, props: Record<string, unknown>) => violations("gpus-only-for-gpu-services", type, props);
        const gpuLimits = { resources: { requests: { cpu: "8" }, limits: { memory: "64Gi", "nvidia.com/gpu": "2" } } };
        it("lets SGLang and the GPU exporter have GPUs", () => {
            assert.deepEqual(
                check(CONTAINER, dockerContainer("sglang", { deviceRequests: [{ driver: "nvidia", capabilities: ["gpu"], count: 1 }] })),
                [],
            );
            assert.deepEqual(check(CONTAINER, dockerContainer("gpu-exporter", { gpus: "all" })), []);
            assert.deepEqual(check(DEPLOYMENT, deployment("sglang", [k8sContainer(gpuLimits)])), []);
            assert.deepEqual(
                check(DAEMONSET, deployment("gpu-exporter", [k8sContainer({ env: [{ name: "NVIDIA_VISIBLE_DEVICES", value: "all" }] })])),
                [],
            );
            assert.deepEqual(check(CONTAINER, dockerContainer("grafana", { envs: ["NVIDIA_VISIBLE_DEVICES=void"] })), []);
        });
        it("flags any other workload that gets GPUs, however it asks", () => {
            assert.deepEqual(check(CONTAINER, dockerContainer("grafana", { gpus: "all" })), [
                'sglang-ananke.service=grafana gets GPUs (gpus = "all"): only sglang and gpu-exporter may',
            ]);
            assert.equal(
                check(CONTAINER, dockerContainer("prometheus", { deviceRequests: [{ driver: "cdi", deviceIds: ["nvidia.com/gpu=all"] }] })).length,
                1,
            );
            assert.deepEqual(check(DEPLOYMENT, deployment("prometheus", [k8sContainer(gpuLimits)])), [
                'app.kubernetes.io/name=prometheus gets GPUs (container "main" requests nvidia.com/gpu): only sglang and gpu-exporter may',
            ]);
            const unlabelled = deployment("x", [k8sContainer({ env: [{ name: "NVIDIA_VISIBLE_DEVICES", value: "0" }] })]);
            delete (unlabelled.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels[
                "app.kubernetes.io/name"
            ];
            delete (unlabelled.metadata as { labels: Record<string, string> }).labels["app.kubernetes.io/name"];
            assert.deepEqual(check(DEPLOYMENT, unlabelled), [
                'a workload without the app.kubernetes.io/name label gets GPUs (container "main" sets NVIDIA_VISIBLE_DEVICES): only sglang and gpu-exporter may',
            ]);
        });
    });

    describe("no-secrets-in-env", () => {
        const check = (type: string, props: Record<string, unknown>) => violations("no-secrets-in-env", type, props);
        it("passes file paths, Secret references and empty values", () => {
            assert.deepEqual(
                check(
                    CONTAINER,
                    dockerContainer("sglang", {
                        envs: [
                            "HF_TOKEN_PATH=/run/secrets/sglang/hf_token",
                            "GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/pw",
                            "API_KEY=",
                            "MONKEY_BUSINESS=1".replace("MONKEY", "MODEL"),
                        ],
                    }),
                ),
                [],
            );
            assert.deepEqual(
                check(
                    DEPLOYMENT,
                    deployment("sglang", [k8sContainer({ env: [{ name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "hf", key: "token" } } }] })]),
                ),
                [],
            );
        });
        it("flags literal secrets without echoing them", () => {
            const found = check(
                CONTAINER,
                dockerContainer("sglang", { envs: ["HF_TOKEN=hf_SECRETVALUE", "SLACK_WEBHOOK_URL=https://hooks.slack.com/services/SECRET"] }),
            );
            assert.deepEqual(found, [
                'container "sglang-ananke-dev-sglang" sets HF_TOKEN to a literal value: mount it as a file (HF_TOKEN_FILE or a secret volume) or use a Secret reference',
                'container "sglang-ananke-dev-sglang" sets SLACK_WEBHOOK_URL to a literal value: mount it as a file (SLACK_WEBHOOK_URL_FILE or a secret volume) or use a Secret reference',
            ]);
            assert.ok(!found.join("\n").includes("SECRET"));
            assert.equal(
                check(STATEFULSET, deployment("alertmanager", [k8sContainer({ env: [{ name: "pagerduty_routing_key", value: "abc" }] })])).length,
                1,
            );
        });
    });

    describe("docker-ports-on-loopback", () => {
        const check = (props: Record<string, unknown>) => violations("docker-ports-on-loopback", CONTAINER, props);
        const port = (ip?: string) => ({ internal: 3000, external: 3000, ...(ip === undefined ? {} : { ip }), protocol: "tcp" });
        it("passes loopback binds, and other addresses on containers marked exposed", () => {
            assert.deepEqual(check(dockerContainer("grafana", { ports: [port("127.0.0.1"), port("::1")] })), []);
            assert.deepEqual(
                check(
                    dockerContainer("grafana", {
                        ports: [port("0.0.0.0")],
                        labels: [
                            { label: "sglang-ananke.service", value: "grafana" },
                            { label: "sglang-ananke.exposed", value: "true" },
                        ],
                    }),
                ),
                [],
            );
            assert.deepEqual(check(dockerContainer("node-exporter", { ports: undefined })), []);
        });
        it("flags ports without an address, and public ones not marked exposed", () => {
            assert.deepEqual(check(dockerContainer("grafana", { ports: [port(), port("0.0.0.0")] })), [
                'docker container "sglang-ananke-dev-grafana" publishes port 3000->3000 without a host address (Docker binds it to every interface)',
                'docker container "sglang-ananke-dev-grafana" publishes port 3000->3000 on 0.0.0.0: bind it to 127.0.0.1, or label the container sglang-ananke.exposed=true when exposing it is intended',
            ]);
            const exposedNoIp = dockerContainer("grafana", { ports: [port()], labels: [{ label: "sglang-ananke.exposed", value: "true" }] });
            assert.equal(check(exposedNoIp).length, 1, "an explicit address is required even when exposed");
        });
    });

    describe("grafana-locked-down", () => {
        const check = (type: string, props: Record<string, unknown>) => violations("grafana-locked-down", type, props);
        const safeEnv = [
            "GF_SECURITY_ADMIN_USER=admin",
            "GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana/admin_password",
            "GF_AUTH_ANONYMOUS_ENABLED=false",
        ];
        it("passes Grafana with a password file (Docker) or a Secret reference (Kubernetes), and anonymous viewers", () => {
            assert.deepEqual(check(CONTAINER, dockerContainer("grafana", { envs: safeEnv })), []);
            assert.deepEqual(
                check(
                    DEPLOYMENT,
                    deployment("grafana", [
                        k8sContainer({
                            image: "grafana/grafana:12.1.1",
                            env: [
                                { name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: "grafana", key: "password" } } },
                                { name: "GF_AUTH_ANONYMOUS_ENABLED", value: "true" },
                            ],
                        }),
                    ]),
                ),
                [],
            );
            assert.deepEqual(check(CONTAINER, dockerContainer("prometheus", { envs: [] })), [], "not Grafana");
        });
        it("flags anonymous Admin, the default password, a literal password and no password", () => {
            assert.deepEqual(
                check(
                    CONTAINER,
                    dockerContainer("grafana", { envs: [...safeEnv, "GF_AUTH_ANONYMOUS_ENABLED=true", "GF_AUTH_ANONYMOUS_ORG_ROLE=Admin"] }),
                ),
                [
                    'Grafana container "sglang-ananke-dev-grafana" lets anonymous users in as Admin (GF_AUTH_ANONYMOUS_ENABLED with GF_AUTH_ANONYMOUS_ORG_ROLE=Admin)',
                ],
            );
            assert.deepEqual(check(CONTAINER, dockerContainer("grafana", { envs: ["GF_SECURITY_ADMIN_PASSWORD=admin"] })), [
                'Grafana container "sglang-ananke-dev-grafana" keeps the default admin password',
            ]);
            assert.deepEqual(check(CONTAINER, dockerContainer("grafana", { envs: ["GF_SECURITY_ADMIN_PASSWORD=s3cret-but-plain"] })), [
                'Grafana container "sglang-ananke-dev-grafana" sets its admin password as a literal GF_SECURITY_ADMIN_PASSWORD: use GF_SECURITY_ADMIN_PASSWORD__FILE',
            ]);
            // Recognised by its image even without our label.
            assert.deepEqual(
                check(DEPLOYMENT, {
                    spec: { template: { spec: { containers: [k8sContainer({ name: "g", image: "grafana/grafana:12.1.1", env: [] })] } } },
                }),
                ['Grafana container "g" sets no admin password, so Grafana\'s default admin/admin applies: set GF_SECURITY_ADMIN_PASSWORD__FILE'],
            );
        });
    });
});
