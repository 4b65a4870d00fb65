/**
 * SGLang's router (the Shepherd Model Gateway, `smg`, docs/router.md) in front
 * of several SGLang servers: the OpenAI endpoint clients use, routing each
 * request to a healthy worker by its policy (cache-aware by default).
 */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import type { Settings } from "../../settings/types";
import { fixedPort, type ServiceDefinition } from "../platform/definition";
import { listsModels, sglangServerCount } from "../sglang/workers";

const GROUP = "Router";

/** The launcher's `--prometheus-port` default: `/metrics` of the router itself. */
export const ROUTER_METRICS_PORT = 29000;
/** `--health-check-port`: `/liveness`, `/readiness` and `/health` on a listener of their own, answered even when the router is saturated. */
export const ROUTER_PROBE_PORT = 29001;

/** `--policy` choices of the image's launcher (`COMMON_POLICY_CHOICES`, bindings/python/src/smg/router_args.py at v1.9.0). */
export const ROUTER_POLICIES = [
    "random",
    "round_robin",
    "passthrough",
    "cache_aware",
    "power_of_two",
    "least_load",
    "manual",
    "consistent_hashing",
    "prefix_hash",
] as const;
export type RouterPolicy = (typeof ROUTER_POLICIES)[number];

/** The API port may not take the router's own metrics or probe port. */
function apiPort(): c.Check<number> {
    const allowed = `an integer from 1 to 65535 other than ${ROUTER_METRICS_PORT} and ${ROUTER_PROBE_PORT} (the router's metrics and probe ports)`;
    const port = c.integer(1, 65535);
    return (raw) => {
        const r = port(raw);
        return r.ok && r.value !== ROUTER_METRICS_PORT && r.value !== ROUTER_PROBE_PORT ? r : { ok: false, allowed };
    };
}

export const SGLANG_ROUTER_KEYS = {
    enabled: def(
        GROUP,
        "router",
        "boolean",
        false,
        "Put the router in front of a single SGLang server too. With several (`sglangWorkers` on Docker, `replicas` or autoscaling on Kubernetes) it is always deployed.",
        c.boolean(),
    ),
    image: def(
        GROUP,
        "routerImage",
        "string",
        "lightseekorg/smg:1.9.0",
        "Router image (lightseekorg/smg, whose release tags have no `v`), pinned to a version.",
        c.pinnedImage(),
    ),
    port: def(
        GROUP,
        "routerPort",
        "integer",
        30000,
        "Port of the router's OpenAI API; Docker publishes it on the same host port on `bindAddress`, in place of SGLang's.",
        apiPort(),
    ),
    policy: def(
        GROUP,
        "routerPolicy",
        "string",
        "cache_aware",
        "`--policy`: how the router picks a worker. `cache_aware` sends a prompt to the worker holding its longest prefix unless the load is uneven; `power_of_two` and `least_load` poll each worker's `/v1/loads`.",
        c.oneOf(ROUTER_POLICIES),
    ),
    cacheThreshold: def(
        GROUP,
        "routerCacheThreshold",
        "string",
        "0.3",
        "`--cache-threshold` (cache_aware): the share of a prompt a worker's prefix tree must already hold for the prompt to go there; below it, the worker with the smallest tree.",
        c.decimal(0, 1),
    ),
    balanceAbsThreshold: def(
        GROUP,
        "routerBalanceAbsThreshold",
        "integer",
        64,
        "`--balance-abs-threshold` (cache_aware): requests between the busiest and the idlest worker above which (with the relative threshold) the router sends to the least busy instead of by prefix.",
        c.integer(0, 1000000),
    ),
    balanceRelThreshold: def(
        GROUP,
        "routerBalanceRelThreshold",
        "string",
        "1.5",
        "`--balance-rel-threshold` (cache_aware): how many times the idlest worker's load the busiest must carry, with the absolute threshold, to balance by load.",
        c.decimal(1, 100),
    ),
    replicas: def(
        GROUP,
        "routerReplicas",
        "integer",
        2,
        "Kubernetes: router pods behind its Service, spread over nodes, a drain leaving at least one (each keeps its own cache-aware prefix tree). Docker runs one.",
        c.integer(1, 8),
    ),
} as const;

/**
 * Whether the router runs: asked for, or needed because several SGLang
 * servers serve the one endpoint, or because the `models` key names the
 * servers after their models (`sglang-<name>`): no server answers to the
 * service's own name then, the router is the endpoint.
 */
export function routerDeployed(settings: Settings): boolean {
    return settings.services["sglang-router"].enabled || sglangServerCount(settings) > 1 || listsModels(settings);
}

/** The service behind the OpenAI endpoint: the router when it runs, else the one SGLang server. */
export function openaiService(settings: Settings): "sglang" | "sglang-router" {
    return routerDeployed(settings) ? "sglang-router" : "sglang";
}

/** Who may call the OpenAI API from outside the stack (NetworkPolicies): the router's when it runs, SGLang's otherwise. */
export function openaiClients(settings: Settings): { namespaces: string[]; cidrs: string[] } {
    const { clientNamespaces, apiClientCidrs } = settings.kubernetes.networkPolicy;
    return { namespaces: clientNamespaces, cidrs: apiClientCidrs };
}

export const SGLANG_ROUTER: ServiceDefinition<"sglang-router", typeof SGLANG_ROUTER_KEYS> = {
    name: "sglang-router",
    role: "router",
    ports: [
        {
            name: "http",
            containerPort: (s) => s.services["sglang-router"].port,
            publishedPort: (s) => s.services["sglang-router"].port,
            clients: openaiClients,
        },
        { name: "metrics", containerPort: fixedPort(ROUTER_METRICS_PORT), metrics: true },
        { name: "probes", containerPort: fixedPort(ROUTER_PROBE_PORT) },
    ],
    keys: SGLANG_ROUTER_KEYS,
    deployed: routerDeployed,
    // Requests go on to the SGLang servers.
    calls: () => [{ service: "sglang", port: "http" }],
    kubernetes: {
        replicas: (s) => s.services["sglang-router"].replicas,
        // A drain never takes the last router: the endpoint keeps answering.
        disruptionBudget: { minAvailable: 1 },
        // Reads pods in the stack's namespace to find the workers (service discovery).
        apiAccess: [{ apiGroups: [""], resources: ["pods"], verbs: ["list", "watch"] }],
    },
};
