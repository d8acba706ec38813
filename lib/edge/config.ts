/**
 * Every environment variable authlab reads, parsed once with zod.
 *
 * This module is imported by Node code *and* by the Edge middleware, so it uses Web APIs only
 * (no `node:*`). INSTANCE_ID defaults to "authlab"; the launcher names instances hostname:port.
 */
import { z } from "zod";
import { parsePrivateJwks, type PrivateJwk } from "@/lib/edge/jwt/jwks-schema";

/** Secrets that `npm start` generates for development start with this marker (see scripts/lib/prepare.ts). */
export const DEV_SECRET_MARKER = "dev_";

export const MIN_SESSION_PASSWORD_LENGTH = 32;
/** RFC 9068 access tokens should be short-lived; the lab's upper bound is 15 minutes. */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** A longer reuse grace window would let a replayed refresh token pass for too long (SECURITY.md). */
export const MAX_REFRESH_REUSE_GRACE_SECONDS = 60;
/**
 * A cookie-cached session is trusted this long without the store (SECURITY.md, "Cookie cache"): a revocation takes
 * up to this long to bite, so the lab caps it at five minutes, as Better Auth's cookie cache defaults to.
 */
export const MAX_SESSION_COOKIE_CACHE_SECONDS = 300;

/** A metrics scrape token is a shared secret: long enough not to be guessed. */
export const MIN_METRICS_TOKEN_LENGTH = 24;

const seconds = (fallback: number, min = 1, max = 365 * 24 * 3600) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const sessionPasswordSchema = z.string().transform((raw, ctx): Record<string, string> => {
  const trimmed = raw.trim();
  let map: unknown = { "1": trimmed };
  if (trimmed.startsWith("{")) {
    try {
      map = JSON.parse(trimmed);
    } catch {
      ctx.addIssue({ code: "custom", message: "looks like JSON but does not parse" });
      return z.NEVER;
    }
  }
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    ctx.addIssue({ code: "custom", message: 'expected a password or a JSON map {"1":"…","2":"…"}' });
    return z.NEVER;
  }
  if (Object.keys(map).some((id) => !/^[1-9]\d{0,5}$/.test(id))) {
    ctx.addIssue({ code: "custom", message: "password ids must be positive integers" });
    return z.NEVER;
  }
  const parsed = z
    .record(
      z.string(),
      z
        .string()
        .min(MIN_SESSION_PASSWORD_LENGTH, `each password needs at least ${MIN_SESSION_PASSWORD_LENGTH} characters`),
    )
    .refine((m) => Object.keys(m).length > 0, "needs at least one password")
    .safeParse(map);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
    return z.NEVER;
  }
  return parsed.data;
});

const jwksSchema = z.string().transform((raw, ctx): PrivateJwk[] => {
  const result = parsePrivateJwks(raw);
  if (!result.ok) {
    ctx.addIssue({ code: "custom", message: result.message });
    return z.NEVER;
  }
  return result.keys;
});

/** `host:port,host:port,…`: the Sentinels (REDIS_SENTINELS) or a Redis Cluster's seed nodes (REDIS_CLUSTER_NODES). */
const hostPortListSchema = z.string().transform((raw, ctx) => {
  const sentinels = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
      if (!match) return null;
      return { host: match[1]!.replace(/^\[|\]$/g, ""), port: Number(match[2]) };
    });
  if (sentinels.length === 0 || sentinels.some((s) => s === null || s.port < 1 || s.port > 65535)) {
    ctx.addIssue({ code: "custom", message: 'expected "host:port,host:port,…"' });
    return z.NEVER;
  }
  return sentinels as { host: string; port: number }[];
});

const databaseUrlSchema = z
  .string()
  .refine(
    (u) => /^file:.+/.test(u) || /^postgres(ql)?:\/\/.+/.test(u),
    'expected "file:<path>" (SQLite) or "postgresql://…"',
  );

const originSchema = z.string().transform((raw, ctx) => {
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("protocol");
    return url.origin;
  } catch {
    ctx.addIssue({ code: "custom", message: "expected an origin such as https://authlab.example.com" });
    return z.NEVER;
  }
});

/** RFC 6749 §2.3.1: client ids and secrets travel form-encoded in Basic; these characters need no encoding. */
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,64}$/;
const CLIENT_SECRET = /^[A-Za-z0-9._~-]+$/;
export const MIN_CLIENT_SECRET_LENGTH = 32;

export interface IntrospectionClient {
  id: string;
  secret: string;
}

/** `id:secret,id:secret`. Messages name the client by position and id, never by secret. */
const introspectionClientsSchema = z.string().transform((raw, ctx): IntrospectionClient[] => {
  const entries = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const clients: IntrospectionClient[] = [];
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(":");
    const id = colon < 0 ? "" : entry.slice(0, colon);
    const secret = colon < 0 ? "" : entry.slice(colon + 1);
    const where = `entry ${index + 1}${CLIENT_ID.test(id) ? ` (${id})` : ""}`;
    if (!CLIENT_ID.test(id))
      ctx.addIssue({ code: "custom", message: `${where}: expected "id:secret", id of [A-Za-z0-9._~-]` });
    else if (secret.length < MIN_CLIENT_SECRET_LENGTH || !CLIENT_SECRET.test(secret))
      ctx.addIssue({
        code: "custom",
        message: `${where}: the secret needs at least ${MIN_CLIENT_SECRET_LENGTH} characters of [A-Za-z0-9._~-]`,
      });
    else if (clients.some((c) => c.id === id)) ctx.addIssue({ code: "custom", message: `${where}: duplicate id` });
    else clients.push({ id, secret });
  }
  return clients;
});

const envSchema = z.object({
  /**
   * The app's own mode. `next start` always runs with NODE_ENV=production, so the launcher passes the
   * user's intent here. Unset means production: the fail-safe choice (real secrets, no demo accounts).
   */
  AUTHLAB_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Unset: a SQLite file whose path depends on the mode (defaultDatabaseUrl). */
  DATABASE_URL: databaseUrlSchema.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  SESSION_STORE: z.enum(["memory", "database", "redis"]).default("database"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'expected "redis://…" or "rediss://…"')
    .optional(),
  REDIS_SENTINELS: hostPortListSchema.optional(),
  /**
   * A Redis Cluster's nodes (any few of them: the client learns the rest with CLUSTER SLOTS). REDIS_URL
   * then supplies only the credentials and TLS.
   */
  REDIS_CLUSTER_NODES: hostPortListSchema.optional(),
  REDIS_MASTER_NAME: z.string().min(1).optional(),
  SESSION_PASSWORD: sessionPasswordSchema,
  JWT_PRIVATE_JWKS: jwksSchema,
  JWT_ISSUER: z.string().min(1).default("urn:authlab"),
  JWT_AUDIENCE: z.string().min(1).default("urn:authlab:api"),
  INSTANCE_ID: z.string().min(1).max(128).default("authlab"),
  APP_ORIGIN: originSchema.optional(),
  /** Peer instances whose pages may call this one with credentials (the cluster demo). */
  CORS_ORIGINS: z
    .string()
    .transform((raw) =>
      raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(originSchema))
    .default([]),
  /** How many reverse proxies in front of the app append to X-Forwarded-For. 0: trust only the socket. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  SESSION_IDLE_TIMEOUT_SECONDS: seconds(30 * 60),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: seconds(7 * 24 * 3600),
  /** 0 (off): every session check reads the store. N: a snapshot in the sealed cookie is trusted for N s. */
  SESSION_COOKIE_CACHE_SECONDS: seconds(0, 0, MAX_SESSION_COOKIE_CACHE_SECONDS),
  ACCESS_TOKEN_TTL_SECONDS: seconds(MAX_ACCESS_TOKEN_TTL_SECONDS, 1, MAX_ACCESS_TOKEN_TTL_SECONDS),
  REFRESH_TOKEN_TTL_SECONDS: seconds(7 * 24 * 3600),
  SESSION_SWEEP_INTERVAL_SECONDS: seconds(5 * 60),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(100),
  SIGNUP_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
  /**
   * Refresh families (SECURITY.md, "Trade-off, by design"). The reuse grace window: how long after a rotation the
   * immediate parent may be presented again (0 = strict: any second use revokes the family).
   */
  REFRESH_REUSE_GRACE_SECONDS: seconds(10, 0, MAX_REFRESH_REUSE_GRACE_SECONDS),
  /** Refreshes one family may make per minute (beyond it: 429 rate_limited, the family lives). */
  REFRESH_MAX_PER_FAMILY_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Live sessions (each with its refresh family) per account; a sign-in beyond it ends the oldest. */
  MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
  /**
   * DPoP (RFC 9449; SECURITY.md, "Sender-constrained tokens"): with "true" every access token must be sender-constrained — a
   * Bearer token is refused (reason dpop_required), and login, sign-up and refresh need a proof.
   */
  DPOP_REQUIRED: z.enum(["true", "false"]).default("false"),
  /**
   * DPoP server nonces (RFC 9449 §8): with "true" every proof must carry a `nonce` the server handed out
   * in the last minute or two (lib/edge/dpop/nonce.ts), so proofs cannot be made ahead of time.
   */
  DPOP_NONCE: z.enum(["true", "false"]).default("false"),
  /** Resource servers that may call POST /api/auth/introspect with HTTP Basic (RFC 7662 §2.1). */
  INTROSPECTION_CLIENTS: introspectionClientsSchema.optional(),
  // Reliability under load and faults (issues 19.6, 20.5).
  /** Every sign-in (successful or not) from one address per 15 minutes. */
  LOGIN_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(300),
  /** argon2id hashes at once; unset: one per CPU (os.availableParallelism(), resolved in Node). */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** Sign-ins waiting for a hashing slot before more are refused with 503 `overloaded`. */
  PASSWORD_HASH_QUEUE_MAX: z.coerce.number().int().min(0).max(10_000).default(32),
  /** How long SIGTERM waits for requests in flight (scripts/server.mjs reads it before the app loads). */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
  /** Lab endpoints for everyone (development default) or admins only ("false"; always so in production). */
  LAB_ENABLED: z.enum(["true", "false"]).optional(),
  /**
   * Tests only (AUTHLAB_ENV=test): a file holding milliseconds to add to the server's state clock, so
   * tests of session and refresh lifetimes move time forward instead of sleeping (lib/server/clock.ts).
   */
  AUTHLAB_TEST_CLOCK_FILE: z.string().min(1).optional(),
  // Observability (SECURITY.md, audit trail and metrics): the audit trail's retention, /api/metrics access, OpenTelemetry export.
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /**
   * Bearer token for GET /api/metrics; unset: loopback callers only (app/api/metrics/route.ts), and then
   * a production server refuses to start (lib/server/observability/metrics-required.ts). Only characters a
   * Bearer credential can carry (RFC 6750 §2.1 b64token, RFC 7235 token68): any other token would be
   * accepted here and then never match what a scraper sends.
   */
  METRICS_TOKEN: z
    .string()
    .min(MIN_METRICS_TOKEN_LENGTH, `needs at least ${MIN_METRICS_TOKEN_LENGTH} characters`)
    .regex(
      /^[A-Za-z0-9\-._~+/]+=*$/,
      "only letters, digits and - . _ ~ + / (then = padding at the end): it travels as an Authorization: Bearer credential",
    )
    .optional(),
  /** "false": no /api/metrics at all (404), and no METRICS_TOKEN needed in production. */
  METRICS_ENABLED: z.enum(["true", "false"]).default("true"),
  /** OTLP/HTTP collector base URL; spans go to <url>/v1/traces. Unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(128).default("authlab"),
});

type Env = z.infer<typeof envSchema>;

/**
 * Development and production never share a database by default (a production start on the
 * file `npm start` had seeded in development served the demo admin, whose password is published, and
 * honoured refresh cookies the development server had issued — the one secret they share is the
 * database). Development data goes to its own file; production's default is the name it always had.
 */
export function defaultDatabaseUrl(mode: Env["AUTHLAB_ENV"]): string {
  return mode === "production" ? "file:./data/authlab.db" : "file:./data/authlab.dev.db";
}

export interface Config {
  env: Env["AUTHLAB_ENV"];
  isDevelopment: boolean;
  port: number;
  host: string;
  databaseUrl: string;
  databaseKind: "sqlite" | "postgresql";
  databasePoolMax: number;
  sessionStore: Env["SESSION_STORE"];
  redis:
    | { kind: "url"; url: string }
    | { kind: "sentinel"; sentinels: { host: string; port: number }[]; masterName: string; url?: string }
    | { kind: "cluster"; nodes: { host: string; port: number }[]; url?: string }
    | null;
  sessionPasswords: Record<string, string>;
  jwtPrivateKeys: PrivateJwk[];
  jwtIssuer: string;
  jwtAudience: string;
  instanceId: string;
  appOrigin: string | null;
  corsOrigins: string[];
  trustProxyHops: number;
  sessionIdleTimeoutSeconds: number;
  sessionAbsoluteTimeoutSeconds: number;
  /** 0: off. */
  sessionCookieCacheSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionSweepIntervalSeconds: number;
  loginMaxFailuresPerAddress: number;
  signupMaxPerAddress: number;
  refreshReuseGraceSeconds: number;
  refreshMaxPerFamilyPerMinute: number;
  maxSessionsPerUser: number;
  dpopRequired: boolean;
  dpopNonce: boolean;
  introspectionClients: IntrospectionClient[];
  labEnabledForEveryone: boolean;
  auditRetentionDays: number;
  metricsToken: string | null;
  metricsEnabled: boolean;
  otelEndpoint: string | null;
  otelServiceName: string;
  // Reliability under load and faults (issues 19.6, 20.5).
  loginMaxPerAddress: number;
  /** null: one per CPU. */
  passwordHashConcurrency: number | null;
  passwordHashQueueMax: number;
  shutdownGraceSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const SECRET_VARIABLES = ["SESSION_PASSWORD", "JWT_PRIVATE_JWKS"] as const;

function isDevelopmentSecret(name: (typeof SECRET_VARIABLES)[number], env: Env): boolean {
  if (name === "SESSION_PASSWORD") {
    return Object.values(env.SESSION_PASSWORD).some((p) => p.startsWith(DEV_SECRET_MARKER));
  }
  return env.JWT_PRIVATE_JWKS.some((k) => k.kid.startsWith(DEV_SECRET_MARKER));
}

/** Parses an environment. Throws ConfigError naming every variable that is wrong, never echoing a secret. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const missing = issue.code === "invalid_type" && input[name] === undefined;
      return missing ? `${name} is required but not set` : `${name}: ${issue.message}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  const env = parsed.data;
  const problems: string[] = [];
  const databaseUrl = env.DATABASE_URL ?? defaultDatabaseUrl(env.AUTHLAB_ENV);

  if (env.AUTHLAB_ENV === "production") {
    for (const name of SECRET_VARIABLES) {
      if (isDevelopmentSecret(name, env)) {
        problems.push(`${name} holds a generated development secret; set a real one for production`);
      }
    }
  }
  let redis: Config["redis"] = null;
  if (env.REDIS_CLUSTER_NODES && env.REDIS_SENTINELS) {
    problems.push("REDIS_CLUSTER_NODES and REDIS_SENTINELS are two different deployments; set one of them");
  } else if (env.REDIS_CLUSTER_NODES) {
    redis = { kind: "cluster", nodes: env.REDIS_CLUSTER_NODES, url: env.REDIS_URL };
  } else if (env.REDIS_SENTINELS) {
    if (!env.REDIS_MASTER_NAME) problems.push("REDIS_MASTER_NAME is required when REDIS_SENTINELS is set");
    else
      redis = {
        kind: "sentinel",
        sentinels: env.REDIS_SENTINELS,
        masterName: env.REDIS_MASTER_NAME,
        url: env.REDIS_URL,
      };
  } else if (env.REDIS_URL) {
    redis = { kind: "url", url: env.REDIS_URL };
  }
  if (env.SESSION_STORE === "redis" && !redis) {
    problems.push(
      "REDIS_URL (or REDIS_SENTINELS with REDIS_MASTER_NAME, or REDIS_CLUSTER_NODES) is required when SESSION_STORE=redis",
    );
  }
  if (env.AUTHLAB_ENV === "production" && env.LAB_ENABLED === "true") {
    problems.push(
      "LAB_ENABLED=true opens the lab endpoints to every user; in production they are for admins only, so it is refused",
    );
  }
  if (env.AUTHLAB_TEST_CLOCK_FILE && env.AUTHLAB_ENV !== "test") {
    problems.push("AUTHLAB_TEST_CLOCK_FILE moves the server's state clock and is accepted only with AUTHLAB_ENV=test");
  }
  if (env.SESSION_IDLE_TIMEOUT_SECONDS > env.SESSION_ABSOLUTE_TIMEOUT_SECONDS) {
    problems.push("SESSION_IDLE_TIMEOUT_SECONDS must not exceed SESSION_ABSOLUTE_TIMEOUT_SECONDS");
  }
  // A snapshot trusted for as long as the idle timeout would let an idle session look active.
  if (env.SESSION_COOKIE_CACHE_SECONDS * 2 > env.SESSION_IDLE_TIMEOUT_SECONDS) {
    problems.push("SESSION_COOKIE_CACHE_SECONDS must be at most half of SESSION_IDLE_TIMEOUT_SECONDS");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: env.AUTHLAB_ENV,
    isDevelopment: env.AUTHLAB_ENV !== "production",
    port: env.PORT,
    host: env.HOST,
    databaseUrl,
    databaseKind: databaseUrl.startsWith("file:") ? "sqlite" : "postgresql",
    databasePoolMax: env.DATABASE_POOL_MAX,
    sessionStore: env.SESSION_STORE,
    redis,
    sessionPasswords: env.SESSION_PASSWORD,
    jwtPrivateKeys: env.JWT_PRIVATE_JWKS,
    jwtIssuer: env.JWT_ISSUER,
    jwtAudience: env.JWT_AUDIENCE,
    instanceId: env.INSTANCE_ID,
    appOrigin: env.APP_ORIGIN ?? null,
    corsOrigins: env.CORS_ORIGINS,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    sessionIdleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
    sessionAbsoluteTimeoutSeconds: env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
    sessionCookieCacheSeconds: env.SESSION_COOKIE_CACHE_SECONDS,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    sessionSweepIntervalSeconds: env.SESSION_SWEEP_INTERVAL_SECONDS,
    loginMaxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
    signupMaxPerAddress: env.SIGNUP_MAX_PER_ADDRESS,
    refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    refreshMaxPerFamilyPerMinute: env.REFRESH_MAX_PER_FAMILY_PER_MINUTE,
    maxSessionsPerUser: env.MAX_SESSIONS_PER_USER,
    dpopRequired: env.DPOP_REQUIRED === "true",
    dpopNonce: env.DPOP_NONCE === "true",
    introspectionClients: env.INTROSPECTION_CLIENTS ?? [],
    labEnabledForEveryone: env.LAB_ENABLED ? env.LAB_ENABLED === "true" : env.AUTHLAB_ENV !== "production",
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    metricsToken: env.METRICS_TOKEN ?? null,
    metricsEnabled: env.METRICS_ENABLED === "true",
    otelEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    otelServiceName: env.OTEL_SERVICE_NAME,
    // Reliability under load and faults (issues 19.6, 20.5).
    loginMaxPerAddress: env.LOGIN_MAX_PER_ADDRESS,
    passwordHashConcurrency: env.PASSWORD_HASH_CONCURRENCY ?? null,
    passwordHashQueueMax: env.PASSWORD_HASH_QUEUE_MAX,
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
  };
}

let cached: Config | undefined;

/** The running process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}
