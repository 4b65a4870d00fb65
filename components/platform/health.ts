/**
 * The health check of a server whose every endpoint needs basic auth
 * (Prometheus and Alertmanager with `--web.config.file`): neither a Docker
 * health check nor a Kubernetes httpGet probe can send a password without
 * writing it into the container's definition, so a shell in the container
 * reads it from the mounted secret file at each check.
 */
import type { HealthSpec } from "./types";

/** `sh -c` command that succeeds when `path` answers 2xx to an authenticated GET on loopback. */
export function authenticatedCheck(health: HealthSpec, port: number, path: string): string[] {
    const auth = health.basicAuth;
    if (!auth) throw new Error(`${path}: no basic auth to check with`);
    if (health.tool !== "wget") throw new Error(`an authenticated health check needs wget in the image, not ${health.tool}`);
    // Busybox wget sends user:password from the URL as basic auth; the generated password is alphanumeric.
    return ["sh", "-c", `wget -q -O /dev/null "http://${auth.username}:$(cat ${auth.passwordFile})@127.0.0.1:${port}${path}"`];
}
