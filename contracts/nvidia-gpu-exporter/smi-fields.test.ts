import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { H100_590_FIELDS } from "./smi-fields";

/**
 * nvidia_gpu_exporter's rules (v1.3.2 `internal/exporter/exporter.go`
 * BuildFQNameAndMultiplier and TransformRawValue, `internal/util/util.go`
 * ToSnakeCase), written again here so the contract's table can be checked
 * against the nvidia-smi output it was read from.
 */
const UNIT_SUFFIXES: [suffix: string, unit: string, multiplier: number][] = [
    [" [W]", "_watts", 1],
    [" [MHz]", "_clock_hz", 1e6],
    [" [MiB]", "_bytes", 1048576],
    [" [%]", "_ratio", 0.01],
    [" [us]", "_seconds", 1e-6],
];

function snakeCase(s: string): string {
    return s
        .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toLowerCase();
}

function metricName(field: string): { name: string; multiplier: number } {
    const unit = UNIT_SUFFIXES.find(([suffix]) => field.endsWith(suffix));
    let suffix = unit ? field.split(" ")[0] + unit[1] : field;
    suffix = snakeCase(suffix.replaceAll(".", "_"));
    // An unknown unit ("[ms]") is kept, best effort, as a name part.
    if (/[ [\]]/.test(suffix)) suffix = suffix.replaceAll(" [", "_").replaceAll("]", "");
    return { name: `nvidia_smi_${suffix}`, multiplier: unit ? unit[2] : 1 };
}

const WORDS: Record<string, number> = {
    enabled: 1,
    yes: 1,
    active: 1,
    disabled: 0,
    no: 0,
    "not active": 0,
    default: 0,
    exclusive_thread: 1,
    prohibited: 2,
    exclusive_process: 3,
};

/** The sample value, or undefined when the exporter skips the cell. */
function sampleValue(raw: string, multiplier: number): number | undefined {
    const trimmed = raw.trim();
    if (trimmed.startsWith("0x")) return Number.parseInt(trimmed.slice(2), 16);
    const lower = trimmed.toLowerCase();
    if (lower in WORDS) return WORDS[lower];
    const numbers = lower.match(/[+-]?(\d*[.])?\d+/g) ?? [];
    return numbers.length === 1 ? Number.parseFloat(numbers[0]) * multiplier : undefined;
}

describe("nvidia_gpu_exporter field table (H100 80GB HBM3, driver 590.48.01)", () => {
    const [header, row] = fs
        .readFileSync(path.join(__dirname, "testdata", "h100-80gb-hbm3-590.48.01.csv"), "utf8")
        .trim()
        .split("\n");
    const fields = header.split(",").map((s) => s.trim());
    const values = row.split(",").map((s) => s.trim());
    const cells = fields.map((field, i) => ({ field, ...metricName(field), value: sampleValue(values[i], metricName(field).multiplier) }));

    it("reads one value per returned field", () => assert.equal(values.length, fields.length));
    it("no two returned fields make the same name (the exporter would fail to register)", () => {
        const names = cells.map((c) => c.name);
        assert.deepEqual(names, [...new Set(names)]);
    });
    it("lists exactly the fields that write a sample, with the names the exporter gives them", () => {
        const derived = cells
            .filter((c) => c.value !== undefined)
            .map((c) => [c.name, c.field])
            .sort();
        assert.deepEqual([...H100_590_FIELDS].map(([n, f]) => [n, f]).sort(), derived);
    });
    it("converts units as the names say", () => {
        const value = (name: string) => cells.find((c) => c.name === name)?.value;
        assert.equal(value("nvidia_smi_utilization_gpu_ratio"), 1); // "100 %"
        assert.equal(value("nvidia_smi_memory_total_bytes"), 81559 * 1048576); // "81559 MiB"
        assert.equal(value("nvidia_smi_power_draw_watts"), 631.95); // "631.95 W"
        assert.equal(value("nvidia_smi_clocks_max_sm_clock_hz"), 1980e6); // "1980 MHz"
        assert.equal(value("nvidia_smi_pstate"), 0); // "P0"
        assert.equal(value("nvidia_smi_driver_version"), undefined); // "590.48.01": two numbers, no sample
    });
});
