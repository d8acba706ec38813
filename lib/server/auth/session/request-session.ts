/**
 * Session authentication for route handlers, pages and actions: cookie → unseal → store → user.
 * Any failure short of the store being down reads as "no session" (401). Each step is recorded on
 * the recorder the caller passes, for the lab's trace.
 *
 * With the cookie cache on (SESSION_COOKIE_CACHE_SECONDS > 0, SECURITY.md "Cookie cache") a check that only reads
 * (`trustSnapshot`) answers from a fresh snapshot in the cookie without the store; every other check
 * — anything that changes state, the admin page, the lab — reads the store as before (SECURITY.md).
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { isSecure } from "@/lib/edge/http/request-context";
import { sessionCookieName, type CookieSource, type CookieSpec } from "@/lib/edge/cookies";
import type { LoginReason } from "@/lib/edge/login-reason";
import { checked, LAYERS, NO_RECORDER, timed, type Recorder } from "@/lib/edge/trace";
import { unsealSession } from "@/lib/server/auth/session/cookie";
import { cachedToken, rememberToken, type Opened } from "@/lib/server/auth/session/unseal-memo";
import { sessionTokenHash } from "@/lib/server/auth/session/shard-tag";
import { validateSessionToken } from "@/lib/server/auth/session/session-lifecycle";
import type { SessionRecord } from "@/lib/server/auth/session/store";
import type { SessionSnapshot } from "@/lib/server/auth/session/snapshot-in-cookie";
import {
  cookieCacheSeconds,
  resealedCookie,
  trustSnapshot,
  type CookiePlace,
  type SessionSource,
} from "@/lib/server/auth/session/snapshot-trust";
import { stateClock } from "@/lib/server/clock";
import type { UserDto } from "@/lib/server/accounts/users";

export interface AuthenticatedSession {
  session: SessionRecord;
  user: UserDto;
  token: string;
  source: SessionSource;
  /** The snapshot the answer came from, or the one just sealed into `cookie`; null with the cache off. */
  snapshot: SessionSnapshot | null;
  /** A re-sealed session cookie carrying a fresh snapshot, for the caller to send (route handlers only). */
  cookie?: CookieSpec;
}

export interface SessionCheckOptions {
  /**
   * This check only reads: it may answer from a fresh cookie-cache snapshot, and re-seals one after
   * reading the store. Never for a request that changes state.
   */
  trustSnapshot?: boolean;
  /** The trust window in seconds; the server's SESSION_COOKIE_CACHE_SECONDS unless the lab says otherwise. */
  cacheSeconds?: number;
  /** Re-seal after a store read (a route handler can set the cookie; a page cannot). Default: yes. */
  reseal?: boolean;
  /** The lab's revocation race reads its experiment cookies by their own name and path. */
  cookie?: CookiePlace;
}

async function openSeal(seal: string): Promise<Opened | null> {
  const cached = cachedToken(seal);
  if (cached) return cached;
  const settings = config();
  const contents = await unsealSession(seal, settings.session.passwords);
  if (contents === null) return null;
  const opened = { token: contents.token, tokenHash: sessionTokenHash(contents.token), snapshot: contents.snapshot };
  rememberToken(seal, opened);
  return opened;
}

/** The session token in the request's cookie, or null when there is none or it cannot be opened. */
export async function readSessionToken(
  cookies: CookieSource,
  secure: boolean,
  recorder: Recorder = NO_RECORDER,
  name = sessionCookieName(secure),
): Promise<Opened | null> {
  const seal = cookies.get(name)?.value;
  if (!seal) return null;
  return timed(recorder, "unseal", () => openSeal(seal));
}

/**
 * Why a request has no session: no cookie at all, a cookie that could not be opened (altered, or
 * sealed with a password no longer configured), or a record that is gone or past its timeouts.
 */
export type NoSessionReason = "no_cookie" | "unreadable" | "ended" | "expired";

/** What /login tells the reader for each (lib/edge/login-reason.ts): the page and the Node gate agree. */
export const LOGIN_REASON_FOR: Record<NoSessionReason, LoginReason> = {
  no_cookie: "sign_in_required",
  unreadable: "unreadable",
  ended: "ended",
  expired: "expired",
};

export type SessionLookup = { ok: true; auth: AuthenticatedSession } | { ok: false; reason: NoSessionReason };

/** The session of this request, or why there is none (pages use the reason to tell the reader). */
export async function lookUpSession(
  cookies: CookieSource,
  headers: Pick<Headers, "get">,
  recorder: Recorder = NO_RECORDER,
  options: SessionCheckOptions = {},
): Promise<SessionLookup> {
  recorder.checkedBy(LAYERS.node);
  let reason: NoSessionReason = "no_cookie";
  // The check reports "absent" (null) to metrics and spans for every kind of no-session.
  const auth = await checked("session", async (): Promise<AuthenticatedSession | null> => {
    const secure = isSecure(headers);
    const name = options.cookie?.name ?? sessionCookieName(secure);
    if (!cookies.get(name)?.value) return null;
    const opened = await readSessionToken(cookies, secure, recorder, name);
    if (!opened) {
      reason = "unreadable";
      return null;
    }
    const windowSeconds = options.trustSnapshot ? (options.cacheSeconds ?? cookieCacheSeconds()) : 0;
    const nowMs = stateClock.nowMs();
    if (windowSeconds > 0) {
      const trusted = trustSnapshot(opened.snapshot, opened.tokenHash, nowMs, windowSeconds, recorder);
      if (trusted) return { ...trusted, token: opened.token, source: "cookie-cache" as const };
    }
    const reseal = windowSeconds > 0 && options.reseal !== false;
    const result = await validateSessionToken(opened.token, {
      tokenHash: opened.tokenHash,
      recorder,
      touchNow: reseal,
    });
    if (!result.session) {
      reason = result.ended;
      return null;
    }
    const found = { session: result.session, user: result.user };
    const auth: AuthenticatedSession = { ...found, token: opened.token, source: "store", snapshot: null };
    if (reseal) {
      const place = options.cookie;
      Object.assign(auth, await resealedCookie(opened.token, found, { nowMs, windowSeconds, secure, place }));
    }
    return auth;
  });
  return auth ? { ok: true, auth } : { ok: false, reason };
}

export async function optionalSession(
  cookies: CookieSource,
  headers: Pick<Headers, "get">,
  recorder: Recorder = NO_RECORDER,
  options: SessionCheckOptions = {},
): Promise<AuthenticatedSession | null> {
  const lookup = await lookUpSession(cookies, headers, recorder, options);
  return lookup.ok ? lookup.auth : null;
}

export async function requireSession(
  cookies: CookieSource,
  headers: Pick<Headers, "get">,
  recorder: Recorder = NO_RECORDER,
  options: SessionCheckOptions = {},
): Promise<AuthenticatedSession> {
  const auth = await optionalSession(cookies, headers, recorder, options);
  if (!auth) throw new AppError("no_session", "sign in first: there is no valid session cookie");
  return auth;
}
