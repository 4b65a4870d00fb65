/**
 * The list of services is the one place a service is declared: everything
 * derived from it agrees with the specs the stack builds.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { dockerTopology } from "../monitoring/topology";
import { JOB } from "../monitoring/types";
import { parseSettings, type Settings } from "../settings";
import { CATALOG_BY_KEY } from "../settings/catalog";
import { stackSpecs } from "../tests/support/service-specs";
import { metricsPortOf } from "./platform/definition";
import { kubernetesTopology } from "./platform/kubernetes/topology";
import { deployedServices, SERVICES } from "./services";

const ROOT = path.resolve(__dirname, "..");

const STACKS: [string, Settings][] = [
    ["docker", parseSettings("dev", {})],
    ["docker, nvidia-smi", parseSettings("dev", { gpuExporter: "nvidia-smi" })],
    ["kubernetes", parseSettings("prod", { target: "kubernetes" })],
    ["docker, three SGLang workers behind the router", parseSettings("dev", { sglangWorkers: "3", routerPort: "8000" })],
    [
        "kubernetes, two replicas behind the router",
        parseSettings("prod", { target: "kubernetes", replicas: "2", modelCacheAccessMode: "ReadWriteMany" }),
    ],
];

describe("The list of services", () => {
    it("loads no Pulumi module: settings and monitoring read it", () => {
        const loaded = execFileSync(
            process.execPath,
            [
                "-r",
                "ts-node/register/transpile-only",
                "-e",
                `require(${JSON.stringify(path.join(__dirname, "services.ts"))}); console.log(JSON.stringify(Object.keys(require.cache)))`,
            ],
            { encoding: "utf8", cwd: ROOT },
        );
        const modules: string[] = JSON.parse(loaded);
        assert.ok(modules.some((m) => m.endsWith("service.ts")));
        assert.deepEqual(
            modules.filter((m) => m.includes(`${path.sep}@pulumi${path.sep}`)),
            [],
        );
    });

    it("names every service once, and the job names are service names", () => {
        const names = SERVICES.map((s) => s.name);
        assert.equal(new Set(names).size, names.length);
        for (const job of Object.values(JOB)) assert.ok((names as string[]).includes(job), job);
    });

    it("puts each service's own keys in the catalogue, under the service's section", () => {
        const keys = SERVICES.flatMap((s) => Object.values(s.keys).map((d) => d.key));
        assert.equal(new Set(keys).size, keys.length, "no key belongs to two services");
        for (const s of SERVICES) {
            const groups = new Set(Object.values(s.keys).map((d) => CATALOG_BY_KEY.get(d.key)?.group));
            assert.equal(groups.size, 1, `${s.name}: one section`);
        }
    });

    it("documents every resource and storage key for both targets", () => {
        for (const s of SERVICES) {
            for (const d of Object.values(s.keys)) {
                if (!/(Size|Request|Limit)$/.test(d.key)) continue;
                assert.match(d.description, /Docker/, `${d.key} says what it does on Docker`);
                assert.match(d.description, /Kubernetes/, `${d.key} says what it does on Kubernetes`);
            }
        }
    });

    for (const [name, s] of STACKS) {
        it(`builds each deployed service's spec from its definition: name, ports, metrics port (${name})`, () => {
            const built = stackSpecs(s);
            assert.deepEqual(
                built.map((x) => x.name).sort(),
                deployedServices(s)
                    .map((d) => d.name)
                    .sort(),
            );
            for (const d of deployedServices(s)) {
                const spec = built.find((x) => x.name === d.name)!;
                assert.deepEqual(
                    spec.ports.map((p) => [p.name, p.containerPort, p.publishedPort]),
                    d.ports.map((p) => [p.name, p.containerPort(s), p.publishedPort?.(s)]),
                    d.name,
                );
                assert.equal(spec.metricsPort, metricsPortOf(d)?.name, d.name);
            }
        });

        it(`scrapes exactly the deployed services with a metrics port, where their specs listen (${name})`, () => {
            const topology = s.target === "docker" ? dockerTopology(s) : kubernetesTopology(s);
            const scraped = stackSpecs(s).filter((x) => x.metricsPort);
            assert.deepEqual(
                topology.jobs.map((j) => j.job),
                SERVICES.map((d) => d.name).filter((n) => scraped.some((x) => x.name === n)),
            );
            for (const job of topology.jobs) {
                const spec = scraped.find((x) => x.name === job.job)!;
                const port = spec.ports.find((p) => p.name === spec.metricsPort)!;
                if (job.discovery.kind === "static") {
                    for (const target of job.discovery.targets) assert.ok(target.endsWith(`:${port.containerPort}`), `${job.job}: ${target}`);
                } else assert.equal(job.discovery.portName, port.name, job.job);
            }
        });
    }

    it("refuses two services published on one Docker port, naming both keys", () => {
        assert.throws(
            () => parseSettings("dev", { prometheusPort: "30000" }),
            /sglang-ananke:prometheusPort = 30000 is also sglang-ananke:sglangPort/,
        );
        // Exporters are not published: their ports are free on the host.
        assert.doesNotThrow(() => parseSettings("dev", { gpuExporter: "nvidia-smi", grafanaPort: "9835", alertmanagerPort: "9100" }));
    });
});
