/**
 * Remembers tokens this isolate has already verified, so a client presenting the same token again
 * (the normal case: one token serves a client for up to 15 minutes) costs a map lookup instead of an
 * ECDSA verification. Web APIs only: the Edge middleware's isolate and each Node process keep one.
 *
 * What cannot go stale: a token string is immutable, and its signature either verifies under a key
 * of a given key ring or not — so entries belong to the ring that verified them, and a different ring
 * (keys rotated or removed) starts with nothing. What can: time. So every hit re-checks exp (and the
 * not-before times) against the clock with the same tolerance as a full verification, and an entry is
 * dropped once its token has expired. Failures are never remembered, and the size is bounded.
 */
import { processSingleton } from "@/lib/edge/singleton";
import type { AccessClaims } from "@/lib/edge/jwt/claims";
import type { KeyRing } from "@/lib/edge/jwt/keys";

const MAX_ENTRIES = 10_000;

interface Entry {
  claims: AccessClaims;
  kid: string;
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

export function cachedVerification(
  ring: KeyRing,
  token: string,
  nowSeconds: number,
  toleranceSeconds: number,
): Entry | null {
  const entries = entriesOf(ring);
  const entry = entries.get(token);
  if (!entry) return null;
  const { exp, iat } = entry.claims;
  if (exp <= nowSeconds - toleranceSeconds) {
    entries.delete(token);
    return null;
  }
  // Issued in the future (beyond the tolerance) is not valid yet; leave it for a full check.
  if (iat > nowSeconds + toleranceSeconds) return null;
  return entry;
}

export function rememberVerification(ring: KeyRing, token: string, entry: Entry): void {
  const entries = entriesOf(ring);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(token, entry);
}
