/**
 * The entry Pulumi runs: Pulumi.yaml sets `typescript: false`, so Pulumi
 * loads package.json's `main`, bin/main.js, compiled by `npm run build`
 * (which `npm run deploy` runs first). Precompiled JavaScript starts several
 * times faster than TypeScript compiled on the fly (README: Start-up time);
 * type checking stays in `npm test` and the build.
 *
 * A build older than its sources is refused first, so `pulumi up` never
 * deploys code other than what is checked out. Then the program (index.ts)
 * runs and its exports are the stack outputs.
 */
import "./build-freshness";

export * from "./index";
