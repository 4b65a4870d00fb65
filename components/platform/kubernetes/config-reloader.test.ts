/** The reloader's script is plain POSIX sh (busybox ash runs it) and finds its server by a flag only the server has. */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { tool } from "../../../tests/debian-tools";
import { RELOAD_SCRIPT, reloadMatch } from "./config-reloader";

/** shellcheck's findings on a script as POSIX sh ("" when none). */
function shellcheckSh(script: string): string {
    const r = spawnSync(tool("shellcheck"), ["--shell=sh", "-"], { input: script, encoding: "utf8" });
    return r.stdout.trim();
}

describe("the config reloader's script", () => {
    it("passes shellcheck as POSIX sh (and the check can fail on a bash-only construct)", () => {
        assert.equal(shellcheckSh(RELOAD_SCRIPT), "");
        assert.notEqual(shellcheckSh(`${RELOAD_SCRIPT}[[ -n "$CONFIG_DIR" ]] && echo x\n`), "");
    });

    it("reads its pattern from the environment, never from its own command line", () => {
        assert.match(RELOAD_SCRIPT, /pkill -HUP -f "\$RELOAD_MATCH"/);
        assert.doesNotMatch(RELOAD_SCRIPT, /config\.file/);
    });

    it("reaches the container as written: Kubernetes expands $(NAME) of the container's variables and $$ in a command", () => {
        for (const name of ["CONFIG_DIR", "RELOAD_MATCH", "RELOAD_INTERVAL_SECONDS"]) assert.ok(!RELOAD_SCRIPT.includes(`$(${name})`), name);
        assert.ok(!RELOAD_SCRIPT.includes("$$"));
    });

    it("matches the server by its --config.file flag, without the dashes pkill would read as an option", () => {
        assert.equal(
            reloadMatch({ name: "alertmanager", args: ["--config.file=/etc/alertmanager/alertmanager.yml", "--x=1"] }),
            "config.file=/etc/alertmanager/alertmanager.yml",
        );
        assert.throws(() => reloadMatch({ name: "alertmanager", args: ["--storage.path=/data"] }), /alertmanager: .*--config\.file/);
    });
});
