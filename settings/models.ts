/**
 * The `models` key: several models per stack, each entry a few fields that
 * override the single-model keys. A field is checked by the check of the key
 * it overrides, so `models[1].gpuCount = 3` is refused exactly as
 * `gpuCount = 3` would be, naming the entry and the field.
 */
import { CATALOG_BY_KEY, type CatalogKey } from "./catalog";
import { DNS_LABEL } from "./checks";
import type { ModelSettings, SglangSettings, SloSettings } from "./types";

/** Each entry field and the single-model key it overrides (and whose check and default it takes). */
export const MODEL_FIELDS = {
    model: "model",
    servedModelName: "servedModelName",
    image: "sglangImage",
    gpuCount: "gpuCount",
    gpuDevices: "gpuDevices",
    workers: "sglangWorkers",
    replicas: "replicas",
    nodesPerReplica: "sglangNodesPerReplica",
    anankeLanguage: "anankeLanguage",
    anankeMaxRollbackTokens: "anankeMaxRollbackTokens",
    anankeEnabledDomains: "anankeEnabledDomains",
    memFractionStatic: "memFractionStatic",
    extraArgs: "sglangExtraArgs",
    startupSeconds: "sglangStartupSeconds",
    availabilityObjective: "sloAvailabilityObjective",
    latencyObjective: "sloLatencyObjective",
    ttftThresholdSeconds: "sloTtftThresholdSeconds",
} as const satisfies Record<string, CatalogKey>;

type Field = keyof typeof MODEL_FIELDS;
/** A field of a `models` entry. */
export type ModelField = Field;

/**
 * How a check names one model's field: the single-model key in the short
 * form (its messages are those of the single-model keys), `models[i].<field>`
 * for an entry of `models`.
 */
export function fieldNamer(models: readonly ModelSettings[], model: ModelSettings): (field: ModelField) => string {
    if (model.name === "") return (field) => MODEL_FIELDS[field];
    const i = models.indexOf(model);
    return (field) => `models[${i}].${field}`;
}

/** Longest model name: `sglang-<name>` plus a pod's or container's suffix stays within Kubernetes' 63 characters. */
export const MODEL_NAME_MAX = 30;

/** What every entry falls back to: the single-model keys, already checked. */
export interface ModelDefaults {
    sglang: SglangSettings;
    image: string;
    replicas: number;
    slo: SloSettings;
}

const key = (k: string) => `sglang-ananke:${k}`;

/** The short form: the single-model keys as the one model, its objects named after the service alone. */
export function shortFormModel(d: ModelDefaults): ModelSettings {
    return {
        ...d.sglang,
        name: "",
        serviceName: "sglang",
        image: d.image,
        replicas: d.replicas,
        slo: {
            availabilityObjective: d.slo.availabilityObjective,
            latencyObjective: d.slo.latencyObjective,
            latencyThresholdSeconds: d.slo.latencyThresholdSeconds,
        },
    };
}

/**
 * The models of `models`, each field its own value or the single-model
 * key's, with the problems found (every one, named `models[i].field`).
 * Without entries: the short form.
 */
export function resolveModels(entries: Record<string, unknown>[], d: ModelDefaults): { models: ModelSettings[]; problems: string[] } {
    if (entries.length === 0) return { models: [shortFormModel(d)], problems: [] };
    const problems: string[] = [];
    const models = entries.map((entry, i) => resolveEntry(entry, i, d, problems));
    for (const [field, values] of [
        ["name", models.map((m) => m.name)],
        ["servedModelName", models.map((m) => m.servedModelName)],
    ] as const) {
        const seen = new Map<string, number>();
        values.forEach((v, i) => {
            // An entry without its model is reported as such, not as a duplicate of the default model.
            if (field === "servedModelName" && entries[i].model === undefined) return;
            const first = seen.get(v);
            if (first === undefined) seen.set(v, i);
            else
                problems.push(
                    `${key(`models[${i}].${field}`)} = ${JSON.stringify(v)} is also models[${first}]'s: each model's ${field} must be unique`,
                );
        });
    }
    return { models, problems };
}

function resolveEntry(entry: Record<string, unknown>, i: number, d: ModelDefaults, problems: string[]): ModelSettings {
    const at = (field: string) => key(`models[${i}].${field}`);
    for (const field of Object.keys(entry)) {
        if (field !== "name" && !(field in MODEL_FIELDS)) {
            problems.push(`${at(field)} is not a model field; allowed: name, ${Object.keys(MODEL_FIELDS).join(", ")}`);
        }
    }
    const name = entry.name;
    const validName = typeof name === "string" && DNS_LABEL.test(name) && name.length <= MODEL_NAME_MAX;
    if (!validName) {
        problems.push(
            `${at("name")} = ${JSON.stringify(name ?? null)}: must be a DNS label of at most ${MODEL_NAME_MAX} lowercase letters, digits and dashes (it names the model's objects, sglang-<name>)`,
        );
    }
    if (entry.model === undefined) problems.push(`${at("model")} is required: the model's Hugging Face id or a path in its model cache`);

    /** The entry's checked value of a field, or `fallback` when absent or refused (the refusal reported). */
    const get = <T>(field: Field, fallback: T): T => {
        const given = entry[field];
        if (given === undefined || given === null) return fallback;
        const def = CATALOG_BY_KEY.get(MODEL_FIELDS[field]);
        const r = def ? def.check(given) : { ok: false as const, allowed: "unknown" };
        if (r.ok) return r.value as T;
        problems.push(`${at(field)} = ${JSON.stringify(given)}: must be ${r.allowed} (as for ${MODEL_FIELDS[field]})`);
        return fallback;
    };
    const model = get("model", d.sglang.modelPath);
    return {
        name: validName ? name : `model-${i}`,
        serviceName: `sglang-${validName ? name : `model-${i}`}`,
        modelPath: model,
        // Another model's served name would route its requests here: the default is this entry's model.
        servedModelName: get("servedModelName", "") || model,
        image: get("image", d.image),
        gpuCount: get("gpuCount", d.sglang.gpuCount),
        gpuDevices: get("gpuDevices", d.sglang.gpuDevices),
        workers: get("workers", d.sglang.workers),
        replicas: get("replicas", d.replicas),
        nodesPerReplica: get("nodesPerReplica", d.sglang.nodesPerReplica),
        anankeLanguage: get("anankeLanguage", d.sglang.anankeLanguage),
        anankeMaxRollbackTokens: get("anankeMaxRollbackTokens", d.sglang.anankeMaxRollbackTokens),
        anankeEnabledDomains: get("anankeEnabledDomains", d.sglang.anankeEnabledDomains),
        memFractionStatic: get("memFractionStatic", d.sglang.memFractionStatic),
        extraArgs: get("extraArgs", d.sglang.extraArgs),
        shmSizeMiB: d.sglang.shmSizeMiB,
        startupSeconds: get("startupSeconds", d.sglang.startupSeconds),
        slo: {
            availabilityObjective: get("availabilityObjective", d.slo.availabilityObjective),
            latencyObjective: get("latencyObjective", d.slo.latencyObjective),
            latencyThresholdSeconds: get("ttftThresholdSeconds", d.slo.latencyThresholdSeconds),
        },
    };
}
