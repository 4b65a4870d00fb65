import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import { ServiceComponent } from "../platform/service";
import type { Platform } from "../platform/types";
import { blackboxExporterSpec } from "./spec";

export interface BlackboxExporterArgs {
    /** Validated stack settings (image, the canary's request). */
    settings: Settings;
    /** Where the prober runs. */
    platform: Platform;
    /** SGLang's API key (secret), which the canary sends; undefined when the server has none. */
    apiKey?: pulumi.Output<string>;
}

/** The blackbox exporter that sends the synthetic canary's requests. */
export class BlackboxExporter extends ServiceComponent {
    constructor(name: string, args: BlackboxExporterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:blackboxExporter:Exporter", name, opts);
        this.deployService(blackboxExporterSpec(args.settings, args.apiKey), args.platform);
    }
}
