/**
 * Access-token verification, following RFC 8725 (JWT Best Current Practices):
 *  - §3.1 the algorithm list is pinned (ES256, EdDSA) and must match the selected key's own algorithm;
 *    `none` and HMAC can never verify, whatever the header says;
 *  - §3.8/3.9 `iss` and `aud` are checked; §3.11 `typ` must be "at+jwt" (RFC 9068), so no other
 *    kind of JWT (an ID token, a refresh token) is accepted as an access token;
 *  - keys come only from our own ring: `kid` selects among them; `jwk`, `jku`, `x5u`, `x5c` are never
 *    followed, and a token that carries them is refused outright — ours never do.
 * Every refusal carries a stable `reason` (docs/api.md, reason values) beside its human description.
 *
 * Web APIs only: the Edge middleware and the Node route handlers both verify through this module.
 */
import { errors, jwtVerify, type JWTHeaderParameters } from "jose";
import type { TokenRejectionReason } from "@/lib/edge/errors";
import { SIGNING_ALGORITHMS } from "./jwks-schema";
import { ACCESS_TOKEN_TYPE, REQUIRED_CLAIMS, parseAccessClaims, type AccessClaims } from "./claims";
import type { KeyRing } from "./keys";
import { cachedVerification, rememberVerification } from "./verified-cache";
import { isCanonicalBase64url } from "./canonical";
import { MAX_ACCESS_TOKEN_TTL_SECONDS } from "@/lib/edge/config";
import { wallClock } from "@/lib/edge/clock";

/** Small, as RFC 8725 §3.10 advises for clock skew between issuer and verifier. */
export const CLOCK_TOLERANCE_SECONDS = 5;
/** Our tokens are ~500 bytes; anything far larger is not ours and is refused before parsing. */
export const MAX_TOKEN_LENGTH = 4096;

/** Three base64url parts; the signature may be empty, so an `alg: none` token is refused for its algorithm. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const FORBIDDEN_HEADERS = ["jwk", "jku", "x5u", "x5c"] as const;

export type VerifyFailure = { ok: false; reason: TokenRejectionReason; description: string };
export type VerifyResult = { ok: true; claims: AccessClaims; kid: string; cached: boolean } | VerifyFailure;

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /**
   * "Now" for `exp`, `iat` and `nbf`: the wall clock unless a test fixes one. Never the server's state
   * clock: every other verifier of the token judges these times by its own wall clock.
   */
  currentDate?: Date;
  /** Reuse earlier successful verifications of the same token (verified-cache.ts). */
  useCache?: boolean;
}

function fail(reason: TokenRejectionReason, description: string): VerifyFailure {
  return { ok: false, reason, description };
}

function describe(error: unknown): VerifyFailure {
  if (error instanceof errors.JWTExpired) return fail("expired", "the access token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return fail("claim_invalid", `the "${error.claim}" claim is missing`);
    switch (error.claim) {
      case "typ":
        return fail("wrong_type", "the token is not an access token (typ must be at+jwt)");
      case "nbf":
      case "iat":
        return fail("not_yet_valid", "the access token is not valid yet");
      case "iss":
        return fail("wrong_issuer", "the token was issued by someone else");
      case "aud":
        return fail("wrong_audience", "the token is meant for another audience");
      default:
        return fail("claim_invalid", `the "${error.claim}" claim is not accepted`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return fail("algorithm_not_allowed", "the token's algorithm is not accepted");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return fail("bad_signature", "the token's signature does not verify");
  if (error instanceof errors.JWKSNoMatchingKey)
    return fail("unknown_key", "the token was not signed by a current key");
  return fail("malformed", "the access token is malformed");
}

/** Thrown from the key resolver; never leaves this module. */
class KeyRefused extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.description);
  }
}

function selectKey(ring: KeyRing, header: JWTHeaderParameters, onKid: (kid: string) => void) {
  // jose hands over the parsed protected header before any signature work.
  if (FORBIDDEN_HEADERS.some((name) => name in header)) {
    throw new KeyRefused(fail("unknown_key", "the token names its own key (jwk/jku/x5u/x5c), which is never trusted"));
  }
  const key = typeof header.kid === "string" ? ring.verification.get(header.kid) : undefined;
  if (!key) throw new KeyRefused(fail("unknown_key", "the token was not signed by a current key"));
  // Algorithm confusion (RFC 8725 §2.1): the key decides the algorithm, not the header.
  if (key.alg !== header.alg)
    throw new KeyRefused(fail("algorithm_not_allowed", "the token's algorithm is not its key's"));
  onKid(key.kid);
  return key.key;
}

export async function verifyAccessToken(token: string, ring: KeyRing, options: VerifyOptions): Promise<VerifyResult> {
  if (token.length > MAX_TOKEN_LENGTH) return fail("too_long", "the access token is too long");
  const { currentDate = wallClock.now() } = options;
  // A hit is this exact string, which passed every check below when it was verified.
  if (options.useCache) {
    const nowSeconds = Math.floor(currentDate.getTime() / 1000);
    const hit = cachedVerification(ring, token, nowSeconds, CLOCK_TOLERANCE_SECONDS);
    if (hit) return { ok: true, claims: hit.claims, kid: hit.kid, cached: true };
  }
  if (!COMPACT_JWS.test(token)) return fail("malformed", "the access token is malformed");
  if (!isCanonicalBase64url(token.slice(token.lastIndexOf(".") + 1)))
    return fail("malformed", "the signature is not canonical base64url");

  let kid = "";
  try {
    const { payload } = await jwtVerify(token, (header) => selectKey(ring, header, (selected) => (kid = selected)), {
      algorithms: [...SIGNING_ALGORITHMS],
      issuer: options.issuer,
      audience: options.audience,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: [...REQUIRED_CLAIMS],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: MAX_ACCESS_TOKEN_TTL_SECONDS,
      currentDate,
    });
    const checked = parseAccessClaims(payload);
    if (!checked.ok) return fail("claim_invalid", `the "${checked.claim}" claim is not accepted`);
    if (checked.claims.exp - checked.claims.iat > MAX_ACCESS_TOKEN_TTL_SECONDS) {
      return fail("claim_invalid", "the access token lives longer than allowed");
    }
    if (options.useCache) rememberVerification(ring, token, { claims: checked.claims, kid });
    return { ok: true, claims: checked.claims, kid, cached: false };
  } catch (error) {
    if (error instanceof KeyRefused) return error.failure;
    return describe(error);
  }
}
