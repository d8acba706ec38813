/**
 * A reverse proxy on the same host as the app, as nginx or Caddy would run it: it forwards every
 * request to the app over loopback and appends the address it saw (or the one the test says the
 * client has) to X-Forwarded-For.
 */
import http from "node:http";
import { freePort } from "./ports";

export interface HttpProxy {
  url: string;
  close(): Promise<void>;
}

/** `clientAddress` stands for the real client's address, which on one machine is loopback too. */
export async function startHttpProxy(target: { port: number }, clientAddress: string): Promise<HttpProxy> {
  const port = await freePort();
  const server = http.createServer((incoming, outgoing) => {
    const forwardedFor = incoming.headers["x-forwarded-for"];
    const headers = {
      ...incoming.headers,
      "x-forwarded-for": forwardedFor ? `${forwardedFor}, ${clientAddress}` : clientAddress,
    };
    const upstream = http.request(
      { host: "127.0.0.1", port: target.port, method: incoming.method, path: incoming.url, headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on("error", () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
