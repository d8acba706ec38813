/**
 * Session authentication for route handlers: cookie → unseal → store → user, with each step timed
 * for the lab's trace. Any failure short of the store being down reads as "no session" (401).
 */
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { isSecure } from "@/lib/http/request-context";
import { sessionCookieName, unsealSessionToken } from "./cookie";
import { cachedToken, rememberToken } from "./unseal-cache";
import { sha256Hex } from "@/lib/auth/random";
import { validateSessionToken, type SessionTiming } from "./service";
import type { SessionRecord } from "./store";
import type { UserDto } from "@/lib/accounts/users";

export interface AuthenticatedSession {
  session: SessionRecord;
  user: UserDto;
  token: string;
  timing: SessionTiming & { unsealMs: number };
}

type CookieSource = { get(name: string): { value: string } | undefined };

export async function readSessionToken(cookies: CookieSource, secure: boolean): Promise<{ token: string | null; tokenHash?: string; unsealMs: number }> {
  const seal = cookies.get(sessionCookieName(secure))?.value;
  if (!seal) return { token: null, unsealMs: 0 };
  const settings = config();
  const started = performance.now();
  let opened = cachedToken(seal);
  if (opened === null) {
    const token = await unsealSessionToken(seal, settings.sessionPasswords, settings.sessionAbsoluteTimeoutSeconds);
    if (token !== null) {
      opened = { token, tokenHash: sha256Hex(token) };
      rememberToken(seal, opened);
    }
  }
  return { token: opened?.token ?? null, tokenHash: opened?.tokenHash, unsealMs: performance.now() - started };
}

export async function optionalSession(cookies: CookieSource, headers: Pick<Headers, "get">): Promise<AuthenticatedSession | null> {
  const { token, tokenHash, unsealMs } = await readSessionToken(cookies, isSecure(headers));
  if (!token) return null;
  const result = await validateSessionToken(token, new Date(), tokenHash);
  if (!result.session) return null;
  return { session: result.session, user: result.user, token, timing: { ...result.timing, unsealMs } };
}

export async function requireSession(cookies: CookieSource, headers: Pick<Headers, "get">): Promise<AuthenticatedSession> {
  const auth = await optionalSession(cookies, headers);
  if (!auth) throw new AppError("no_session", "sign in first: there is no valid session cookie");
  return auth;
}
