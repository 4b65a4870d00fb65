/** The specs of every service a stack builds with given settings, outside a Pulumi program (file contents do not matter). */
import * as pulumi from "@pulumi/pulumi";
import { alertmanagerSpec } from "../../components/alertmanager/spec";
import { blackboxExporterSpec } from "../../components/blackboxExporter/spec";
import { gpuExporterSpec } from "../../components/gpuExporter/spec";
import { grafanaSpec } from "../../components/grafana/spec";
import { nodeExporterSpec } from "../../components/nodeExporter/spec";
import type { ServiceSpec } from "../../components/platform/types";
import { prometheusSpec } from "../../components/prometheus/spec";
import { sglangSpec } from "../../components/sglang/spec";
import { routerDeployed } from "../../components/sglangRouter/service";
import { routerSpec } from "../../components/sglangRouter/spec";
import type { Settings } from "../../settings";
import { TEST_WEB_AUTH } from "./web-auth";

export function stackSpecs(s: Settings): ServiceSpec[] {
    const all = [
        sglangSpec(s, {}),
        prometheusSpec(s, { config: "", ruleFiles: {}, externalUrl: "http://prometheus:9090" }, TEST_WEB_AUTH),
        alertmanagerSpec(
            s,
            {
                config: "",
                secretFiles: { slackWebhookUrl: "/a", pagerdutyRoutingKey: "/b", heartbeatUrl: "/c" },
                externalUrl: "http://alertmanager:9093",
            },
            TEST_WEB_AUTH,
            {},
        ),
        grafanaSpec(s, pulumi.output("x"), "http://grafana:3000"),
        nodeExporterSpec(s),
        gpuExporterSpec(s),
        s.canary.enabled ? blackboxExporterSpec(s, undefined) : undefined,
        routerDeployed(s) ? routerSpec(s, undefined) : undefined,
    ];
    return all.filter((x): x is ServiceSpec => x !== undefined);
}
