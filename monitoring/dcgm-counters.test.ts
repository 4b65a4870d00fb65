import { strict as assert } from "node:assert";
import { gpuExporterSpec } from "../components/gpuExporter/spec";
import { DCGM_CONTRACTS, DCGM_PROJECT_COUNTERS } from "../contracts/gpu";
import { parseSettings } from "../settings";
import { DCGM_COUNTERS_PATH, dcgmCountersFor, renderDcgmCounters } from "./dcgm-counters";

/**
 * The records the exporter reads from a counters file, by its own rules
 * (internal/pkg/counters/counter_config.go at the pinned tag): Go's csv
 * reader with `#` comments, then every field trimmed, and exactly three
 * fields per record. Go's reader also refuses a bare quote in a field.
 */
function exporterRecords(csv: string): string[][] {
    return csv
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.startsWith("#"))
        .map((line, i) => {
            assert.ok(!line.includes('"'), `line ${i}: a bare quote fails Go's csv reader: ${line}`);
            const record = line.split(",").map((f) => f.trim());
            assert.equal(record.length, 3, `line ${i}: expected 3 fields: ${line}`);
            return record;
        });
}

describe("DCGM counters file", () => {
    for (const contract of DCGM_CONTRACTS) {
        it(`lists exactly the metrics of the ${contract.id} contract, plus the driver-version label, in the exporter's format`, () => {
            const records = exporterRecords(renderDcgmCounters(DCGM_PROJECT_COUNTERS[contract.id]));
            const metrics = records.filter(([, type]) => type !== "label");
            assert.deepEqual(
                metrics.map(([field]) => field),
                contract.metrics.map((m) => m.name),
            );
            assert.deepEqual(
                metrics.map(([, type]) => type),
                contract.metrics.map((m) => m.type),
            );
            assert.deepEqual(
                records.filter(([, type]) => type === "label").map(([f]) => f),
                ["DCGM_FI_DRIVER_VERSION"],
            );
            for (const field of [
                "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL",
                "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL",
                "DCGM_FI_DEV_THERMAL_VIOLATION",
                "DCGM_FI_DEV_POWER_VIOLATION",
                "DCGM_FI_DEV_XID_ERRORS",
            ]) {
                assert.ok(
                    metrics.some(([f]) => f === field),
                    `${field} missing`,
                );
            }
        });
    }

    it("follows the configured image: throttle durations in µs at 4.2.3-4.1.3 and ns at 4.5.3-4.8.2, the nearest version for an unknown tag", () => {
        assert.equal(dcgmCountersFor("nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04").violationUnit, "us");
        assert.equal(dcgmCountersFor("nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless").violationUnit, "ns");
        assert.equal(dcgmCountersFor("nvcr.io/nvidia/k8s/dcgm-exporter:4.5.4-4.8.3-ubuntu22.04").violationUnit, "ns");
    });

    it("is mounted into the DCGM exporter and passed with -f", () => {
        const spec = gpuExporterSpec(parseSettings("dev", {}))!;
        const file = spec.files.find((f) => f.path === DCGM_COUNTERS_PATH);
        assert.ok(file, "no counters file among the exporter's files");
        assert.match(String(file.content), /^DCGM_FI_DEV_ECC_DBE_VOL_TOTAL, counter, /m);
        const f = spec.args!.indexOf("-f");
        assert.ok(f >= 0 && spec.args![f + 1] === DCGM_COUNTERS_PATH, `args: ${spec.args}`);
        assert.equal(gpuExporterSpec(parseSettings("dev", { gpuExporter: "nvidia-smi" }))!.files.length, 0);
    });
});
