/**
 * A refresh, start to finish (rotation and reuse detection: RFC 9700 §4.14.2; DPoP binding: RFC 9449 §5;
 * the grace window: SECURITY.md, "Trade-off, by design"):
 *
 * 1. The presented token names its family (token.ts). Not ours → `unknown`; a family that ended → `revoked`
 *    or `expired`, whatever was presented: an ended family never answers 200 again.
 * 2. An older ancestor, or the immediate parent after the grace window, is reuse: two parties hold the
 *    chain and the server cannot tell which is the thief, so the family is revoked → `reused`.
 * 3. The immediate parent inside the window is answered only on the family's own terms: a proof by the
 *    key the family is bound to, or no proof for a family bound to none. Anything else — another key, a
 *    proof for a Bearer family, no proof for a bound one — is reuse too. The window exists for the owner's
 *    second tab and lost answers, which present the parent exactly as the owner presents the live token; a
 *    replay that disagrees with the binding is someone else, and letting it bind (or be refused while the
 *    family lives) would hand the family to whoever replayed first.
 * 4. The live token of a bound family answers only a refresh whose proof that key signed: no proof →
 *    `dpop_required`, another key → `dpop_key_mismatch`, and the family lives (the holder of the key
 *    keeps it; someone without the key gains nothing by trying). Reuse (2., 3.) is decided first: an old
 *    token presented is evidence of a leak whatever key signs.
 * 5. The family's refresh budget is taken (rate-limit.ts → 429; the family is untouched).
 * 6. The session the family was issued beside must be live, and the refresh counts as using it (it slides
 *    the idle timeout, as any request of that browser does). Ended → the family is revoked →
 *    `session_ended`. Store unreachable → 503 `session_store_unavailable` and nothing changes: whether
 *    the session still exists cannot be known, so no token is issued and nothing valid is revoked.
 * 7. The live token rotates by one conditional UPDATE (family-store.ts), which is also the only place a family
 *    is bound: an unbound family refreshed with a proof becomes bound to that key in the same statement,
 *    for good (there is no way back to Bearer for that family). A request that loses that race to a
 *    concurrent one reads the family again and finds its token is now the parent (3.).
 * 8. The parent inside the window, agreeing with the binding, is answered with the same live successor and
 *    a new access token: two tabs that refreshed at once, or a client retrying after a lost answer, end up
 *    with the one token the family has — it never forks, and a reissue never changes the binding.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { log } from "@/lib/server/log";
import { stateClock } from "@/lib/server/clock";
import type { Role } from "@/lib/edge/identity";
import { findLiveSession } from "@/lib/server/auth/session/session-lifecycle";
import { parseRefreshToken, type PresentedToken } from "@/lib/server/auth/refresh/token";
import { takeRefreshBudget } from "@/lib/server/auth/refresh/rate-limit";
import { refreshReuseDetected } from "@/lib/server/audit/family-events";
import {
  claimRotation,
  findFamily,
  invalidGrant,
  liveSuccessorOf,
  positionOf,
  revokeFamily,
  type Family,
} from "@/lib/server/auth/refresh/family-store";

export interface Refreshed {
  /** `rotated`: this request moved the family on; `reissued`: the parent inside the grace window. */
  kind: "rotated" | "reissued";
  /** The family's one live refresh token (the cookie to set). */
  token: string;
  familyId: string;
  familyExpiresAt: Date;
  generation: number;
  user: { id: number; role: Role };
  sessionId: string;
  /** The DPoP key the family is bound to after this refresh: the new access token is bound to it too. */
  dpopJkt: string | null;
}

export interface RefreshOptions {
  /** The family's "now": the state clock unless given (lib/server/clock.ts). */
  now?: Date;
  /** The reuse grace window; REFRESH_REUSE_GRACE_SECONDS unless the lab compares modes. */
  graceSeconds?: number;
  /** The thumbprint of the key that signed the request's DPoP proof, when it carried one. */
  proofJkt?: string;
}

/** A rotation lost to a concurrent one is looked at once more; a third look would mean a bug. */
const MAX_LOOKS = 3;

export async function refresh(presentedValue: string, options: RefreshOptions = {}): Promise<Refreshed> {
  const { now = stateClock.now(), graceSeconds = config().refresh.reuseGraceSeconds, proofJkt } = options;
  const presented = parseRefreshToken(presentedValue);
  if (!presented) throw invalidGrant("unknown", "the refresh token is not recognised");

  for (let look = 0; look < MAX_LOOKS; look++) {
    const family = await findFamily(presented);
    if (!family) throw invalidGrant("unknown", "the refresh token is not recognised");
    assertLive(family, now);
    const position = positionOf(family, presented);
    if (position === "ancestor" || (position === "parent" && !insideGrace(family, now, graceSeconds))) {
      await endForReuse(family, now);
    }
    // Inside the window the parent must agree with the binding exactly; a disagreement is someone else.
    if (position === "parent" && family.dpopJkt !== (proofJkt ?? null)) await endForReuse(family, now);
    assertSameKey(family.dpopJkt, proofJkt);
    if (look === 0) {
      await takeRefreshBudget(family.id, now);
      await requireLiveSession(family, now);
    }
    if (position === "current") {
      // Bound already, or bound by this very rotation to the proof's key (RFC 9449 §5), never elsewhere.
      const dpopJkt = family.dpopJkt ?? proofJkt ?? null;
      const next = await claimRotation(family, presented, now, dpopJkt);
      if (next) return refreshed("rotated", family, next, family.generation + 1, dpopJkt);
      continue;
    }
    return reissue(family, presented);
  }
  throw new Error("refresh: the family kept changing under this request");
}

function assertLive(family: Family, now: Date): void {
  if (family.revokedAt) throw invalidGrant("revoked", "the refresh token was revoked");
  if (family.expiresAt <= now) throw invalidGrant("expired", "the refresh token family has expired; sign in again");
}

function assertSameKey(boundJkt: string | null, proofJkt: string | undefined): void {
  if (boundJkt === null) return;
  if (proofJkt === undefined)
    throw invalidGrant("dpop_required", "this refresh token is bound to a DPoP key: send a proof signed by it");
  if (proofJkt !== boundJkt)
    throw invalidGrant("dpop_key_mismatch", "this refresh token is bound to another DPoP key than the proof's");
}

function insideGrace(family: Family, now: Date, graceSeconds: number): boolean {
  if (graceSeconds <= 0 || !family.rotatedAt) return false;
  return now.getTime() - family.rotatedAt.getTime() <= graceSeconds * 1000;
}

async function endForReuse(family: Family, now: Date): Promise<never> {
  const revokedNow = await revokeFamily(family.id, "reuse", now);
  log.warn("refresh.reuse_detected", { familyId: family.id, generation: family.generation });
  // One audit event per family, however many requests raced to present the stale token.
  if (revokedNow) refreshReuseDetected(family.id);
  throw invalidGrant("reused", "the refresh token was already used; every token in its family is now revoked");
}

async function requireLiveSession(family: Family, now: Date): Promise<void> {
  const session = await findLiveSession(family.userId, family.sessionId, { now, touch: true });
  if (session) return;
  await revokeFamily(family.id, "session_ended", now);
  throw invalidGrant("session_ended", "the session this refresh token was issued beside has ended; sign in again");
}

function reissue(family: Family, parent: PresentedToken): Refreshed {
  const successor = liveSuccessorOf(family, parent);
  // The hash, the parent's hash and the salt change in one UPDATE, so they always agree.
  if (!successor) throw new Error("refresh: the stored successor does not follow from its parent");
  log.info("refresh.reissued_in_grace", { familyId: family.id, generation: family.generation });
  // The family's own binding, as read: the caller's proof agreed with it, and a reissue never changes it.
  return refreshed("reissued", family, successor, family.generation, family.dpopJkt);
}

function refreshed(
  kind: Refreshed["kind"],
  family: Family,
  token: string,
  generation: number,
  dpopJkt: string | null,
): Refreshed {
  return {
    kind,
    token,
    familyId: family.id,
    familyExpiresAt: family.expiresAt,
    generation,
    user: family.user,
    sessionId: family.sessionId,
    dpopJkt,
  };
}
