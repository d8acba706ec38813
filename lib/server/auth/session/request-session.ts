/**
 * Session authentication for route handlers, pages and actions: cookie → unseal → store → user.
 * Any failure short of the store being down reads as "no session" (401). Each step is recorded on
 * the recorder the caller passes, for the lab's trace.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { isSecure } from "@/lib/edge/http/request-context";
import { sessionCookieName, type CookieSource } from "@/lib/edge/cookies";
import { checked, LAYERS, NO_RECORDER, timed, type Recorder } from "@/lib/edge/trace";
import { unsealSessionToken } from "@/lib/server/auth/session/cookie";
import { cachedToken, rememberToken, type Opened } from "@/lib/server/auth/session/unseal-cache";
import { sha256Hex } from "@/lib/server/auth/random";
import { validateSessionToken } from "@/lib/server/auth/session/service";
import type { SessionRecord } from "@/lib/server/auth/session/store";
import type { UserDto } from "@/lib/server/accounts/users";

export interface AuthenticatedSession {
  session: SessionRecord;
  user: UserDto;
  token: string;
}

async function openSeal(seal: string): Promise<Opened | null> {
  const cached = cachedToken(seal);
  if (cached) return cached;
  const settings = config();
  const token = await unsealSessionToken(seal, settings.sessionPasswords, settings.sessionAbsoluteTimeoutSeconds);
  if (token === null) return null;
  const opened = { token, tokenHash: sha256Hex(token) };
  rememberToken(seal, opened);
  return opened;
}

/** The session token in the request's cookie, or null when there is none or it cannot be opened. */
export async function readSessionToken(
  cookies: CookieSource,
  secure: boolean,
  recorder: Recorder = NO_RECORDER,
): Promise<Opened | null> {
  const seal = cookies.get(sessionCookieName(secure))?.value;
  if (!seal) return null;
  return timed(recorder, "unseal", () => openSeal(seal));
}

/**
 * Why a request has no session: no cookie at all, a cookie that could not be opened (altered, or
 * sealed with a password no longer configured), or a record that is gone or past its timeouts.
 */
export type NoSessionReason = "no_cookie" | "unreadable" | "ended" | "expired";

export type SessionLookup = { ok: true; auth: AuthenticatedSession } | { ok: false; reason: NoSessionReason };

/** The session of this request, or why there is none (pages use the reason to tell the reader). */
export async function lookUpSession(
  cookies: CookieSource,
  headers: Pick<Headers, "get">,
  recorder: Recorder = NO_RECORDER,
): Promise<SessionLookup> {
  recorder.checkedBy(LAYERS.node);
  let reason: NoSessionReason = "no_cookie";
  // The check reports "absent" (null) to metrics and spans for every kind of no-session.
  const auth = await checked("session", async (): Promise<AuthenticatedSession | null> => {
    const secure = isSecure(headers);
    if (!cookies.get(sessionCookieName(secure))?.value) return null;
    const opened = await readSessionToken(cookies, secure, recorder);
    if (!opened) {
      reason = "unreadable";
      return null;
    }
    const result = await validateSessionToken(opened.token, { tokenHash: opened.tokenHash, recorder });
    if (!result.session) {
      reason = result.ended;
      return null;
    }
    return { session: result.session, user: result.user, token: opened.token };
  });
  return auth ? { ok: true, auth } : { ok: false, reason };
}

export async function optionalSession(
  cookies: CookieSource,
  headers: Pick<Headers, "get">,
  recorder: Recorder = NO_RECORDER,
): Promise<AuthenticatedSession | null> {
  const lookup = await lookUpSession(cookies, headers, recorder);
  return lookup.ok ? lookup.auth : null;
}

export async function requireSession(
  cookies: CookieSource,
  headers: Pick<Headers, "get">,
  recorder: Recorder = NO_RECORDER,
): Promise<AuthenticatedSession> {
  const auth = await optionalSession(cookies, headers, recorder);
  if (!auth) throw new AppError("no_session", "sign in first: there is no valid session cookie");
  return auth;
}
