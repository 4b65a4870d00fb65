import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { FEATURES, provides } from "../contracts/features";
import * as gpu from "../contracts/gpu";
import { SGLANG_CONTRACTS } from "../contracts/sglang";
import { BEGIN, END, README, renderVersionsBlock, withVersionsBlock } from "./gen-readme-versions";

describe("README: supported versions", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", README), "utf8");

    it("its tables are what the contracts give (run: npm run gen)", () => {
        assert.equal(readme, withVersionsBlock(readme));
    });

    it("has a column per known version and a yes/no per feature", () => {
        const block = renderVersionsBlock();
        for (const c of [...SGLANG_CONTRACTS, ...gpu.DCGM_CONTRACTS, ...gpu.NVIDIA_GPU_EXPORTER_CONTRACTS, ...gpu.NODE_EXPORTER_CONTRACTS]) {
            assert.ok(block.includes(`\`${c.id}\``), c.id);
        }
        for (const f of FEATURES) assert.ok(block.includes(`| ${f.name} | ${f.use} |`), f.name);
        // A feature no version provides, or every version, would say nothing: each one separates some versions or is core.
        assert.ok(FEATURES.some((f) => SGLANG_CONTRACTS.some((c) => !provides(c, f))));
    });

    it("refuses a README without its markers", () => {
        assert.throws(() => withVersionsBlock("# x\n"), new RegExp(BEGIN.slice(0, 20)));
        assert.ok(withVersionsBlock(`a\n${BEGIN}\nold\n${END}\nb`).startsWith(`a\n${BEGIN}\n**SGLang**`));
    });
});
