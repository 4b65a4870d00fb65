/** The Prometheus configuration a Docker run uploads, as promtool and Prometheus would read it. */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { tool } from "../debian-tools";
import type { MockResource } from "../harness";

/** Writes the Prometheus container's uploads to a scratch root, checks them with `promtool check config`, and returns the parsed prometheus.yml. */
export function checkedPrometheusConfig(prometheus: MockResource): any {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sglang-ananke-prometheus-"));
    try {
        for (const u of prometheus.plain.uploads) {
            const file = path.join(dir, u.file);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, u.content.split("/etc/prometheus/").join(`${dir}/etc/prometheus/`));
        }
        const file = path.join(dir, "etc/prometheus/prometheus.yml");
        assert.match(execFileSync(tool("promtool"), ["check", "config", file], { encoding: "utf8" }), /SUCCESS/);
        return YAML.parse(fs.readFileSync(file, "utf8"));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
