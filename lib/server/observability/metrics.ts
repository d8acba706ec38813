/**
 * The Prometheus metrics (prom-client), one registry per process.
 *
 * Next bundles every route, page and the instrumentation hook separately, each with its own copy of
 * prom-client: metrics on the default registry would split their counts between copies. So one
 * Registry lives in a processSingleton and every metric is created inside its `create()` — the copy
 * that runs first makes them all, every other copy uses the same objects.
 *
 * Labels are bounded sets, never user input: check names, error codes, rejection reasons, store
 * kinds, event names. `label()` maps anything outside its set to "other", so no user id, email or
 * token can become a label value, whatever a caller passes (tests/unit/metrics.test.ts asserts it).
 */
import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { processSingleton } from "@/lib/edge/singleton";
import { GRANT_REJECTION_REASONS, statusOf, TOKEN_REJECTION_REASONS, type ErrorCode } from "@/lib/edge/errors";
import { CHECKS } from "@/lib/edge/trace";
import { SECURITY_EVENTS } from "@/lib/server/audit/events";

/** Seconds: from a cache hit (microseconds) to a slow store round trip. */
const DURATION_BUCKETS_SECONDS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

export const LABEL_VALUES = {
  check: Object.keys(CHECKS),
  reason: ["none", ...TOKEN_REJECTION_REASONS, ...GRANT_REJECTION_REASONS],
  store: ["memory", "database", "redis"],
  event: [...SECURITY_EVENTS],
  /** The login throttle's limits (lib/server/audit/throttle-events.ts). */
  throttle: ["account", "address", "address-all"],
  revocation: [
    "none",
    "logout",
    "reuse",
    "session_revoked",
    "session_ended",
    "session_limit",
    "password_changed",
    "signed_out_everywhere",
    "account_deleted",
    "replaced",
    "lab_new_family",
    /** A refresh family ended through RFC 7009 (POST /api/auth/revoke); the token_revoked event says which kind. */
    "token_revoked",
    "access_token",
    "refresh_token",
  ],
  auditFailure: ["write_failed", "queue_full"],
  /** Kinds of rate-limit key (the first two segments of its name: lib/server/rate-limit/memory-limiter.ts). */
  limiterKind: [
    "login:account",
    "login:address",
    "login:address-all",
    "signup:address",
    "throttled:login",
    "revoke:client",
    "revoke:admin",
    "revoke:address",
    "introspect:client",
    "introspect:admin",
    "introspect:address",
    "token-endpoints:auth-failures",
  ],
} as const;

function isErrorCode(value: string): value is ErrorCode {
  return typeof statusOf(value as ErrorCode) === "number";
}

/** An outcome label: ok, absent, error, or one of the app's error codes. */
export function outcomeLabel(value: string): string {
  return value === "ok" || value === "absent" || value === "error" || isErrorCode(value) ? value : "other";
}

/** The value if it is one of `allowed`, else "other": the one gate every label value passes. */
export function label(value: string | undefined | null, allowed: readonly string[]): string {
  return value !== undefined && value !== null && allowed.includes(value) ? value : "other";
}

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    authChecks: new Counter({
      name: "authlab_auth_checks_total",
      help: "Authentication checks by check (session, token, strict, refresh) and outcome (ok, absent, error code) and reason",
      labelNames: ["check", "outcome", "reason"] as const,
      registers,
    }),
    refreshes: new Counter({
      name: "authlab_refreshes_total",
      help: "Refresh-token rotations by outcome (ok or error code) and rejection reason",
      labelNames: ["outcome", "reason"] as const,
      registers,
    }),
    reuseDetections: new Counter({
      name: "authlab_refresh_reuse_detected_total",
      help: "Refresh tokens presented a second time (the family was revoked)",
      registers,
    }),
    signIns: new Counter({
      name: "authlab_sign_ins_total",
      help: "Sign-in attempts by outcome (succeeded, failed, throttled)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    throttles: new Counter({
      name: "authlab_sign_in_throttled_total",
      help: "Sign-in attempts refused by the login throttle, by the limit that was reached",
      labelNames: ["limit"] as const,
      registers,
    }),
    revocations: new Counter({
      name: "authlab_revocations_total",
      help: "Revocations by what ended (session, other_sessions, refresh_family, token) and why",
      labelNames: ["what", "reason"] as const,
      registers,
    }),
    securityEvents: new Counter({
      name: "authlab_security_events_total",
      help: "Security events raised (each is also written to the audit trail)",
      labelNames: ["event"] as const,
      registers,
    }),
    auditWriteFailures: new Counter({
      name: "authlab_audit_write_failures_total",
      help: "Security events that could not be written to the audit trail (the request still answered)",
      labelNames: ["cause"] as const,
      registers,
    }),
    limiterKeysRefused: new Counter({
      name: "authlab_rate_limit_keys_refused_total",
      help: "New keys the in-memory rate limiter refused (read as limited) because every key of that kind was live",
      labelNames: ["kind"] as const,
      registers,
    }),
    sessionCheckSeconds: new Histogram({
      name: "authlab_session_check_duration_seconds",
      help: "Session checks in Node (cookie unseal, store lookup, user), by outcome",
      labelNames: ["outcome"] as const,
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    }),
    tokenCheckSeconds: new Histogram({
      name: "authlab_token_check_duration_seconds",
      help: "Access-token checks in Node: token (signature and claims) and strict (revocation), by outcome",
      labelNames: ["check", "outcome"] as const,
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    }),
    storeLookupSeconds: new Histogram({
      name: "authlab_store_lookup_duration_seconds",
      help: "Session-store operations on the request path (lookup, sliding-expiry touch), by store",
      labelNames: ["store"] as const,
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    }),
    storeReachable: new Gauge({
      name: "authlab_session_store_reachable",
      help: "1 when the session store answered its last operation or probe, 0 when it did not",
      labelNames: ["store"] as const,
      registers,
    }),
    storeCircuitOpen: new Gauge({
      name: "authlab_session_store_circuit_open",
      help: "1 while this instance refuses session-store operations at once (the store was found unreachable), 0 otherwise",
      labelNames: ["store"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function metrics(): Metrics {
  return processSingleton("metrics", createMetrics);
}
