/**
 * Remembers tokens this isolate has already verified, so a client presenting the same token again
 * (the normal case: one token serves a client for up to 15 minutes) costs a map lookup instead of an
 * ECDSA verification. Web APIs only: the Edge middleware's isolate and each Node process keep one.
 *
 * Keyed on the token's identity, its `jti`, not on its string: one token can have several valid
 * strings (an ECDSA signature (r, s) has the twin (r, n − s), and WebCrypto signs high-s about half
 * the time, so the twin cannot be refused). An entry holds the exact string that
 * was verified, and only that string is a hit; any other string claiming the jti — the twin, or a
 * forgery that copied a real jti — is verified in full, and never takes over the entry.
 *
 * What cannot go stale: a token string is immutable, and its signature either verifies under a key
 * of a given key ring or not — so entries belong to the ring that verified them, and a different ring
 * (keys rotated or removed) starts with nothing. What can: time. So every hit re-checks exp (and the
 * not-before times) against the clock with the same tolerance as a full verification, and an entry is
 * dropped once its token has expired. Failures are never remembered, and the size is bounded.
 */
import { decodeJwt } from "jose";
import { processSingleton } from "@/lib/edge/singleton";
import type { AccessClaims } from "@/lib/edge/jwt/claims";
import type { KeyRing } from "@/lib/edge/jwt/keys";

const MAX_ENTRIES = 10_000;

interface Verified {
  claims: AccessClaims;
  kid: string;
}

interface Entry extends Verified {
  /** The exact string that verified: the only one this entry answers for. */
  token: string;
}

function entriesOf(ring: KeyRing): Map<string, Entry> {
  // One cache per process: Next bundles each route handler separately (see singleton.ts).
  const byRing = processSingleton("verifiedTokens", () => new WeakMap<KeyRing, Map<string, Entry>>());
  let entries = byRing.get(ring);
  if (!entries) {
    entries = new Map();
    byRing.set(ring, entries);
  }
  return entries;
}

/** The jti a token claims, read without verifying: a lookup key, trusted only with the exact string. */
function claimedJti(token: string): string | null {
  try {
    const { jti } = decodeJwt(token);
    return typeof jti === "string" ? jti : null;
  } catch {
    return null;
  }
}

export function cachedVerification(
  ring: KeyRing,
  token: string,
  nowSeconds: number,
  toleranceSeconds: number,
): Verified | null {
  const jti = claimedJti(token);
  if (jti === null) return null;
  const entries = entriesOf(ring);
  const entry = entries.get(jti);
  if (!entry || entry.token !== token) return null;
  const { exp, iat } = entry.claims;
  if (exp <= nowSeconds - toleranceSeconds) {
    entries.delete(jti);
    return null;
  }
  // Issued in the future (beyond the tolerance) is not valid yet; leave it for a full check.
  if (iat > nowSeconds + toleranceSeconds) return null;
  return { claims: entry.claims, kid: entry.kid };
}

/** After a full verification. The first string verified for a jti keeps the entry; another spelling gets none. */
export function rememberVerification(ring: KeyRing, token: string, verified: Verified): void {
  const entries = entriesOf(ring);
  if (entries.has(verified.claims.jti)) return;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(verified.claims.jti, { ...verified, token });
}
