/**
 * RFC 7662 token introspection, for resource servers: is this access token active, and what does it
 * say? "Active" means what the strict check means (strict-check.ts): a valid signature, issuer,
 * audience, type and lifetime, and — in state — a live session and refresh family, a current role, a
 * `jti` not revoked. Anything else is `{"active": false}`, with no reason (§2.2: the answer must not
 * help anyone probe tokens). A session store that cannot be reached is a 503, not an inactive answer.
 *
 * Refresh tokens are answered `{"active": false}`: they are presented only to this server's refresh
 * endpoint, never to a resource server, so nothing here tells anyone whether one is live.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { keyRingFor } from "@/lib/edge/jwt/keys";
import { verifyAccessToken } from "@/lib/edge/jwt/verify";
import type { Role } from "@/lib/edge/identity";
import type { Recorder } from "@/lib/edge/trace";
import { assertNotRevoked } from "@/lib/server/auth/jwt/strict-check";

export type Introspection =
  | { active: false }
  | {
      active: true;
      sub: string;
      role: Role;
      iss: string;
      aud: string | string[];
      exp: number;
      iat: number;
      jti: string;
      /** RFC 9449 §6.2: "DPoP" for a bound token, with its `cnf`. */
      token_type: "DPoP" | "Bearer";
      cnf?: { jkt: string };
    };

const INACTIVE: Introspection = { active: false };

export async function introspectToken(token: string, recorder: Recorder): Promise<Introspection> {
  const settings = config();
  const ring = await keyRingFor(settings.jwt.privateKeys);
  const verified = await verifyAccessToken(token, ring, {
    issuer: settings.jwt.issuer,
    audience: settings.jwt.audience,
    useCache: true,
  });
  if (!verified.ok) return INACTIVE;
  const { claims } = verified;
  const scheme = claims.cnf ? "DPoP" : "Bearer";
  try {
    await assertNotRevoked({ claims, scheme }, recorder);
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_token") return INACTIVE;
    throw error;
  }
  return {
    active: true,
    sub: claims.sub,
    role: claims.role,
    iss: claims.iss,
    aud: claims.aud,
    exp: claims.exp,
    iat: claims.iat,
    jti: claims.jti,
    token_type: scheme,
    ...(claims.cnf ? { cnf: claims.cnf } : {}),
  };
}
