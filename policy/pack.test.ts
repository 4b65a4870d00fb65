/**
 * The policy pack as the Pulumi CLI runs it: started from `policy/` by the
 * SDK's policy-pack runner (the analyzer plugin), spoken to over the analyzer gRPC protocol
 * on loopback. Proves the pack loads, names its policies and reports a
 * mandatory violation for a resource the engine would send.
 */
import * as assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { RETAIN_ANNOTATION } from "../components/platform/kubernetes/marks";
import { ADVISORIES, GUARDRAILS } from "./policies";

const POLICY_DIR = __dirname;

/** Starts the pack; resolves with the port it prints (what the CLI reads). */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
    return new Promise((resolve, reject) => {
        // What the CLI's analyzer plugin runs, from policy/: the SDK's policy-pack
        // runner (ts-node with type checking) loading the package's main, index.ts.
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        const timer = setTimeout(() => reject(new Error(`the policy pack printed no port in 60s:\n${err}`)), 60000);
        child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const m = /^(\d+)\n/.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve({ child, port: Number(m[1]) });
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the policy pack exited (${code}):\n${err}`));
        });
    });
}

function call<Req, Res>(fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (e, r) => (e ? reject(e) : resolve(r))));
}

function analyzeRequest(type: string, props: Record<string, unknown>, protect = false): analyzer.AnalyzeRequest {
    const req = new analyzer.AnalyzeRequest();
    req.setType(type);
    req.setName("grafana");
    req.setUrn(`urn:pulumi:dev::sglang-ananke::${type}::grafana`);
    req.setProperties(Struct.fromJavaScript(props as Record<string, never>));
    // The engine always sends the resource's options (protect, ignoreChanges, …).
    req.setOptions(new analyzer.AnalyzerResourceOptions().setProtect(protect));
    return req;
}

describe("policy pack over the analyzer protocol", function () {
    this.timeout(90000);
    let child: ChildProcess | undefined;
    let client: AnalyzerClient;

    before(async () => {
        const started = await startPack();
        child = started.child;
        client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        child?.kill();
    });

    it("loads and describes every guardrail as mandatory, every advisory as advisory", async () => {
        const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
        assert.equal(info.getName(), "sglang-ananke");
        assert.equal(info.getVersion(), "0.1.0");
        const policies = info.getPoliciesList();
        assert.deepEqual(
            policies.map((p) => p.getName()),
            [...GUARDRAILS, ...ADVISORIES].map((g) => g.name),
        );
        for (const p of policies) {
            const advisory = ADVISORIES.some((a) => a.name === p.getName());
            assert.equal(p.getEnforcementlevel(), advisory ? analyzer.EnforcementLevel.ADVISORY : analyzer.EnforcementLevel.MANDATORY, p.getName());
        }
    });

    it("reports a violation of a resource the engine sends, and none for a compliant one", async () => {
        const grafana = (envs: string[]) => ({
            name: "sglang-ananke-dev-grafana",
            image: "grafana/grafana:12.1.1",
            envs,
            memory: 1024,
            ports: [{ internal: 3000, external: 3000, ip: "127.0.0.1" }],
            labels: [{ label: "sglang-ananke.service", value: "grafana" }],
            securityOpts: ["no-new-privileges:true"],
            capabilities: { drops: ["ALL"] },
            logDriver: "json-file",
        });
        const bad = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(
            client.analyze.bind(client),
            analyzeRequest("docker:index/container:Container", grafana(["GF_SECURITY_ADMIN_PASSWORD=admin"])),
        );
        const diagnostics = bad.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getMessage(), d.getEnforcementlevel()]);
        assert.deepEqual(
            diagnostics.filter(([name]) => name === "grafana-locked-down").map(([, m, level]) => [m, level]),
            [
                // The engine shows the policy's description, then the violation.
                [
                    `${GUARDRAILS.find((g) => g.name === "grafana-locked-down")!.description}\nGrafana container "sglang-ananke-dev-grafana" keeps the default admin password`,
                    analyzer.EnforcementLevel.MANDATORY,
                ],
            ],
        );
        assert.ok(diagnostics.some(([name]) => name === "no-secrets-in-env"));

        const good = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(
            client.analyze.bind(client),
            analyzeRequest("docker:index/container:Container", grafana(["GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana/admin_password"])),
        );
        assert.deepEqual(
            good.getDiagnosticsList().map((d) => d.getMessage()),
            [],
        );
    });

    it("sees a claim's protect option, the one retention option the protocol carries (it has no retainOnDelete)", async () => {
        assert.ok(!("setRetainondelete" in analyzer.AnalyzerResourceOptions.prototype));
        const analyze = async (annotations: Record<string, string>, protect: boolean) => {
            const claim = { metadata: { name: "prometheus-data", annotations }, spec: { accessModes: ["ReadWriteOnce"] } };
            const response = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(
                client.analyze.bind(client),
                analyzeRequest("kubernetes:core/v1:PersistentVolumeClaim", claim, protect),
            );
            return response.getDiagnosticsList().map((d) => d.getPolicyname());
        };
        assert.deepEqual(await analyze({}, false), ["claims-retained"]);
        assert.deepEqual(await analyze({}, true), []);
        assert.deepEqual(await analyze({ [RETAIN_ANNOTATION]: "true" }, false), []);
    });
});
