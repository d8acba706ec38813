/**
 * Feeds the metrics from what the auth code already reports: whole checks (`checked()`) and timed
 * steps (every Recorder) from lib/edge/trace.ts, and security events from the audit trail. The auth
 * code never sees prom-client.
 */
import "server-only";
import { observeTraces, type TraceObserver } from "@/lib/edge/trace";
import { processSingleton } from "@/lib/edge/singleton";
import type { EventDetail, SecurityEventName } from "@/lib/server/audit/events";
import { label, LABEL_VALUES, metrics, outcomeLabel } from "./metrics";

const SECONDS_PER_MS = 1 / 1000;

/**
 * One labelled child per label combination, looked up by a string key: this runs on every check, and
 * prom-client would otherwise hash a label object each time. Bounded, as the label sets are.
 */
function children<T>(make: (...values: string[]) => T): (...values: string[]) => T {
  const cache = new Map<string, T>();
  return (...values) => {
    const key = values.join("\u0000");
    let child = cache.get(key);
    if (child === undefined) {
      child = make(...values);
      cache.set(key, child);
    }
    return child;
  };
}

export function metricsObserver(): TraceObserver {
  const m = metrics();
  const authChecks = children((...v) => m.authChecks.labels(...v));
  const refreshes = children((...v) => m.refreshes.labels(...v));
  const sessionCheckSeconds = children((...v) => m.sessionCheckSeconds.labels(...v));
  const tokenCheckSeconds = children((...v) => m.tokenCheckSeconds.labels(...v));
  const storeLookupSeconds = children((...v) => m.storeLookupSeconds.labels(...v));
  return {
    checked(check, ms, result) {
      const outcome = outcomeLabel(result.outcome);
      const reason = label(result.reason ?? "none", LABEL_VALUES.reason);
      authChecks(label(check, LABEL_VALUES.check), outcome, reason).inc();
      if (check === "session") sessionCheckSeconds(outcome).observe(ms * SECONDS_PER_MS);
      else if (check === "token" || check === "strict") tokenCheckSeconds(check, outcome).observe(ms * SECONDS_PER_MS);
      else if (check === "refresh") refreshes(outcome, reason).inc();
    },
    step(step, ms, detail) {
      // A store step's detail is the store kind (lib/server/auth/session/session-lifecycle.ts).
      if (step === "store") storeLookupSeconds(label(detail, LABEL_VALUES.store)).observe(ms * SECONDS_PER_MS);
    },
  };
}

/** Once per process (instrumentation.node.ts; the metrics route makes sure too). */
export function startMetrics(): void {
  processSingleton("metrics.observer", () => observeTraces(metricsObserver()));
}

const REVOCATIONS: Partial<Record<SecurityEventName, string>> = {
  session_revoked: "session",
  sessions_revoked_all: "other_sessions",
  refresh_family_revoked: "refresh_family",
  refresh_reuse_detected: "refresh_family",
  token_revoked: "token",
};

/** Throttled sign-ins are counted per attempt (countThrottledSignIn), not per event: see below. */
const SIGN_IN_OUTCOMES: Partial<Record<SecurityEventName, string>> = {
  sign_in_succeeded: "succeeded",
  sign_in_failed: "failed",
};

function revocationReason(event: SecurityEventName, detail: EventDetail): string {
  if (event === "refresh_reuse_detected") return "reuse";
  const reason = event === "token_revoked" ? detail.tokenType : detail.reason;
  return label(typeof reason === "string" ? reason : "none", LABEL_VALUES.revocation);
}

/** Counted when the event is raised, so the count is right even when the audit write fails. */
export function countSecurityEvent(event: SecurityEventName, detail: EventDetail): void {
  const m = metrics();
  m.securityEvents.inc({ event: label(event, LABEL_VALUES.event) });
  const signIn = SIGN_IN_OUTCOMES[event];
  if (signIn) m.signIns.inc({ outcome: signIn });
  if (event === "refresh_reuse_detected") m.reuseDetections.inc();
  const what = REVOCATIONS[event];
  if (what) m.revocations.inc({ what, reason: revocationReason(event, detail) });
}

/**
 * One sign-in refused by the login throttle. Every refusal, whereas the `sign_in_throttled` event is
 * raised once per key per window (lib/server/audit/throttle-events.ts).
 */
export function countThrottledSignIn(limit: string): void {
  const m = metrics();
  m.signIns.inc({ outcome: "throttled" });
  m.throttles.inc({ limit: label(limit, LABEL_VALUES.throttle) });
}

export function countRefusedLimiterKey(kind: string): void {
  metrics().limiterKeysRefused.inc({ kind: label(kind, LABEL_VALUES.limiterKind) });
}

export function countAuditWriteFailure(cause: "write_failed" | "queue_full"): void {
  metrics().auditWriteFailures.inc({ cause });
}
