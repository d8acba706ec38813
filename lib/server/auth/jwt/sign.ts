/**
 * Issues access tokens (Node only: it holds the private key).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { config } from "@/lib/edge/config";
import { wallClock } from "@/lib/server/clock";
import { processSingleton } from "@/lib/edge/singleton";
import type { Role } from "@/lib/edge/identity";
import { ACCESS_TOKEN_TYPE } from "@/lib/edge/jwt/claims";
import { importSigningKey, type SigningKey } from "@/lib/edge/jwt/keys";
import type { PrivateJwk } from "@/lib/edge/jwt/jwks-schema";

/** Imported once per process, whichever bundle signs first (or the start-up warm-up). */
export function signingKeyFor(keys: readonly PrivateJwk[]): Promise<SigningKey> {
  const signingKeys = processSingleton("signingKeys", () => new Map<string, Promise<SigningKey>>());
  const last = keys[keys.length - 1]!;
  let key = signingKeys.get(last.kid);
  if (!key) {
    key = importSigningKey(keys);
    signingKeys.set(last.kid, key);
  }
  return key;
}

export interface IssuedAccessToken {
  token: string;
  /** RFC 9449 §5: "DPoP" for a token bound to a key, else "Bearer" (RFC 6750). */
  tokenType: "DPoP" | "Bearer";
  expiresIn: number;
  jti: string;
}

export interface AccessTokenSubject {
  userId: number;
  role: Role;
  sessionId: string;
  /** Binds the token to this DPoP key (RFC 9449 §6.1: `cnf.jkt`). */
  dpopJkt?: string;
}

export async function issueAccessToken(
  subject: AccessTokenSubject,
  options: { ttlSeconds?: number; now?: Date; keys?: readonly PrivateJwk[] } = {},
): Promise<IssuedAccessToken> {
  const settings = config();
  const ttl = Math.min(options.ttlSeconds ?? settings.jwt.accessTokenTtlSeconds, settings.jwt.accessTokenTtlSeconds);
  // The wall clock, never the state clock: every verifier (the Edge, a resource server) checks iat and
  // exp against its own clock (lib/server/clock.ts).
  const { now = wallClock.now() } = options;
  const issuedAt = Math.floor(now.getTime() / 1000);
  // Only the configured keys are cached; a key set passed in (the lab's) is imported for this call.
  const key = options.keys ? await importSigningKey(options.keys) : await signingKeyFor(settings.jwt.privateKeys);
  const jti = randomUUID();
  const bound = subject.dpopJkt ? { cnf: { jkt: subject.dpopJkt } } : {};
  const token = await new SignJWT({ role: subject.role, sid: subject.sessionId, ...bound })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(settings.jwt.issuer)
    .setAudience(settings.jwt.audience)
    .setSubject(String(subject.userId))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttl)
    .setJti(jti)
    .sign(key.key);
  return { token, tokenType: subject.dpopJkt ? "DPoP" : "Bearer", expiresIn: ttl, jti };
}
