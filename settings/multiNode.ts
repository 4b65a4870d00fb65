/**
 * What a server spanning several nodes (`sglangNodesPerReplica` > 1, or a
 * model's `nodesPerReplica`) needs of the other keys. Each problem names the
 * keys (or `models[i]` fields), their values and what is allowed.
 */
import { DIST_INIT_PORT } from "../components/sglang/multiNode";
import { fieldNamer } from "./models";
import type { ModelSettings, Settings } from "./types";

const key = (k: string) => `sglang-ananke:${k}`;

export function multiNodeProblems(s: Settings): string[] {
    return s.models.flatMap((m) => modelProblems(s, m));
}

function modelProblems(s: Settings, m: ModelSettings): string[] {
    const name = fieldNamer(s.models, m);
    const nodes = m.nodesPerReplica;
    if (nodes <= 1) return [];
    const given = `${key(name("nodesPerReplica"))} = ${nodes}`;
    if (s.target !== "kubernetes") {
        return [`${given} needs ${key("target")} = "kubernetes" (a LeaderWorkerSet); on Docker one server runs on one host: set it to 1`];
    }
    const problems: string[] = [];
    if (s.kubernetes.autoscaling.enabled) {
        problems.push(
            `${given} with ${key("autoscalingEnabled")} = true: the autoscaler scales a Deployment, and a server across nodes is a LeaderWorkerSet; set ${key(name("replicas"))} instead, or ${name("nodesPerReplica")} 1`,
        );
    }
    if (s.kubernetes.modelCacheAccessMode === "ReadWriteOnce") {
        problems.push(
            `${key("modelCacheAccessMode")} = "ReadWriteOnce" with ${given}: the group's pods run on ${nodes} nodes and each reads the model cache; set modelCacheAccessMode "ReadWriteMany" with a modelCacheStorageClass that offers it (on a stack that already has the claim, delete it on purpose first: README, Data)`,
        );
    }
    if (s.services.sglang.port === DIST_INIT_PORT) {
        problems.push(
            `${key("sglangPort")} = ${DIST_INIT_PORT} with ${given}: the group's leader uses port ${DIST_INIT_PORT} for the nodes to meet (--dist-init-addr); pick another sglangPort`,
        );
    }
    return problems;
}
