/**
 * RFC 7009 token revocation. Whatever is presented, the answer is the same 200 (§2.2: an invalid or
 * unknown token is not an error, so the endpoint tells nobody which tokens exist); what happens:
 *  - a refresh token of ours (any token of a family: it carries the family's locator, token.ts) ends
 *    its family — no refresh works again, and the strict check refuses the access tokens issued beside
 *    it, whose session's family is gone (§2.1: "SHOULD also invalidate the access token");
 *  - a valid access token has its `jti` denied until its `exp` (denylist.ts): the strict check and
 *    introspection refuse it; the Edge keeps accepting it until `exp` (the stateless design's price);
 *  - anything else: nothing.
 * `token_type_hint` only decides which kind is looked for first (§2.1). A revocation that ended
 * something is a `token_revoked` security event (docs/api.md, audit trail) naming the token's user and session;
 * presenting the same token again revokes nothing and is not told again.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { keyRingFor } from "@/lib/edge/jwt/keys";
import { CLOCK_TOLERANCE_SECONDS, verifyAccessToken } from "@/lib/edge/jwt/verify";
import { log } from "@/lib/server/log";
import { parseRefreshToken } from "@/lib/server/auth/refresh/token";
import { findFamily, revokeFamily } from "@/lib/server/auth/refresh/family-store";
import { denyAccessToken } from "@/lib/server/auth/jwt/denylist";
import { tokenRevoked } from "@/lib/server/audit/token-events";

/**
 * What was revoked, and whose: the user and the session (public id) it belonged to, never the token.
 * `revokedNow`: this request ended it (false when it had been revoked already).
 */
export type Revoked =
  | { kind: "refresh_token"; familyId: string; userId: number; sessionId: string; revokedNow: boolean }
  | { kind: "access_token"; jti: string; userId: number; sessionId: string; revokedNow: boolean }
  | null;

async function revokeRefreshToken(token: string): Promise<Revoked> {
  const presented = parseRefreshToken(token);
  const family = presented ? await findFamily(presented) : null;
  if (!family) return null;
  const revokedNow = await revokeFamily(family.id, "token_revoked");
  return { kind: "refresh_token", familyId: family.id, userId: family.userId, sessionId: family.sessionId, revokedNow };
}

async function revokeAccessToken(token: string): Promise<Revoked> {
  const settings = config();
  const ring = await keyRingFor(settings.jwt.privateKeys);
  const verified = await verifyAccessToken(token, ring, {
    issuer: settings.jwt.issuer,
    audience: settings.jwt.audience,
  });
  if (!verified.ok) return null;
  const { jti, exp, sub, sid } = verified.claims;
  const revokedNow = await denyAccessToken(jti, new Date((exp + CLOCK_TOLERANCE_SECONDS) * 1000));
  return { kind: "access_token", jti, userId: Number(sub), sessionId: sid, revokedNow };
}

export async function revokeToken(token: string, hint: string | undefined): Promise<Revoked> {
  const order =
    hint === "refresh_token" ? [revokeRefreshToken, revokeAccessToken] : [revokeAccessToken, revokeRefreshToken];
  for (const attempt of order) {
    const revoked = await attempt(token);
    if (revoked) {
      const { kind, userId, sessionId, revokedNow } = revoked;
      log.info("token.revoked", { kind, userId, sessionId, revokedNow });
      if (revokedNow) tokenRevoked({ tokenType: kind, userId, sessionId });
      return revoked;
    }
  }
  return null;
}
