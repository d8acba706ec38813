/**
 * Trace headers for Bearer-authenticated responses: the Edge middleware checked the token; Node
 * may add the strict check.
 */
import { serverTiming } from "@/lib/http/respond";
import type { VerifiedRequest } from "@/lib/auth/jwt/request-claims";

export function jwtTraceHeaders(verified: VerifiedRequest, extra: { strictMs?: number; dbMs?: number } = {}): Record<string, string> {
  const entries = [{ name: "verify", ms: verified.verifyMicros / 1000, description: verified.cached ? "Edge JWT verify (this token already verified)" : "Edge JWT verify" }];
  if (extra.strictMs !== undefined) entries.push({ name: "strict", ms: extra.strictMs, description: "Node strict revocation check" });
  if (extra.dbMs !== undefined) entries.push({ name: "db", ms: extra.dbMs, description: "user profile read" });
  return {
    "x-authlab-layer": extra.strictMs !== undefined ? "edge-middleware+node-strict-check" : "edge-middleware",
    "x-authlab-store-lookups": "0",
    "server-timing": serverTiming(entries),
  };
}
