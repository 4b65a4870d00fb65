import type * as pulumi from "@pulumi/pulumi";
import type { ModelSettings, Settings } from "../../settings";
import { ServiceComponent } from "../platform/service";
import type { Platform } from "../platform/types";
import { type SglangSecrets, sglangSpec } from "./spec";

export interface SglangServerArgs {
    /** Validated stack settings (model, image, GPUs, Ananke flags, port). */
    settings: Settings;
    /** Where the server runs. */
    platform: Platform;
    /** Hugging Face token and API key, mounted as files; default none. */
    secrets?: SglangSecrets;
    /** The model it serves; default the short form's only model. */
    model?: ModelSettings;
}

/** One model's SGLang servers, with the Ananke grammar backend, on GPUs, with /metrics on. */
export class SglangServer extends ServiceComponent {
    constructor(name: string, args: SglangServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:sglang:Server", name, opts);
        this.deployService(sglangSpec(args.settings, args.secrets ?? {}, args.model), args.platform);
    }
}
