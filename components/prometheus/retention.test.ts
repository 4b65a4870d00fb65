/**
 * Size-based retention: the flag Prometheus gets from prometheusStorageSize
 * or prometheusRetentionSize, and what a real Prometheus (Debian's) makes of it.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseSettings } from "../../settings";
import { prometheusSizeBytes, quantityValue } from "../../settings/checks";
import { tool } from "../../tests/debian-tools";
import { freePort, LOOPBACK } from "../../tests/e2e/support/ports";
import { startProcess } from "../../tests/e2e/support/processes";
import { makeRunDir, removeRunDir } from "../../tests/e2e/support/tempdir";
import { waitFor } from "../../tests/e2e/support/wait";
import { TEST_WEB_AUTH } from "../../tests/support/web-auth";
import { prometheusSpec } from "./spec";

const CONTENT = { config: "global: {}\n", ruleFiles: {}, externalUrl: "http://prometheus:9090" };
const K8S = { target: "kubernetes" };

/** The `--storage.tsdb.retention.*` flags the Prometheus container runs with. */
const retentionFlags = (raw: Record<string, unknown>, stack = "dev"): string[] =>
    prometheusSpec(parseSettings(stack, raw), CONTENT, TEST_WEB_AUTH).args.filter((a) => a.startsWith("--storage.tsdb.retention."));
const sizeOf = (flags: string[]) => flags.find((f) => f.startsWith("--storage.tsdb.retention.size="))!.split("=")[1];

/** Bytes of a size as Prometheus prints it (Go's units: 42GiB512MiB). */
function printedBytes(printed: string): number {
    const exponent: Record<string, number> = { B: 0, KiB: 1, MiB: 2, GiB: 3, TiB: 4, PiB: 5, EiB: 6 };
    let total = 0;
    for (const [, n, unit] of printed.matchAll(/(\d+)(EiB|PiB|TiB|GiB|MiB|KiB|B)/g)) total += Number(n) * 1024 ** exponent[unit];
    return total;
}

describe("Prometheus size-based retention", () => {
    it("defaults to 80 % of the data volume, in whole MB, on both platforms", () => {
        assert.equal(sizeOf(retentionFlags({ ...K8S, prometheusStorageSize: "50Gi" }, "prod")), "40960MB");
        assert.equal(sizeOf(retentionFlags({ prometheusStorageSize: "200Gi" })), "163840MB");
        // A decimal quantity rounds down: never above the share.
        const decimal = sizeOf(retentionFlags({ ...K8S, prometheusStorageSize: "100G" }, "prod"));
        assert.ok(prometheusSizeBytes(decimal) <= 0.8 * 100e9 && prometheusSizeBytes(decimal) > 0.8 * 100e9 - 2 ** 20, decimal);
        // Time retention stays: whichever comes first.
        assert.ok(retentionFlags({ prometheusRetention: "30d" }).includes("--storage.tsdb.retention.time=30d"));
    });

    it("takes prometheusRetentionSize as given", () => {
        assert.equal(sizeOf(retentionFlags({ ...K8S, prometheusStorageSize: "50Gi", prometheusRetentionSize: "42GB" }, "prod")), "42GB");
    });

    it("is accepted by Prometheus, which reads it as the bytes the program meant and below the volume", async function () {
        this.timeout(60000);
        const binary = tool("prometheus");
        const dir = makeRunDir();
        const port = await freePort();
        const config = path.join(dir, "prometheus.yml");
        fs.writeFileSync(config, CONTENT.config);
        const storageSize = "50Gi";
        const flags = retentionFlags({ ...K8S, prometheusStorageSize: storageSize, prometheusRetention: "30d" }, "prod");
        const proc = startProcess({
            name: "prometheus",
            binary,
            args: [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=${LOOPBACK}:${port}`, ...flags],
            logFile: path.join(dir, "prometheus.log"),
        });
        try {
            const read = await waitFor(
                async () => {
                    proc.assertRunning();
                    const res = await fetch(`http://${LOOPBACK}:${port}/api/v1/status/flags`).catch(() => undefined);
                    return res?.ok ? ((await res.json()) as { data: Record<string, string> }).data : undefined;
                },
                { timeoutMs: 30000, what: "Prometheus' flags" },
            );
            assert.equal(read["storage.tsdb.retention.time"], "30d");
            const bytes = printedBytes(read["storage.tsdb.retention.size"]);
            assert.equal(bytes, prometheusSizeBytes(sizeOf(flags)));
            assert.ok(bytes < quantityValue(storageSize));
        } finally {
            await proc.stop();
            removeRunDir(dir);
        }
    });
});
