#!/usr/bin/env node
/**
 * authlab's production server: Next's own request handler (what `next start` runs) behind a Node
 * HTTP server that first makes X-Forwarded-* truthful (see server/forwarded.mjs), names the instance
 * on every response, and answers CORS for cluster peers.
 *
 * It also runs the instance's life: it warms the instance up before it reports ready (the ready line,
 * and /api/health answering 200) and drains it on SIGTERM (server/drain.mjs). It tells the app which of
 * those it is in through the process-wide slot lib/server/lifecycle.ts reads.
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
import { normaliseForwardedHeaders, onceWarning } from "./server/forwarded.mjs";
import { applyCors, parseOrigins } from "./server/cors.mjs";
import { trackConnections } from "./server/drain.mjs";
import { warmRoutes } from "./server/warm-routes.mjs";
import { RESTART_EXIT_CODE, SUPERVISED_ENV } from "./server/restart.mjs";
import { projectDirOf, selectedGate } from "./server/gate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
process.env.NODE_ENV = dev ? "development" : "production";
envPackage.loadEnvConfig(root, dev, { info: () => {}, error: console.error });

let gate;
try {
  gate = selectedGate();
} catch (error) {
  console.error(`Invalid configuration:\n  - ${error.message}`);
  process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
// Outside production an unnamed instance is named after its machine and port, which tells the cluster
// demo's two instances apart. In production every response would then hand the machine's host name to
// anyone who asks (OWASP WSTG-INFO-02, fingerprinting): there it is INSTANCE_ID, or the config's default.
const production = (process.env.AUTHLAB_ENV || "production") === "production";
if (!production) process.env.INSTANCE_ID ||= `${os.hostname()}:${port}`;

const trustProxyHops = Number(process.env.TRUST_PROXY_HOPS ?? 0);
const corsOrigins = parseOrigins(process.env.CORS_ORIGINS);
const instance = process.env.INSTANCE_ID || "authlab";
const graceSeconds = shutdownGraceSeconds(process.env.SHUTDOWN_GRACE_SECONDS);

/** Validated like lib/edge/config.ts does; the launcher needs it before the app is loaded. */
function shutdownGraceSeconds(raw) {
  if (raw === undefined || raw === "") return 20;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 600) {
    console.error(`Invalid configuration:\n  - SHUTDOWN_GRACE_SECONDS: expected whole seconds from 0 to 600`);
    process.exit(1);
  }
  return value;
}

/**
 * The slot processSingleton("lifecycle") names (lib/server/lifecycle.ts): starting → serving → draining,
 * when this process started (so a page can tell a restarted instance from the old one), and — only when
 * `npm start` supervises this process and will start it again — a way for the lab to ask for that.
 */
const lifecycle = { state: "starting", startedAt: new Date().toISOString(), requestRestart: undefined };
globalThis[Symbol.for("authlab.lifecycle")] = lifecycle;

// Tells the app that X-Forwarded-For on every request was set here from the socket (or appended to
// for TRUST_PROXY_HOPS trusted proxies), so it may judge "is the caller on loopback?" by it
// (lib/server/http/loopback.ts). A global, not an environment variable: only this process can set it.
globalThis[Symbol.for("authlab.forwardedHeadersNormalised")] = true;

// The gate's own build: the project (Edge middleware) or the proxy build's tree (scripts/server/gate.mjs).
// The development server always runs the working tree, and so the Edge gate.
const app = next({ dev, dir: dev ? root : projectDirOf(root, gate), hostname, port });
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

const untrustedProxyWarning = onceWarning();

let connections;
const server = createServer((req, res) => {
  connections.begin(req, res);
  if (normaliseForwardedHeaders(req, trustProxyHops).proxiedFromLoopback) untrustedProxyWarning.warn();
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
connections = trackConnections(server);
// Bound how long a slow client may take to send its headers (slowloris).
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;

/** Listens, or rejects with the listen error (a port in use). */
const listen = (...args) =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(...args, () => {
      server.off("error", reject);
      resolve(server.address());
    });
  });

if (!dev) {
  // Warm the routes through this very server before it takes traffic: first on a private loopback port,
  // so no client — and no load balancer that ignores /api/health — ever meets a cold instance; then the
  // real port opens. (The development server compiles each route on first request: warming it would
  // cost, not save.)
  const warmUp = await listen(0, "127.0.0.1");
  const warmed = await warmRoutes(`http://127.0.0.1:${warmUp.port}`);
  console.log(JSON.stringify({ level: "info", event: "server.warmed", ...warmed }));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
const address = await listen(port, hostname);
const actualPort = typeof address === "object" && address ? address.port : port;
lifecycle.state = "serving";
console.log(`authlab ${instance} ready on http://${hostname === "127.0.0.1" ? "localhost" : hostname}:${actualPort}`);

/** Work the app registered for shutdown (lib/server/observability/shutdown.ts): the last spans' flush. */
async function runShutdownHooks() {
  const hooks = globalThis[Symbol.for("authlab.shutdownHooks")];
  if (hooks) await Promise.allSettled([...hooks].map((hook) => hook()));
}

let stopping = false;
async function stop(signal, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  lifecycle.state = "draining";
  const started = Date.now();
  console.log(`authlab ${instance} draining (${signal}): ${connections.inFlight} requests in flight`);
  const { cut } = await connections.drain(graceSeconds * 1000);
  if (cut > 0) console.log(`authlab ${instance} grace period over: ${cut} requests cut`);
  // Bounded: a flush that hangs (an unreachable collector) must not keep a stopping instance alive.
  await Promise.race([runShutdownHooks(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  console.log(`authlab ${instance} stopped after ${Date.now() - started} ms`);
  process.exit(exitCode);
}
if (process.env[SUPERVISED_ENV] === "1") {
  // After the current tick, so the lab's request that asked is already in flight; the drain answers it.
  lifecycle.requestRestart = () => setImmediate(() => void stop("restart requested by the lab", RESTART_EXIT_CODE));
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
