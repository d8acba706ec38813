/**
 * What an access token carries, and nothing more: the token is base64url, readable by anyone who
 * holds it, so it names the user by primary key only (no email, no name). RFC 9068 §2.2 lists the
 * registered claims; `role` and `sid` are ours.
 *
 * Checked by hand rather than with a schema library: this runs on every API request, in the Edge
 * middleware and again in the handler, and a generic validator cost more than the checks themselves
 * (bench/README.md).
 */
import { isRole, parseUserId, type Role } from "@/lib/edge/identity";

export const ACCESS_TOKEN_TYPE = "at+jwt"; // RFC 9068 §2.1: explicit typing (RFC 8725 §3.11)

export interface AccessClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  role: Role;
  iat: number;
  exp: number;
  jti: string;
  sid: string;
  /**
   * RFC 9449 §6.1 (RFC 7800): the token is bound to a DPoP key, named by its RFC 7638 SHA-256
   * thumbprint. Such a token is accepted only with a proof signed by that key.
   */
  cnf?: { jkt: string };
}

/** A SHA-256 JWK thumbprint in unpadded base64url: 32 bytes, 43 characters. */
export const JKT_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export const REQUIRED_CLAIMS = ["iss", "aud", "sub", "role", "iat", "exp", "jti", "sid"] as const;

const isShortString = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 64;

export type ClaimsCheck = { ok: true; claims: AccessClaims } | { ok: false; claim: string };

/** The claims as ours, or the first claim that is missing or malformed. Extra claims are dropped. */
export function parseAccessClaims(value: unknown): ClaimsCheck {
  if (!value || typeof value !== "object") return { ok: false, claim: "claims" };
  const c = value as Record<string, unknown>;
  if (typeof c.iss !== "string") return { ok: false, claim: "iss" };
  if (typeof c.aud !== "string" && !(Array.isArray(c.aud) && c.aud.every((a) => typeof a === "string")))
    return { ok: false, claim: "aud" };
  if (typeof c.sub !== "string" || parseUserId(c.sub) === null) return { ok: false, claim: "sub" };
  if (!isRole(c.role)) return { ok: false, claim: "role" };
  if (!Number.isInteger(c.iat)) return { ok: false, claim: "iat" };
  if (!Number.isInteger(c.exp)) return { ok: false, claim: "exp" };
  if (!isShortString(c.jti)) return { ok: false, claim: "jti" };
  if (!isShortString(c.sid)) return { ok: false, claim: "sid" };
  const cnf = confirmationOf(c.cnf);
  if (cnf === null) return { ok: false, claim: "cnf" };
  return {
    ok: true,
    claims: {
      iss: c.iss,
      aud: c.aud as string | string[],
      sub: c.sub,
      role: c.role,
      iat: c.iat as number,
      exp: c.exp as number,
      jti: c.jti,
      sid: c.sid,
      ...(cnf ? { cnf } : {}),
    },
  };
}

/** undefined: no `cnf` (a Bearer token); null: a `cnf` we do not understand, which must not be ignored. */
function confirmationOf(value: unknown): { jkt: string } | undefined | null {
  if (value === undefined) return undefined;
  if (!value || typeof value !== "object") return null;
  const { jkt } = value as Record<string, unknown>;
  if (Object.keys(value).length !== 1 || typeof jkt !== "string" || !JKT_FORMAT.test(jkt)) return null;
  return { jkt };
}
