/**
 * A loopback HTTP server that can be taken down and brought back on the same
 * port, the way a crashed and restarted exporter looks to Prometheus: while
 * down, connections are refused.
 */
import * as http from "node:http";
import { LOOPBACK } from "../support/ports";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export class StandInServer {
    private server: http.Server | undefined;

    constructor(
        readonly name: string,
        readonly port: number,
        private readonly handler: Handler,
    ) {}

    /** host:port, as a scrape target. */
    get address(): string {
        return `${LOOPBACK}:${this.port}`;
    }

    get url(): string {
        return `http://${this.address}`;
    }

    get listening(): boolean {
        return this.server !== undefined;
    }

    async start(): Promise<void> {
        if (this.server) return;
        const server = http.createServer((req, res) => {
            try {
                this.handler(req, res);
            } catch (err) {
                res.writeHead(500, { "content-type": "text/plain" }).end(String(err));
            }
        });
        // Prometheus keeps connections alive; a short idle timeout keeps
        // shutdown quick without changing what a scrape sees.
        server.keepAliveTimeout = 2000;
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(this.port, LOOPBACK, () => resolve());
        });
        this.server = server;
    }

    /** Closes the listener and every open connection: later connections are refused. */
    async stop(): Promise<void> {
        const server = this.server;
        if (!server) return;
        this.server = undefined;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
    }
}

/** A stand-in served by one StandInServer: its address, start and stop are the server's. */
export abstract class HttpStandIn {
    readonly server: StandInServer;

    protected constructor(name: string, port: number) {
        this.server = new StandInServer(name, port, (req, res) => this.handle(req, res));
    }

    protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): void;

    /** host:port, as a scrape target. */
    get address(): string {
        return this.server.address;
    }

    start(): Promise<void> {
        return this.server.start();
    }

    stop(): Promise<void> {
        return this.server.stop();
    }
}
