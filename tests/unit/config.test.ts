import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, DEV_SECRET_MARKER, type ConfigIssue } from "@/lib/edge/config";

const jwks = (kid = "k1") =>
  JSON.stringify({
    keys: [
      {
        kty: "EC",
        crv: "P-256",
        alg: "ES256",
        kid,
        x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
        d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI",
      },
    ],
  });
const base = { SESSION_PASSWORD: "p".repeat(32), JWT_PRIVATE_JWKS: jwks() };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** What a caller can tell problems apart by: the variable and a code, not the sentence. */
function issuesOf(env: Record<string, string | undefined>): Pick<ConfigIssue, "variable" | "code">[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map(({ variable, code }) => ({ variable, code }));
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      env: "production",
      server: { port: 3000 },
      database: { url: "file:./data/authlab.db", kind: "sqlite" },
      session: { store: "database", idleTimeoutSeconds: 1800, absoluteTimeoutSeconds: 604800 },
      jwt: { accessTokenTtlSeconds: 900 },
      http: { trustProxyHops: 0 },
      lab: { enabledForEveryone: false },
    });
    expect(config.session.passwords).toEqual({ 1: "p".repeat(32) });
  });

  it("keeps development data in its own database file unless DATABASE_URL says otherwise", () => {
    expect(loadConfig({ ...base, AUTHLAB_ENV: "development" }).database.url).toBe("file:./data/authlab.dev.db");
    expect(loadConfig({ ...base, AUTHLAB_ENV: "production" }).database.url).toBe("file:./data/authlab.db");
    expect(loadConfig({ ...base, AUTHLAB_ENV: "development", DATABASE_URL: "file:./x.db" }).database.url).toBe(
      "file:./x.db",
    );
  });

  it("refresh families: a 10 s reuse grace window, 30 refreshes a minute, 20 sessions per account", () => {
    expect(loadConfig(base)).toMatchObject({
      refresh: { reuseGraceSeconds: 10, maxPerFamilyPerMinute: 30 },
      session: { maxPerUser: 20 },
    });
    expect(loadConfig({ ...base, REFRESH_REUSE_GRACE_SECONDS: "0" }).refresh.reuseGraceSeconds).toBe(0);
    expect(problemsOf({ ...base, REFRESH_REUSE_GRACE_SECONDS: "61" })[0]).toMatch(/^REFRESH_REUSE_GRACE_SECONDS: /);
    expect(problemsOf({ ...base, REFRESH_MAX_PER_FAMILY_PER_MINUTE: "0" })[0]).toMatch(
      /^REFRESH_MAX_PER_FAMILY_PER_MINUTE: /,
    );
    expect(problemsOf({ ...base, MAX_SESSIONS_PER_USER: "many" })[0]).toMatch(/^MAX_SESSIONS_PER_USER: /);
  });

  it("bounds sign-ins and password hashing with defaults, and names a bad value", () => {
    expect(loadConfig(base).limits).toMatchObject({
      loginMaxPerAddress: 300,
      passwordHashConcurrency: null,
      passwordHashQueueMax: 32,
    });
    expect(loadConfig({ ...base, PASSWORD_HASH_CONCURRENCY: "3" }).limits.passwordHashConcurrency).toBe(3);
    expect(problemsOf({ ...base, PASSWORD_HASH_CONCURRENCY: "0" })[0]).toMatch(/^PASSWORD_HASH_CONCURRENCY: /);
    expect(problemsOf({ ...base, LOGIN_MAX_PER_ADDRESS: "many" })[0]).toMatch(/^LOGIN_MAX_PER_ADDRESS: /);
  });

  it("the cookie cache: off by default, at most 300 s and at most half the idle timeout", () => {
    expect(loadConfig(base).session.cookieCacheSeconds).toBe(0);
    expect(loadConfig({ ...base, SESSION_COOKIE_CACHE_SECONDS: "30" }).session.cookieCacheSeconds).toBe(30);
    expect(problemsOf({ ...base, SESSION_COOKIE_CACHE_SECONDS: "301" })[0]).toMatch(/^SESSION_COOKIE_CACHE_SECONDS: /);
    expect(problemsOf({ ...base, SESSION_COOKIE_CACHE_SECONDS: "-1" })[0]).toMatch(/^SESSION_COOKIE_CACHE_SECONDS: /);
    expect(problemsOf({ ...base, SESSION_COOKIE_CACHE_SECONDS: "31", SESSION_IDLE_TIMEOUT_SECONDS: "60" })[0]).toMatch(
      /^SESSION_COOKIE_CACHE_SECONDS must be at most half/,
    );
  });

  it("names a missing secret", () => {
    expect(problemsOf({ JWT_PRIVATE_JWKS: jwks() })).toEqual(["SESSION_PASSWORD is required but not set"]);
    expect(problemsOf({ SESSION_PASSWORD: "p".repeat(32) })).toEqual(["JWT_PRIVATE_JWKS is required but not set"]);
  });

  it("refuses development secrets in production and names the variable, but accepts them in development", () => {
    const dev = {
      SESSION_PASSWORD: `${DEV_SECRET_MARKER}${"p".repeat(32)}`,
      JWT_PRIVATE_JWKS: jwks(`${DEV_SECRET_MARKER}key`),
    };
    expect(problemsOf(dev)).toEqual([
      "SESSION_PASSWORD holds a generated development secret; set a real one for production",
      "JWT_PRIVATE_JWKS holds a generated development secret; set a real one for production",
    ]);
    expect(problemsOf({ ...dev, AUTHLAB_ENV: "development" })).toEqual([]);
  });

  it("refuses to open the lab to every user in production", () => {
    expect(problemsOf({ ...base, LAB_ENABLED: "true" })).toEqual([
      "LAB_ENABLED=true opens the lab endpoints to every user; in production they are for admins only, so it is refused",
    ]);
    expect(loadConfig({ ...base, LAB_ENABLED: "true", AUTHLAB_ENV: "development" }).lab.enabledForEveryone).toBe(true);
    expect(loadConfig({ ...base, LAB_ENABLED: "false" }).lab.enabledForEveryone).toBe(false);
  });

  it("accepts a password map for rotation and rejects short passwords", () => {
    expect(
      loadConfig({ ...base, SESSION_PASSWORD: JSON.stringify({ 1: "a".repeat(32), 2: "b".repeat(32) }) }).session
        .passwords,
    ).toEqual({ 1: "a".repeat(32), 2: "b".repeat(32) });
    expect(problemsOf({ ...base, SESSION_PASSWORD: "short" })[0]).toMatch(/^SESSION_PASSWORD: .*32 characters/);
    expect(problemsOf({ ...base, SESSION_PASSWORD: JSON.stringify({ one: "a".repeat(32) }) })[0]).toMatch(
      /positive integers/,
    );
    expect(problemsOf({ ...base, SESSION_PASSWORD: "{not json" })[0]).toMatch(/does not parse/);
  });

  it("rejects a malformed key set without echoing key material", () => {
    const problems = problemsOf({
      ...base,
      JWT_PRIVATE_JWKS: JSON.stringify({ keys: [{ kty: "RSA", n: "secret-n", d: "secret-d" }] }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^JWT_PRIVATE_JWKS: not a valid ES256\/EdDSA private JWK Set/);
    expect(problems[0]).not.toContain("secret-d");
    expect(problemsOf({ ...base, JWT_PRIVATE_JWKS: "nope" })[0]).toMatch(/JSON JWK Set/);
    const duplicate = JSON.parse(jwks());
    duplicate.keys.push(duplicate.keys[0]);
    expect(problemsOf({ ...base, JWT_PRIVATE_JWKS: JSON.stringify(duplicate) })[0]).toMatch(/unique/);
  });

  it("requires Redis settings for the Redis store and parses Sentinels", () => {
    expect(problemsOf({ ...base, SESSION_STORE: "redis" })).toEqual([
      "REDIS_URL (or REDIS_SENTINELS with REDIS_MASTER_NAME, or REDIS_CLUSTER_NODES) is required when SESSION_STORE=redis",
    ]);
    expect(loadConfig({ ...base, SESSION_STORE: "redis", REDIS_URL: "rediss://user:pw@cache:6380" }).redis).toEqual({
      kind: "url",
      url: "rediss://user:pw@cache:6380",
    });
    const sentinel = loadConfig({
      ...base,
      SESSION_STORE: "redis",
      REDIS_SENTINELS: "127.0.0.1:26379, [::1]:26380",
      REDIS_MASTER_NAME: "authlab",
    });
    expect(sentinel.redis).toMatchObject({
      kind: "sentinel",
      masterName: "authlab",
      sentinels: [
        { host: "127.0.0.1", port: 26379 },
        { host: "::1", port: 26380 },
      ],
    });
    expect(problemsOf({ ...base, REDIS_SENTINELS: "127.0.0.1:26379" })).toEqual([
      "REDIS_MASTER_NAME is required when REDIS_SENTINELS is set",
    ]);
    expect(problemsOf({ ...base, REDIS_SENTINELS: "no-port" })[0]).toMatch(/host:port/);
  });

  it("parses a Redis Cluster's nodes, with REDIS_URL for credentials only, and refuses it beside Sentinels", () => {
    const cluster = loadConfig({
      ...base,
      SESSION_STORE: "redis",
      REDIS_CLUSTER_NODES: "10.0.0.1:7000,10.0.0.2:7001",
      REDIS_URL: "rediss://app:pw@ignored:6379",
    });
    expect(cluster.redis).toEqual({
      kind: "cluster",
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
      ],
      url: "rediss://app:pw@ignored:6379",
    });
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: "10.0.0.1" })[0]).toMatch(/^REDIS_CLUSTER_NODES: .*host:port/);
    const both = problemsOf({
      ...base,
      REDIS_CLUSTER_NODES: "10.0.0.1:7000",
      REDIS_SENTINELS: "10.0.0.1:26379",
      REDIS_MASTER_NAME: "authlab",
    });
    expect(both).toHaveLength(1);
    expect(both[0]).toMatch(/^REDIS_CLUSTER_NODES and REDIS_SENTINELS/);
    // Parse errors never echo the password.
    expect(
      JSON.stringify(problemsOf({ ...base, REDIS_CLUSTER_NODES: "x", REDIS_URL: "redis://u:s3cret@h" })),
    ).not.toContain("s3cret");
  });

  it("reports every bad variable at once, by name", () => {
    const problems = problemsOf({
      ...base,
      PORT: "http",
      SESSION_STORE: "floppy",
      DATABASE_URL: "mysql://x",
      ACCESS_TOKEN_TTL_SECONDS: "3600",
    });
    expect(problems.map((p) => p.split(":")[0])).toEqual(
      expect.arrayContaining(["PORT", "SESSION_STORE", "DATABASE_URL", "ACCESS_TOKEN_TTL_SECONDS"]),
    );
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ ...base, PORT: "", REDIS_URL: "" }).server.port).toBe(3000);
  });

  it("recognises PostgreSQL URLs", () => {
    expect(loadConfig({ ...base, DATABASE_URL: "postgresql://u@127.0.0.1:5432/db" }).database.kind).toBe("postgresql");
  });

  it("normalises APP_ORIGIN and CORS_ORIGINS to origins", () => {
    const config = loadConfig({
      ...base,
      APP_ORIGIN: "https://lab.example.com/some/path",
      CORS_ORIGINS: "http://localhost:3001, http://localhost:3002/",
    });
    expect(config.http.appOrigin).toBe("https://lab.example.com");
    expect(config.http.corsOrigins).toEqual(["http://localhost:3001", "http://localhost:3002"]);
    expect(problemsOf({ ...base, APP_ORIGIN: "javascript:alert(1)" })[0]).toMatch(/^APP_ORIGIN/);
  });

  it("groups the settings by concern", () => {
    expect(Object.keys(loadConfig(base)).sort()).toEqual(
      [
        "env",
        "instanceId",
        "server",
        "http",
        "database",
        "redis",
        "session",
        "jwt",
        "refresh",
        "dpop",
        "introspection",
        "limits",
        "lab",
        "audit",
        "metrics",
        "tracing",
      ].sort(),
    );
  });

  it.each<[Record<string, string>, string, string]>([
    [
      { SESSION_PASSWORD: `${DEV_SECRET_MARKER}${"p".repeat(32)}` },
      "SESSION_PASSWORD",
      "development_secret_in_production",
    ],
    [
      { REDIS_CLUSTER_NODES: "h:7000", REDIS_SENTINELS: "h:26379" },
      "REDIS_CLUSTER_NODES",
      "redis_cluster_and_sentinels",
    ],
    [{ REDIS_SENTINELS: "h:26379" }, "REDIS_MASTER_NAME", "redis_master_name_missing"],
    [{ SESSION_STORE: "redis" }, "REDIS_URL", "redis_store_without_redis"],
    [{ LAB_ENABLED: "true" }, "LAB_ENABLED", "lab_open_in_production"],
    [{ AUTHLAB_TEST_CLOCK_FILE: "/tmp/clock" }, "AUTHLAB_TEST_CLOCK_FILE", "test_clock_outside_tests"],
    [
      { SESSION_IDLE_TIMEOUT_SECONDS: "600", SESSION_ABSOLUTE_TIMEOUT_SECONDS: "300" },
      "SESSION_IDLE_TIMEOUT_SECONDS",
      "idle_timeout_beyond_absolute",
    ],
    [
      { SESSION_COOKIE_CACHE_SECONDS: "31", SESSION_IDLE_TIMEOUT_SECONDS: "60" },
      "SESSION_COOKIE_CACHE_SECONDS",
      "cookie_cache_beyond_half_idle",
    ],
  ])("names a conflict between variables by variable and code (%o)", (env, variable, code) => {
    expect(issuesOf({ ...base, ...env })).toEqual([{ variable, code }]);
  });

  it("reports conflicts only once every variable parses on its own", () => {
    // PORT's range check does not stop zod's object parse; the lab conflict must still wait for it.
    expect(issuesOf({ ...base, LAB_ENABLED: "true", PORT: "70000" })).toEqual([{ variable: "PORT", code: "too_big" }]);
    expect(issuesOf({ JWT_PRIVATE_JWKS: jwks() })).toEqual([{ variable: "SESSION_PASSWORD", code: "missing" }]);
  });
});
