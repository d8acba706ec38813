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
import { errors, jwtVerify } from "jose";
import { SIGNING_ALGORITHMS } from "./jwks-schema";
import { ACCESS_TOKEN_TYPE, REQUIRED_CLAIMS, parseAccessClaims, type AccessClaims } from "./claims";
import type { KeyRing } from "./keys";
import { cachedVerification, rememberVerification } from "./verified-cache";
import { MAX_ACCESS_TOKEN_TTL_SECONDS } from "@/lib/config";

/** Small, as RFC 8725 §3.10 advises for clock skew between issuer and verifier. */
export const CLOCK_TOLERANCE_SECONDS = 5;
/** Our tokens are ~500 bytes; anything far larger is not ours and is refused before parsing. */
export const MAX_TOKEN_LENGTH = 4096;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FORBIDDEN_HEADERS = ["jwk", "jku", "x5u", "x5c"] as const;

export type VerifyFailure = { ok: false; description: string };
export type VerifyResult = { ok: true; claims: AccessClaims; kid: string; cached: boolean } | VerifyFailure;

export interface VerifyOptions {
  issuer: string;
  audience: string;
  currentDate?: Date;
  /** Reuse earlier successful verifications of the same token (verified-cache.ts). */
  useCache?: boolean;
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

/** Thrown from the key resolver for a token that names its own key; never leaves this module. */
class SelfNamedKey extends Error {}

export async function verifyAccessToken(token: string, ring: KeyRing, options: VerifyOptions): Promise<VerifyResult> {
  if (token.length > MAX_TOKEN_LENGTH) return fail("the access token is too long");
  if (!COMPACT_JWS.test(token)) return fail("the access token is malformed");
  if (options.useCache) {
    const nowSeconds = Math.floor((options.currentDate?.getTime() ?? Date.now()) / 1000);
    const hit = cachedVerification(ring, token, nowSeconds, CLOCK_TOLERANCE_SECONDS);
    if (hit) return { ok: true, claims: hit.claims, kid: hit.kid, cached: true };
  }

  let kid = "";
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        // jose hands over the parsed protected header before any signature work.
        if (FORBIDDEN_HEADERS.some((name) => name in header)) throw new SelfNamedKey();
        const key = typeof header.kid === "string" ? ring.verification.get(header.kid) : undefined;
        // Algorithm confusion (RFC 8725 §2.1): the key decides the algorithm, not the header.
        if (!key || key.alg !== header.alg) throw new errors.JWKSNoMatchingKey();
        kid = key.kid;
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
    const checked = parseAccessClaims(payload);
    if (!checked.ok) return fail(`the "${checked.claim}" claim is not accepted`);
    if (checked.claims.exp - checked.claims.iat > MAX_ACCESS_TOKEN_TTL_SECONDS) return fail("the access token lives longer than allowed");
    if (options.useCache) rememberVerification(ring, token, { claims: checked.claims, kid });
    return { ok: true, claims: checked.claims, kid, cached: false };
  } catch (error) {
    if (error instanceof SelfNamedKey) return fail("the token names its own key (jwk/jku/x5u/x5c), which is never trusted");
    return fail(describe(error));
  }
}
