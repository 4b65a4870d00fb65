import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import { ServiceComponent } from "../platform/service";
import type { Platform } from "../platform/types";
import { nodeExporterSpec } from "./spec";

export interface NodeExporterArgs {
    /** Validated stack settings (image, port). */
    settings: Settings;
    /** Where the exporter runs (one per host or node). */
    platform: Platform;
}

/** Prometheus node exporter: host CPU, memory, disk and network. */
export class NodeExporter extends ServiceComponent {
    constructor(name: string, args: NodeExporterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:nodeExporter:Exporter", name, opts);
        this.deployService(nodeExporterSpec(args.settings), args.platform);
    }
}
