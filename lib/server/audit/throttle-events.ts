/**
 * The login throttle's refusals, for the audit trail and the metrics. Every refused attempt is counted
 * (`authlab_sign_in_throttled_total{limit}`: the volume of an attack is worth seeing), but the trail
 * records a key's refusal once per window, when the key enters the limited state: refused attempts cost
 * an attacker nothing, so an event per attempt would let anyone grow the audit table without signing in
 * (OWASP Logging Cheat Sheet: logging must not become a way to exhaust storage). A throttled account is
 * named (`userId`) so its owner sees it on /sessions; an address or an unknown email names no one.
 */
import "server-only";
import { db } from "@/lib/server/db/client";
import { countThrottledSignIn } from "@/lib/server/observability/metrics-observer";
import { securityEvent } from "./record";

/** Which counter refused: failures per account, failures per address, every sign-in per address. */
export type ThrottleLimit = "account" | "address" | "address-all";

async function accountOf(email: string): Promise<{ userId: number | null }> {
  const user = await db().user.findUnique({ where: { email }, select: { id: true } });
  return { userId: user?.id ?? null };
}

export function signInThrottled(
  limit: ThrottleLimit,
  refusal: { firstInWindow: boolean; count: number; email?: string },
): void {
  countThrottledSignIn(limit);
  if (!refusal.firstInWindow) return;
  const { email } = refusal;
  securityEvent("sign_in_throttled", {
    detail: { limit, count: refusal.count },
    ...(email !== undefined ? { lookup: () => accountOf(email) } : {}),
  });
}
