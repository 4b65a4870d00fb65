/** `sglangNodesPerReplica`: what it accepts, and the messages for what it needs of the other keys. */
import * as assert from "node:assert/strict";
import { configProblems } from "../tests/support/settings";
import { parseSettings } from ".";

const problems = (stack: string, raw: Record<string, unknown>) => configProblems(raw, stack);

const K8S = { target: "kubernetes", modelCacheAccessMode: "ReadWriteMany" };

describe("a server across nodes (sglangNodesPerReplica)", () => {
    it("is 1 by default, and accepts more on Kubernetes with a shared model cache", () => {
        assert.equal(parseSettings("prod", { target: "kubernetes" }).sglang.nodesPerReplica, 1);
        assert.equal(parseSettings("prod", { ...K8S, sglangNodesPerReplica: 2 }).sglang.nodesPerReplica, 2);
    });

    it("refuses values outside 1 to 64", () => {
        for (const v of [0, 65, 1.5]) {
            assert.deepEqual(problems("prod", { ...K8S, sglangNodesPerReplica: v }), [
                `sglang-ananke:sglangNodesPerReplica = ${v}: must be an integer from 1 to 64`,
            ]);
        }
    });

    it("refuses Docker: one server runs on one host there", () => {
        assert.deepEqual(problems("dev", { target: "docker", sglangNodesPerReplica: 2 }), [
            'sglang-ananke:sglangNodesPerReplica = 2 needs sglang-ananke:target = "kubernetes" (a LeaderWorkerSet); on Docker one server runs on one host: set it to 1',
        ]);
    });

    it("refuses a model cache only one node can mount", () => {
        assert.deepEqual(problems("prod", { target: "kubernetes", modelCacheAccessMode: "ReadWriteOnce", sglangNodesPerReplica: 2 }), [
            'sglang-ananke:modelCacheAccessMode = "ReadWriteOnce" with sglang-ananke:sglangNodesPerReplica = 2: the group\'s pods run on 2 nodes and each reads the model cache; set modelCacheAccessMode "ReadWriteMany" with a modelCacheStorageClass that offers it (on a stack that already has the claim, delete it on purpose first: README, Data)',
        ]);
    });

    it("refuses the autoscaler, which scales a Deployment", () => {
        assert.deepEqual(problems("prod", { ...K8S, sglangNodesPerReplica: 2, autoscalingEnabled: true }), [
            "sglang-ananke:sglangNodesPerReplica = 2 with sglang-ananke:autoscalingEnabled = true: the autoscaler scales a Deployment, and a server across nodes is a LeaderWorkerSet; set sglang-ananke:replicas instead, or sglangNodesPerReplica 1",
        ]);
    });

    it("refuses the API on the port the nodes meet at", () => {
        assert.deepEqual(problems("prod", { ...K8S, sglangNodesPerReplica: 2, sglangPort: 20000 }), [
            "sglang-ananke:sglangPort = 20000 with sglang-ananke:sglangNodesPerReplica = 2: the group's leader uses port 20000 for the nodes to meet (--dist-init-addr); pick another sglangPort",
        ]);
    });

    it("refuses the flags it sets in sglangExtraArgs", () => {
        assert.deepEqual(problems("prod", { ...K8S, sglangExtraArgs: ["--nnodes", "2", "--node-rank=0", "--dist-init-addr", "a:1"] }), [
            'sglang-ananke:sglangExtraArgs contains "--nnodes" (set by sglangNodesPerReplica), "--node-rank" (set by sglangNodesPerReplica (each pod\'s place in its group)), "--dist-init-addr" (set by sglangNodesPerReplica (the group\'s leader)): the stack sets these from its own keys; remove them',
        ]);
    });
});
