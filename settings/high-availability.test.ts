/** Replica counts of Prometheus and Alertmanager: what each target accepts, and the messages for the rest. */
import * as assert from "node:assert/strict";
import { configProblems } from "../tests/support/settings";
import { parseSettings } from ".";

const problems = (stack: string, raw: Record<string, unknown>) => configProblems(raw, stack);

const K8S = { target: "kubernetes" };

describe("high-availability replica counts", () => {
    it("refuses an even number of Alertmanagers, naming the allowed sizes", () => {
        assert.deepEqual(problems("prod", { ...K8S, alertmanagerReplicas: 2 }), [
            "sglang-ananke:alertmanagerReplicas = 2: must be one of 1, 3, 5 (a cluster of an odd size)",
        ]);
    });

    it("refuses more Prometheus replicas than the stack runs", () => {
        assert.deepEqual(problems("prod", { ...K8S, prometheusReplicas: 4 }), [
            "sglang-ananke:prometheusReplicas = 4: must be an integer from 1 to 3",
        ]);
    });

    it("refuses replicas on Docker: high availability needs Kubernetes", () => {
        assert.deepEqual(problems("dev", { target: "docker", prometheusReplicas: 2, alertmanagerReplicas: 3 }), [
            'sglang-ananke:prometheusReplicas = 2: Docker runs one Prometheus on its one host; high availability needs sglang-ananke:target = "kubernetes" (README: High availability), or prometheusReplicas 1',
            'sglang-ananke:alertmanagerReplicas = 3: Docker runs one Alertmanager on its one host; high availability needs sglang-ananke:target = "kubernetes" (README: High availability), or alertmanagerReplicas 1',
        ]);
    });

    it("accepts two Prometheus and three Alertmanagers on Kubernetes; one of each by default", () => {
        const s = parseSettings("prod", { ...K8S, prometheusReplicas: 2, alertmanagerReplicas: 3 });
        assert.equal(s.services.prometheus.replicas, 2);
        assert.equal(s.services.alertmanager.replicas, 3);
        const d = parseSettings("dev", { target: "docker" });
        assert.equal(d.services.prometheus.replicas, 1);
        assert.equal(d.services.alertmanager.replicas, 1);
    });
});
