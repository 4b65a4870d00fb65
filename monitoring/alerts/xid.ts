/**
 * NVIDIA XID error codes the GPU alerts name (NVIDIA's "XID Errors" table).
 * `critical`: the GPU or its memory is lost or corrupt until a reset, so the
 * server on it cannot be trusted; the others are worth a look.
 */
export interface Xid {
    code: number;
    meaning: string;
    critical: boolean;
}

export const XIDS: readonly Xid[] = [
    { code: 13, meaning: "graphics engine exception (often the application)", critical: false },
    { code: 31, meaning: "GPU memory page fault (often the application)", critical: false },
    { code: 43, meaning: "GPU stopped processing (the application's context)", critical: false },
    { code: 45, meaning: "preemptive cleanup after earlier errors", critical: false },
    { code: 48, meaning: "double-bit ECC error: memory corrupted", critical: true },
    { code: 61, meaning: "internal micro-controller breakpoint", critical: false },
    { code: 62, meaning: "internal micro-controller halt", critical: false },
    { code: 63, meaning: "ECC page retirement or row remapping recorded: a reset is pending", critical: true },
    { code: 64, meaning: "ECC page retirement or row remapping failed", critical: true },
    { code: 74, meaning: "NVLink error", critical: true },
    { code: 79, meaning: "GPU has fallen off the bus", critical: true },
    { code: 92, meaning: "high single-bit ECC error rate", critical: true },
    { code: 94, meaning: "contained ECC error: the affected application must restart", critical: true },
    { code: 95, meaning: "uncontained ECC error: every application on the GPU is affected", critical: true },
    { code: 119, meaning: "GSP RPC timeout", critical: false },
    { code: 120, meaning: "GSP error", critical: false },
];

/** The codes of critical XIDs. */
export const CRITICAL_XID_CODES = XIDS.filter((x) => x.critical).map((x) => x.code);

/** A Go template naming the meaning of `{{ $value }}` as an XID code. */
export function xidMeaningTemplate(): string {
    const branches = XIDS.map((x, i) => `{{ ${i === 0 ? "if" : "else if"} eq $value ${x.code}.0 }}${x.meaning}`).join("");
    return `${branches}{{ else }}see NVIDIA's XID table{{ end }}`;
}
