/**
 * The sglang-ananke policy pack: run it with
 * `pulumi preview --policy-pack policy` (the pull-request workflow does).
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("sglang-ananke", { policies: policies("mandatory") });
