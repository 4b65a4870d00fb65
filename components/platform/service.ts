import * as pulumi from "@pulumi/pulumi";
import type { DeployedService, Platform, ServiceSpec } from "./types";

/**
 * A ComponentResource for one service: it hands the service's spec to the
 * platform, which creates every child resource under this component.
 */
export abstract class ServiceComponent extends pulumi.ComponentResource {
    service!: DeployedService;
    spec!: ServiceSpec;

    protected constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
    }

    /** Deploys the spec; subclasses call it once from their constructor. */
    protected deployService(spec: ServiceSpec, platform: Platform, outputs: pulumi.Inputs = {}): void {
        this.spec = spec;
        this.service = platform.deploy(spec, this);
        this.registerOutputs({
            addresses: spec.ports.map((p) => this.service.address(p.name)),
            ...outputs,
        });
    }

    /** URL of the service inside the stack's network (datasources, scrape targets). */
    internalUrl(port: string): string {
        return `http://${this.service.address(port)}`;
    }
}
