/**
 * A stand-in for SGLang's OpenAI endpoint `/v1/chat/completions`, answering
 * the canary the ways a real server can: a completion that follows the
 * requested JSON schema, one whose content does not (a grammar backend that
 * stopped constraining), a 500, or no answer at all (a hung engine that still
 * accepts connections). It records what it was asked, to check the canary's
 * request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpStandIn } from "./server";

export type CompletionMode = "ok" | "malformed" | "error" | "hung";

export interface ReceivedRequest {
    authorization: string | undefined;
    body: unknown;
}

export class OpenAiStandIn extends HttpStandIn {
    mode: CompletionMode = "ok";
    readonly received: ReceivedRequest[] = [];
    /** Held responses of the hung mode, answered when the stand-in stops. */
    private readonly held: ServerResponse[] = [];

    /** `apiKey`: when set, requests without `Authorization: Bearer <apiKey>` get 401, as SGLang's --api-key does. */
    constructor(
        port: number,
        private readonly apiKey?: string,
    ) {
        super("openai", port);
    }

    protected handle(req: IncomingMessage, res: ServerResponse): void {
        let text = "";
        req.on("data", (chunk) => (text += chunk));
        req.on("end", () => {
            this.received.push({ authorization: req.headers.authorization, body: text ? JSON.parse(text) : undefined });
            if (req.url !== "/v1/chat/completions" || req.method !== "POST") return void res.writeHead(404).end();
            if (this.apiKey && req.headers.authorization !== `Bearer ${this.apiKey}`) return void res.writeHead(401).end('{"error":"unauthorized"}');
            switch (this.mode) {
                case "hung":
                    this.held.push(res);
                    return;
                case "error":
                    return void res
                        .writeHead(500, { "content-type": "application/json" })
                        .end('{"object":"error","message":"Internal server error"}');
                default:
                    return void res
                        .writeHead(200, { "content-type": "application/json" })
                        .end(JSON.stringify(completion(this.mode === "ok" ? '{"status": "ok"}' : "status: ok")));
            }
        });
    }

    async stop(): Promise<void> {
        for (const res of this.held.splice(0)) res.destroy();
        await super.stop();
    }
}

/** A chat completion as SGLang's OpenAI layer answers it. */
function completion(content: string): object {
    return {
        id: "chatcmpl-canary",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: "canary-model",
        choices: [
            {
                index: 0,
                message: { role: "assistant", content, reasoning_content: null, tool_calls: null },
                logprobs: null,
                finish_reason: "stop",
                matched_stop: 151645,
            },
        ],
        usage: { prompt_tokens: 38, total_tokens: 45, completion_tokens: 7, prompt_tokens_details: null },
    };
}
