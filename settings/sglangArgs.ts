/**
 * Which of a user's extra server arguments would change a setting the stack
 * manages, in any spelling SGLang's parser accepts: an alias (`--model`,
 * `--tensor-parallel-size`), `--flag=value`, or an unambiguous prefix
 * (`--api-k`), as argparse resolves them.
 */
import { SGLANG_SERVER_FLAGS } from "./sglangFlags";

/** Settings the stack sets from its own keys (argparse `dest` → the keys that set it). */
export const MANAGED_SGLANG_SETTINGS: Readonly<Record<string, string>> = {
    model_path: "model",
    served_model_name: "servedModelName",
    host: "bindAddress / the platform",
    port: "sglangPort",
    tensor_parallel_size: "gpuCount × sglangNodesPerReplica",
    nnodes: "sglangNodesPerReplica",
    node_rank: "sglangNodesPerReplica (each pod's place in its group)",
    dist_init_addr: "sglangNodesPerReplica (the group's leader)",
    enable_metrics: "always on",
    grammar_backend: "always ananke",
    ananke_language: "anankeLanguage",
    ananke_max_rollback_tokens: "anankeMaxRollbackTokens",
    ananke_enabled_domains: "anankeEnabledDomains",
    mem_fraction_static: "memFractionStatic",
    api_key: "sglangApiKey (a secret)",
    admin_api_key: "a secret, never in plain configuration",
    // A file of arguments that could set any of the above.
    config: "not allowed: its file could set any managed flag",
};

/** The options an argument resolves to: the exact option, or every option it abbreviates. */
export function resolveOption(argument: string): string[] {
    const option = argument.split("=")[0];
    if (!option.startsWith("--")) return [];
    if (option in SGLANG_SERVER_FLAGS) return [option];
    return Object.keys(SGLANG_SERVER_FLAGS).filter((o) => o.startsWith(option));
}

export interface ManagedArgument {
    /** The option as given (without its value: it may be a secret). */
    given: string;
    /** The SGLang option it resolves to. */
    option: string;
    /** The key that sets it instead. */
    setBy: string;
}

/** The extra arguments that would set a managed setting. */
export function managedArguments(extraArgs: readonly string[]): ManagedArgument[] {
    const found: ManagedArgument[] = [];
    for (const arg of extraArgs) {
        const given = arg.split("=")[0];
        const options = resolveOption(arg);
        // An ambiguous prefix sets nothing: SGLang refuses to start (see ambiguousArguments).
        if (new Set(options.map((o) => SGLANG_SERVER_FLAGS[o])).size !== 1) continue;
        const setBy = MANAGED_SGLANG_SETTINGS[SGLANG_SERVER_FLAGS[options[0]]];
        if (setBy && !found.some((f) => f.given === given)) found.push({ given, option: options[0], setBy });
    }
    return found;
}

/** Arguments SGLang's parser would refuse as ambiguous prefixes, with the options each could mean. */
export function ambiguousArguments(extraArgs: readonly string[]): { given: string; options: string[] }[] {
    return extraArgs
        .map((arg) => ({ given: arg.split("=")[0], options: resolveOption(arg) }))
        .filter((a) => new Set(a.options.map((o) => SGLANG_SERVER_FLAGS[o])).size > 1);
}
