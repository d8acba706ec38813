/**
 * GET /api/metrics (docs/api.md): Prometheus text from prom-client, for a scraper holding
 * METRICS_TOKEN or — without one — for loopback callers only, and only where the address can be
 * trusted. Counters and histograms move with real requests; no label carries a user id, email or
 * token. An audit write that fails is counted and never fails the request that raised it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import pg from "pg";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { useAppServer } from "../helpers/use-app-server";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { dpopHeaders, makeProof, proofKey } from "../helpers/dpop";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { requireBinary } from "../helpers/system";
import {
  auditEvents,
  BrowserClient,
  metricValue,
  parseExposition,
  scrape,
  signInAdmin,
  type Sample,
} from "../helpers/observability";

const METRICS_TOKEN = "scrape-token-for-tests-0123456789abcdef";

/** Every label value a metric of ours may carry (lib/server/observability/metrics.ts). */
const BOUNDED_LABELS: Record<string, RegExp> = {
  check: /^(session|token|strict|refresh|other)$/,
  outcome: /^(ok|absent|error|other|succeeded|failed|throttled|[a-z_]+)$/,
  reason: /^[a-z_]+$/,
  store: /^(memory|database|redis|other)$/,
  event: /^[a-z_]+$/,
  limit: /^(address|account|other)$/,
  what: /^(session|other_sessions|refresh_family|token)$/,
  cause: /^(write_failed|queue_full)$/,
  le: /^([0-9.e+-]+|\+Inf)$/,
};

function ours(samples: Sample[]): Sample[] {
  return samples.filter((s) => s.name.startsWith("authlab_"));
}

describe("with METRICS_TOKEN", () => {
  const server = useAppServer({ env: { METRICS_TOKEN } });

  it("answers only the bearer of the token (compared as a secret), never an access token", async () => {
    const anonymous = await new Client(server.url).get("/api/metrics");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    const wrong = await new Client(server.url).get("/api/metrics", { bearer: `${METRICS_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_token");
    const { accessToken } = await signUp(new Client(server.url));
    expect((await new Client(server.url).get("/api/metrics", { bearer: accessToken })).status).toBe(401);
    // The scrape token travels as Bearer only.
    const otherScheme = await new Client(server.url).get("/api/metrics", {
      headers: { authorization: `DPoP ${METRICS_TOKEN}` },
    });
    expect(otherScheme.status).toBe(401);

    const ok = await new Client(server.url).get("/api/metrics", { bearer: METRICS_TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(ok.text).toContain("# TYPE authlab_auth_checks_total counter");
    expect(ok.text).toContain("# TYPE authlab_session_check_duration_seconds histogram");
    // Tracing is off by default: no OTEL_EXPORTER_OTLP_ENDPOINT, no SDK.
    expect(server.logs()).not.toContain("otel.started");
  });

  it("counters and histograms move with real requests", async () => {
    const before = await scrape(server, METRICS_TOKEN);
    const c = new Client(server.url);
    const { accessToken } = await signUp(c);
    for (let i = 0; i < 3; i++) expect((await c.get("/api/session")).status).toBe(200);
    expect((await new Client(server.url).get("/api/session")).status).toBe(401);
    expect((await c.get("/api/me", { bearer: accessToken })).status).toBe(200);
    // Refused by the Edge middleware, in its own isolate: Node's metrics never see it (docs/operations.md, "Observability").
    expect((await c.get("/api/me", { bearer: "not.a.jwt" })).status).toBe(401);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    const after = await scrape(server, METRICS_TOKEN);

    const delta = (name: string, labels: Record<string, string> = {}) =>
      metricValue(after, name, labels) - metricValue(before, name, labels);
    expect(delta("authlab_auth_checks_total", { check: "session", outcome: "ok" })).toBe(3);
    expect(delta("authlab_auth_checks_total", { check: "session", outcome: "absent" })).toBe(1);
    expect(delta("authlab_auth_checks_total", { check: "token", outcome: "ok" })).toBe(1);
    expect(delta("authlab_session_check_duration_seconds_count", { outcome: "ok" })).toBe(3);
    expect(delta("authlab_token_check_duration_seconds_count", { check: "token" })).toBe(1);
    expect(delta("authlab_store_lookup_duration_seconds_count", { store: "database" })).toBeGreaterThanOrEqual(3);
    expect(delta("authlab_sign_ins_total", { outcome: "succeeded" })).toBe(1);
    expect(delta("authlab_refreshes_total", { outcome: "ok" })).toBe(1);
    expect(metricValue(after, "authlab_session_store_reachable", { store: "database" })).toBe(1);
  });

  it("counts a refresh-token reuse, a throttle and revocations", async () => {
    const before = await scrape(server, METRICS_TOKEN);
    const owner = new Client(server.url);
    const { email } = await signUp(owner);
    const first = owner.cookie("authlab_refresh")!.value;
    await owner.post("/api/auth/refresh");
    await owner.post("/api/auth/refresh");
    const thief = new Client(server.url);
    thief.setCookie("authlab_refresh", first, "/api/auth");
    expect((await thief.post("/api/auth/refresh")).body.reason).toBe("reused");
    for (let i = 0; i < 11; i++) await new Client(server.url).post("/api/auth/login", { email, password: `no ${i}` });
    expect((await owner.post("/api/auth/logout")).status).toBe(204);
    const after = await scrape(server, METRICS_TOKEN);

    const delta = (name: string, labels: Record<string, string> = {}) =>
      metricValue(after, name, labels) - metricValue(before, name, labels);
    expect(delta("authlab_refresh_reuse_detected_total")).toBe(1);
    expect(delta("authlab_refreshes_total", { outcome: "invalid_grant", reason: "reused" })).toBe(1);
    expect(delta("authlab_sign_in_throttled_total", { limit: "account" })).toBe(1);
    expect(delta("authlab_sign_ins_total", { outcome: "failed" })).toBe(10);
    expect(delta("authlab_revocations_total", { what: "refresh_family", reason: "reuse" })).toBe(1);
    expect(delta("authlab_security_events_total", { event: "signed_out" })).toBe(1);
  });

  it("DPoP: bound token checks, refreshes and RFC 7009 revocations are counted like their Bearer twins", async () => {
    const [key, otherKey] = await Promise.all([proofKey(), proofKey()]);
    const before = await scrape(server, METRICS_TOKEN);
    const c = new Client(server.url);
    const proofFor = (htm: string, path: string, accessToken?: string, signer = key) =>
      makeProof(signer, { htm, htu: `${server.url}${path}`, accessToken });
    const signup = await c.post(
      "/api/auth/signup",
      { email: uniqueEmail("metrics-dpop"), password: GOOD_PASSWORD },
      { headers: { dpop: await proofFor("POST", "/api/auth/signup") } },
    );
    expect(signup.body.tokenType).toBe("DPoP");
    const accessToken = signup.body.accessToken as string;
    const refreshToken = c.cookie("authlab_refresh")!.value;
    const dpopGet = async (path: string) =>
      c.get(path, { headers: dpopHeaders(accessToken, await proofFor("GET", path, accessToken)) });
    expect((await dpopGet("/api/me")).status).toBe(200);
    expect((await dpopGet("/api/me/strict")).status).toBe(200);

    const refreshProof = await proofFor("POST", "/api/auth/refresh");
    expect((await c.post("/api/auth/refresh", undefined, { headers: { dpop: refreshProof } })).status).toBe(200);
    const replayed = await c.post("/api/auth/refresh", undefined, { headers: { dpop: refreshProof } });
    expect(replayed.body).toMatchObject({ error: "invalid_dpop_proof", reason: "dpop_invalid" });
    const otherKeyProof = await proofFor("POST", "/api/auth/refresh", undefined, otherKey);
    const mismatch = await c.post("/api/auth/refresh", undefined, { headers: { dpop: otherKeyProof } });
    expect(mismatch.body).toMatchObject({ error: "invalid_grant", reason: "dpop_key_mismatch" });

    const revoke = (token: string) =>
      new Client(server.url).request("/api/auth/revoke", {
        method: "POST",
        body: new URLSearchParams({ token }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        sameOrigin: false,
      });
    expect((await revoke(accessToken)).status).toBe(200);
    expect((await dpopGet("/api/me/strict")).body.reason).toBe("revoked");
    // The refresh token of the original sign-in, now the family's parent: revoking it ends the family.
    expect((await revoke(refreshToken)).status).toBe(200);
    const after = await scrape(server, METRICS_TOKEN);

    const delta = (name: string, labels: Record<string, string> = {}) =>
      metricValue(after, name, labels) - metricValue(before, name, labels);
    expect(delta("authlab_sign_ins_total", { outcome: "succeeded" })).toBe(1);
    expect(delta("authlab_auth_checks_total", { check: "token", outcome: "ok" })).toBe(3);
    expect(delta("authlab_token_check_duration_seconds_count", { check: "token" })).toBe(3);
    expect(delta("authlab_auth_checks_total", { check: "strict", outcome: "ok" })).toBe(1);
    expect(delta("authlab_auth_checks_total", { check: "strict", outcome: "invalid_token", reason: "revoked" })).toBe(
      1,
    );
    expect(delta("authlab_refreshes_total", { outcome: "ok" })).toBe(1);
    expect(delta("authlab_refreshes_total", { outcome: "invalid_dpop_proof", reason: "dpop_invalid" })).toBe(1);
    expect(delta("authlab_refreshes_total", { outcome: "invalid_grant", reason: "dpop_key_mismatch" })).toBe(1);
    expect(delta("authlab_revocations_total", { what: "token", reason: "access_token" })).toBe(1);
    expect(delta("authlab_revocations_total", { what: "token", reason: "refresh_token" })).toBe(1);
    expect(delta("authlab_revocations_total", { what: "refresh_family", reason: "token_revoked" })).toBe(1);
    expect(delta("authlab_security_events_total", { event: "token_revoked" })).toBe(2);
  });

  it("no label carries a user id, an email or a token: every label is from a bounded set", async () => {
    const c = new Client(server.url);
    const { email, accessToken, user } = await signUp(c);
    await c.get("/api/me", { bearer: accessToken });
    await c.get("/api/sessions/does-not-exist");
    await c.post("/api/auth/login", { email, password: "wrong" });
    const response = await new Client(server.url).get("/api/metrics", { bearer: METRICS_TOKEN });
    expect(response.text).not.toContain(email);
    expect(response.text).not.toContain(accessToken);
    expect(response.text).not.toContain(c.cookie("authlab_refresh")!.value);
    for (const sample of ours(parseExposition(response.text))) {
      for (const [name, value] of Object.entries(sample.labels)) {
        expect(BOUNDED_LABELS[name], `label ${name} on ${sample.name}`).toBeDefined();
        expect(value, `${sample.name}{${name}}`).toMatch(BOUNDED_LABELS[name]!);
        expect(value).not.toBe(String(user.id));
      }
    }
  });

  it("an audit write that fails is logged and counted; the sign-in still answers", async () => {
    const admin = await signInAdmin(server);
    const before = await scrape(server, METRICS_TOKEN);
    // A real failure, not a switch in the code: the audit table is gone from this scratch database.
    await dropAuditTable(server);
    const c = new BrowserClient(server.url);
    const { email } = await signUp(c);
    expect((await c.post("/api/auth/login", { email, password: GOOD_PASSWORD })).status).toBe(200);
    expect((await c.post("/api/auth/login", { email, password: "wrong" })).status).toBe(401);
    expect((await c.post("/api/auth/logout")).status).toBe(204);
    await expect
      .poll(async () => {
        const after = await scrape(server, METRICS_TOKEN);
        const failures = (s: Sample[]) =>
          metricValue(s, "authlab_audit_write_failures_total", { cause: "write_failed" });
        return failures(after) - failures(before);
      })
      .toBeGreaterThanOrEqual(4);
    expect(server.logs()).toContain('"event":"audit.write_failed"');
    // Reading the trail now fails as a database error would: a JSON 5xx, not a crash.
    const read = await new Client(server.url).get("/api/admin/audit", { bearer: admin.accessToken });
    expect(read.status).toBeGreaterThanOrEqual(500);
    expect(read.body.error).toBeTruthy();
  });
});

async function dropAuditTable(server: AppServer): Promise<void> {
  if (server.database.kind === "sqlite") {
    const db = new Database(server.database.url.replace(/^file:/, ""));
    try {
      db.exec(`DROP TABLE "SecurityEvent"`);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: server.database.url });
  await client.connect();
  try {
    await client.query(`DROP TABLE "SecurityEvent"`);
  } finally {
    await client.end();
  }
}

describe("without METRICS_TOKEN", () => {
  it("under the launcher: loopback callers only, judged by the address the launcher saw", async () => {
    const server = await startAppServer();
    try {
      const local = await new Client(server.url).get("/api/metrics");
      expect(local.status).toBe(200);
      // A forged header changes nothing: the launcher replaced it with the socket's address.
      const forged = await new Client(server.url).get("/api/metrics", {
        headers: { "x-forwarded-for": "203.0.113.9" },
      });
      expect(forged.status).toBe(200);
      // Behind a trusted proxy, the address it appended is the caller's: not loopback, refused.
      await server.restart({ TRUST_PROXY_HOPS: "1" });
      const remote = await new Client(server.url).get("/api/metrics", {
        headers: { "x-forwarded-for": "203.0.113.9" },
      });
      expect(remote.status).toBe(403);
      expect(remote.body.error).toBe("forbidden");
    } finally {
      await server.dispose();
    }
  });

  it("under plain `next start`: refused, even for a claimed 127.0.0.1 (nothing vouches for the header)", async () => {
    const server = await startAppServer({ launcher: "next-start" });
    try {
      const claimed = await new Client(server.url).get("/api/metrics", { headers: { "x-forwarded-for": "127.0.0.1" } });
      expect(claimed.status).toBe(403);
      expect(claimed.body.error).toBe("forbidden");
    } finally {
      await server.dispose();
    }
  });
});

const haveRedis = requireBinary("redis-server", "apt-get install redis-server");

describe.runIf(haveRedis)("session store reachability (SESSION_STORE=redis)", () => {
  let redis: RedisServer;
  let server: AppServer;
  beforeAll(async () => {
    // Persistent, so the sessions outlive the stop like a real deployment's would.
    redis = await startRedis({ persistence: true });
    server = await startAppServer({ env: { SESSION_STORE: "redis", REDIS_URL: redis.url, METRICS_TOKEN } });
  });
  afterAll(async () => {
    await server?.dispose();
    await redis?.dispose();
  });

  it("an outage and the recovery are each one event, and the gauge follows", async () => {
    const admin = await signInAdmin(server);
    const c = new Client(server.url);
    await signUp(c);
    const reachable = async () =>
      metricValue(await scrape(server, METRICS_TOKEN), "authlab_session_store_reachable", { store: "redis" });
    const circuitOpen = async () =>
      metricValue(await scrape(server, METRICS_TOKEN), "authlab_session_store_circuit_open", { store: "redis" });
    expect(await reachable()).toBe(1);
    expect(await circuitOpen()).toBe(0);

    await redis.stop();
    for (let i = 0; i < 3; i++) expect((await c.get("/api/session")).status).toBe(503);
    expect(await reachable()).toBe(0);
    expect(await circuitOpen()).toBe(1);
    await redis.start();
    await expect.poll(async () => (await c.get("/api/session")).status, { timeout: 15_000, interval: 250 }).toBe(200);
    expect(await reachable()).toBe(1);
    expect(await circuitOpen()).toBe(0);

    const events = async (event: string) => auditEvents(server, admin.accessToken, { event });
    await expect.poll(async () => (await events("session_store_recovered")).length).toBe(1);
    const [down] = await events("session_store_unavailable");
    expect(await events("session_store_unavailable")).toHaveLength(1);
    expect(down).toMatchObject({ userId: null, ip: null, detail: { store: "redis", instance: `test-${server.port}` } });
  });
});
