/**
 * One error type with stable codes, and the single place that turns it into an HTTP response.
 *
 * Web APIs only: the Edge middleware answers with the same shape as the route handlers. Bodies follow
 * docs/api.md: `{ "error": "<code>", "error_description": "<sentence>" }`, plus a machine-readable
 * `reason` for `invalid_token` and `invalid_grant` (and `field` for a rejected input), never a stack
 * trace. Clients, tests
 * and the dashboard branch on `error` and `reason`; `error_description` is for people and may change.
 */

const STATUS_BY_CODE = {
  invalid_request: 400,
  invalid_json: 400,
  /** RFC 9449 §5: a token endpoint (login, sign-up, refresh) given a DPoP proof it cannot accept. */
  invalid_dpop_proof: 400,
  /** RFC 9449 §8: a token endpoint's proof lacks the server's current nonce (DPOP_NONCE=true); DPoP-Nonce has one. */
  use_dpop_nonce: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  invalid_credentials: 401,
  no_session: 401,
  invalid_token: 401,
  invalid_grant: 401,
  /** RFC 6749 §5.2: the caller of a token endpoint (introspection) failed client authentication. */
  invalid_client: 401,
  /** RFC 6750 §3.1: a request without any token gets 401 and no error code in WWW-Authenticate. */
  missing_token: 401,
  csrf: 403,
  forbidden: 403,
  insufficient_scope: 403,
  lab_disabled: 403,
  /** A lab experiment this server cannot run as configured (the shard experiment without a Redis Cluster). */
  lab_unavailable: 409,
  not_found: 404,
  method_not_allowed: 405,
  /** RFC 9110 §15.5.20: a development server asked for a host it does not serve (DNS rebinding). */
  misdirected_request: 421,
  email_taken: 409,
  rate_limited: 429,
  session_store_unavailable: 503,
  database_unavailable: 503,
  /** Load shedding: more work waiting than the instance will queue (argon2 hashing); retry shortly. */
  overloaded: 503,
  /** /api/health of an instance still warming up, or shutting down: send traffic elsewhere. */
  starting: 503,
  draining: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

/**
 * Why a token was refused (docs/api.md, reason values). Stable: the dashboard and tests branch on these, and they
 * are safe to show — each names a rule, never a secret.
 */
export const TOKEN_REJECTION_REASONS = [
  "malformed",
  "expired",
  "not_yet_valid",
  "bad_signature",
  "unknown_key",
  "algorithm_not_allowed",
  "wrong_type",
  "wrong_issuer",
  "wrong_audience",
  "claim_invalid",
  "too_long",
  "revoked",
  "dpop_required",
  "dpop_invalid",
] as const;
export type TokenRejectionReason = (typeof TOKEN_REJECTION_REASONS)[number];

/** Why a refresh token was refused (`invalid_grant`, RFC 6749 §5.2), in the same stable form. */
export const GRANT_REJECTION_REASONS = [
  "missing",
  "unknown",
  "revoked",
  "expired",
  "reused",
  "session_ended",
  /** The family is bound to a DPoP key (RFC 9449 §5) and the refresh carried no proof. */
  "dpop_required",
  /** The family is bound to a DPoP key and the proof was signed by another one. */
  "dpop_key_mismatch",
] as const;
export type GrantRejectionReason = (typeof GRANT_REJECTION_REASONS)[number];

export type RejectionReason = TokenRejectionReason | GrantRejectionReason;

/**
 * Which rule of RFC 9449 §4.3 a DPoP proof broke, beside reason `dpop_invalid` (or `dpop_required`).
 * Stable like the reasons: each names a check of the RFC, never a secret, and the dashboard and tests
 * branch on it (a replayed proof must be refused for being replayed, not for something else).
 */
export const DPOP_PROOF_PROBLEMS = [
  /** No DPoP header (with the DPoP scheme, or with DPOP_REQUIRED at a token endpoint). */
  "missing",
  /** More than one DPoP header (§4.3 check 1). */
  "multiple",
  "too_long",
  /** Not one well-formed compact JWS (check 2). */
  "malformed",
  /** `typ` is not exactly `dpop+jwt` (check 4). */
  "typ",
  /** `alg` is not ES256, EdDSA or Ed25519 (check 5). */
  "alg",
  /** `jwk` is not a bare public key of that algorithm: private or extra members, wrong curve (check 7). */
  "jwk",
  /** The signature does not verify under the proof's own key (check 6). */
  "signature",
  /** `jti`, `htm`, `htu` or `iat` missing or of the wrong type (check 3). */
  "claims",
  /** `htm` is not the request's method (check 8). */
  "htm",
  /** `htu` is not the request's URI without query and fragment (check 9). */
  "htu",
  /** `iat` outside the acceptance window (check 11). */
  "iat",
  /** This key already sent a proof with this `jti` inside the window (§11.1). */
  "replayed",
  /** `ath` is missing or is not the hash of the access token sent with it (check 12). */
  "ath",
  /** The proof's key is not the one the access token (`cnf.jkt`, check 12) or refresh family is bound to. */
  "key_mismatch",
  /** The DPoP scheme with an access token that is not bound to any key. */
  "not_bound",
  /** DPOP_NONCE=true and the proof's `nonce` is missing or not one the server handed out lately (§8, §9). */
  "nonce",
] as const;
export type DpopProofProblem = (typeof DPOP_PROOF_PROBLEMS)[number];

export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

export interface AppErrorDetails {
  headers?: Record<string, string>;
  /** For `invalid_token` and `invalid_grant`: which rule the token broke. */
  reason?: RejectionReason;
  /** For `invalid_request`: the input field that was rejected. */
  field?: string;
  /** For a refused DPoP proof: the rule it broke. */
  proof?: DpopProofProblem;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly reason?: RejectionReason;
  readonly field?: string;
  readonly proof?: DpopProofProblem;

  constructor(
    readonly code: ErrorCode,
    readonly description: string,
    details: AppErrorDetails = {},
  ) {
    super(description, { cause: details.cause });
    this.name = "AppError";
    this.status = STATUS_BY_CODE[code];
    this.headers = details.headers ?? {};
    this.reason = details.reason;
    this.field = details.field;
    this.proof = details.proof;
  }
}

export interface ErrorBody {
  error: ErrorCode;
  error_description: string;
  reason?: RejectionReason;
  field?: string;
  proof?: DpopProofProblem;
  /** Where the request was rejected, so the lab can show which layer said no. */
  layer?: string;
}

export const LAYER_HEADER = "x-authlab-layer";

/** The response for an error: status from its code, the JSON body, its headers, never cached. */
export function errorResponse(
  error: AppError,
  init: { layer?: string; headers?: Record<string, string> } = {},
): Response {
  const body: ErrorBody = { error: error.code, error_description: error.description };
  if (error.reason) body.reason = error.reason;
  if (error.field) body.field = error.field;
  if (error.proof) body.proof = error.proof;
  if (init.layer) body.layer = init.layer;
  const headers = new Headers(error.headers);
  for (const [name, value] of Object.entries(init.headers ?? {})) headers.set(name, value);
  headers.set("content-type", "application/json");
  headers.set("cache-control", "no-store");
  if (init.layer) headers.set(LAYER_HEADER, init.layer);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** Shorthand for an error that needs no details beyond its code and description. */
export function jsonError(
  code: ErrorCode,
  description: string,
  init: { layer?: string; headers?: Record<string, string> } = {},
): Response {
  return errorResponse(new AppError(code, description), init);
}
