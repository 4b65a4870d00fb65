import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../../settings";
import { type DeployedService, type Platform, type ServiceSpec, workloadName } from "../types";
import { type ContainerInputs, containerArgs, SERVICE_LABEL, workloadLabels } from "./container";

/**
 * `wait` holds the create (or replace) until the container is healthy, which
 * for SGLang includes downloading and loading the model: give the operation
 * the start period plus a margin rather than the provider's default.
 */
export function containerTimeouts(spec: ServiceSpec): pulumi.CustomTimeouts | undefined {
    if (!spec.health) return undefined;
    const minutes = `${Math.ceil((spec.health.startupSeconds + 600) / 60)}m`;
    return { create: minutes, update: minutes };
}

export interface DockerHostArgs {
    /** The stack's name and `settings.docker`: which daemon, how ports are published. */
    settings: Pick<Settings, "stack" | "docker">;
}

/**
 * A Docker daemon (local, or remote over ssh://) with one user-defined
 * network on which every service is reached by its name.
 */
export class DockerHost extends pulumi.ComponentResource implements Platform {
    readonly provider: docker.Provider;
    readonly network: docker.Network;
    private readonly settings: DockerHostArgs["settings"];

    constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:docker:Host", name, {}, opts);
        this.settings = args.settings;
        const host = args.settings.docker.host;
        this.provider = new docker.Provider(
            `${name}-provider`,
            {
                ...(host ? { host } : {}),
                // Reuse one SSH connection for the many API calls of an update.
                ...(host.startsWith("ssh://") ? { sshOpts: ["-o", "ControlMaster=auto", "-o", "ControlPersist=60s"] } : {}),
            },
            { parent: this },
        );
        this.network = new docker.Network(
            `${name}-network`,
            {
                name: `sglang-ananke-${args.settings.stack}`,
                driver: "bridge",
                labels: [{ label: SERVICE_LABEL, value: "network" }],
            },
            { parent: this, provider: this.provider },
        );
        this.registerOutputs({ networkName: this.network.name });
    }

    /**
     * A service's containers, image and volumes, named after its workload: the
     * servers of several models (one spec each) never share a name, a model
     * cache or an image. The short form's names are the service's alone.
     */
    deploy(spec: ServiceSpec, parent: pulumi.ComponentResource): DeployedService {
        const childOpts = { parent, provider: this.provider };
        const name = workloadName(spec);
        const prefix = `sglang-ananke-${this.settings.stack}-${name}`;
        const image = new docker.RemoteImage(
            `${name}-image`,
            {
                name: spec.image,
                // Keep multi-gigabyte images on the host when a container is replaced.
                keepLocally: true,
            },
            { ...childOpts, customTimeouts: { create: "60m", update: "60m" } },
        ); // SGLang images are ~10 GB
        const volumes = spec.volumes.map((v) => ({
            spec: v,
            volume: new docker.Volume(
                `${name}-${v.name}`,
                {
                    name: `${prefix}-${v.name}`,
                    labels: workloadLabels(spec),
                },
                { ...childOpts, retainOnDelete: spec.docker.retainedVolumes.includes(v.name) },
            ),
        }));
        const mounted = volumes.map(({ spec: v, volume }) => ({ volumeName: volume.name, containerPath: v.mountPath }));
        const containerOf = (resourceName: string, inputs: Pick<ContainerInputs, "spec" | "containerName" | "aliases">) =>
            new docker.Container(
                resourceName,
                containerArgs({ ...inputs, settings: this.settings, imageId: image.imageId, networkName: this.network.name, volumes: mounted }),
                { ...childOpts, customTimeouts: containerTimeouts(spec) },
            );
        const workers = spec.docker.workers;
        const containers = workers
            ? workers.map((w) =>
                  containerOf(w.name, {
                      // Each worker its own GPUs; all share the volumes (one model cache) and answer to the workload's name too.
                      spec: { ...spec, gpus: { count: w.deviceIds.length, deviceIds: w.deviceIds } },
                      containerName: `sglang-ananke-${this.settings.stack}-${w.name}`,
                      aliases: [...new Set([w.name, name])],
                  }),
              )
            : // One server: the service's (short form), or its model's behind the router.
              [containerOf(name, { spec, containerName: prefix, aliases: [name] })];

        const portOf = (port: string) => {
            const found = spec.ports.find((p) => p.name === port);
            if (!found) throw new Error(`service ${spec.name} has no port named ${port}`);
            return found;
        };
        return {
            address: (port) => `${name}:${portOf(port).containerPort}`,
            readyResources: containers,
        };
    }
}
