/**
 * What a client of the stack sends, and what the suite prints when run on
 * its own.
 */

/** A chat completion's answer: its status and the router's error code (`X-SMG-Error-Code`, "" when none). */
export interface CompletionAnswer {
    status: number;
    errorCode: string;
    body: string;
}

/** One chat completion naming `model`, through `url` (the router or a server), as a client sends it. */
export async function chatCompletion(url: string, model: string): Promise<CompletionAnswer> {
    const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "status?" }], max_tokens: 8 }),
        signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, errorCode: res.headers.get("x-smg-error-code") ?? "", body: await res.text() };
}

/** The status of one chat completion naming `model`, through `url`. */
export async function complete(url: string, model: string): Promise<number> {
    return (await chatCompletion(url, model)).status;
}

/** Printed when the suite runs alone (`npm run test:e2e`), kept out of `npm test`'s results. */
export function log(line: string): void {
    if (process.env.npm_lifecycle_event === "test:e2e") console.log(`      ${line}`);
}
