/**
 * The scripts the workflows run (scripts/ci): the monitoring summary of a
 * pull request on real renders, and the decisions the others take on what
 * GitHub and Pulumi answer (`gh` and `pulumi` replaced by recorders that
 * answer as the real ones do).
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { tool } from "./debian-tools";

const ROOT = path.resolve(__dirname, "..");
const CI = path.join(ROOT, "scripts", "ci");

let made: string[] = [];
function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-scripts-"));
    made.push(dir);
    return dir;
}

/**
 * A directory with a `gh` and a `pulumi` that log their arguments (calls
 * separated by \x1e, as arguments may span lines) and print the answer given for the first pattern their arguments match.
 */
function recorders(answers: Record<string, [RegExp, string][]>): { bin: string; calls: () => string[] } {
    const bin = tempDir();
    const log = path.join(bin, "calls.log");
    for (const [program, table] of Object.entries(answers)) {
        const cases = table.map(([pattern, answer], i) => {
            fs.writeFileSync(path.join(bin, `${program}.${i}.out`), answer);
            return `if printf '%s' "$*" | grep -Eq -e '${pattern.source}'; then cat '${path.join(bin, `${program}.${i}.out`)}'; exit 0; fi`;
        });
        fs.writeFileSync(path.join(bin, program), `#!/bin/bash\nprintf '%s\\036' "${program} $*" >> '${log}'\n${cases.join("\n")}\nexit 0\n`, {
            mode: 0o755,
        });
    }
    return { bin, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\x1e").filter(Boolean) : []) };
}

function runScript(script: string, args: string[], bin: string, env: Record<string, string> = {}) {
    return spawnSync("bash", [path.join(CI, script), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH}`,
            GITHUB_REPOSITORY: "acme/sglang-ananke",
            GITHUB_SHA: "c0ffee",
            GH_TOKEN: "token",
            ...env,
        },
    });
}

/** shellcheck's findings on a script given as text ("" when none). */
function shellcheck(script: string): string {
    const r = spawnSync(tool("shellcheck"), ["--shell=bash", "-"], { input: script, encoding: "utf8" });
    return r.status === 0 ? "" : r.stdout + r.stderr;
}

describe("CI scripts", function () {
    this.timeout(120000);
    afterEach(() => {
        for (const d of made) fs.rmSync(d, { recursive: true, force: true });
        made = [];
    });

    it("every shell script and every workflow run step passes shellcheck (and the check can fail)", () => {
        const scripts = [".ci/run", "scripts/setup-and-test.sh", "scripts/deploy.sh", ...fs.readdirSync(CI).map((f) => `scripts/ci/${f}`)];
        for (const f of scripts) assert.equal(shellcheck(fs.readFileSync(path.join(ROOT, f), "utf8")), "", f);
        const workflows = path.join(ROOT, ".github", "workflows");
        let steps = 0;
        for (const f of fs.readdirSync(workflows)) {
            const workflow = YAML.parse(fs.readFileSync(path.join(workflows, f), "utf8")) as {
                jobs: Record<string, { steps: { name?: string; run?: string }[] }>;
            };
            for (const [job, { steps: jobSteps }] of Object.entries(workflow.jobs))
                for (const step of jobSteps) {
                    if (!step.run) continue;
                    steps++;
                    // GitHub runs steps with bash -e -o pipefail; expressions are replaced before the shell sees them.
                    const script = `#!/bin/bash\nset -eo pipefail\n${step.run.replace(/\$\{\{[^}]*\}\}/g, "X")}`;
                    assert.equal(shellcheck(script), "", `${f} ${job}: ${step.name ?? step.run}`);
                }
        }
        assert.ok(steps > 10, `${steps} run steps`);
        assert.match(shellcheck("#!/bin/bash\nrm -rf $1/*\n"), /SC2086/);
    });

    it("monitoring-diff.sh renders the base commit with its own code and the head, and summarizes (no change against HEAD when nothing is uncommitted)", () => {
        const out = path.join(tempDir(), "summary.md");
        const r = spawnSync("bash", [path.join(CI, "monitoring-diff.sh"), "dev", "HEAD", out], { cwd: ROOT, encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        const summary = fs.readFileSync(out, "utf8");
        assert.match(summary, /^### Monitoring and serving changes: dev\n\n/);
        // Uncommitted changes to the program would rightly show up.
        const clean = spawnSync("git", ["diff", "--quiet", "HEAD"], { cwd: ROOT }).status === 0;
        if (clean)
            assert.equal(
                summary,
                "### Monitoring and serving changes: dev\n\nNo change to alerts, routing, dashboard panels, images or other rendered objects.\n",
            );
    });

    describe("pr-comment.sh", () => {
        const marker = "<!-- sglang-ananke preview: dev -->";
        it("posts a new comment when the pull request has none for the stack", () => {
            const { bin, calls } = recorders({ gh: [[/comments$/, ""]] });
            const body = path.join(tempDir(), "body.md");
            fs.writeFileSync(body, "## Preview of `dev`");
            const r = runScript("pr-comment.sh", ["12", marker, body], bin);
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, "commented on #12\n");
            assert.deepEqual(calls().slice(1), [
                `gh api --method POST repos/acme/sglang-ananke/issues/12/comments -f body=${marker}\n## Preview of \`dev\``,
            ]);
        });

        it("edits the stack's comment on later pushes, and cuts a body GitHub would refuse", () => {
            const { bin, calls } = recorders({ gh: [[/--paginate/, "4242\n"]] });
            const body = path.join(tempDir(), "body.md");
            fs.writeFileSync(body, "x".repeat(70000));
            const r = runScript("pr-comment.sh", ["12", marker, body], bin);
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, "updated comment 4242 on #12\n");
            const patch = calls().find((c) => c.includes("PATCH"))!;
            assert.ok(
                patch.startsWith(`gh api --method PATCH repos/acme/sglang-ananke/issues/comments/4242 -f body=${marker}\n`),
                patch.slice(0, 200),
            );
            assert.ok(patch.length < 65536 && patch.includes("(cut: the whole preview is in the job log)"));
            assert.ok(
                calls()[0].includes(`select(.body | startswith(\\"${marker}\\"))`) || calls()[0].includes(`startswith("${marker}")`),
                calls()[0],
            );
        });
    });

    describe("report-drift.sh", () => {
        it("opens an issue for the stack with what the refresh found", () => {
            const { bin, calls } = recorders({ gh: [[/issue list/, ""]] });
            const found = path.join(tempDir(), "refresh.txt");
            fs.writeFileSync(found, "~ grafana:oss/dashboard:Dashboard grafana-content-dashboard refresh");
            const r = runScript("report-drift.sh", ["prod", found], bin);
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, "drift on prod: opened an issue\n");
            const create = calls().find((c) => c.startsWith("gh issue create"))!;
            assert.match(create, /--title Drift on stack prod --body /);
            assert.ok(create.includes("~ grafana:oss/dashboard:Dashboard grafana-content-dashboard refresh"));
            assert.ok(create.includes("pulumi refresh --stack prod"), "says how to accept the change");
        });

        it("comments on the open issue instead of opening another", () => {
            const { bin, calls } = recorders({ gh: [[/issue list/, "31\n"]] });
            const found = path.join(tempDir(), "refresh.txt");
            fs.writeFileSync(found, "drift");
            const r = runScript("report-drift.sh", ["dev", found], bin);
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, "drift on dev: commented on issue #31\n");
            assert.ok(calls().some((c) => c.startsWith("gh issue comment 31 --repo acme/sglang-ananke --body ")));
            assert.ok(!calls().some((c) => c.startsWith("gh issue create")));
        });
    });

    describe("find-reviewed-plan.sh and check-reviewed-plan.sh", () => {
        const tree = execFileSync("git", ["rev-parse", "HEAD^{tree}"], { cwd: ROOT, encoding: "utf8" }).trim();
        function planDir(previewedTree: string, version: string): string {
            const dir = tempDir();
            fs.writeFileSync(path.join(dir, "plan.json"), "{}");
            fs.writeFileSync(path.join(dir, "tree"), `${previewedTree}\n`);
            fs.writeFileSync(path.join(dir, "stack-version"), `${version}\n`);
            return dir;
        }
        const history = (version: number) =>
            JSON.stringify([{ version, kind: "update", startTime: "2026-11-29T10:00:00Z", message: "", environment: {}, config: {} }]);

        it("downloads the plan of the preview of this commit's pull request", () => {
            const { bin, calls } = recorders({
                gh: [
                    [/commits\/c0ffee\/pulls/, "57\n"],
                    [/pulls\/57/, "abc123\n"],
                    [/run list/, "9001\n"],
                ],
            });
            const dir = path.join(tempDir(), "plan");
            const r = runScript("find-reviewed-plan.sh", ["prod", dir], bin);
            assert.equal(r.status, 0, r.stderr);
            assert.ok(
                calls().some((c) => c.startsWith("gh run list --repo acme/sglang-ananke --workflow preview.yml --commit abc123 --status success")),
                calls().join("\n"),
            );
            assert.ok(calls().includes(`gh run download 9001 --repo acme/sglang-ananke --name plan-prod --dir ${dir}`), calls().join("\n"));
        });

        it("refuses a commit that reached main without a pull request, or without a successful preview", () => {
            const none = recorders({ gh: [[/commits\/c0ffee\/pulls/, ""]] });
            let r = runScript("find-reviewed-plan.sh", ["dev", tempDir()], none.bin);
            assert.equal(r.status, 1);
            assert.match(r.stdout, /^::error::Refusing to update dev: commit c0ffee reached main without a pull request/);
            const unpreviewed = recorders({
                gh: [
                    [/commits\/c0ffee\/pulls/, "57\n"],
                    [/pulls\/57/, "abc123\n"],
                    [/run list/, ""],
                ],
            });
            r = runScript("find-reviewed-plan.sh", ["dev", tempDir()], unpreviewed.bin);
            assert.equal(r.status, 1);
            assert.match(r.stdout, /^::error::Refusing to update dev: no successful preview of #57 at abc123/);
            assert.ok(!unpreviewed.calls().some((c) => c.startsWith("gh run download")));
        });

        it("lets the plan apply when the code and the stack are what the preview saw", () => {
            const { bin } = recorders({ pulumi: [[/stack history --stack dev --json --page-size 1/, history(14)]] });
            const r = runScript("check-reviewed-plan.sh", ["dev", planDir(tree, "14")], bin);
            assert.equal(r.status, 0, r.stdout + r.stderr);
            assert.equal(r.stdout, `dev: the plan previewed for tree ${tree} at update 14 applies\n`);
        });

        it("refuses when main's code is not what was previewed, when the stack was updated since, or without a plan", () => {
            const { bin } = recorders({ pulumi: [[/stack history/, history(15)]] });
            let r = runScript("check-reviewed-plan.sh", ["dev", planDir("0".repeat(40), "15")], bin);
            assert.equal(r.status, 1);
            assert.match(
                r.stdout,
                /^::error::Refusing to update dev: this commit's code \(tree \w+\) is not what was previewed \(tree 0{40}\): main moved after the preview/,
            );
            r = runScript("check-reviewed-plan.sh", ["dev", planDir(tree, "14")], bin);
            assert.equal(r.status, 1);
            assert.equal(
                r.stdout,
                "::error::Refusing to update dev: the stack was updated since the preview (update 14 then, 15 now): preview it again\n",
            );
            r = runScript("check-reviewed-plan.sh", ["dev", tempDir()], bin);
            assert.equal(r.status, 1);
            assert.match(r.stdout, /^::error::Refusing to update dev: no saved plan in /);
        });
    });
});
