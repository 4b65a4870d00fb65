import type * as pulumi from "@pulumi/pulumi";
import { ServiceComponent } from "../platform/service";
import type { Platform, ServiceSpec } from "../platform/types";

export interface GpuExporterArgs {
    /** The exporter to run, from `gpuExporterSpec(settings)` (DCGM or nvidia_gpu_exporter). */
    spec: ServiceSpec;
    /** Where the exporter runs (one per GPU host or node). */
    platform: Platform;
}

/** The GPU metrics exporter, given every GPU of its host. */
export class GpuExporter extends ServiceComponent {
    constructor(name: string, args: GpuExporterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:gpuExporter:Exporter", name, opts);
        this.deployService(args.spec, args.platform);
    }
}
