/** Polling helpers: the pipeline is asynchronous, so assertions wait for a condition with a deadline. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
    /** What is awaited, for the error message. */
    what: string;
    timeoutMs: number;
    intervalMs?: number;
}

/**
 * Calls `probe` until it returns a value other than undefined, false or null,
 * and returns that value. Errors thrown by `probe` count as "not yet" (a
 * server may still be starting); the last one is reported on timeout.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, opts: WaitOptions): Promise<T> {
    const deadline = Date.now() + opts.timeoutMs;
    let lastError: unknown;
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined && value !== null && value !== false) return value as T;
        } catch (err) {
            lastError = err;
        }
        if (Date.now() >= deadline) {
            const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : "";
            throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${cause}`);
        }
        await sleep(opts.intervalMs ?? 250);
    }
}
