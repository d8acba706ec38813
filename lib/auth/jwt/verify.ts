/**
 * Access-token verification, following RFC 8725 (JWT Best Current Practices):
 *  - §3.1 the algorithm list is pinned (ES256, EdDSA) and must match the selected key's own algorithm;
 *    `none` and HMAC can never verify, whatever the header says;
 *  - §3.8/3.9 `iss` and `aud` are checked; §3.11 `typ` must be "at+jwt" (RFC 9068), so no other
 *    kind of JWT (an ID token, a refresh token) is accepted as an access token;
 *  - keys come only from our own ring: `kid` selects among them; `jwk`, `jku`, `x5u`, `x5c` are never
 *    followed, and a token that carries them is refused outright — ours never do.
 * Web APIs only: this runs in the Edge middleware.
 */
import { errors, jwtVerify, decodeProtectedHeader, type JWTHeaderParameters } from "jose";
import { SIGNING_ALGORITHMS } from "./jwks-schema";
import { ACCESS_TOKEN_TYPE, REQUIRED_CLAIMS, accessClaimsSchema, type AccessClaims } from "./claims";
import type { KeyRing } from "./keys";
import { MAX_ACCESS_TOKEN_TTL_SECONDS } from "@/lib/config";

/** Small, as RFC 8725 §3.10 advises for clock skew between issuer and verifier. */
export const CLOCK_TOLERANCE_SECONDS = 5;
/** Our tokens are ~500 bytes; anything far larger is not ours and is refused before parsing. */
export const MAX_TOKEN_LENGTH = 4096;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FORBIDDEN_HEADERS = ["jwk", "jku", "x5u", "x5c"] as const;

export type VerifyFailure = { ok: false; description: string };
export type VerifyResult = { ok: true; claims: AccessClaims; kid: string } | VerifyFailure;

export interface VerifyOptions {
  issuer: string;
  audience: string;
  currentDate?: Date;
}

function fail(description: string): VerifyFailure {
  return { ok: false, description };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the access token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "typ") return "the token is not an access token (typ must be at+jwt)";
    if (error.claim === "nbf" || error.claim === "iat") return "the access token is not valid yet";
    return `the "${error.claim}" claim is ${error.reason === "missing" ? "missing" : "not accepted"}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not accepted";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return "the token was not signed by a current key";
  return "the access token is malformed";
}

export async function verifyAccessToken(token: string, ring: KeyRing, options: VerifyOptions): Promise<VerifyResult> {
  if (token.length > MAX_TOKEN_LENGTH) return fail("the access token is too long");
  if (!COMPACT_JWS.test(token)) return fail("the access token is malformed");

  let header: JWTHeaderParameters;
  try {
    header = decodeProtectedHeader(token) as JWTHeaderParameters;
  } catch {
    return fail("the access token is malformed");
  }
  if (FORBIDDEN_HEADERS.some((name) => name in header)) {
    return fail("the token names its own key (jwk/jku/x5u/x5c), which is never trusted");
  }

  try {
    const { payload } = await jwtVerify(
      token,
      (protectedHeader) => {
        const key = typeof protectedHeader.kid === "string" ? ring.verification.get(protectedHeader.kid) : undefined;
        // Algorithm confusion (RFC 8725 §2.1): the key decides the algorithm, not the header.
        if (!key || key.alg !== protectedHeader.alg) throw new errors.JWKSNoMatchingKey();
        return key.key;
      },
      {
        algorithms: [...SIGNING_ALGORITHMS],
        issuer: options.issuer,
        audience: options.audience,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: [...REQUIRED_CLAIMS],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: MAX_ACCESS_TOKEN_TTL_SECONDS,
        currentDate: options.currentDate,
      },
    );
    const claims = accessClaimsSchema.safeParse(payload);
    if (!claims.success) return fail(`the "${String(claims.error.issues[0]?.path[0] ?? "claims")}" claim is not accepted`);
    if (claims.data.exp - claims.data.iat > MAX_ACCESS_TOKEN_TTL_SECONDS) return fail("the access token lives longer than allowed");
    return { ok: true, claims: claims.data, kid: header.kid as string };
  } catch (error) {
    return fail(describe(error));
  }
}
