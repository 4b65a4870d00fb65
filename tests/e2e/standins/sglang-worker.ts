/**
 * One SGLang worker behind the router, on one address as a real server is:
 * `/metrics` and `/health` from the SGLang stand-in (the Python process
 * group writing the version's contract), `/v1/chat/completions` answered by
 * the OpenAI stand-in, and `/server_info` (and its older name
 * `/get_server_info`) with the server arguments that name the model
 * (`model_path`, `served_model_name`), which the router reads to learn what
 * the worker serves. It counts the completions it served, the worker's own
 * request count. Killing it stops all three: connections are refused.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { OpenAiStandIn } from "./openai";
import { StandInServer } from "./server";
import { SglangStandIn, type SglangStandInOptions } from "./sglang";

/** SGLang's server-info route and the older name it still answers. */
const SERVER_INFO_PATHS = ["/server_info", "/get_server_info"];

export class SglangWorkerStandIn {
    readonly front: StandInServer;
    readonly sglang: SglangStandIn;
    readonly openai: OpenAiStandIn;

    /**
     * `port`: the worker's address; `sglangPort`, `openaiPort`: the two stand-ins behind it;
     * `modelPath`: its `--model-path` (default: the served model name, as SGLang defaults the one to the other).
     */
    constructor(
        port: number,
        sglangPort: number,
        openaiPort: number,
        sglang: Omit<SglangStandInOptions, "port">,
        private readonly modelPath = sglang.modelName,
    ) {
        this.sglang = new SglangStandIn({ ...sglang, port: sglangPort });
        this.openai = new OpenAiStandIn(openaiPort);
        this.front = new StandInServer("sglang worker", port, (req, res) => this.handle(req, res));
    }

    /** host:port, as a scrape target. */
    get address(): string {
        return this.front.address;
    }

    /** The worker URL the router registers. */
    get url(): string {
        return this.front.url;
    }

    /** Completions this worker answered. */
    get completions(): number {
        return this.openai.received.filter((r) => r.body !== undefined).length;
    }

    async start(): Promise<void> {
        await Promise.all([this.sglang.start(), this.openai.start()]);
        await this.front.start();
    }

    /** The worker dies: its address refuses connections, its metrics are gone. */
    async kill(): Promise<void> {
        await this.front.stop();
        await Promise.all([this.sglang.setMode("down"), this.openai.stop()]);
    }

    async stop(): Promise<void> {
        await this.front.stop();
        await Promise.all([this.sglang.stop(), this.openai.stop()]);
    }

    /** What `/server_info` says of the model: SGLang returns its server arguments, these among them. */
    get serverInfo(): { model_path: string; served_model_name: string; tp_size: number } {
        return { model_path: this.modelPath, served_model_name: this.sglang.topology.modelName, tp_size: this.sglang.topology.tpSize };
    }

    /** Passes the request through to the stand-in that serves its path. */
    private handle(req: IncomingMessage, res: ServerResponse): void {
        const path = (req.url ?? "/").split("?")[0];
        if (req.method === "GET" && SERVER_INFO_PATHS.includes(path)) {
            return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(this.serverInfo));
        }
        const target = req.url?.startsWith("/v1/") ? this.openai.address : this.sglang.address;
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = chunks.length ? Buffer.concat(chunks) : undefined;
            fetch(`http://${target}${req.url}`, {
                method: req.method,
                body,
                headers: { "content-type": req.headers["content-type"] ?? "application/json" },
            }).then(
                async (r) => {
                    const text = await r.text();
                    res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "text/plain" }).end(text);
                },
                (err: Error) => res.writeHead(502, { "content-type": "text/plain" }).end(err.message),
            );
        });
    }
}
