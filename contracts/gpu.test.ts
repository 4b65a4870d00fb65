import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { CATALOG } from "../settings/catalog";
import { tool } from "../tests/debian-tools";
import { DCGM_CONTRACTS, NODE_EXPORTER_CONTRACTS, NVIDIA_GPU_EXPORTER_CONTRACTS } from "./gpu";
import type { ExporterContract, ExporterKind } from "./types";

const LISTS: [ExporterKind, readonly ExporterContract[], string][] = [
    ["dcgm-exporter", DCGM_CONTRACTS, "dcgmExporterImage"],
    ["nvidia-gpu-exporter", NVIDIA_GPU_EXPORTER_CONTRACTS, "nvidiaSmiExporterImage"],
    ["node-exporter", NODE_EXPORTER_CONTRACTS, "nodeExporterImage"],
];
const ALL = LISTS.flatMap(([, list]) => list);

/** Image references compare without a registry host (`nvcr.io/`, `docker.io/`). */
function withoutRegistry(image: string): string {
    const [first, ...rest] = image.split("/");
    return rest.length && /[.:]/.test(first) ? rest.join("/") : image;
}

function catalogDefault(key: string): string {
    const def = CATALOG.find((d) => d.key === key);
    assert.ok(def, `catalog has no key ${key}`);
    return String(def.default);
}

/** Every label a metric of the contract may carry. */
function labelsOf(contract: ExporterContract): Set<string> {
    return new Set(contract.metrics.flatMap((m) => [...m.labels, ...Object.keys(m.conditionalLabels ?? {})]));
}

describe("GPU and host exporter contracts", () => {
    it("ids are unique across versions and exporters", () => {
        const ids = ALL.map((c) => c.id);
        assert.deepEqual(ids, [...new Set(ids)]);
    });

    for (const [kind, list, imageKey] of LISTS) {
        it(`${kind}: the pinned default image comes first`, () => {
            assert.ok(list.length > 0);
            const pinned = withoutRegistry(catalogDefault(imageKey));
            assert.ok(list[0].images.map(withoutRegistry).includes(pinned), `${list[0].id} images ${list[0].images.join(", ")} lack ${pinned}`);
        });
        for (const contract of list) {
            describe(contract.id, () => {
                it("is of its list's exporter, with a commit and an id naming its version", () => {
                    assert.equal(contract.exporter, kind);
                    assert.match(contract.source.commit, /^[0-9a-f]{40}$/);
                    assert.match(contract.source.date ?? "", /^\d{4}-\d{2}-\d{2}$/);
                    assert.equal(contract.id, `${kind}-${contract.version}`);
                    assert.ok(
                        contract.images.every((i) => /:[^/]+$/.test(i) && !i.endsWith(":latest")),
                        "images pinned to a tag",
                    );
                });
                it("names each metric once, each label once, conditional labels apart", () => {
                    const names = contract.metrics.map((m) => m.name);
                    assert.deepEqual(names, [...new Set(names)]);
                    for (const m of contract.metrics) {
                        assert.deepEqual(m.labels, [...new Set(m.labels)], m.name);
                        for (const l of Object.keys(m.conditionalLabels ?? {}))
                            assert.ok(!m.labels.includes(l), `${m.name}: ${l} both always and conditional`);
                        assert.ok(m.source.length > 0 && !m.source.startsWith("/"), `${m.name}: source relative to the repository`);
                        assert.ok(m.type !== "histogram" || (m.buckets ?? []).length > 0, `${m.name}: histogram without buckets`);
                    }
                });
                it("gives example values only for labels its metrics carry, at least one each", () => {
                    const labels = labelsOf(contract);
                    for (const [label, values] of Object.entries(contract.labelValues ?? {})) {
                        assert.ok(labels.has(label), `labelValues.${label}: no metric carries it`);
                        assert.ok(values.length > 0, `labelValues.${label} is empty`);
                    }
                });
                it("spells counters as the exporter does", () => {
                    for (const m of contract.metrics) {
                        if (kind === "dcgm-exporter") {
                            // The DCGM exporter writes the field name as is, whatever the type.
                            assert.match(m.name, /^DCGM_FI_(DEV|PROF)_[A-Z0-9_]+$/, m.name);
                        } else {
                            // client_golang exporters: counters end in _total (a gauge may too:
                            // nvidia-smi's ecc.errors.*.total fields become gauges of that name).
                            if (m.type === "counter") assert.ok(m.name.endsWith("_total"), m.name);
                        }
                    }
                });
            });
        }
    }
});

describe("GPU exporter identity labels", () => {
    it("DCGM writes UUID with its GPU- prefix; nvidia_gpu_exporter writes uuid lower-case without it", () => {
        for (const c of DCGM_CONTRACTS) for (const v of c.labelValues?.UUID ?? []) assert.match(v, /^GPU-[0-9a-f-]{36}$/, c.id);
        for (const c of NVIDIA_GPU_EXPORTER_CONTRACTS) {
            assert.ok((c.labelValues?.uuid ?? []).length > 0, c.id);
            for (const v of c.labelValues?.uuid ?? []) assert.match(v, /^[0-9a-f-]{36}$/, c.id);
        }
    });
    it("every per-GPU nvidia_gpu_exporter metric carries uuid; only gpu_info from v1.5.0 carries index", () => {
        for (const c of NVIDIA_GPU_EXPORTER_CONTRACTS) {
            for (const m of c.metrics) {
                if (m.labels.length) assert.ok(m.labels.includes("uuid"), `${c.id} ${m.name}`);
                assert.equal(m.labels.includes("index"), m.name === "nvidia_smi_gpu_info" && c.version !== "1.3.2", `${c.id} ${m.name}`);
            }
        }
    });
});

describe("exporter metrics the project's rules read", () => {
    const RULE_FILES = ["monitoring/prometheus/rules/recording-rules.yaml", "monitoring/prometheus/alerts/ananke-alerts.yaml"];
    // An exporter's own name: not a recorded series (those have colons), not part of a longer label name.
    const EXPORTER_NAME = /(?<![\w:])(DCGM_FI_[A-Z0-9_]+|nvidia_smi_[a-z0-9_]+|node_[a-zA-Z0-9_]+)(?![\w:])/g;
    const read = new Set(
        RULE_FILES.flatMap((f) => [...fs.readFileSync(path.join(__dirname, "..", f), "utf8").matchAll(EXPORTER_NAME)].map((m) => m[1])),
    );
    const lists: [RegExp, readonly ExporterContract[]][] = [
        [/^DCGM_/, DCGM_CONTRACTS],
        [/^nvidia_smi_/, NVIDIA_GPU_EXPORTER_CONTRACTS],
        [/^node_/, NODE_EXPORTER_CONTRACTS],
    ];

    it("finds some in the rule files", () => assert.ok(read.size >= 10, [...read].join(", ")));
    for (const name of [...read].sort()) {
        it(`${name} is written by some version of its exporter`, () => {
            const list = lists.find(([prefix]) => prefix.test(name))?.[1] ?? [];
            assert.ok(
                list.some((c) => c.metrics.some((m) => m.name === name)),
                `no contract writes ${name}`,
            );
        });
    }
});

const NODE_EXPORTER_BIN = "prometheus-node-exporter";

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Sample lines of a text exposition: name and label pairs (values unescaped enough for these metrics). */
function parseSamples(text: string): { name: string; labels: Record<string, string> }[] {
    const out: { name: string; labels: Record<string, string> }[] = [];
    for (const line of text.split("\n")) {
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
        if (!m) continue;
        const labels: Record<string, string> = {};
        for (const pair of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
        out.push({ name: m[1], labels });
    }
    return out;
}

async function scrape(url: string, deadlineMs: number): Promise<string> {
    for (;;) {
        try {
            const res = await fetch(url);
            if (res.ok) return await res.text();
        } catch {
            // not listening yet
        }
        if (Date.now() > deadlineMs) throw new Error(`no answer from ${url}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}

describe("node exporter contract against a real node exporter", function () {
    this.timeout(20_000);
    let child: ChildProcess | undefined;
    let samples: { name: string; labels: Record<string, string> }[] = [];

    before(async () => {
        const binary = tool(NODE_EXPORTER_BIN); // missing: fails in one line naming its Debian package
        const port = await freePort();
        child = spawn(binary, [`--web.listen-address=127.0.0.1:${port}`], { stdio: "ignore" });
        samples = parseSamples(await scrape(`http://127.0.0.1:${port}/metrics`, Date.now() + 10_000));
    });
    after(() => {
        child?.kill();
    });

    for (const contract of NODE_EXPORTER_CONTRACTS) {
        /**
         * The labels Prometheus stores: a label the exporter writes empty on a
         * healthy host (its first example value is "") is no label once scraped,
         * and older builds that lack it store the same set.
         */
        const stored = (labels: string[]) => labels.filter((l) => contract.labelValues?.[l]?.[0] !== "").sort();

        for (const entry of contract.metrics) {
            it(`${contract.id}: ${entry.name}{${entry.labels.join(",")}} is written`, () => {
                const found = samples.filter((s) => s.name === entry.name);
                assert.ok(found.length > 0, `no ${entry.name} in the scrape`);
                for (const s of found) {
                    const nonEmpty = Object.keys(s.labels)
                        .filter((l) => s.labels[l] !== "")
                        .sort();
                    assert.deepEqual(nonEmpty, stored(entry.labels), `${entry.name} labels`);
                }
            });
        }
        it(`${contract.id}: every CPU mode of the contract is written`, () => {
            const modes = new Set(samples.filter((s) => s.name === "node_cpu_seconds_total").map((s) => s.labels.mode));
            assert.deepEqual([...modes].sort(), [...(contract.labelValues?.mode ?? [])].sort());
        });
    }
});
