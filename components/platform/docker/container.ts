import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../../settings";
import { authenticatedCheck } from "../health";
import { DRAIN_MARGIN_SECONDS, type HealthSpec, type ServiceSpec, workloadName } from "../types";

/** Docker label naming the service; the policy pack identifies GPU users by it. */
export const SERVICE_LABEL = "sglang-ananke.service";
/** Docker label set when ports are published beyond loopback on purpose. */
export const EXPOSED_LABEL = "sglang-ananke.exposed";
/**
 * The log driver every container names: a daemon whose default is another
 * (journald, syslog) refuses json-file's `max-size` and `max-file`.
 */
export const LOG_DRIVER = "json-file";
/** Rotation of each container's log: at most 5 files of 50 MB. */
export const LOG_OPTS = { "max-size": "50m", "max-file": "5" } as const;

export interface ContainerInputs {
    spec: ServiceSpec;
    /** Where ports are published. */
    settings: Pick<Settings, "docker">;
    containerName: string;
    /** Names the container answers to on the network; default its workload's name (the service's, but for one model of several). */
    aliases?: string[];
    imageId: pulumi.Input<string>;
    networkName: pulumi.Input<string>;
    volumes: { volumeName: pulumi.Input<string>; containerPath: string }[];
}

/** The labels of a service's Docker objects: the service, and its workload's own (the model of one of several). */
export function workloadLabels(spec: Pick<ServiceSpec, "name" | "workload">): { label: string; value: string }[] {
    return [{ label: SERVICE_LABEL, value: spec.name }, ...Object.entries(spec.workload?.labels ?? {}).map(([label, value]) => ({ label, value }))];
}

const MIB = 1024 * 1024;

/** Kubernetes-style memory quantity ("512Mi", "4Gi") in MiB, for Docker's `memory`. */
export function quantityToMiB(quantity: string): number {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
    if (!m) throw new Error(`not a memory quantity: ${quantity}`);
    const factor: Record<string, number> = {
        Ki: 1 / 1024,
        Mi: 1,
        Gi: 1024,
        Ti: 1024 * 1024,
        k: 1000 / MIB,
        M: 1e6 / MIB,
        G: 1e9 / MIB,
        T: 1e12 / MIB,
    };
    return Math.ceil(Number(m[1]) * (m[2] ? factor[m[2]] : 1 / MIB));
}

function healthcheck(health: HealthSpec, port: number): docker.types.input.ContainerHealthcheck {
    const url = `http://127.0.0.1:${port}${health.path}`;
    const probe: Record<Exclude<HealthSpec["tool"], "none">, string[]> = {
        busybox: ["CMD", "wget", "-q", "-O", "/dev/null", url],
        curl: ["CMD", "curl", "-fsS", "-o", "/dev/null", url],
        python3: ["CMD", "python3", "-c", `import urllib.request; urllib.request.urlopen("${url}", timeout=5)`],
    };
    return {
        tests: health.basicAuth
            ? ["CMD", ...authenticatedCheck(health, port, health.path)]
            : probe[health.tool as Exclude<HealthSpec["tool"], "none">],
        interval: "15s",
        timeout: "10s",
        retries: 5,
        // Failures during the start period (model download and loading) do not count.
        startPeriod: `${health.startupSeconds}s`,
        startInterval: "5s",
    };
}

/** The docker.Container arguments for a service: everything the spec says, nothing more. */
export function containerArgs(inputs: ContainerInputs): docker.ContainerArgs {
    const { spec, settings } = inputs;
    const published = spec.ports.filter((p) => p.publishedPort !== undefined);
    const exposed = published.some((p) => p.publishedOn !== "127.0.0.1");
    const readOnlyRoot = spec.docker.readOnlyRootFilesystem ?? false;
    // Docker refuses to copy files into a read-only root filesystem.
    if (readOnlyRoot && spec.files.length > 0) throw new Error(`${spec.name}: files cannot be uploaded into a read-only root filesystem`);
    const healthPort = spec.health && spec.ports.find((p) => p.name === spec.health!.port);
    const checked = spec.health && spec.health.tool !== "none" && healthPort;
    const gpus = spec.gpus;
    return {
        name: inputs.containerName,
        image: inputs.imageId,
        ...(spec.command ? { entrypoints: spec.command } : {}),
        command: spec.args,
        envs: Object.entries({ ...spec.env, ...(spec.nodeNameEnv ? { [spec.nodeNameEnv]: settings.docker.hostName } : {}) }).map(
            ([k, v]) => `${k}=${v}`,
        ),
        restart: "unless-stopped",
        networksAdvanced: [{ name: inputs.networkName, aliases: inputs.aliases ?? [workloadName(spec)] }],
        ports: published.map((p) => ({ internal: p.containerPort, external: p.publishedPort, ip: p.publishedOn, protocol: "tcp" })),
        volumes: inputs.volumes.map((v) => ({ volumeName: v.volumeName, containerPath: v.containerPath })),
        mounts: (spec.host?.mounts ?? []).map((m) => ({
            type: "bind",
            source: m.hostPath,
            target: m.mountPath,
            readOnly: m.readOnly,
            ...(m.propagation ? { bindOptions: { propagation: m.propagation } } : {}),
        })),
        uploads: spec.files.map((f) => ({
            file: f.path,
            content: f.secret ? pulumi.secret(f.content) : f.content,
            // Readable by the service's non-root user; the container is the boundary.
            permissions: "0444",
        })),
        ...(spec.user ? { user: spec.user } : {}),
        ...(spec.host?.pid ? { pidMode: "host" } : {}),
        // Every capability dropped, those the service needs added back; no setuid binary gains more.
        capabilities: { drops: ["ALL"], ...(spec.capabilities?.length ? { adds: spec.capabilities } : {}) },
        securityOpts: ["no-new-privileges:true"],
        ...(readOnlyRoot ? { readOnly: true } : {}),
        ...(gpus === "all" ? { gpus: "all" } : {}),
        ...(gpus && gpus !== "all"
            ? {
                  deviceRequests: [
                      {
                          driver: "nvidia",
                          capabilities: ["gpu"],
                          ...(gpus.deviceIds.length > 0 ? { deviceIds: gpus.deviceIds.map(String) } : { count: gpus.count }),
                      },
                  ],
              }
            : {}),
        ...(spec.shmMiB ? { shmSize: spec.shmMiB } : {}),
        // `docker stop` waits this long before SIGKILL (default 10 s).
        ...(spec.drainSeconds !== undefined ? { stopTimeout: spec.drainSeconds + DRAIN_MARGIN_SECONDS } : {}),
        memory: quantityToMiB(spec.resources.memoryLimit),
        ...(checked
            ? { healthcheck: healthcheck(spec.health!, healthPort.containerPort), wait: true, waitTimeout: spec.health!.startupSeconds + 120 }
            : {}),
        labels: [
            ...workloadLabels(spec),
            { label: EXPOSED_LABEL, value: String(exposed) },
            { label: "org.opencontainers.image.source", value: spec.image },
        ],
        logDriver: LOG_DRIVER,
        logOpts: { ...LOG_OPTS },
    };
}
