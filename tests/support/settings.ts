/** The problems a stack configuration is refused with, for tests of bad configurations. */
import * as assert from "node:assert/strict";
import { ConfigError, parseSettings } from "../../settings";

/** Every problem `parseSettings` reports for `raw` on the `prod` stack; fails the test when it is accepted. */
export function configProblems(raw: Record<string, unknown>, stack = "prod"): string[] {
    try {
        parseSettings(stack, raw);
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.problems;
    }
    assert.fail(`accepted ${JSON.stringify(raw)}`);
}
