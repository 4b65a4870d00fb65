/**
 * The upgrade gate's lookups: which metric contract an image follows (by its
 * tag, or as a key names it), the closest verified contract of an unknown
 * image, and which alerts and panels cannot have data on a combination of
 * contracts. It reads only `availability.generated.json` (written by
 * `npm run gen` from the contracts and the rules, alerts and dashboard), so a
 * preview neither loads the contracts nor parses PromQL.
 */
import generated from "./availability.generated.json";
import type { ExporterKind } from "./types";

/** What the gate needs of a contract. */
export interface ContractSummary {
    id: string;
    exporter: ExporterKind;
    version: string;
    images: string[];
}

/**
 * Item name → what would give it data: alternatives, each a set of raw
 * metrics that must all be written (only items that cannot have data are listed).
 */
export type Lacking = Record<string, string[][]>;

/** What cannot have data on one SGLang + GPU exporter + node exporter combination. */
export interface Combination {
    sglang: string;
    gpu: string;
    node: string;
    /** Alerts by name. */
    alerts: Lacking;
    /** Dashboard panels by title (a panel is listed when any of its queries lacks data). */
    panels: Lacking;
    /** Dashboard queries, `<panel title> [<refId>]`. */
    queries: Lacking;
    /** Recording rules, by record name (and their static labels). */
    rules: Lacking;
}

export interface AvailabilityTable {
    /** Every known contract, each exporter's pinned default first. */
    contracts: ContractSummary[];
    /** Every dashboard panel with queries: its title → the refIds of its queries. */
    panelQueries: Record<string, string[]>;
    combinations: Combination[];
}

let table = generated as unknown as AvailabilityTable;

/** The table in use. */
export function availabilityTable(): AvailabilityTable {
    return table;
}

/** Replaces the table in use: `npm run gen` installs the one it just wrote, so later generators of the same run see it. */
export function useAvailabilityTable(fresh: AvailabilityTable): void {
    table = fresh;
}

/** The exporters whose contracts a combination chooses, and their human names. */
export const EXPORTER_NAMES: Readonly<Record<ExporterKind, string>> = {
    sglang: "SGLang",
    "dcgm-exporter": "DCGM exporter",
    "nvidia-gpu-exporter": "nvidia_gpu_exporter",
    "node-exporter": "node exporter",
    "sglang-router": "SGLang router (smg)",
};

/** `SGLang v0.5.4.post1`. */
export function contractLabel(c: ContractSummary): string {
    return `${EXPORTER_NAMES[c.exporter]} ${c.version}`;
}

export function contractById(id: string): ContractSummary | undefined {
    return table.contracts.find((c) => c.id === id);
}

/** Known contract ids of some exporters, in table order. */
export function contractIds(exporters: readonly ExporterKind[]): string[] {
    return table.contracts.filter((c) => exporters.includes(c.exporter)).map((c) => c.id);
}

/** An image reference without its digest and registry host: `repo/name:tag`. */
function withoutRegistryAndDigest(image: string): string {
    const noDigest = image.split("@")[0];
    const first = noDigest.split("/")[0];
    const hasRegistry = noDigest.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
    return hasRegistry ? noDigest.slice(first.length + 1) : noDigest;
}

function splitImage(image: string): { repository: string; name: string; tag: string } {
    const ref = withoutRegistryAndDigest(image);
    const colon = ref.lastIndexOf(":");
    const repository = colon > ref.lastIndexOf("/") ? ref.slice(0, colon) : ref;
    const tag = colon > ref.lastIndexOf("/") ? ref.slice(colon + 1) : "";
    return { repository, name: repository.split("/").pop() ?? repository, tag };
}

/** The contract whose images include this one (registry host and digest ignored). */
export function contractForImage(exporter: ExporterKind, image: string): ContractSummary | undefined {
    const wanted = withoutRegistryAndDigest(image);
    return table.contracts.find((c) => c.exporter === exporter && c.images.some((i) => withoutRegistryAndDigest(i) === wanted));
}

function versionNumbers(text: string): number[] {
    return (text.match(/\d+/g) ?? []).map(Number);
}

/**
 * The verified contract nearest an unknown image: same image name first, then
 * the version numbers of the tag agreeing longest from the left, then the
 * smallest difference where they part.
 */
export function closestContract(exporter: ExporterKind, image: string): ContractSummary | undefined {
    const target = splitImage(image);
    const wanted = versionNumbers(target.tag);
    const score = (c: ContractSummary): number[] => {
        const sameName = c.images.some((i) => splitImage(i).name === target.name) ? 1 : 0;
        const tags = c.images.length > 0 ? c.images.map((i) => splitImage(i).tag) : [c.version];
        return tags
            .map((t) => {
                const have = versionNumbers(t);
                let agree = 0;
                while (agree < wanted.length && agree < have.length && wanted[agree] === have[agree]) agree++;
                const gap = Math.abs((wanted[agree] ?? 0) - (have[agree] ?? 0));
                return [sameName, agree, -gap];
            })
            .sort(compareScores)[0];
    };
    const candidates = table.contracts.filter((c) => c.exporter === exporter);
    return candidates.map((c) => ({ c, s: score(c) })).sort((a, b) => compareScores(a.s, b.s))[0]?.c;
}

/** Descending lexicographic order of scores. */
function compareScores(a: number[], b: number[]): number {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if ((a[i] ?? 0) !== (b[i] ?? 0)) return (b[i] ?? 0) - (a[i] ?? 0);
    }
    return 0;
}

/** What the configuration says about one exporter. */
export interface ContractChoice {
    exporter: ExporterKind;
    /** The image deployed; undefined when the program does not deploy it (a cluster's own exporter). */
    image?: string;
    /** The configuration key that names a contract, and its value ("" = from the image tag). */
    key: string;
    id: string;
}

/** The contract that applies to one exporter, and what the user should be told about the choice. */
export interface Resolution {
    contract: ContractSummary;
    /** Set when no contract is known for the image: the closest verified one is used. */
    warning?: string;
}

/** The contract named by the key, else the image's, else the closest one with a warning naming it and the key. */
export function resolveContract(choice: ContractChoice): Resolution {
    const named = choice.id ? contractById(choice.id) : undefined;
    if (named) return { contract: named };
    const exact = choice.image ? contractForImage(choice.exporter, choice.image) : undefined;
    if (exact) return { contract: exact };
    const closest =
        (choice.image ? closestContract(choice.exporter, choice.image) : undefined) ?? table.contracts.find((c) => c.exporter === choice.exporter);
    if (!closest) throw new Error(`no metric contract is known for ${EXPORTER_NAMES[choice.exporter]}`);
    const unknown = choice.image
        ? `image ${choice.image} has no verified metric contract; checking alerts and panels against the closest one, ${contractLabel(closest)}.`
        : `the version of the ${EXPORTER_NAMES[choice.exporter]} the cluster runs is not known; checking alerts and panels against ${contractLabel(closest)}.`;
    return {
        contract: closest,
        warning: `${unknown} Set ${choice.key} to the contract it follows (${contractIds([choice.exporter]).join(", ")}).`,
    };
}

/** The combination of three contracts; throws when the table has none (it has every combination of known contracts). */
export function combination(sglang: string, gpu: string, node: string): Combination {
    const found = table.combinations.find((c) => c.sglang === sglang && c.gpu === gpu && c.node === node);
    if (!found) throw new Error(`contracts/availability.generated.json has no combination ${sglang} + ${gpu} + ${node}: run npm run gen`);
    return found;
}

/** `a, b and c`. */
function listed(items: string[]): string {
    return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "a and b, or c": alternatives of metrics that must all be written. */
export function needsText(needs: string[][]): string {
    return needs.map((set) => listed(set)).join(", or ");
}

/** "not emitted by SGLang v0.5.4.post1: needs sglang:x" for what the contracts lack. */
export function notEmittedBy(contracts: ContractSummary | ContractSummary[], needs: string[][]): string {
    const labels = (Array.isArray(contracts) ? contracts : [contracts]).map(contractLabel);
    return `not emitted by ${listed(labels)}: needs ${needsText(needs)}`;
}

/** The part of a combination a contract fills: SGLang, the GPU exporter (either kind) or node exporter. */
export function slotOf(exporter: ExporterKind): "sglang" | "gpu" | "node" {
    return exporter === "sglang" ? "sglang" : exporter === "node-exporter" ? "node" : "gpu";
}

/** The slot a metric belongs to, by its name: SGLang's (and the Ananke fork's), node exporter's, else the GPU exporter's. */
export function slotOfMetric(metric: string): "sglang" | "gpu" | "node" {
    if (/^(sglang[:_]|ananke_)/.test(metric)) return "sglang";
    return /^node_/.test(metric) ? "node" : "gpu";
}

/** For one item: per contract, the metrics it lacks whenever that contract is chosen (whatever the others are). */
export function lackingByContract(kind: "alerts" | "panels", name: string): { contract: ContractSummary; needs: string[][] }[] {
    const out: { contract: ContractSummary; needs: string[][] }[] = [];
    for (const contract of table.contracts) {
        const slot = slotOf(contract.exporter);
        const combos = table.combinations.filter((c) => c[slot] === contract.id);
        if (combos.length === 0 || !combos.every((c) => c[kind][name])) continue;
        // Lacking everywhere because another exporter's metric is missing is not this contract's doing.
        if (!combos.some((c) => c[kind][name].flat().some((m) => slotOfMetric(m) === slot))) continue;
        const alternatives = new Map(combos.flatMap((c) => c[kind][name]).map((set) => [set.join(" "), set]));
        out.push({ contract, needs: [...alternatives.values()] });
    }
    return out;
}

/** The combinations an item lacks data on, each named by its versions ("SGLang x + DCGM exporter y + node exporter z"). */
export function lackingCombinations(kind: "alerts" | "panels", name: string): { label: string; needs: string[][] }[] {
    return table.combinations
        .filter((c) => c[kind][name])
        .map((c) => ({
            label: [c.sglang, c.gpu, c.node]
                .map((id) => contractById(id))
                .filter((x): x is ContractSummary => !!x)
                .map(contractLabel)
                .join(" + "),
            needs: c[kind][name],
        }));
}

/**
 * Which supported versions can fire an alert, when not all can: "Fires only
 * with …; not emitted by SGLang v0.5.4.post1: needs sglang:x." Undefined when
 * every combination of supported versions can fire it.
 */
export function alertVersionNote(alert: string): string | undefined {
    if (!table.combinations.some((c) => c.alerts[alert])) return undefined;
    const lacking = lackingByContract("alerts", alert);
    const blocked = new Set(lacking.map((l) => l.contract.id));
    const slots = new Set(lacking.map((l) => slotOf(l.contract.exporter)));
    const firing = table.contracts.filter((c) => slots.has(slotOf(c.exporter)) && !blocked.has(c.id)).map(contractLabel);
    // Contracts that lack the same metrics are named together.
    const groups = new Map<string, { contracts: ContractSummary[]; needs: string[][] }>();
    for (const l of lacking) {
        const key = JSON.stringify(l.needs);
        const group = groups.get(key) ?? { contracts: [], needs: l.needs };
        group.contracts.push(l.contract);
        groups.set(key, group);
    }
    const reasons = [...groups.values()].map((g) => notEmittedBy(g.contracts, g.needs));
    if (reasons.length === 0) {
        const combos = lackingCombinations("alerts", alert).map((c) => `${c.label} (needs ${needsText(c.needs)})`);
        return `Cannot fire on these combinations of supported versions: ${combos.join("; ")}.`;
    }
    const fires = firing.length > 0 ? `Fires only with ${listed(firing)}; ` : "No supported version fires it: ";
    return `${fires}${reasons.join("; ")}.`;
}
