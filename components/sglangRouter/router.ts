import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import { ServiceComponent } from "../platform/service";
import type { Platform } from "../platform/types";
import { routerSpec } from "./spec";

export interface SglangRouterArgs {
    /** Validated stack settings (image, policy, port, where the workers are). */
    settings: Settings;
    /** Where the router runs. */
    platform: Platform;
    /** SGLang's API key (secret): clients send it to the router, the router to the workers; undefined = none. */
    apiKey?: pulumi.Output<string>;
}

/** SGLang's router in front of the SGLang servers: the OpenAI endpoint when it runs. */
export class SglangRouter extends ServiceComponent {
    constructor(name: string, args: SglangRouterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:sglangRouter:Router", name, opts);
        this.deployService(routerSpec(args.settings, args.apiKey), args.platform);
    }
}
