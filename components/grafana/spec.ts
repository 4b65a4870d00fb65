import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import { specFromDefinition } from "../platform/definition";
import type { ServiceSpec } from "../platform/types";
import { GRAFANA } from "./service";

export const GRAFANA_PASSWORD_FILE = "/run/secrets/grafana/admin_password";

export function grafanaSpec(settings: Settings, adminPassword: pulumi.Output<string>, rootUrl: string): ServiceSpec {
    return {
        ...specFromDefinition(GRAFANA, settings),
        image: settings.services.grafana.image,
        args: [],
        env: {
            GF_SECURITY_ADMIN_USER: settings.grafana.adminUser,
            // Grafana reads the password from the file: it is never an environment value.
            GF_SECURITY_ADMIN_PASSWORD__FILE: GRAFANA_PASSWORD_FILE,
            GF_USERS_ALLOW_SIGN_UP: "false",
            GF_AUTH_ANONYMOUS_ENABLED: "false",
            GF_AUTH_DISABLE_LOGIN_FORM: "false",
            GF_SERVER_ROOT_URL: rootUrl,
            GF_ANALYTICS_REPORTING_ENABLED: "false",
            GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
            GF_NEWS_NEWS_FEED_ENABLED: "false",
        },
        files: [{ path: GRAFANA_PASSWORD_FILE, content: adminPassword, secret: true }],
        volumes: [{ name: "data", mountPath: "/var/lib/grafana", size: settings.services.grafana.storageSize }],
        health: { path: "/api/health", port: "http", startupSeconds: 120, tool: "busybox" },
        user: "472:0",
        resources: { cpu: "100m", memory: "256Mi", memoryLimit: "1Gi" },
    };
}
