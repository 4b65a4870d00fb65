/**
 * Docker container hardening (the dev stack): no privileged mode, no new
 * privileges, every capability dropped, a log driver that rotates.
 */
import { bag, DOCKER_CONTAINER, list, type ResourceLike, str } from "./workloads";

/** The spellings Docker accepts for `--security-opt no-new-privileges`. */
const NO_NEW_PRIVILEGES = ["no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"];

/** Violations of one Docker container (none for other resource types). */
export function dockerContainersHardened(r: ResourceLike): string[] {
    if (r.type !== DOCKER_CONTAINER) return [];
    const who = `docker container "${str(r.props.name) ?? r.name ?? ""}"`;
    const problems: string[] = [];
    if (r.props.privileged === true) {
        problems.push(`${who} sets privileged: true: remove it and add only the capabilities it needs (capabilities.adds)`);
    }
    if (!list(r.props.securityOpts).some((o) => NO_NEW_PRIVILEGES.includes(String(o)))) {
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
