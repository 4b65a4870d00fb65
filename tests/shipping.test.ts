/**
 * How the program ships: Pulumi runs the precompiled JavaScript (faster
 * start-up, see bench/startup.ts), and a build older than its sources is
 * refused instead of deployed.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROGRAM_DIRS, staleSources } from "../build-freshness";
import { NEW_PROJECT } from "../scripts/gen-pulumi-yaml";

const ROOT = path.resolve(__dirname, "..");

describe("shipping the compiled program", () => {
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { runtime: unknown; main?: string };
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string; scripts: Record<string, string> };
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as {
        compilerOptions: { outDir: string; rootDir: string };
    };

    it("Pulumi.yaml runs JavaScript (typescript: false) from package.json's main, and a new Pulumi.yaml would too", () => {
        assert.deepEqual(project.runtime, { name: "nodejs", options: { typescript: false } });
        assert.equal(project.main, undefined, "no Pulumi.yaml main: Pulumi falls back to package.json's");
        assert.deepEqual(NEW_PROJECT.runtime, project.runtime);
    });

    it("package.json's main is what `npm run build` makes of main.ts, and deploy builds first", () => {
        const { outDir, rootDir } = tsconfig.compilerOptions;
        assert.equal(path.normalize(pkg.main), path.join(outDir, path.relative(rootDir, "main.ts").replace(/\.ts$/, ".js")));
        assert.match(pkg.scripts.build, /^tsc -p tsconfig.build.json$/);
        assert.match(fs.readFileSync(path.join(ROOT, "scripts", "deploy.sh"), "utf8"), /npm run --silent build\n[\s\S]*pulumi up/);
        assert.match(fs.readFileSync(path.join(ROOT, "main.ts"), "utf8"), /import "\.\/build-freshness";\s*export \* from "\.\/index";/);
    });

    it("builds the program only: no test, test support, benchmark or script reaches bin/", () => {
        const listed = execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--listFilesOnly"], {
            cwd: ROOT,
            encoding: "utf8",
        });
        const ours = listed
            .split("\n")
            .filter((f) => f.startsWith(ROOT) && !f.includes("node_modules"))
            .map((f) => path.relative(ROOT, f));
        assert.ok(ours.includes("main.ts") && ours.some((f) => f.startsWith("components/")));
        for (const f of ours) assert.doesNotMatch(f, /(^(tests|bench|scripts|policy)\/)|\.test\.ts$/, f);
        // Every program directory is one the stale-build check watches.
        for (const f of ours)
            assert.ok(PROGRAM_DIRS.includes(path.dirname(f).split(path.sep)[0] === "." ? "" : path.dirname(f).split(path.sep)[0]), f);
    });

    describe("stale-build check", () => {
        let dir: string;
        const write = (file: string, mtimeSeconds: number) => {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, "");
            fs.utimesSync(file, mtimeSeconds, mtimeSeconds);
        };
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "freshness-"));
            write(path.join(dir, "index.ts"), 1000);
            write(path.join(dir, "components", "sglang", "server.ts"), 1000);
            write(path.join(dir, "components", "sglang", "server.test.ts"), 5000);
            write(path.join(dir, "bin", "index.js"), 2000);
            write(path.join(dir, "bin", "components", "sglang", "server.js"), 2000);
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("passes a build newer than every program source (tests do not count)", () => {
            assert.deepEqual(staleSources(dir, path.join(dir, "bin")), []);
        });

        it("names a source changed after the build, and a source never built", () => {
            write(path.join(dir, "components", "sglang", "server.ts"), 3000);
            write(path.join(dir, "settings", "catalog.ts"), 1000);
            assert.deepEqual(staleSources(dir, path.join(dir, "bin")).sort(), [
                path.join("components", "sglang", "server.ts"),
                path.join("settings", "catalog.ts"),
            ]);
        });
    });
});
