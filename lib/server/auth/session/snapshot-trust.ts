/**
 * The cookie cache's two moves (SECURITY.md, "Cookie cache"): trust a fresh snapshot in place of the store, and
 * seal a new snapshot after the store was read. Which checks may trust one is decided by the caller
 * (request-session.ts): read-only ones only — SECURITY.md, "Cookie cache".
 */
import "server-only";
import { config } from "@/lib/edge/config";
import type { CookieSpec } from "@/lib/edge/cookies";
import type { UserDto } from "@/lib/edge/identity";
import type { Recorder } from "@/lib/edge/trace";
import { sealSessionToken, sessionCookie } from "./cookie";
import { isFresh, recordFromSnapshot, takeSnapshot, type SessionSnapshot } from "./snapshot-in-cookie";
import type { SessionRecord } from "./store";

/** Where a session check got its answer: the store, or a snapshot in the cookie (the trace shows which). */
export type SessionSource = "store" | "cookie-cache";

/** Where an experiment's cookie lives; the real session cookie when absent. */
export interface CookiePlace {
  name?: string;
  path?: string;
}

export interface TrustedSnapshot {
  session: SessionRecord;
  user: UserDto;
  snapshot: SessionSnapshot;
}

/** The server's setting; 0 = off. */
export function cookieCacheSeconds(): number {
  return config().session.cookieCacheSeconds;
}

/** The snapshot as the session, when it is fresh; null sends the check to the store. */
export function trustSnapshot(
  snapshot: SessionSnapshot | null,
  tokenHash: string,
  nowMs: number,
  windowSeconds: number,
  recorder: Recorder,
): TrustedSnapshot | null {
  const started = performance.now();
  if (!snapshot || !isFresh(snapshot, nowMs, windowSeconds)) return null;
  recorder.time("cookieCache", performance.now() - started, `${Math.round((nowMs - snapshot.takenAt) / 1000)} s old`);
  return { session: recordFromSnapshot(snapshot, tokenHash), user: snapshot.user, snapshot };
}

/** The session cookie again, now carrying a snapshot of what the store just said. */
export async function resealedCookie(
  token: string,
  found: { session: SessionRecord; user: UserDto },
  options: { nowMs: number; windowSeconds: number; secure: boolean; place?: CookiePlace },
): Promise<{ cookie: CookieSpec; snapshot: SessionSnapshot }> {
  const settings = config();
  const snapshot = takeSnapshot(found.session, found.user, options.nowMs, options.windowSeconds);
  const seal = await sealSessionToken(
    token,
    settings.session.passwords,
    settings.session.absoluteTimeoutSeconds,
    snapshot,
  );
  const maxAge = Math.max(0, Math.floor((found.session.expiresAt.getTime() - options.nowMs) / 1000));
  return { cookie: sessionCookie(seal, options.secure, maxAge, options.place), snapshot };
}
