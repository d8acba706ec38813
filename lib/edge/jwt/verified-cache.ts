/**
 * Remembers tokens this isolate has already verified, so a client presenting the same token again
 * (the normal case: one token serves a client for up to 15 minutes) costs a map lookup instead of an
 * ECDSA verification. Web APIs only: the Edge middleware's isolate and each Node process keep one.
 *
 * One entry per token identity, its `jti`, not per string: one token can have several valid strings
 * (an ECDSA signature (r, s) has the twin (r, n − s), and WebCrypto signs high-s about half the time,
 * so the twin cannot be refused). An entry holds the exact string that was verified, and only that
 * string is a hit — it is looked up by that string, so a hit needs no decoding; any other string
 * claiming the jti — the twin, or a forgery that copied a real jti — is verified in full, and never
 * takes over the entry.
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

interface Verified {
  claims: AccessClaims;
  kid: string;
}

interface Entry extends Verified {
  /** The exact string that verified: the only one this entry answers for. */
  token: string;
}

/**
 * Two indexes over one set of entries: by the exact string (the lookup, which needs no decoding) and by
 * `jti` (which string owns a token's entry: the first verified).
 */
interface Entries {
  byToken: Map<string, Entry>;
  byJti: Map<string, Entry>;
}

function entriesOf(ring: KeyRing): Entries {
  // One cache per process: Next bundles each route handler separately (see singleton.ts).
  const byRing = processSingleton("verifiedTokens", () => new WeakMap<KeyRing, Entries>());
  let entries = byRing.get(ring);
  if (!entries) {
    entries = { byToken: new Map(), byJti: new Map() };
    byRing.set(ring, entries);
  }
  return entries;
}

function forget(entries: Entries, entry: Entry): void {
  entries.byJti.delete(entry.claims.jti);
  entries.byToken.delete(entry.token);
}

export function cachedVerification(
  ring: KeyRing,
  token: string,
  nowSeconds: number,
  toleranceSeconds: number,
): Verified | null {
  const entries = entriesOf(ring);
  const entry = entries.byToken.get(token);
  if (!entry) return null;
  const { exp, iat } = entry.claims;
  if (exp <= nowSeconds - toleranceSeconds) {
    forget(entries, entry);
    return null;
  }
  // Issued in the future (beyond the tolerance) is not valid yet; leave it for a full check.
  if (iat > nowSeconds + toleranceSeconds) return null;
  return { claims: entry.claims, kid: entry.kid };
}

/** After a full verification. The first string verified for a jti keeps the entry; another spelling gets none. */
export function rememberVerification(ring: KeyRing, token: string, verified: Verified): void {
  const entries = entriesOf(ring);
  if (entries.byJti.has(verified.claims.jti)) return;
  if (entries.byJti.size >= MAX_ENTRIES) forget(entries, entries.byJti.values().next().value!);
  const entry = { ...verified, token };
  entries.byJti.set(verified.claims.jti, entry);
  entries.byToken.set(token, entry);
}
