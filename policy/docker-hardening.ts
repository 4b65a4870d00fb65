/**
 * Docker container hardening (the dev stack): no privileged mode, no new
 * privileges, every capability dropped, a log driver that rotates.
 */
import { bag, DOCKER_CONTAINER, list, type ResourceLike, str } from "./workloads";

/** What Go's strconv.ParseBool reads as true. */
const GO_TRUE = ["1", "t", "T", "TRUE", "true", "True"];

/**
 * Whether a security option turns no-new-privileges on, read as Docker's
 * daemon does (parseSecurityOpt): the bare name, or the name, `=` (or the
 * deprecated `:`) and a Go boolean.
 */
export function enablesNoNewPrivileges(option: string): boolean {
    if (option === "no-new-privileges") return true;
    const separator = option.includes("=") ? "=" : ":";
    const at = option.indexOf(separator);
    return at >= 0 && option.slice(0, at) === "no-new-privileges" && GO_TRUE.includes(option.slice(at + 1));
}

/** Violations of one Docker container (none for other resource types). */
export function dockerContainersHardened(r: ResourceLike): string[] {
    if (r.type !== DOCKER_CONTAINER) return [];
    const who = `docker container "${str(r.props.name) ?? r.name ?? ""}"`;
    const problems: string[] = [];
    if (r.props.privileged === true) {
        problems.push(`${who} sets privileged: true: remove it and add only the capabilities it needs (capabilities.adds)`);
    }
    if (!list(r.props.securityOpts).some((o) => enablesNoNewPrivileges(String(o)))) {
        problems.push(`${who} lets processes gain privileges: add "no-new-privileges:true" to securityOpts`);
    }
    if (!list(bag(r.props.capabilities).drops).includes("ALL")) {
        problems.push(`${who} keeps Docker's default capabilities: set capabilities.drops: ["ALL"] (and adds for what it needs)`);
    }
    if (!str(r.props.logDriver)) {
        problems.push(`${who} has no logDriver: set one (json-file or local, with max-size in logOpts) so its logs cannot fill the disk`);
    }
    return problems;
}
