/**
 * The servers a benchmark run measures: production builds on free loopback ports, each with its own
 * session store, all sharing one scratch database and one set of secrets.
 */
import { spawnAppServer, type AppProcess } from "@/scripts/lib/app-process";
import { freeLoopbackPort } from "@/scripts/lib/ports";
import { isolatedServerEnv, type ScratchDatabase } from "@/scripts/lib/scratch";
import { selectedGate, type GateName } from "@/scripts/server/gate.mjs";
import { mintProof, type BenchDpopKey } from "./dpop";

export interface BenchServer {
  store: "memory" | "database" | "redis";
  /** The build it serves: the Edge middleware's or the Node proxy's (AUTHLAB_GATE). */
  gate: GateName;
  url: string;
  process: AppProcess;
}

export async function startBenchServer(
  root: string,
  store: BenchServer["store"],
  database: ScratchDatabase,
  secrets: Record<string, string>,
  redisUrl?: string,
  cpu?: number,
  /** More configuration for this server (the growth runs lengthen the idle timeout, for one). */
  extraEnv: Record<string, string> = {},
  gate: GateName = selectedGate(),
): Promise<BenchServer> {
  const port = await freeLoopbackPort();
  const env = isolatedServerEnv({
    ...secrets,
    AUTHLAB_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: database.url,
    SESSION_STORE: store,
    REDIS_URL: redisUrl ?? "",
    INSTANCE_ID: `bench-${store}${gate === "proxy" ? "-proxy" : ""}`,
    AUTHLAB_GATE: gate,
    // The benchmark signs in repeatedly from one address.
    SIGNUP_MAX_PER_ADDRESS: "100000",
    LOGIN_MAX_FAILURES_PER_ADDRESS: "100000",
    LOGIN_MAX_PER_ADDRESS: "1000000",
    ...extraEnv,
  });
  let output = "";
  const process = spawnAppServer(root, env, (text) => (output = (output + text).slice(-4000)), { cpu });
  try {
    await process.ready;
  } catch (error) {
    throw new Error(
      `the ${store} server (${gate} gate) did not start: ${error instanceof Error ? error.message : error}\n${output}`,
    );
  }
  return { store, gate, url: `http://127.0.0.1:${port}`, process };
}

/**
 * Signs up a user on a server and returns its session cookie header, access token and user id — with a
 * DPoP key, a token bound to it (RFC 9449 §5: the sign-up carries a proof).
 */
export async function credentialsFor(
  server: BenchServer,
  email: string,
  password: string,
  dpopKey?: BenchDpopKey,
): Promise<{ cookie: string; accessToken: string; userId: number }> {
  const url = `${server.url}/api/auth/signup`;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (dpopKey) headers.dpop = await mintProof(dpopKey, { method: "POST", htu: url });
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 201)
    throw new Error(`sign-up on the ${server.store} server answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => c.startsWith("authlab_session="))
    .join("; ");
  const body = (await response.json()) as { accessToken: string; user: { id: number } };
  return { cookie, accessToken: body.accessToken, userId: body.user.id };
}

/**
 * A new session cookie for an existing account (POST /api/auth/login): with the cookie cache on, it
 * carries a snapshot taken now, so a run that starts with it measures the fresh-snapshot path.
 */
export async function freshSessionCookie(server: BenchServer, email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in on ${server.url} answered ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => c.startsWith("authlab_session="))
    .join("; ");
}
