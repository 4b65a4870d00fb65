/**
 * Every service of the stack, once. The service name type, the job names,
 * the configuration catalogue's per-service sections and both scrape
 * topologies are derived from this list; adding a service is its folder,
 * one line here and its tests (docs/architecture.md). Pure.
 */

import type { Settings } from "../settings/types";
import { ALERTMANAGER } from "./alertmanager/service";
import { BLACKBOX_EXPORTER } from "./blackboxExporter/service";
import { GPU_EXPORTER } from "./gpuExporter/service";
import { GRAFANA } from "./grafana/service";
import { NODE_EXPORTER } from "./nodeExporter/service";
import type { ServiceDefinition, ServiceSettingsOf } from "./platform/definition";
import { PROMETHEUS } from "./prometheus/service";
import { SGLANG } from "./sglang/service";
import { SGLANG_ROUTER } from "./sglangRouter/service";

/** In scrape order. */
export const SERVICES = [SGLANG, SGLANG_ROUTER, NODE_EXPORTER, GPU_EXPORTER, BLACKBOX_EXPORTER, PROMETHEUS, ALERTMANAGER, GRAFANA] as const;

type Service = (typeof SERVICES)[number];

/** A service's name: also its job, DNS name and `app.kubernetes.io/name`. */
export type ServiceName = Service["name"];

/** Each service's own settings, typed from its keys' declarations. */
export type ServiceSettings = { [S in Service as S["name"]]: ServiceSettingsOf<S["keys"]> };

export const SERVICE_BY_NAME = Object.fromEntries(SERVICES.map((s) => [s.name, s])) as { [S in Service as S["name"]]: S };

/** The services the stack runs with these settings. */
export function deployedServices(settings: Settings): readonly ServiceDefinition<ServiceName>[] {
    return SERVICES.filter((s) => (s as ServiceDefinition).deployed(settings));
}

/** Every service's configuration keys, for the catalogue. */
export const SERVICE_KEYS: readonly ServiceKeyDef[] = SERVICES.flatMap((s) => Object.values(s.keys) as ServiceKeyDef[]);

/** The declaration of one of the services' keys, with its own key and value types. */
export type ServiceKeyDef = { [S in Service as S["name"]]: S["keys"][keyof S["keys"]] }[ServiceName];
