/**
 * The one way a Node route handler learns who a Bearer token belongs to. It fails closed: no marker,
 * a wrong marker, or unparsable claims all mean "not verified" (401), never "anonymous allowed".
 */
import { timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/errors";
import { parseAccessClaims, type AccessClaims } from "./claims";
import { CLAIMS_HEADER, MARKER_HEADER, middlewareSecret } from "./forwarded-claims";
import { bearerChallenge } from "./challenge";

export interface VerifiedRequest {
  claims: AccessClaims;
  kid: string;
  verifyMicros: number;
  /** The Edge reused an earlier verification of this same token. */
  cached: boolean;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function requireAccessClaims(headers: Pick<Headers, "get">): VerifiedRequest {
  const secret = middlewareSecret();
  const marker = headers.get(MARKER_HEADER);
  const raw = headers.get(CLAIMS_HEADER);
  if (!secret || !marker || !raw || !sameSecret(marker, secret)) {
    throw new AppError("invalid_token", "the request did not pass token verification", bearerChallenge("invalid_token", "the request did not pass token verification"));
  }
  let parsed: { claims?: unknown; kid?: unknown; micros?: unknown; cached?: unknown } | null = null;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = null;
  }
  const claims = parseAccessClaims(parsed?.claims);
  if (!claims.ok) {
    throw new AppError("invalid_token", "the verified claims could not be read", bearerChallenge("invalid_token", "the verified claims could not be read"));
  }
  return {
    claims: claims.claims,
    kid: typeof parsed?.kid === "string" ? parsed.kid : "",
    verifyMicros: typeof parsed?.micros === "number" ? parsed.micros : 0,
    cached: parsed?.cached === true,
  };
}

export function requireRole(verified: VerifiedRequest, role: "ADMIN"): void {
  if (verified.claims.role !== role) {
    throw new AppError("insufficient_scope", "this endpoint needs the admin role", bearerChallenge("insufficient_scope", "this endpoint needs the admin role"));
  }
}
