/**
 * Every environment variable authlab reads, parsed once with zod into one configuration grouped by concern
 * (`config().session.idleTimeoutSeconds`, `config().jwt.issuer`, …).
 *
 * A variable's validation, default and message are written once, in `envSchema`; `groupedByConcern` says
 * where its value lands; the `Config` type is the schema's output type, so it cannot drift from either.
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

interface HostPort {
  host: string;
  port: number;
}

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
  return sentinels as HostPort[];
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
  // The mode and the instance.
  /**
   * The app's own mode. `next start` always runs with NODE_ENV=production, so the launcher passes the
   * user's intent here. Unset means production: the fail-safe choice (real secrets, no demo accounts).
   */
  AUTHLAB_ENV: z.enum(["development", "production", "test"]).default("production"),
  INSTANCE_ID: z.string().min(1).max(128).default("authlab"),

  // The server: where it listens, how it stops.
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** How long SIGTERM waits for requests in flight (scripts/server.mjs reads it before the app loads). */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),

  // HTTP: the public origin, the peers allowed to call, the proxies in front.
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

  // The database.
  /** Unset: a SQLite file whose path depends on the mode (defaultDatabaseUrl). */
  DATABASE_URL: databaseUrlSchema.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),

  // Redis: one URL, Sentinels, or a Cluster (redisDeployment decides which).
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

  // Sessions.
  SESSION_STORE: z.enum(["memory", "database", "redis"]).default("database"),
  SESSION_PASSWORD: sessionPasswordSchema,
  SESSION_IDLE_TIMEOUT_SECONDS: seconds(30 * 60),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: seconds(7 * 24 * 3600),
  /** 0 (off): every session check reads the store. N: a snapshot in the sealed cookie is trusted for N s. */
  SESSION_COOKIE_CACHE_SECONDS: seconds(0, 0, MAX_SESSION_COOKIE_CACHE_SECONDS),
  SESSION_SWEEP_INTERVAL_SECONDS: seconds(5 * 60),
  /** Live sessions (each with its refresh family) per account; a sign-in beyond it ends the oldest. */
  MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),

  // Access tokens (JWTs).
  JWT_PRIVATE_JWKS: jwksSchema,
  JWT_ISSUER: z.string().min(1).default("urn:authlab"),
  JWT_AUDIENCE: z.string().min(1).default("urn:authlab:api"),
  ACCESS_TOKEN_TTL_SECONDS: seconds(MAX_ACCESS_TOKEN_TTL_SECONDS, 1, MAX_ACCESS_TOKEN_TTL_SECONDS),

  // Refresh families (SECURITY.md, "Trade-off, by design").
  REFRESH_TOKEN_TTL_SECONDS: seconds(7 * 24 * 3600),
  /**
   * The reuse grace window: how long after a rotation the immediate parent may be presented again
   * (0 = strict: any second use revokes the family).
   */
  REFRESH_REUSE_GRACE_SECONDS: seconds(10, 0, MAX_REFRESH_REUSE_GRACE_SECONDS),
  /** Refreshes one family may make per minute (beyond it: 429 rate_limited, the family lives). */
  REFRESH_MAX_PER_FAMILY_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),

  // DPoP (RFC 9449; SECURITY.md, "Sender-constrained tokens").
  /**
   * With "true" every access token must be sender-constrained — a Bearer token is refused (reason
   * dpop_required), and login, sign-up and refresh need a proof.
   */
  DPOP_REQUIRED: z.enum(["true", "false"]).default("false"),
  /**
   * DPoP server nonces (RFC 9449 §8): with "true" every proof must carry a `nonce` the server handed out
   * in the last minute or two (lib/edge/dpop/nonce.ts), so proofs cannot be made ahead of time.
   */
  DPOP_NONCE: z.enum(["true", "false"]).default("false"),

  // Token introspection.
  /** Resource servers that may call POST /api/auth/introspect with HTTP Basic (RFC 7662 §2.1). */
  INTROSPECTION_CLIENTS: introspectionClientsSchema.optional(),

  // Limits that keep the server answering under load: sign-ins, sign-ups, password hashing.
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Every sign-in (successful or not) from one address per 15 minutes. */
  LOGIN_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(300),
  SIGNUP_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
  /** argon2id hashes at once; unset: one fewer than the CPUs, at least one (resolved in Node: auth/password.ts). */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** Sign-ins waiting for a hashing slot before more are refused with 503 `overloaded`. */
  PASSWORD_HASH_QUEUE_MAX: z.coerce.number().int().min(0).max(10_000).default(32),

  // The lab.
  /** Lab endpoints for everyone (development default) or admins only ("false"; always so in production). */
  LAB_ENABLED: z.enum(["true", "false"]).optional(),
  /**
   * Tests only (AUTHLAB_ENV=test): a file holding milliseconds to add to the server's state clock, so
   * tests of session and refresh lifetimes move time forward instead of sleeping (lib/server/clock.ts).
   */
  AUTHLAB_TEST_CLOCK_FILE: z.string().min(1).optional(),

  // Observability (SECURITY.md, audit trail and metrics): retention, /api/metrics access, OpenTelemetry export.
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

/**
 * Every variable this module reads, by name: tools that start a server blank them all, so that a developer's
 * .env.local cannot reach a test or a measurement.
 */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

/** The variables one by one, parsed: what the cross-variable checks and the grouping read. */
type Env = z.output<typeof envSchema>;

/**
 * Development and production never share a database by default (a production start on the
 * file `npm start` had seeded in development served the demo admin, whose password is published, and
 * honoured refresh cookies the development server had issued — the one secret they share is the
 * database). Development data goes to its own file; production's default is the name it always had.
 */
export function defaultDatabaseUrl(mode: Env["AUTHLAB_ENV"]): string {
  return mode === "production" ? "file:./data/authlab.db" : "file:./data/authlab.dev.db";
}

function databaseKindOf(url: string): "sqlite" | "postgresql" {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

type RedisDeployment =
  | { kind: "url"; url: string }
  | { kind: "sentinel"; sentinels: HostPort[]; masterName: string; url?: string }
  | { kind: "cluster"; nodes: HostPort[]; url?: string };

/** The Redis the variables describe; null when none, or when they contradict each other (a conflict, below). */
function redisDeployment(env: Env): RedisDeployment | null {
  const url = env.REDIS_URL;
  if (env.REDIS_CLUSTER_NODES && env.REDIS_SENTINELS) return null;
  if (env.REDIS_CLUSTER_NODES) return { kind: "cluster", nodes: env.REDIS_CLUSTER_NODES, url };
  if (env.REDIS_SENTINELS) {
    if (!env.REDIS_MASTER_NAME) return null;
    return { kind: "sentinel", sentinels: env.REDIS_SENTINELS, masterName: env.REDIS_MASTER_NAME, url };
  }
  return url ? { kind: "url", url } : null;
}

/**
 * Where each parsed variable lands, one group per concern. Config's type is inferred from this through the
 * schema, so a new variable is declared in envSchema, placed here, and has no type to update.
 */
function groupedByConcern(env: Env) {
  const databaseUrl = env.DATABASE_URL ?? defaultDatabaseUrl(env.AUTHLAB_ENV);
  return {
    env: env.AUTHLAB_ENV,
    instanceId: env.INSTANCE_ID,
    server: {
      port: env.PORT,
      host: env.HOST,
      shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
    },
    http: {
      appOrigin: env.APP_ORIGIN ?? null,
      corsOrigins: env.CORS_ORIGINS,
      trustProxyHops: env.TRUST_PROXY_HOPS,
    },
    database: {
      url: databaseUrl,
      kind: databaseKindOf(databaseUrl),
      poolMax: env.DATABASE_POOL_MAX,
    },
    redis: redisDeployment(env),
    session: {
      store: env.SESSION_STORE,
      passwords: env.SESSION_PASSWORD,
      idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      /** 0: off. */
      cookieCacheSeconds: env.SESSION_COOKIE_CACHE_SECONDS,
      sweepIntervalSeconds: env.SESSION_SWEEP_INTERVAL_SECONDS,
      maxPerUser: env.MAX_SESSIONS_PER_USER,
    },
    jwt: {
      privateKeys: env.JWT_PRIVATE_JWKS,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    },
    refresh: {
      tokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      reuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
      maxPerFamilyPerMinute: env.REFRESH_MAX_PER_FAMILY_PER_MINUTE,
    },
    dpop: {
      required: env.DPOP_REQUIRED === "true",
      nonceRequired: env.DPOP_NONCE === "true",
    },
    introspection: {
      clients: env.INTROSPECTION_CLIENTS ?? [],
    },
    limits: {
      loginMaxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      loginMaxPerAddress: env.LOGIN_MAX_PER_ADDRESS,
      signupMaxPerAddress: env.SIGNUP_MAX_PER_ADDRESS,
      /** null: one fewer than the CPUs. */
      passwordHashConcurrency: env.PASSWORD_HASH_CONCURRENCY ?? null,
      passwordHashQueueMax: env.PASSWORD_HASH_QUEUE_MAX,
    },
    lab: {
      enabledForEveryone: env.LAB_ENABLED ? env.LAB_ENABLED === "true" : env.AUTHLAB_ENV !== "production",
    },
    audit: {
      retentionDays: env.AUDIT_RETENTION_DAYS,
    },
    metrics: {
      enabled: env.METRICS_ENABLED === "true",
      token: env.METRICS_TOKEN ?? null,
    },
    tracing: {
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
      serviceName: env.OTEL_SERVICE_NAME,
    },
  };
}

/** A problem only the variables read together show. Its message starts with the variable it is about. */
interface Conflict {
  variable: string;
  code: string;
  message: string;
}

type ConflictCheck = (env: Env) => Conflict | null;

const SECRET_VARIABLES = ["SESSION_PASSWORD", "JWT_PRIVATE_JWKS"] as const;
type SecretVariable = (typeof SECRET_VARIABLES)[number];

function isDevelopmentSecret(name: SecretVariable, env: Env): boolean {
  if (name === "SESSION_PASSWORD") {
    return Object.values(env.SESSION_PASSWORD).some((p) => p.startsWith(DEV_SECRET_MARKER));
  }
  return env.JWT_PRIVATE_JWKS.some((k) => k.kid.startsWith(DEV_SECRET_MARKER));
}

function developmentSecretInProduction(name: SecretVariable): ConflictCheck {
  return (env) => {
    if (env.AUTHLAB_ENV !== "production" || !isDevelopmentSecret(name, env)) return null;
    return {
      variable: name,
      code: "development_secret_in_production",
      message: `${name} holds a generated development secret; set a real one for production`,
    };
  };
}

function contradictoryRedis(env: Env): Conflict | null {
  if (env.REDIS_CLUSTER_NODES && env.REDIS_SENTINELS) {
    return {
      variable: "REDIS_CLUSTER_NODES",
      code: "redis_cluster_and_sentinels",
      message: "REDIS_CLUSTER_NODES and REDIS_SENTINELS are two different deployments; set one of them",
    };
  }
  if (env.REDIS_SENTINELS && !env.REDIS_MASTER_NAME) {
    return {
      variable: "REDIS_MASTER_NAME",
      code: "redis_master_name_missing",
      message: "REDIS_MASTER_NAME is required when REDIS_SENTINELS is set",
    };
  }
  return null;
}

function redisStoreWithoutRedis(env: Env): Conflict | null {
  if (env.SESSION_STORE !== "redis" || redisDeployment(env)) return null;
  return {
    variable: "REDIS_URL",
    code: "redis_store_without_redis",
    message:
      "REDIS_URL (or REDIS_SENTINELS with REDIS_MASTER_NAME, or REDIS_CLUSTER_NODES) is required when SESSION_STORE=redis",
  };
}

function labOpenInProduction(env: Env): Conflict | null {
  if (env.AUTHLAB_ENV !== "production" || env.LAB_ENABLED !== "true") return null;
  return {
    variable: "LAB_ENABLED",
    code: "lab_open_in_production",
    message:
      "LAB_ENABLED=true opens the lab endpoints to every user; in production they are for admins only, so it is refused",
  };
}

function testClockOutsideTests(env: Env): Conflict | null {
  if (!env.AUTHLAB_TEST_CLOCK_FILE || env.AUTHLAB_ENV === "test") return null;
  return {
    variable: "AUTHLAB_TEST_CLOCK_FILE",
    code: "test_clock_outside_tests",
    message: "AUTHLAB_TEST_CLOCK_FILE moves the server's clock and is accepted only with AUTHLAB_ENV=test",
  };
}

function idleTimeoutBeyondAbsolute(env: Env): Conflict | null {
  if (env.SESSION_IDLE_TIMEOUT_SECONDS <= env.SESSION_ABSOLUTE_TIMEOUT_SECONDS) return null;
  return {
    variable: "SESSION_IDLE_TIMEOUT_SECONDS",
    code: "idle_timeout_beyond_absolute",
    message: "SESSION_IDLE_TIMEOUT_SECONDS must not exceed SESSION_ABSOLUTE_TIMEOUT_SECONDS",
  };
}

/** A snapshot trusted for as long as the idle timeout would let an idle session look active. */
function cookieCacheBeyondHalfIdle(env: Env): Conflict | null {
  if (env.SESSION_COOKIE_CACHE_SECONDS * 2 <= env.SESSION_IDLE_TIMEOUT_SECONDS) return null;
  return {
    variable: "SESSION_COOKIE_CACHE_SECONDS",
    code: "cookie_cache_beyond_half_idle",
    message: "SESSION_COOKIE_CACHE_SECONDS must be at most half of SESSION_IDLE_TIMEOUT_SECONDS",
  };
}

/** In the order their problems are reported. */
const CONFLICT_CHECKS: ConflictCheck[] = [
  ...SECRET_VARIABLES.map(developmentSecretInProduction),
  contradictoryRedis,
  redisStoreWithoutRedis,
  labOpenInProduction,
  testClockOutsideTests,
  idleTimeoutBeyondAbsolute,
  cookieCacheBeyondHalfIdle,
];

function reportConflicts(env: Env, ctx: z.RefinementCtx<Env>): void {
  for (const check of CONFLICT_CHECKS) {
    const conflict = check(env);
    if (!conflict) continue;
    const { variable, code, message } = conflict;
    ctx.addIssue({ code: "custom", path: [variable], message, params: { conflict: code } });
  }
}

/**
 * Every variable on its own, then the conflicts between them, then the grouping. The conflict checks read
 * parsed values, so they run only once every variable parsed: zod would otherwise run an object's refinement
 * after a failed length or range check (those do not abort), and report conflicts between values it refused.
 */
const configSchema = envSchema
  .superRefine(reportConflicts, { when: (payload) => payload.issues.length === 0 })
  .transform(groupedByConcern);

/**
 * The configuration, as the schema outputs it: after defaults, coercion, parsing and the grouping. Taking
 * the output type (rather than writing an interface) makes it what loadConfig returns by construction;
 * the input type would be the raw strings.
 */
export type Config = z.output<typeof configSchema>;

/** One thing wrong with the environment, for code and tests to tell apart without reading the sentence. */
export interface ConfigIssue {
  /** The variable the problem is about: the one its sentence starts with. */
  variable: string;
  /** "missing", zod's issue code ("too_small", "invalid_value", …) or a conflict's ("lab_open_in_production", …). */
  code: string;
  /** The sentence printed to the operator, never echoing a secret. */
  problem: string;
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(readonly issues: ConfigIssue[]) {
    const problems = issues.map((issue) => issue.problem);
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

function configIssue(issue: z.core.$ZodIssue, input: Record<string, string | undefined>): ConfigIssue {
  const variable = String(issue.path[0] ?? "environment");
  if (issue.code === "custom" && typeof issue.params?.conflict === "string") {
    return { variable, code: issue.params.conflict, problem: issue.message };
  }
  if (issue.code === "invalid_type" && input[variable] === undefined) {
    return { variable, code: "missing", problem: `${variable} is required but not set` };
  }
  return { variable, code: issue.code, problem: `${variable}: ${issue.message}` };
}

/** A transform can report one problem several times (each short password in a map): the operator needs it once. */
function withoutRepeats(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (seen.has(issue.problem)) return false;
    seen.add(issue.problem);
    return true;
  });
}

/** Parses an environment. Throws ConfigError naming every variable that is wrong, never echoing a secret. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(withoutRepeats(parsed.error.issues.map((issue) => configIssue(issue, input))));
  }
  return parsed.data;
}

let cached: Config | undefined;

/** The running process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}
