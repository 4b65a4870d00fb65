/** Stand-in web credentials for spec builders called outside a Pulumi program. */
import * as pulumi from "@pulumi/pulumi";
import type { WebAuthSecrets } from "../../components/webAuth";

export const TEST_WEB_AUTH: WebAuthSecrets = {
    webConfig: pulumi.output("web"),
    passwords: { prometheus: pulumi.output("p"), alertmanager: pulumi.output("a") },
};
