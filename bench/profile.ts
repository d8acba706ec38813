/**
 * `npm run bench:profile -- <target> [seconds]`: runs one production server under V8's CPU profiler,
 * loads one target with autocannon, and prints where the server spent its time (self time by
 * function and by package). This is how the findings in bench/README.md were made.
 *
 * Targets: health, noop, jwt, jwt-dpop, jwt-cold, session-cold, session-database, session-memory, login. The
 * cold targets send a credential the server has not seen with every request (bench/lib/pools.ts).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build, buildIsCurrent } from "@/scripts/lib/build";
import { selectedGate } from "@/scripts/server/gate.mjs";
import { spawnAppServer } from "@/scripts/lib/app-process";
import { freeLoopbackPort } from "@/scripts/lib/ports";
import { createScratchDatabase, generateMetricsToken, generateSecrets, isolatedServerEnv } from "@/scripts/lib/scratch";
import { rotate, runOnce, type LoadTarget } from "./lib/load";
import { COLD_POOL_SIZE, coldSessionPool, mintAccessTokens } from "./lib/pools";
import { benchDpopKey, dpopProofPool, mintProof } from "./lib/dpop";

const [target = "jwt", seconds = "8"] = process.argv.slice(2);
/** Functions of ours (and the libraries they call) whose inclusive cost the report lists. */
const WATCHED = [
  "middleware",
  "proxy",
  "guard",
  "guardApi",
  "guardPage",
  "keyRingFor",
  "verifyAccessToken",
  "jwtVerify",
  "decodeProtectedHeader",
  "flattenedVerify",
  "authenticate",
  "verifyDpopProof",
  "importProofKey",
  "accessTokenHash",
  "nodeFirstSighting",
  "expectedHtu",
  "requireAccessToken",
  "json",
  "handle",
  "optionalSession",
  "requireSession",
  "readSessionToken",
  "unsealSessionToken",
  "unsealData",
  "openIronSeal",
  "unseal",
  "pbkdf2Sync",
  "validateSessionToken",
  "withStore",
  "findUserById",
  "storeReachable",
  "signIn",
  "verifyPassword",
  "createSession",
  "startFamily",
  "issueAccessToken",
  "normaliseForwardedHeaders",
  "getWithUser",
  "sessionWithUser",
  "sessionTraceHeaders",
  "isSecure",
  "cachedToken",
  "sha256Hex",
  "GET",
];
const root = process.cwd();
const PASSWORD = "benchmark passphrase, long enough";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

function where(url: string): string {
  const modules = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.includes("/.next/server/edge")) return "app (edge bundle)";
  if (url.includes("/.next/server/chunks")) return "app (server chunks)";
  if (url.includes("/.next/")) return "app (.next other)";
  if (url.startsWith("node:")) return "node core";
  return url ? path.basename(url) : "(native / idle / gc)";
}

async function main() {
  // An unmangled build in its own directory, so the profile names our functions.
  process.env.AUTHLAB_DIST_DIR = ".next-profile";
  if (!buildIsCurrent(root)) build(root, ["--no-mangling"]);
  const database = await createScratchDatabase(root);
  const profiles = mkdtempSync(path.join(os.tmpdir(), "authlab-profile-"));
  const port = await freeLoopbackPort();
  const store =
    target.startsWith("session-") && target !== "session-cold" ? target.slice("session-".length) : "database";
  // A production server needs its metrics scrape token to start (lib/server/observability/metrics-required.ts).
  const secrets = { ...(await generateSecrets()), METRICS_TOKEN: generateMetricsToken() };
  // This process mints the cold targets' credentials with the server's secrets.
  Object.assign(process.env, { ...secrets, AUTHLAB_ENV: "production", DATABASE_URL: database.url });
  const env = isolatedServerEnv({
    AUTHLAB_DIST_DIR: ".next-profile",
    // The gate's own build (AUTHLAB_GATE): the Edge middleware's, or the Node proxy's tree.
    AUTHLAB_GATE: selectedGate(),
    ...secrets,
    AUTHLAB_ENV: "production",
    PORT: String(port),
    DATABASE_URL: database.url,
    SESSION_STORE: store,
    LOGIN_MAX_FAILURES_PER_ADDRESS: "100000",
    LOGIN_MAX_PER_ADDRESS: "1000000",
  });
  const server = spawnAppServer(root, env, () => undefined, { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profiles}`] });
  await server.ready;
  const base = `http://127.0.0.1:${port}`;
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "p@bench.test", password: PASSWORD }),
  });
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c?.startsWith("authlab_session="))!;
  const { accessToken, user } = (await signup.json()) as { accessToken: string; user: { id: number } };
  type Chosen = Pick<LoadTarget, "url"> & Partial<LoadTarget>;
  const targets: Record<string, () => Promise<Chosen>> = {
    health: async () => ({ url: `${base}/api/health` }),
    noop: async () => ({ url: `${base}/api/noop` }),
    jwt: async () => ({ url: `${base}/api/me`, headers: { authorization: `Bearer ${accessToken}` } }),
    "jwt-dpop": async () => {
      const key = await benchDpopKey();
      const url = `${base}/api/auth/signup`;
      const bound = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", dpop: await mintProof(key, { method: "POST", htu: url }) },
        body: JSON.stringify({ email: "p-dpop@bench.test", password: PASSWORD }),
      });
      const { accessToken: dpopToken } = (await bound.json()) as { accessToken: string };
      return {
        url: `${base}/api/me`,
        freshHeaders: dpopProofPool(key, { method: "GET", url: `${base}/api/me`, accessToken: dpopToken }),
      };
    },
    "jwt-cold": async () => {
      const tokens = await mintAccessTokens(COLD_POOL_SIZE, () => ({ userId: user.id, sessionId: "profile" }));
      const next = rotate(tokens);
      return { url: `${base}/api/me`, perRequestHeaders: () => ({ authorization: `Bearer ${next()}` }) };
    },
    "session-cold": async () => {
      const { config } = await import("@/lib/edge/config");
      const lifetimes = {
        idleSeconds: config().session.idleTimeoutSeconds,
        absoluteSeconds: config().session.absoluteTimeoutSeconds,
      };
      const pool = await coldSessionPool(database.url, user.id, COLD_POOL_SIZE, lifetimes);
      const next = rotate(pool.cookies);
      return { url: `${base}/api/session`, perRequestHeaders: () => ({ cookie: next() }), beforeRun: pool.refresh };
    },
    login: async () => ({
      url: `${base}/api/auth/login`,
      method: "POST" as const,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "p@bench.test", password: PASSWORD }),
    }),
  };
  const chosen = await (targets[target] ?? (async () => ({ url: `${base}/api/session`, headers: { cookie } })))();
  await runOnce({ name: target, description: "", connections: 10, expectStatus: 200, ...chosen }, 2);
  const result = await runOnce(
    { name: target, description: "", connections: target === "login" ? 2 : 10, expectStatus: 200, ...chosen },
    Number(seconds),
  );
  console.log(
    `${target}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, errors ${result.errors} (under the profiler, so slower than npm run bench)`,
  );
  await server.stop();

  const file = readdirSync(profiles).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no CPU profile was written");
  // PROFILE_OUT=<file> keeps the raw profile (Chrome DevTools and speedscope open it).
  if (process.env.PROFILE_OUT) copyFileSync(path.join(profiles, file), process.env.PROFILE_OUT);
  const profile = JSON.parse(readFileSync(path.join(profiles, file), "utf8")) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
  };
  const microsPerSample = (profile.endTime - profile.startTime) / profile.samples.length;
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)" || functionName === "(program)") continue;
    const name = `${functionName || "(anonymous)"}  ${where(url)}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.hitCount);
    byPlace.set(where(url), (byPlace.get(where(url)) ?? 0) + node.hitCount);
    total += node.hitCount;
  }
  const show = (title: string, map: Map<string, number>, limit: number) => {
    console.log(`\n${title} (share of busy samples, ${((total * microsPerSample) / 1e6).toFixed(1)} s busy)`);
    for (const [name, hits] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      console.log(`  ${((hits / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
    }
  };
  show("by package", byPlace, 15);
  show("by function (self time)", byFunction, 30);

  // Inclusive time of the app's own steps: every busy sample whose stack passes through them.
  const parent = new Map<number, number>();
  for (const node of profile.nodes as (ProfileNode & { children?: number[] })[])
    for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const leaf = byId.get(id)!;
    if (["(idle)", "(program)"].includes(leaf.callFrame.functionName)) continue;
    busy++;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      if (WATCHED.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
      }
    }
  }
  console.log("\nour steps, inclusive (share of busy samples)");
  for (const name of WATCHED)
    if (inclusive.has(name))
      console.log(`  ${((inclusive.get(name)! / busy) * 100).toFixed(1).padStart(5)} %  ${name}`);
  rmSync(profiles, { recursive: true, force: true });
  await database.dispose();
}

await main();
