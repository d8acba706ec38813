/**
 * What the soak records for every request, and how an outcome is judged once the run is over: expected
 * (2xx; a refusal the fault in progress explains) or unexpected (anything else — the soak then exits
 * non-zero). Judging after the run lets a request be matched against the whole of each fault window.
 */

export const FLOWS = ["signup", "signin", "session", "me", "refresh", "signout", "wrong-password"] as const;
export type Flow = (typeof FLOWS)[number];
export type InstanceName = "a" | "b";

export type Outcome =
  | { kind: "status"; status: number; error?: string; reason?: string }
  /** No HTTP answer: ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET ("other side closed"), TimeoutError… */
  | { kind: "connection"; code: string };

export interface Sample {
  flow: Flow;
  instance: InstanceName;
  /** Milliseconds since the run started. */
  start: number;
  end: number;
  outcome: Outcome;
  /** A re-send after the previous attempt got no answer (the server may or may not have acted on it). */
  afterLostAnswer: boolean;
}

export type FaultKind = "kill" | "drain" | "redis";

export interface FaultWindow {
  kind: FaultKind;
  /** The instance the fault hit (kill, drain); none for Redis. */
  instance?: InstanceName;
  from: number;
  /** Until the fault is healed: the instance answers again, or both instances reach the store. */
  to: number;
}

const overlaps = (sample: Sample, window: FaultWindow) => sample.start <= window.to && sample.end >= window.from;

/** Codes for a connection that was refused before any request was sent: safe to send elsewhere. */
const REFUSED = new Set(["ECONNREFUSED"]);

/**
 * Null when the outcome is what a healthy system does, or what the fault in progress explains;
 * otherwise a short label for the report.
 *
 * `refreshReuseGrace`: whether the server accepts the immediate parent of a rotated refresh token again
 * for a few seconds (SECURITY.md, "Trade-off, by design"). Without it, a refresh re-sent after its answer was lost is reuse
 * by design (the family ends and the client signs in again); with it, that refusal is a defect.
 */
export function judge(sample: Sample, windows: FaultWindow[], refreshReuseGrace: boolean): string | null {
  const { outcome, flow } = sample;
  const during = (kind: FaultKind) =>
    windows.some((w) => w.kind === kind && (!w.instance || w.instance === sample.instance) && overlaps(sample, w));
  if (outcome.kind === "connection") {
    if (during("kill")) return null;
    if (during("drain") && REFUSED.has(outcome.code)) return null;
    return during("drain") ? `${outcome.code} while draining (a reset at SIGTERM)` : outcome.code;
  }
  const { status, error, reason } = outcome;
  if (status >= 200 && status < 300) return null;
  if (flow === "wrong-password" && (status === 401 || status === 429)) return null;
  if (status === 503 && error === "session_store_unavailable" && during("redis") && flow !== "me") return null;
  if (status === 409 && flow === "signup" && sample.afterLostAnswer) return null;
  if (status === 401 && flow === "refresh" && sample.afterLostAnswer && reason === "reused" && !refreshReuseGrace)
    return null;
  return [status, error, reason].filter(Boolean).join(" ");
}

export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export interface FlowStats {
  requests: number;
  ok2xx: number;
  status401: number;
  status503: number;
  other4xx: number;
  status5xx: number;
  connectionErrors: number;
  unexpected: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export function flowStats(samples: Sample[], unexpected: (s: Sample) => boolean): FlowStats {
  const status = (s: Sample) => (s.outcome.kind === "status" ? s.outcome.status : 0);
  const answered = samples.filter((s) => s.outcome.kind === "status").map((s) => s.end - s.start);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    requests: samples.length,
    ok2xx: samples.filter((s) => status(s) >= 200 && status(s) < 300).length,
    status401: samples.filter((s) => status(s) === 401).length,
    status503: samples.filter((s) => status(s) === 503).length,
    other4xx: samples.filter((s) => status(s) >= 400 && status(s) < 500 && status(s) !== 401).length,
    status5xx: samples.filter((s) => status(s) >= 500 && status(s) !== 503).length,
    connectionErrors: samples.filter((s) => s.outcome.kind === "connection").length,
    unexpected: samples.filter(unexpected).length,
    p50Ms: round(percentile(answered, 0.5)),
    p99Ms: round(percentile(answered, 0.99)),
  };
}
