/**
 * The session cookie: an iron-session seal (AES-256-CBC + HMAC-SHA-256, "Fe26.2") around a random
 * token. The token names a record in the session store; the seal stops a client from reading it or
 * forging another, and lets the server check it without a store round-trip for garbage.
 *
 * SESSION_PASSWORD may hold several passwords: iron-session seals with the highest id and opens a
 * seal with whichever id it names, so adding a password keeps every existing session.
 */
import "server-only";
import { sealData } from "iron-session";
import { z } from "zod";
import { sessionCookieName, type CookieSpec } from "@/lib/edge/cookies";
import { openIronSeal } from "./iron-unseal";
import { snapshotSchema, type SessionSnapshot } from "./snapshot-in-cookie";

/**
 * `t`: the token, random base64url, behind its owner's id and a dot on a Redis Cluster (shard-tag.ts).
 * `s`: the cookie cache's snapshot (snapshot-in-cookie.ts), present only when a server with the cache sealed it.
 */
const payloadSchema = z.object({
  v: z.literal(1),
  t: z.string().regex(/^(?:\d{1,15}\.)?[A-Za-z0-9_-]{16,64}$/),
  s: snapshotSchema.optional(),
});

export interface SealContents {
  token: string;
  snapshot: SessionSnapshot | null;
}

/** Browsers cap a cookie at 4096 bytes; anything longer cannot be ours. */
const MAX_SEAL_LENGTH = 4096;

export async function sealSessionToken(
  token: string,
  passwords: Record<string, string>,
  ttlSeconds: number,
  snapshot?: SessionSnapshot,
) {
  return sealData(snapshot ? { v: 1, t: token, s: snapshot } : { v: 1, t: token }, {
    password: passwords,
    ttl: ttlSeconds,
  });
}

/**
 * The token inside a seal, or null for anything tampered, truncated, expired or sealed by a stranger.
 * The expiry is read from the seal itself (iron writes it there when sealing with the TTL).
 */
export async function unsealSessionToken(
  seal: string,
  passwords: Record<string, string>,
  _ttlSeconds?: number,
): Promise<string | null> {
  return (await unsealSession(seal, passwords))?.token ?? null;
}

/** The token and, when the cookie cache sealed one, the snapshot; null as for unsealSessionToken. */
export async function unsealSession(seal: string, passwords: Record<string, string>): Promise<SealContents | null> {
  if (!seal || seal.length > MAX_SEAL_LENGTH || !seal.startsWith("Fe26.2*")) return null;
  try {
    // iron-session's format, opened with Node's crypto rather than WebCrypto (iron-unseal.ts says why).
    const data = await openIronSeal(seal, passwords);
    const parsed = payloadSchema.safeParse(data);
    return parsed.success ? { token: parsed.data.t, snapshot: parsed.data.s ?? null } : null;
  } catch {
    // iron-webcrypto throws on malformed components (bad base64, wrong count); to the caller that is
    // simply "not signed in", never a 500.
    return null;
  }
}

/**
 * The password id a seal was made with ("Fe26.2*<id>*…"). Seals are not re-made when a password is
 * added: a session keeps its password until it ends, so an old password must stay listed for the
 * absolute session lifetime (7 days by default) after a newer one is added.
 */
export function sealPasswordId(seal: string): string | null {
  return /^Fe26\.2\*(\d+)\*/.exec(seal)?.[1] ?? null;
}

/** The id iron-session seals new cookies with: the highest. */
export function newestPasswordId(passwords: Record<string, string>): string {
  return String(Math.max(...Object.keys(passwords).map(Number)));
}

/**
 * HttpOnly (no script can read it: OWASP Session Management, "Cookies"), SameSite=Lax, Path=/. The
 * lab's revocation race sets experiment cookies under other names and a narrower path.
 */
export function sessionCookie(
  value: string,
  secure: boolean,
  maxAgeSeconds: number,
  place: { name?: string; path?: string } = {},
): CookieSpec {
  return {
    name: place.name ?? sessionCookieName(secure),
    value,
    options: { httpOnly: true, secure, sameSite: "lax", path: place.path ?? "/", maxAge: maxAgeSeconds },
  };
}

export function expiredSessionCookie(secure: boolean): CookieSpec {
  return sessionCookie("", secure, 0);
}
