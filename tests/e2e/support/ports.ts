/**
 * Free TCP ports on the loopback interface, found by letting the kernel pick
 * one and releasing it at once. A port is reserved for the whole run by
 * `freePorts` so that two callers never get the same one.
 */
import * as net from "node:net";

export const LOOPBACK = "127.0.0.1";

const handedOut = new Set<number>();

function pickOne(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.once("error", reject);
        server.listen(0, LOOPBACK, () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

/** `count` distinct free loopback ports, none handed out before in this process. */
export async function freePorts(count: number): Promise<number[]> {
    const ports: number[] = [];
    while (ports.length < count) {
        const port = await pickOne();
        if (handedOut.has(port)) continue;
        handedOut.add(port);
        ports.push(port);
    }
    return ports;
}

export async function freePort(): Promise<number> {
    return (await freePorts(1))[0];
}
