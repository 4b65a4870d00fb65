import { strict as assert } from "node:assert";
import { parser } from "@prometheus-io/lezer-promql";
import { buildDashboard, DATASOURCE_UID, dashboardQueries, variableQueries } from "../dashboards";
import { parseSettings, type Settings } from "../settings";
import { expectSuccess, run, TempDir } from "../tests/support/monitoring/tools";
import { allAlerts } from "./alerts";
import { defaultLinks } from "./links";
import { prometheusConfig, renderPrometheusConfig } from "./prometheus";
import { alertmanagerClusterFlags, alertmanagerPeers } from "./prometheus-ha";
import { PROMETHEUS_SECRET_FILES, remoteWriteKeep } from "./remote-write";
import { renderRuleFiles } from "./render";
import { recordedSeriesNames } from "./series";
import { namesRead } from "./series-names";
import { dockerTopology } from "./topology";

const STORE = { clusterName: "gpu-east", remoteWriteUrl: "https://mimir.example.com/api/v1/push" };

/** promtool check config on a rendered configuration (its rule files and credential files in place). */
function promtoolCheck(settings: Settings, replicas = 1): any {
    const dir = new TempDir();
    try {
        for (const [name, content] of Object.entries(renderRuleFiles(settings, defaultLinks(settings)))) dir.write(`rules/${name}`, content);
        const files = { ...PROMETHEUS_SECRET_FILES };
        for (const k of Object.keys(files) as (keyof typeof files)[]) files[k] = dir.write(`secrets/${k}`, "not-a-real-credential");
        const topology = { ...dockerTopology(settings), ruleFiles: [`${dir.path}/rules/*.yaml`], prometheusReplicas: replicas };
        // The credential paths of the container, moved into the temp dir so that promtool finds the files.
        let text = renderPrometheusConfig(settings, topology);
        for (const k of Object.keys(files) as (keyof typeof files)[]) text = text.split(PROMETHEUS_SECRET_FILES[k]).join(files[k]);
        const r = run("promtool", ["check", "config", dir.write("prometheus.yml", text)]);
        expectSuccess(r, "promtool check config");
        return prometheusConfig(settings, topology);
    } finally {
        dir.remove();
    }
}

/** Every metric name and `__name__` pattern an expression selects, by Prometheus' own grammar. */
function namesByLezer(expr: string): { names: Set<string>; patterns: Set<string> } {
    const out = { names: new Set<string>(), patterns: new Set<string>() };
    const cursor = parser.parse(expr).cursor();
    do {
        if (cursor.name === "⚠") throw new Error(`PromQL syntax error in ${expr}`);
        if (cursor.name === "VectorSelector") {
            const node = cursor.node;
            const id = node.getChild("Identifier");
            if (id) out.names.add(expr.slice(id.from, id.to));
            for (const m of node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? []) {
                const text = expr.slice(m.from, m.to);
                const nm = /^__name__\s*(=~|=)\s*(".*")$/s.exec(text);
                if (nm) (nm[1] === "=" ? out.names : out.patterns).add(JSON.parse(nm[2]));
            }
        }
    } while (cursor.next());
    return out;
}

function readExprs(settings: Settings): string[] {
    const model = buildDashboard(settings, { datasourceUid: DATASOURCE_UID }) as any;
    return [
        ...dashboardQueries(model).map((q) =>
            q.expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_w, a, b) => (/interval|range/.test(a ?? b) ? "1m" : ".*")),
        ),
        ...variableQueries(model).map((v) => v.query.replace(/^label_values\((.*),\s*\w+\)$/s, "$1")),
        ...allAlerts(settings, defaultLinks(settings)).map((a) => a.expr),
    ];
}

/** Whether Prometheus' keep action (an anchored RE2 match on __name__) keeps a name. */
function kept(config: any, name: string): boolean {
    const relabel = config.remote_write[0].write_relabel_configs;
    if (!relabel) return true;
    return new RegExp(`^(?:${relabel[0].regex})$`).test(name);
}

const SETTINGS_VARIANTS: Record<string, Record<string, unknown>> = {
    "DCGM (default)": {},
    nvidia_gpu_exporter: { gpuExporter: "nvidia-smi" },
    "no GPU exporter": { gpuExporter: "none" },
    "Kubernetes, GPU Operator's exporter": { target: "kubernetes", gpuExporter: "existing" },
};

describe("remote write", () => {
    it("is absent unless a URL is set", () => {
        const config = promtoolCheck(parseSettings("dev", {})) as any;
        assert.equal(config.remote_write, undefined);
        assert.deepEqual(config.global.external_labels, { stack: "dev" });
    });

    it("names the store, the cluster and the stack, with the tuned queue and the default filter (promtool)", () => {
        const s = parseSettings("prod", STORE);
        const config = promtoolCheck(s);
        assert.deepEqual(config.global.external_labels, { cluster: "gpu-east", stack: "prod" });
        const rw = config.remote_write[0];
        assert.equal(rw.url, STORE.remoteWriteUrl);
        assert.deepEqual(rw.queue_config, {
            capacity: 10000,
            max_shards: 10,
            min_shards: 1,
            max_samples_per_send: 2000,
            batch_send_deadline: "5s",
            min_backoff: "30ms",
            max_backoff: "5s",
        });
        assert.equal(rw.write_relabel_configs.length, 1);
        assert.equal(rw.write_relabel_configs[0].action, "keep");
        assert.equal(rw.basic_auth ?? rw.authorization ?? rw.oauth2, undefined);
    });

    it("takes the queue settings from the configuration", () => {
        const s = parseSettings("prod", {
            ...STORE,
            remoteWriteQueueCapacity: 50000,
            remoteWriteMaxShards: 3,
            remoteWriteMaxSamplesPerSend: 5000,
            remoteWriteBatchSendDeadline: "10s",
        });
        const q = promtoolCheck(s).remote_write[0].queue_config;
        assert.deepEqual([q.capacity, q.max_shards, q.max_samples_per_send, q.batch_send_deadline], [50000, 3, 5000, "10s"]);
    });

    it("sends everything with remoteWriteSendAll", () => {
        const config = promtoolCheck(parseSettings("prod", { ...STORE, remoteWriteSendAll: true }));
        assert.equal(config.remote_write[0].write_relabel_configs, undefined);
    });

    const AUTH: [string, Record<string, unknown>, (rw: any) => void][] = [
        [
            "basic",
            { remoteWriteAuth: "basic", remoteWriteUsername: "12345", remoteWritePassword: "glc_secret-value" },
            (rw) => assert.deepEqual(rw.basic_auth, { username: "12345", password_file: PROMETHEUS_SECRET_FILES.remoteWritePassword }),
        ],
        [
            "bearer",
            { remoteWriteAuth: "bearer", remoteWriteBearerToken: "secret-token-value" },
            (rw) => assert.deepEqual(rw.authorization, { type: "Bearer", credentials_file: PROMETHEUS_SECRET_FILES.remoteWriteBearerToken }),
        ],
        [
            "oauth2",
            {
                remoteWriteAuth: "oauth2",
                remoteWriteOauth2ClientId: "prometheus",
                remoteWriteOauth2ClientSecret: "secret-client-value",
                remoteWriteOauth2TokenUrl: "https://login.example.com/token",
                remoteWriteOauth2Scopes: ["metrics.write"],
            },
            (rw) =>
                assert.deepEqual(rw.oauth2, {
                    client_id: "prometheus",
                    client_secret_file: PROMETHEUS_SECRET_FILES.remoteWriteOauth2ClientSecret,
                    token_url: "https://login.example.com/token",
                    scopes: ["metrics.write"],
                }),
        ],
    ];
    for (const [kind, raw, expectAuth] of AUTH) {
        it(`authenticates with ${kind}, the credential only as a file path (promtool)`, () => {
            const s = parseSettings("prod", { ...STORE, ...raw });
            const config = promtoolCheck(s);
            expectAuth(config.remote_write[0]);
            const text = renderPrometheusConfig(s, dockerTopology(s));
            for (const key of ["remoteWritePassword", "remoteWriteBearerToken", "remoteWriteOauth2ClientSecret"]) {
                if (key in raw) assert.ok(!text.includes(String(raw[key])), `${key}'s value is in prometheus.yml`);
            }
        });
    }

    it("gives each of two Prometheus replicas its own replica label, and drops it from alerts so Alertmanager deduplicates (promtool)", () => {
        const config = promtoolCheck(parseSettings("prod", STORE), 2);
        assert.deepEqual(config.global.external_labels, { cluster: "gpu-east", stack: "prod", replica: "${POD_NAME}" });
        assert.deepEqual(config.alerting.alert_relabel_configs, [{ action: "labeldrop", regex: "replica" }]);
    });
});

describe("remote write filter", () => {
    it("finds the same names in every dashboard query and alert as Prometheus' grammar does", () => {
        for (const [variant, raw] of Object.entries(SETTINGS_VARIANTS)) {
            for (const expr of readExprs(parseSettings("dev", raw))) {
                const ours = namesRead(expr);
                const lezer = namesByLezer(expr);
                assert.deepEqual([...ours.names].sort(), [...lezer.names].sort(), `${variant}: ${expr}`);
                assert.deepEqual([...ours.patterns].sort(), [...lezer.patterns].sort(), `${variant}: ${expr}`);
            }
        }
    });

    it("keeps every series the dashboard and alerts read, every recorded series, up and ALERTS", () => {
        for (const [variant, raw] of Object.entries(SETTINGS_VARIANTS)) {
            const s = parseSettings("dev", { ...raw, ...STORE });
            const config = prometheusConfig(s, dockerTopology(s)) as any;
            const needed = new Set(["up", "ALERTS", ...recordedSeriesNames()]);
            for (const expr of readExprs(s)) for (const n of namesByLezer(expr).names) needed.add(n);
            for (const n of needed) assert.ok(kept(config, n), `${variant}: ${n} is dropped`);
            // A `__name__` pattern keeps what it matches.
            assert.ok(kept(config, "ananke_relaxation_events_by_domain_total"), `${variant}: the fork's Ananke series`);
        }
    });

    it("drops raw series nothing reads (most of what exporters write)", () => {
        const s = parseSettings("dev", STORE);
        const config = prometheusConfig(s, dockerTopology(s)) as any;
        for (const n of [
            "node_cpu_seconds_total",
            "go_gc_duration_seconds",
            "sglang:num_requests_total_bucket_unused",
            "DCGM_FI_DEV_SM_CLOCK",
            "prometheus_tsdb_head_series",
        ]) {
            assert.ok(!kept(config, n), `${n} is sent`);
        }
        const keep = remoteWriteKeep(s);
        assert.ok(keep.names.length > recordedSeriesNames().length, "raw series read directly are added to the recorded ones");
    });
});

describe("Alertmanager cluster flags", () => {
    it("name each StatefulSet replica through the headless Service", () => {
        const peers = alertmanagerPeers({ statefulSet: "alertmanager", headlessService: "alertmanager-cluster", namespace: "sglang", replicas: 3 });
        assert.deepEqual(peers, [
            "alertmanager-0.alertmanager-cluster.sglang.svc:9094",
            "alertmanager-1.alertmanager-cluster.sglang.svc:9094",
            "alertmanager-2.alertmanager-cluster.sglang.svc:9094",
        ]);
        assert.deepEqual(alertmanagerClusterFlags({ listenAddress: "0.0.0.0:9094", peers: peers.slice(0, 1) }), [
            "--cluster.listen-address=0.0.0.0:9094",
            "--cluster.peer=alertmanager-0.alertmanager-cluster.sglang.svc:9094",
        ]);
    });

    it("turn clustering off with no peers", () => {
        assert.deepEqual(alertmanagerClusterFlags({ listenAddress: "0.0.0.0:9094", peers: [] }), ["--cluster.listen-address="]);
    });
});
