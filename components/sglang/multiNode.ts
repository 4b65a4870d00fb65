/**
 * One SGLang server spanning several nodes (`sglangNodesPerReplica` > 1), as
 * a LeaderWorkerSet (kubernetes-sigs/lws, `leaderworkerset.x-k8s.io/v1`).
 * Every pod of a group runs `sglang.launch_server` with the same flags; the
 * LWS controller injects `LWS_LEADER_ADDRESS`, `LWS_GROUP_SIZE` and
 * `LWS_WORKER_INDEX` (0 on the leader) into each container, which Kubernetes
 * expands in `$(VAR)` arguments. Node rank 0 (the leader) runs the HTTP
 * server, tokenizer and the schedulers that write metrics; the other ranks
 * run only their schedulers (`python/sglang/srt/entrypoints/engine.py`).
 */
import type { Settings } from "../../settings/types";

/**
 * The port of the leader that the other nodes' processes meet at
 * (`--dist-init-addr host:port`; torch.distributed's rendezvous). The LWS
 * project's SGLang example uses the same port.
 */
export const DIST_INIT_PORT = 20000;

/** Whether the servers span several nodes (a LeaderWorkerSet on Kubernetes). */
export function spansNodes(settings: Pick<Settings, "target" | "sglang">): boolean {
    return settings.target === "kubernetes" && settings.sglang.nodesPerReplica > 1;
}

/** GPUs one server shards its model over: `gpuCount` per node times the nodes of its group. */
export function tensorParallelSize(settings: Pick<Settings, "target" | "sglang">): number {
    return settings.sglang.gpuCount * (spansNodes(settings) ? settings.sglang.nodesPerReplica : 1);
}

/**
 * The flags that join a pod to its group. `$(LWS_WORKER_INDEX)` and
 * `$(LWS_LEADER_ADDRESS)` are expanded by the kubelet from the variables the
 * LWS controller adds; the group size is ours, so it is written out.
 */
export function multiNodeArgs(settings: Pick<Settings, "target" | "sglang">): string[] {
    if (!spansNodes(settings)) return [];
    return [
        "--nnodes",
        String(settings.sglang.nodesPerReplica),
        "--node-rank",
        "$(LWS_WORKER_INDEX)",
        "--dist-init-addr",
        `$(LWS_LEADER_ADDRESS):${DIST_INIT_PORT}`,
    ];
}
