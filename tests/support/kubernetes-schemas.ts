/**
 * Test support: validates Kubernetes objects the program registers against
 * the API schemas of `kubernetes-models` (core and built-in groups) and
 * `@kubernetes-models/prometheus-operator` (monitoring.coreos.com). KEDA
 * publishes no such package: ScaledObjects and TriggerAuthentications get a
 * structural check of the fields KEDA's admission webhook insists on.
 * LeaderWorkerSets are checked against their CRD's schema, vendored from
 * kubernetes-sigs/lws (`leaderworkerset-schema.ts`).
 */
import { leaderWorkerSetProblems } from "./leaderworkerset-schema";

interface Validatable {
    validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Validatable;

/** "kubernetes:apps/v1:Deployment" → the ESM module path of its model, or undefined when none exists. */
export function modelModule(type: string): { module: string; kind: string } | undefined {
    const m = /^kubernetes:([^/]+)\/([^:]+):(\w+)$/.exec(type);
    if (!m) return undefined;
    const [, group, version, kind] = m;
    if (group === "core") return { module: `kubernetes-models/${version}/${kind}`, kind };
    if (group === "monitoring.coreos.com") return { module: `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`, kind };
    if (group.endsWith(".k8s.io") || ["apps", "batch", "autoscaling", "policy"].includes(group)) {
        return { module: `kubernetes-models/${group}/${version}/${kind}`, kind };
    }
    return undefined;
}

const loaded = new Map<string, ModelClass>();

async function modelClass(module: string, kind: string): Promise<ModelClass> {
    if (!loaded.has(module)) {
        // The model packages are ES modules only.
        const mod = (await import(module)) as Record<string, ModelClass>;
        if (!mod[kind]) throw new Error(`${module} exports no ${kind}`);
        loaded.set(module, mod[kind]);
    }
    return loaded.get(module)!;
}

/** Drops undefined members, as the Kubernetes API server would never see them. */
function clean(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, clean(v)]),
        );
    }
    return value;
}

/** KEDA's ScaledObject: the fields and types its webhook and controller require. */
export function checkScaledObject(obj: Record<string, any>): string[] {
    const problems: string[] = [];
    const spec = obj.spec ?? {};
    const isInt = (v: unknown) => Number.isInteger(v);
    if (obj.apiVersion !== "keda.sh/v1alpha1" || obj.kind !== "ScaledObject") problems.push("apiVersion/kind must be keda.sh/v1alpha1 ScaledObject");
    if (typeof spec.scaleTargetRef?.name !== "string" || !spec.scaleTargetRef.name) problems.push("spec.scaleTargetRef.name is required");
    for (const key of ["pollingInterval", "cooldownPeriod", "minReplicaCount", "maxReplicaCount"]) {
        if (spec[key] !== undefined && !(isInt(spec[key]) && spec[key] >= 0)) problems.push(`spec.${key} must be a non-negative integer`);
    }
    if (isInt(spec.minReplicaCount) && isInt(spec.maxReplicaCount) && spec.minReplicaCount > spec.maxReplicaCount)
        problems.push("minReplicaCount > maxReplicaCount");
    const triggers: any[] = spec.triggers ?? [];
    if (triggers.length === 0) problems.push("spec.triggers must not be empty");
    for (const [i, t] of triggers.entries()) {
        if (typeof t.type !== "string") problems.push(`triggers[${i}].type is required`);
        // Trigger metadata is map[string]string in KEDA's API.
        for (const [k, v] of Object.entries(t.metadata ?? {}))
            if (typeof v !== "string") problems.push(`triggers[${i}].metadata.${k} must be a string`);
        if (t.type === "prometheus") {
            for (const k of ["serverAddress", "query", "threshold"])
                if (!t.metadata?.[k]) problems.push(`triggers[${i}].metadata.${k} is required for prometheus`);
            if (t.metadata?.threshold !== undefined && Number.isNaN(Number(t.metadata.threshold)))
                problems.push(`triggers[${i}].metadata.threshold must be a number`);
        }
        if (t.metadata?.authModes !== undefined && typeof t.authenticationRef?.name !== "string")
            problems.push(`triggers[${i}].metadata.authModes needs authenticationRef.name (the credentials' TriggerAuthentication)`);
        if (t.metricType !== undefined && !["AverageValue", "Value", "Utilization"].includes(t.metricType))
            problems.push(`triggers[${i}].metricType is not a KEDA metric type`);
        if (t.metadata?.activationThreshold !== undefined && Number.isNaN(Number(t.metadata.activationThreshold)))
            problems.push(`triggers[${i}].metadata.activationThreshold must be a number`);
    }
    // KEDA's webhook refuses two triggers of one name.
    const names = triggers.map((t) => t.name).filter((n) => n !== undefined);
    if (new Set(names).size !== names.length) problems.push("trigger names must be unique");
    // The API server refuses HPA stabilization windows outside 0..3600 s (HPAScalingRules).
    const behavior = spec.advanced?.horizontalPodAutoscalerConfig?.behavior ?? {};
    for (const direction of ["scaleUp", "scaleDown"]) {
        const w = behavior[direction]?.stabilizationWindowSeconds;
        if (w !== undefined && !(isInt(w) && w >= 0 && w <= 3600))
            problems.push(`behavior.${direction}.stabilizationWindowSeconds must be an integer from 0 to 3600`);
    }
    if (spec.fallback) {
        if (!(isInt(spec.fallback.failureThreshold) && spec.fallback.failureThreshold > 0))
            problems.push("fallback.failureThreshold must be a positive integer");
        if (!(isInt(spec.fallback.replicas) && spec.fallback.replicas >= 0)) problems.push("fallback.replicas must be a non-negative integer");
        // KEDA refuses fallback for triggers that are not AverageValue.
        if (triggers.some((t) => (t.metricType ?? "AverageValue") !== "AverageValue"))
            problems.push("fallback needs every trigger's metricType to be AverageValue");
    }
    return problems;
}

/** KEDA's TriggerAuthentication: each secretTargetRef names a trigger parameter, a Secret and its key. */
export function checkTriggerAuthentication(obj: Record<string, any>): string[] {
    const problems: string[] = [];
    if (obj.apiVersion !== "keda.sh/v1alpha1" || obj.kind !== "TriggerAuthentication")
        problems.push("apiVersion/kind must be keda.sh/v1alpha1 TriggerAuthentication");
    const refs: any[] = obj.spec?.secretTargetRef ?? [];
    if (refs.length === 0) problems.push("spec.secretTargetRef must not be empty");
    for (const [i, r] of refs.entries()) {
        for (const k of ["parameter", "name", "key"]) if (typeof r[k] !== "string" || !r[k]) problems.push(`secretTargetRef[${i}].${k} is required`);
    }
    return problems;
}

/**
 * Validates one registered object (its type token and plain inputs). Returns
 * the problems; a type with no known schema is itself a problem, so that a
 * new kind of object cannot slip through unchecked.
 */
export async function validateObject(type: string, inputs: Record<string, unknown>): Promise<string[]> {
    const obj = clean(inputs) as Record<string, any>;
    if (type === "kubernetes:keda.sh/v1alpha1:ScaledObject") {
        // KEDA hands the behavior to the HPA as is: it must also be a valid autoscaling/v2 behavior.
        const behavior = obj.spec?.advanced?.horizontalPodAutoscalerConfig?.behavior;
        const hpa = behavior
            ? await validateWith("kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerBehavior", "HorizontalPodAutoscalerBehavior", behavior)
            : [];
        return [...checkScaledObject(obj), ...hpa];
    }
    if (type === "kubernetes:keda.sh/v1alpha1:TriggerAuthentication") return checkTriggerAuthentication(obj);
    if (type === "kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet") return leaderWorkerSetProblems(obj);
    const model = modelModule(type);
    if (!model) return [`no schema known for ${type}`];
    return validateWith(model.module, model.kind, obj);
}

async function validateWith(module: string, kind: string, obj: Record<string, unknown>): Promise<string[]> {
    const Model = await modelClass(module, kind);
    try {
        new Model(obj).validate();
        return [];
    } catch (e) {
        return [(e as Error).message];
    }
}
