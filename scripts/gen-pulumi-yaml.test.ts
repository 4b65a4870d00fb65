import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as YAML from "yaml";
import { PROJECT, parseSettings } from "../settings";
import { CATALOG } from "../settings/catalog";
import { projectProblems } from "../tests/pulumi-project-schema";
import { PULUMI_YAML, renderPulumiYaml, SECRET_MARK } from "./gen-pulumi-yaml";

interface Decl {
    type: string;
    items?: { type: string };
    description: string;
    default: unknown;
    secret?: boolean;
}

describe("Pulumi.yaml", () => {
    const text = fs.readFileSync(PULUMI_YAML, "utf8");
    const project = YAML.parse(text) as { name: string; runtime: unknown; backend?: { url: string }; config: Record<string, Decl> };

    it("is what `npm run gen` renders from settings/catalog.ts (run it after changing the catalogue)", () => {
        assert.equal(text, renderPulumiYaml(text));
    });

    it("passes Pulumi's project schema and project validation", () => {
        assert.deepEqual(projectProblems(project), []);
    });

    it("the schema check fails on the mistakes Pulumi rejects", () => {
        const broken = structuredClone(project);
        delete (broken.config.gpuDevices as Partial<Decl>).items;
        (broken.config.gpuCount as Decl).default = "two";
        (broken.config.target as unknown as Record<string, unknown>).required = true;
        const problems = projectProblems(broken).join("\n");
        assert.match(problems, /'gpuDevices' declares an array but does not specify the underlying type/);
        assert.match(problems, /default value specified for configuration key 'gpuCount' is not of the expected type 'integer'/);
        assert.match(problems, /schema: \/config\/target/);
        assert.deepEqual(projectProblems({ name: PROJECT }).length > 0, true, "runtime is required");
    });

    it("names the project, the nodejs runtime and a local file backend", () => {
        assert.equal(project.name, PROJECT);
        const runtime = typeof project.runtime === "string" ? project.runtime : (project.runtime as { name: string }).name;
        assert.equal(runtime, "nodejs");
        assert.match(project.backend?.url ?? "", /^file:\/\//);
    });

    it("declares every catalogue key with its type, description and default, and nothing else", () => {
        assert.deepEqual(
            Object.keys(project.config),
            CATALOG.map((d) => d.key),
        );
        for (const def of CATALOG) {
            const decl = project.config[def.key];
            assert.equal(decl.type, def.type, def.key);
            assert.deepEqual(decl.default, def.default, def.key);
            assert.ok(decl.description.includes(def.description), def.key);
            if (def.type === "array") assert.deepEqual(decl.items, { type: def.items }, def.key);
            else assert.equal(decl.items, undefined, def.key);
        }
    });

    it("marks secrets in the description instead of `secret: true`, which would fail stacks that leave them at their default", () => {
        const secrets = CATALOG.filter((d) => d.secret);
        assert.ok(secrets.length >= 5);
        for (const def of secrets) {
            const decl = project.config[def.key];
            assert.equal(decl.secret, undefined, def.key);
            assert.equal(decl.default, "", def.key);
            assert.ok(decl.description.startsWith(SECRET_MARK), def.key);
            assert.ok(decl.description.includes(`pulumi config set --secret ${def.key}`), def.key);
        }
        for (const def of CATALOG.filter((d) => !d.secret)) assert.ok(!project.config[def.key].description.includes(SECRET_MARK), def.key);
    });

    it("its defaults, as Pulumi hands them to the program (strings, arrays as JSON), are a valid configuration", () => {
        const raw = Object.fromEntries(
            Object.entries(project.config).map(([k, d]) => [k, Array.isArray(d.default) ? JSON.stringify(d.default) : String(d.default)]),
        );
        const settings = parseSettings("dev", raw);
        assert.equal(settings.target, "docker");
        assert.equal(Object.values(settings.secrets).some(Boolean), false, "an empty default is an unset secret");
    });

    it("keeps the other keys and comments of an existing file and replaces only the config block", () => {
        const existing =
            "# project file\nname: sglang-ananke\nruntime:\n  name: nodejs\n  options:\n    typescript: false # compiled\nmain: bin/index.js\nconfig:\n  stale: 1\n";
        const out = renderPulumiYaml(existing);
        assert.ok(
            out.startsWith(
                "# project file\nname: sglang-ananke\nruntime:\n  name: nodejs\n  options:\n    typescript: false # compiled\nmain: bin/index.js\n",
            ),
        );
        const parsed = YAML.parse(out) as { config: Record<string, unknown> };
        assert.equal(parsed.config.stale, undefined);
        assert.equal(Object.keys(parsed.config).length, CATALOG.length);
        assert.equal(renderPulumiYaml(out), out, "rendering is stable");
    });
});
