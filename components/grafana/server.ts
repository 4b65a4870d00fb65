import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Settings } from "../../settings";
import { ServiceComponent } from "../platform/service";
import type { Platform } from "../platform/types";
import { grafanaSpec } from "./spec";

export interface GrafanaArgs {
    /** Validated stack settings (image, admin user, port). */
    settings: Settings;
    /** Grafana's public root URL (links it generates). */
    rootUrl: string;
    platform: Platform;
}

/** Grafana with a generated admin password, sign-up and anonymous access off. */
export class Grafana extends ServiceComponent {
    readonly adminUser: string;
    /** Generated; a secret Output. */
    readonly adminPassword: pulumi.Output<string>;

    constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:grafana:Server", name, opts);
        const password = new random.RandomPassword(`${name}-admin-password`, { length: 32, special: false }, { parent: this });
        this.adminUser = args.settings.grafana.adminUser;
        this.adminPassword = pulumi.secret(password.result);
        this.deployService(grafanaSpec(args.settings, this.adminPassword, args.rootUrl), args.platform);
    }
}
