import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { kubernetesTopology } from "../components/platform/kubernetes/topology";
import { parseSettings } from "../settings";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { operatorMode } from "../tests/support/operator-mode";
import { prometheusConfig } from "./prometheus";
import { dockerTopology } from "./topology";
import { prometheusPasswordFile, renderWebConfig, WEB_USERNAME } from "./web-auth";

/** A real bcrypt hash (libcrypt's, through Python), as @pulumi/random's bcryptHash is one. */
function bcrypt(password: string): string {
    const script = "import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))";
    return execFileSync("/usr/bin/python3", ["-W", "ignore", "-c", script, password], { encoding: "utf8" }).trim();
}

describe("Prometheus and Alertmanager web authentication", () => {
    it("renders a web configuration promtool accepts, with the one user and the hash", () => {
        const hash = bcrypt("s3cret");
        const dir = new TempDir();
        try {
            const file = dir.write("web.yml", renderWebConfig(hash));
            expectSuccess(run("promtool", ["check", "web-config", file]), "promtool check web-config");
            assert.match(renderWebConfig(hash), new RegExp(`basic_auth_users:\\n  ${WEB_USERNAME}: "?\\$2b\\$04\\$`));
            // The check can fail: a hash that is not bcrypt.
            const broken = dir.write("broken.yml", renderWebConfig(hash).replace("basic_auth_users", "basic_auth_user"));
            assert.notEqual(run("promtool", ["check", "web-config", broken]).status, 0);
        } finally {
            dir.remove();
        }
        assert.throws(() => renderWebConfig("s3cret"), /bcrypt/);
    });

    for (const [platform, settings, topology] of [
        ["Docker", parseSettings("dev", {}), dockerTopology],
        ["Kubernetes", parseSettings("prod", { target: "kubernetes" }), kubernetesTopology],
    ] as const) {
        it(`${platform}: Prometheus authenticates to itself and to Alertmanager, passwords by file, and to nothing else`, () => {
            const config = prometheusConfig(settings, topology(settings)) as any;
            const auth = Object.fromEntries(config.scrape_configs.map((j: any) => [j.job_name, j.basic_auth]));
            assert.deepEqual(auth.prometheus, { username: WEB_USERNAME, password_file: prometheusPasswordFile("prometheus") });
            assert.deepEqual(auth.alertmanager, { username: WEB_USERNAME, password_file: prometheusPasswordFile("alertmanager") });
            const others = Object.entries(auth).filter(([job, a]) => a !== undefined && job !== "prometheus" && job !== "alertmanager");
            assert.deepEqual(others, []);
            assert.deepEqual(config.alerting.alertmanagers[0].basic_auth, {
                username: WEB_USERNAME,
                password_file: prometheusPasswordFile("alertmanager"),
            });
            assert.doesNotMatch(JSON.stringify(config), /"password"/);
        });
    }

    it("operator mode: the cluster's Prometheus gets no basic auth of the stack's", () => {
        const s = parseSettings("prod", {
            target: "kubernetes",
            ...operatorMode("t"),
        });
        const t = kubernetesTopology(s);
        assert.equal(t.alertmanagerAuth, undefined);
        assert.ok(t.jobs.every((j) => j.basicAuth === undefined));
    });
});
