/**
 * The revocation race (docs/choosing.md): a separate experiment session of the caller's own
 * account, presented four ways, so the dashboard can revoke it and time how long each way keeps
 * being accepted — without signing out the dashboard's own session.
 *
 * The session cookies go out under their own names with Path=/api/lab/race, so the browser
 * sends them only to the race's endpoints, where the real session check runs on them against the real store.
 * One carries no snapshot (the store session); the other carries a cookie-cache snapshot with the
 * server's window — or, when the server runs with the cache off, the lab's own window, labelled as
 * lab-minted. The access token is issued beside the session like a sign-in's, with a refresh family,
 * so the strict check sees the same session end; it lives a minute at most (lab-tokens.ts), which the
 * race's 30 s of polling never outlasts.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import type { CookieSource, CookieSpec } from "@/lib/edge/cookies";
import type { UserDto } from "@/lib/edge/identity";
import { AppError } from "@/lib/edge/errors";
import { issueAccessToken } from "@/lib/server/auth/jwt/sign";
import { endSessionsBeyondBound } from "@/lib/server/auth/session-bound";
import { LAB_TOKEN_MAX_SECONDS } from "@/lib/server/lab/lab-tokens";
import { startFamily } from "@/lib/server/auth/refresh/family-store";
import { sealSessionToken, sessionCookie } from "@/lib/server/auth/session/cookie";
import { resealedCookie, type CookiePlace } from "@/lib/server/auth/session/snapshot-trust";
import { createSession, deleteSessionByHash } from "@/lib/server/auth/session/session-lifecycle";
import { readSessionToken } from "@/lib/server/auth/session/request-session";
import { stateClock, wallClock } from "@/lib/server/clock";

/** The window a lab-minted snapshot is trusted for when the server's cache is off. */
export const LAB_RACE_CACHE_SECONDS = 5;
/** The cookies' Path: the race's own endpoints (start, probe) and nothing else. */
export const RACE_PATH = "/api/lab/race";
export const RACE_MODES = ["store", "cached"] as const;
export type RaceMode = (typeof RACE_MODES)[number];

/** `__Secure-` over HTTPS (`__Host-` needs Path=/, RFC 6265bis §4.1.3.2). */
export function raceCookie(mode: RaceMode, secure: boolean): Required<CookiePlace> {
  return { name: `${secure ? "__Secure-" : ""}authlab_race_${mode}`, path: RACE_PATH };
}

/** The server's window when its cache is on; else the lab's. */
export function raceCacheSeconds(): { seconds: number; labMinted: boolean } {
  const configured = config().session.cookieCacheSeconds;
  return configured > 0
    ? { seconds: configured, labMinted: false }
    : { seconds: LAB_RACE_CACHE_SECONDS, labMinted: true };
}

export interface StartedRace {
  cookies: CookieSpec[];
  body: {
    sessionId: string;
    accessToken: string;
    accessTokenExpiresAt: string;
    cacheSeconds: number;
    labMinted: boolean;
    /** Bytes of each experiment cookie as the browser sends it (`name=value`); script cannot read them. */
    cookieBytes: Record<RaceMode, number>;
  };
}

const cookieBytes = (cookie: CookieSpec) => new TextEncoder().encode(`${cookie.name}=${cookie.value}`).length;

/** Ends the race session this browser started before, if any: one experiment session per browser. */
export async function endPreviousRace(cookies: CookieSource, secure: boolean): Promise<void> {
  const previous = await readSessionToken(cookies, secure, undefined, raceCookie("store", secure).name);
  if (previous) await deleteSessionByHash(previous.tokenHash);
}

/** The race cookies, expired: sent when the page is done with its race session. */
export function expiredRaceCookies(secure: boolean): CookieSpec[] {
  return RACE_MODES.map((mode) => sessionCookie("", secure, 0, raceCookie(mode, secure)));
}

/**
 * A new session of the caller's account, counted against MAX_SESSIONS_PER_USER like a sign-in: when the
 * account is full, the oldest sessions other than the caller's make room — never the session that asked,
 * nor its refresh family. A bound of 1 leaves no room beside the caller: refused.
 */
export async function startRace(
  user: UserDto,
  caller: { sessionId: string },
  client: { ip: string | null; userAgent: string | null; secure: boolean },
): Promise<StartedRace> {
  if (config().session.maxPerUser < 2)
    throw new AppError(
      "forbidden",
      "MAX_SESSIONS_PER_USER=1 leaves no room for an experiment session beside yours, and yours is never ended for it",
    );
  const { token, record } = await createSession(user.id, { ip: client.ip, userAgent: client.userAgent });
  await startFamily(user.id, record.id, { keepSessionIds: [caller.sessionId] });
  await endSessionsBeyondBound(user.id, record.id, [caller.sessionId]);
  const access = await issueAccessToken(
    { userId: user.id, role: user.role, sessionId: record.id },
    { ttlSeconds: LAB_TOKEN_MAX_SECONDS },
  );
  const settings = config();
  const maxAge = settings.session.absoluteTimeoutSeconds;
  const plainSeal = await sealSessionToken(token, settings.session.passwords, maxAge);
  const cache = raceCacheSeconds();
  const cached = await resealedCookie(
    token,
    { session: record, user },
    {
      nowMs: stateClock.nowMs(),
      windowSeconds: cache.seconds,
      secure: client.secure,
      place: raceCookie("cached", client.secure),
    },
  );
  const storeCookie = sessionCookie(plainSeal, client.secure, maxAge, raceCookie("store", client.secure));
  return {
    cookies: [storeCookie, cached.cookie],
    body: {
      sessionId: record.id,
      accessToken: access.token,
      accessTokenExpiresAt: new Date(wallClock.nowMs() + access.expiresIn * 1000).toISOString(),
      cacheSeconds: cache.seconds,
      labMinted: cache.labMinted,
      cookieBytes: {
        store: cookieBytes(storeCookie),
        cached: cookieBytes(cached.cookie),
      },
    },
  };
}
