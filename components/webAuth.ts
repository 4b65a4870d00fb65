/**
 * The generated passwords of Prometheus' and Alertmanager's web servers, and
 * each server's web configuration holding the bcrypt hash of its own
 * (monitoring/web-auth.ts). All secret Outputs: the hash too, though it is
 * not the password, stays out of every plain file and output.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type AuthenticatedService, renderWebConfig } from "../monitoring/web-auth";

/** What a server mounts to authenticate its clients, and the passwords it uses as a client. */
export interface WebAuthSecrets {
    /** Its `--web.config.file`. */
    webConfig: pulumi.Output<string>;
    /** Passwords by service: its own (its health check) and those of the services it calls (Prometheus → Alertmanager). */
    passwords: Partial<Record<AuthenticatedService, pulumi.Output<string>>>;
}

const SERVICES: readonly AuthenticatedService[] = ["prometheus", "alertmanager"];

/** One generated password per authenticated server. */
export class WebPasswords extends pulumi.ComponentResource {
    /** Secret Outputs, by service. */
    readonly passwords: Record<AuthenticatedService, pulumi.Output<string>>;
    private readonly hashes: Record<AuthenticatedService, pulumi.Output<string>>;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("sglang-ananke:monitoring:WebPasswords", name, {}, opts);
        const generated = Object.fromEntries(
            SERVICES.map((service) => [
                service,
                new random.RandomPassword(`${service}-web-password`, { length: 32, special: false }, { parent: this }),
            ]),
        ) as Record<AuthenticatedService, random.RandomPassword>;
        this.passwords = Object.fromEntries(SERVICES.map((s) => [s, pulumi.secret(generated[s].result)])) as Record<
            AuthenticatedService,
            pulumi.Output<string>
        >;
        this.hashes = Object.fromEntries(SERVICES.map((s) => [s, pulumi.secret(generated[s].bcryptHash)])) as Record<
            AuthenticatedService,
            pulumi.Output<string>
        >;
        this.registerOutputs({});
    }

    /** What `service` mounts: its web configuration, its own password and those of the services it calls. */
    secretsFor(service: AuthenticatedService, calls: AuthenticatedService[] = []): WebAuthSecrets {
        return {
            webConfig: pulumi.secret(this.hashes[service].apply(renderWebConfig)),
            passwords: Object.fromEntries([service, ...calls].map((s) => [s, this.passwords[s]])),
        };
    }
}
