/**
 * The health check of a server whose every endpoint needs basic auth
 * (Prometheus and Alertmanager with `--web.config.file`): neither a Docker
 * health check nor a Kubernetes httpGet probe can send a password without
 * writing it into the container's definition, so a shell in the container
 * reads it from the mounted secret file at each check.
 *
 * The password never reaches a command line, where `ps` on the node would
 * show it while the check runs (busybox wget takes credentials only in the
 * URL or a header argument): it goes from the file through pipes (`cat`,
 * `base64` read it on stdin) into the shell's builtin `printf`, which writes
 * the request to `nc`. The images are busybox-based (`sh`, `cat`, `base64`,
 * `tr`, `nc`, `head`, `grep` applets).
 */
import type { HealthSpec } from "./types";

/** `sh -c` command that succeeds when `path` answers 2xx to an authenticated GET on loopback. */
export function authenticatedCheck(health: HealthSpec, port: number, path: string): string[] {
    const auth = health.basicAuth;
    if (!auth) throw new Error(`${path}: no basic auth to check with`);
    if (health.tool !== "busybox") throw new Error(`an authenticated health check needs a busybox image, not ${health.tool}`);
    const credentials = `$( { printf '%s:' '${auth.username}'; cat '${auth.passwordFile}'; } | base64 | tr -d '\\n' )`;
    // HTTP/1.0: the server closes the connection after its answer, so nc ends.
    const request = `printf 'GET %s HTTP/1.0\\r\\nAuthorization: Basic %s\\r\\n\\r\\n' '${path}' "$credentials"`;
    return ["sh", "-c", `credentials=${credentials} && ${request} | nc 127.0.0.1 ${port} | head -n 1 | grep -q '^HTTP/1\\.[01] 2'`];
}
