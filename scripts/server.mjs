#!/usr/bin/env node
/**
 * authlab's production server: Next's own request handler (what `next start` runs) behind a Node
 * HTTP server that first makes X-Forwarded-* truthful (see server/forwarded.mjs), names the instance
 * on every response, and answers CORS for cluster peers.
 *
 * Plain JavaScript on purpose: it runs with `node`, no TypeScript loader in the serving process.
 * Start it through `npm start` (scripts/start.ts), which migrates, seeds and builds first; with
 * `--dev` (npm run dev) it serves Next's development server the same way.
 */
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import envPackage from "@next/env";
import next from "next";
import { normaliseForwardedHeaders } from "./server/forwarded.mjs";
import { applyCors, parseOrigins } from "./server/cors.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
process.env.NODE_ENV = dev ? "development" : "production";
envPackage.loadEnvConfig(root, dev, { info: () => {}, error: console.error });

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
process.env.INSTANCE_ID ||= `${os.hostname()}:${port}`;

const trustProxyHops = Number(process.env.TRUST_PROXY_HOPS ?? 0);
const corsOrigins = parseOrigins(process.env.CORS_ORIGINS);
const instance = process.env.INSTANCE_ID;

// Tells the app that X-Forwarded-For on every request was set here from the socket (or appended to
// for TRUST_PROXY_HOPS trusted proxies), so it may judge "is the caller on loopback?" by it
// (lib/server/http/loopback.ts). A global, not an environment variable: only this process can set it.
globalThis[Symbol.for("authlab.forwardedHeadersNormalised")] = true;

const app = next({ dev, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

/** A path Next cannot decode makes it fail with a plain-text 500; it is the client's mistake: 400. */
function malformedPath(url) {
  try {
    decodeURIComponent((url ?? "/").split("?")[0]);
    return false;
  } catch {
    return true;
  }
}

const server = createServer((req, res) => {
  normaliseForwardedHeaders(req, trustProxyHops);
  res.setHeader("x-authlab-instance", instance);
  if (malformedPath(req.url)) {
    res.writeHead(400, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(
      JSON.stringify({
        error: "invalid_request",
        error_description: "the request path has malformed percent-encoding",
      }),
    );
    return;
  }
  if (applyCors(req, res, corsOrigins)) return;
  handle(req, res).catch((error) => {
    console.error(
      JSON.stringify({ level: "error", event: "server.unhandled", message: String(error?.message ?? error) }),
    );
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader("content-type", "application/json");
    }
    res.end(JSON.stringify({ error: "internal_error", error_description: "something went wrong on our side" }));
  });
});
// Bound how long a slow client may take to send its headers (slowloris).
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;

server.listen(port, hostname, () => {
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  console.log(`authlab ${instance} ready on http://${hostname === "127.0.0.1" ? "localhost" : hostname}:${actualPort}`);
});

/** Work the app registered for shutdown (lib/server/observability/shutdown.ts): the last spans' flush. */
async function runShutdownHooks() {
  const hooks = globalThis[Symbol.for("authlab.shutdownHooks")];
  if (hooks) await Promise.allSettled([...hooks].map((hook) => hook()));
}

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`authlab ${instance} stopping (${signal})`);
  server.close(() => void runShutdownHooks().finally(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
