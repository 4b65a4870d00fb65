import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import { ServiceComponent } from "../platform/service";
import type { Platform } from "../platform/types";
import type { WebAuthSecrets } from "../webAuth";
import { type PrometheusContent, type PrometheusSecrets, prometheusSpec } from "./spec";

export interface PrometheusArgs {
    /** Validated stack settings (image, retention, port). */
    settings: Settings;
    /** Configuration and rule files rendered by monitoring/. */
    content: PrometheusContent;
    /** Basic auth of its web server and the passwords it calls Alertmanager and itself with. */
    web: WebAuthSecrets;
    /** Remote write's credentials, mounted as files prometheus.yml names; default none. */
    secrets?: PrometheusSecrets;
    platform: Platform;
}

/** Prometheus with the program's scrape configuration, recording and alert rules. */
export class Prometheus extends ServiceComponent {
    constructor(name: string, args: PrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:prometheus:Server", name, opts);
        this.deployService(prometheusSpec(args.settings, args.content, args.web, args.secrets ?? {}), args.platform);
    }
}
