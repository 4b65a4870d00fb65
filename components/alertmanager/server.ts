import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import { ServiceComponent } from "../platform/service";
import type { Platform } from "../platform/types";
import type { WebAuthSecrets } from "../webAuth";
import { type AlertmanagerContent, type AlertmanagerSecrets, alertmanagerSpec } from "./spec";

export interface AlertmanagerArgs {
    /** Validated stack settings (image, port). */
    settings: Settings;
    /** Configuration rendered by monitoring/, referring to credentials by file. */
    content: AlertmanagerContent;
    /** Basic auth of its web server. */
    web: WebAuthSecrets;
    /** Slack, PagerDuty and heartbeat credentials, mounted as files; default none. */
    secrets?: AlertmanagerSecrets;
    platform: Platform;
}

/** Alertmanager routing critical alerts to PagerDuty and the rest to Slack. */
export class Alertmanager extends ServiceComponent {
    constructor(name: string, args: AlertmanagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:alertmanager:Server", name, opts);
        this.deployService(alertmanagerSpec(args.settings, args.content, args.web, args.secrets ?? {}), args.platform);
    }
}
