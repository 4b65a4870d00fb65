import type * as pulumi from "@pulumi/pulumi";
import { CANARY_API_KEY_FILE, renderBlackboxConfig } from "../../monitoring/canary";
import type { Settings } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import type { ServiceSpec } from "../platform/types";
import { BLACKBOX_EXPORTER, BLACKBOX_PORT } from "./service";

const CONFIG_FILE = "/etc/blackbox/blackbox.yml";

/** The prober with the canary's module; SGLang's API key, when set, as a secret file it reads per probe. */
export function blackboxExporterSpec(settings: Settings, apiKey: pulumi.Output<string> | undefined): ServiceSpec {
    return {
        ...specFromDefinition(BLACKBOX_EXPORTER, settings),
        image: settings.services["blackbox-exporter"].image,
        args: [`--config.file=${CONFIG_FILE}`, `--web.listen-address=:${BLACKBOX_PORT}`],
        env: {},
        files: [
            { path: CONFIG_FILE, content: renderBlackboxConfig(settings, apiKey ? CANARY_API_KEY_FILE : undefined), secret: false },
            ...(apiKey ? [{ path: CANARY_API_KEY_FILE, content: apiKey, secret: true }] : []),
        ],
        volumes: [],
        // The image has wget (busybox).
        health: { path: "/-/healthy", port: "http", startupSeconds: 30, tool: "busybox" },
        resources: { cpu: "50m", memory: "32Mi", memoryLimit: "128Mi" },
    };
}
