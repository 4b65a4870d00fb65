/**
 * Test support: validates a LeaderWorkerSet against the openAPIV3Schema of
 * its CRD, vendored from kubernetes-sigs/lws at a named release (see the
 * JSON file's `source`): no kubernetes-models package covers this API.
 *
 * Stricter than the API server in one way: an object that lists its
 * `properties` admits no other field, so a misspelt field fails here rather
 * than being silently pruned by the server.
 */
import Ajv from "ajv";
import vendored from "./leaderworkerset-v1.schema.json";

/** The release and commit the schema was taken from. */
export const LWS_SCHEMA_SOURCE: string = vendored.source;

/** Kubernetes' schema extensions carry no validation Ajv could apply; `format`s are Kubernetes' own (int32, int64, …). */
const EXTENSIONS = ["x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-list-map-keys", "x-kubernetes-int-or-string"];

function closed(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closed);
    if (!schema || typeof schema !== "object") return schema;
    const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? mapValues(v, closed) : closed(v)]));
    return "properties" in s && !("additionalProperties" in s) ? { ...s, additionalProperties: false } : s;
}

const mapValues = (o: Record<string, unknown>, f: (v: unknown) => unknown) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

// A `pattern` beside an int-or-string applies to the string form only, as Ajv applies it.
const ajv = new Ajv({ allErrors: true, validateFormats: false, strictTypes: false, keywords: EXTENSIONS });
const validate = ajv.compile(closed(vendored.openAPIV3Schema) as object);

/** The problems of a LeaderWorkerSet (apiVersion, kind, metadata, spec); empty when it is valid. */
export function leaderWorkerSetProblems(obj: Record<string, unknown>): string[] {
    const problems: string[] = [];
    if (obj.apiVersion !== "leaderworkerset.x-k8s.io/v1" || obj.kind !== "LeaderWorkerSet")
        problems.push("apiVersion/kind must be leaderworkerset.x-k8s.io/v1 LeaderWorkerSet");
    if (!validate(obj)) for (const e of validate.errors ?? []) problems.push(`${e.instancePath || "/"} ${e.message}`);
    return problems;
}
