/**
 * What an answer says about the cookie cache (SECURITY.md, "Cookie cache"): where it came from, how old the
 * snapshot is, and — when it came from the snapshot — whether this instance last saw the store
 * reachable, so the dashboard can say "the store is down; the snapshot is still answering".
 */
import "server-only";
import { lastSeenReachable } from "@/lib/server/observability/store-health";
import { storeKind } from "./session-lifecycle";
import type { AuthenticatedSession } from "./request-session";

export interface CacheDto {
  source: AuthenticatedSession["source"];
  /** The trust window, seconds; 0 = the cache is off for this check. */
  windowSeconds: number;
  /** When the snapshot used or just sealed was taken (ISO), or null. */
  snapshotTakenAt: string | null;
  /** Until when it may be trusted (ISO): its window or the session's expiry, whichever is first. */
  trustedUntil: string | null;
  /** This instance's last observation of the store (null: none yet); not a lookup. */
  storeLastSeenReachable: boolean | null;
}

export function cacheDto(auth: Pick<AuthenticatedSession, "source" | "snapshot">): CacheDto {
  const snapshot = auth.snapshot;
  const until = snapshot
    ? Math.min(snapshot.takenAt + snapshot.windowSeconds * 1000, snapshot.idleExpiresAt, snapshot.expiresAt)
    : null;
  return {
    source: auth.source,
    windowSeconds: snapshot?.windowSeconds ?? 0,
    snapshotTakenAt: snapshot ? new Date(snapshot.takenAt).toISOString() : null,
    trustedUntil: until === null ? null : new Date(until).toISOString(),
    storeLastSeenReachable: lastSeenReachable(storeKind()),
  };
}
