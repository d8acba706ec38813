/**
 * A TCP proxy on a free loopback port that a test can cut and restore: the way to make a shared
 * service (the machine's PostgreSQL) "go away" for one app without stopping it for everyone else.
 */
import net from "node:net";
import { freePort } from "./ports";

export interface TcpProxy {
  port: number;
  /** Refuses new connections and resets every open one. */
  cut(): Promise<void>;
  /** Resets every open connection and then accepts new ones without ever answering: a hung server. */
  stall(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let stalled = false;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      stalled = false;
      server = net.createServer((client) => {
        if (stalled) {
          sockets.add(client);
          client.on("close", () => sockets.delete(client));
          client.on("error", () => undefined);
          return;
        }
        const upstream = net.connect(target);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.resetAndDestroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });

  const stall = async () => {
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
    stalled = true;
  };
  const restore = async () => {
    if (server) {
      await cut();
    }
    await listen();
  };

  await listen();
  return { port, cut, stall, restore, close: cut };
}
