import type * as pulumi from "@pulumi/pulumi";
import { type Settings, scalesToZero } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import { selectorLabels } from "../platform/kubernetes/labels";
import type { ServiceSpec } from "../platform/types";
import { dockerWorkers } from "../sglang/workers";
import { ROUTER_METRICS_PORT, ROUTER_PROBE_PORT, SGLANG_ROUTER } from "./service";

/** Where the router's API key is mounted. */
export const ROUTER_API_KEY_FILE = "/run/secrets/sglang-router/api_key";
/** The image's user (`useradd --uid 65532 smg` in docker/Dockerfile): secret files are made readable to it. */
const SMG_USER = "65532:65532";
/**
 * `--shutdown-grace-period-secs`: on SIGTERM the router turns unready, then
 * drains in-flight requests this long (the launcher's default, 180 s, would
 * outlast any kill the platform does not know to delay).
 */
export const ROUTER_DRAIN_SECONDS = 110;
/** The router's health probe period on each worker, the launcher's default. */
const WORKER_PROBE_SECONDS = 60;

/**
 * The image's entrypoint (`python3 -m smg.launch_router`) run in-process with
 * `--api-key` appended from its file: the key never appears in the container
 * spec nor in any process' command line (a shell's `"$(cat …)"` would put it
 * in the launcher's argv).
 */
export const LAUNCH_WITH_API_KEY = [
    "python3",
    "-c",
    `import sys; from smg.launch_router import main; sys.argv += ["--api-key", open("${ROUTER_API_KEY_FILE}").read().strip()]; main()`,
];

/** How the router finds the SGLang servers: their static URLs on Docker, Kubernetes service discovery of their pods. */
export function workerArgs(settings: Settings): string[] {
    const port = settings.services.sglang.port;
    if (settings.target === "docker") {
        // A worker down longer than 3 × threshold probes becomes Failed for good (worker/manager.rs,
        // compute_next_status): the threshold lets a restarted server reload its model and come back,
        // the slowest model's included (one threshold for every worker).
        const startupSeconds = Math.max(...settings.models.map((m) => m.startupSeconds));
        const threshold = Math.max(3, Math.ceil(startupSeconds / (3 * WORKER_PROBE_SECONDS)));
        return ["--worker-urls", ...dockerWorkers(settings).map((w) => `http://${w.name}:${port}`), "--health-failure-threshold", String(threshold)];
    }
    return [
        "--service-discovery",
        // The labels the SGLang Deployment's pods carry: a pod joins once Running and Ready.
        "--selector",
        ...Object.entries(selectorLabels("sglang", settings.stack)).map(([k, v]) => `${k}=${v}`),
        // The router does not read the port from the pod; its default is 80.
        "--service-discovery-port",
        String(port),
        // Unset would watch every namespace, which needs a ClusterRole.
        "--service-discovery-namespace",
        settings.kubernetes.namespace,
    ];
}

/** The launcher's flags, without the API key. */
export function routerArgs(settings: Settings): string[] {
    const r = settings.services["sglang-router"];
    return [
        "--host",
        "0.0.0.0",
        "--port",
        String(r.port),
        ...workerArgs(settings),
        "--policy",
        r.policy,
        ...(r.policy === "cache_aware"
            ? [
                  "--cache-threshold",
                  String(r.cacheThreshold),
                  "--balance-abs-threshold",
                  String(r.balanceAbsThreshold),
                  "--balance-rel-threshold",
                  String(r.balanceRelThreshold),
              ]
            : []),
        "--prometheus-host",
        "0.0.0.0",
        "--prometheus-port",
        String(ROUTER_METRICS_PORT),
        "--health-check-port",
        String(ROUTER_PROBE_PORT),
        "--shutdown-grace-period-secs",
        String(ROUTER_DRAIN_SECONDS),
    ];
}

/** The router; with SGLang's API key, clients must send it and the router sends it to the workers. */
export function routerSpec(settings: Settings, apiKey: pulumi.Output<string> | undefined): ServiceSpec {
    return {
        ...specFromDefinition(SGLANG_ROUTER, settings),
        image: settings.services["sglang-router"].image,
        ...(apiKey ? { command: LAUNCH_WITH_API_KEY } : {}),
        args: routerArgs(settings),
        env: {},
        files: apiKey ? [{ path: ROUTER_API_KEY_FILE, content: apiKey, secret: true }] : [],
        volumes: [],
        user: SMG_USER,
        drainSeconds: ROUTER_DRAIN_SECONDS,
        // /liveness answers while the process runs; /readiness once a worker is healthy. The image has no curl.
        // Scaled to zero there is no worker: a router out of its Service would never see the requests that wake one.
        health: {
            path: "/liveness",
            ...(scalesToZero(settings) ? {} : { readinessPath: "/readiness" }),
            port: "probes",
            startupSeconds: 60,
            tool: "python3",
        },
        resources: { cpu: "1", memory: "512Mi", memoryLimit: "2Gi" },
    };
}
