/** The blackbox exporter: runs the synthetic canary's probes (monitoring/canary.ts) against SGLang's OpenAI endpoint. */
import * as c from "../../settings/checks";
import { def } from "../../settings/keys";
import { fixedPort, type ServiceDefinition } from "../platform/definition";
import { openaiService } from "../sglangRouter/service";

const GROUP = "Canary";

/** The port the blackbox exporter listens on. */
export const BLACKBOX_PORT = 9115;

export const BLACKBOX_EXPORTER_KEYS = {
    image: def(
        GROUP,
        "blackboxExporterImage",
        "string",
        "prom/blackbox-exporter:v0.25.0",
        "Blackbox exporter image (the canary's prober).",
        c.pinnedImage(),
    ),
} as const;

export const BLACKBOX_EXPORTER: ServiceDefinition<"blackbox-exporter", typeof BLACKBOX_EXPORTER_KEYS> = {
    name: "blackbox-exporter",
    role: "monitoring",
    // Only Prometheus talks to it: nothing is published on the Docker host. Its own metrics are
    // not scraped: the canary's job goes through it, and TargetDown fires for that job if it is down.
    ports: [{ name: "http", containerPort: fixedPort(BLACKBOX_PORT), probe: true }],
    keys: BLACKBOX_EXPORTER_KEYS,
    // In operator mode too: the cluster's Prometheus probes through it (a Probe object).
    deployed: (s) => s.canary.enabled,
    // The canary's request.
    calls: (s) => [{ service: openaiService(s), port: "http" }],
    // The v0.25 image runs as root; HTTP probes need no privilege, so `nobody`.
    kubernetes: { runAsUser: () => 65534 },
};
