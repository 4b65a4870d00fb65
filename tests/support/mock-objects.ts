/** Lookups in a program run under mocks, shared by the Kubernetes and router tests. */
import * as assert from "node:assert/strict";
import type { MockResource, ProgramRun } from "../harness";

/** The one object of `type` named `name` (by metadata.name); fails the test unless exactly one. */
export function byName(r: ProgramRun, type: string, name: string): MockResource {
    const found = r.byType(type).filter((x) => x.plain.metadata?.name === name);
    assert.equal(found.length, 1, `one ${type} named ${name}`);
    return found[0];
}

/** A workload's pod spec. */
export const podSpec = (w: MockResource) => w.plain.spec.template.spec;

/** The values after a flag, up to the next flag. */
export function flagValues(args: string[], flag: string): string[] {
    const at = args.indexOf(flag);
    assert.ok(at >= 0, `${flag} in ${args.join(" ")}`);
    const rest = args.slice(at + 1);
    const end = rest.findIndex((a) => a.startsWith("--"));
    return end < 0 ? rest : rest.slice(0, end);
}
