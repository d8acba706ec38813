/**
 * The errors a token check answers with, each with its challenge (challenge.ts). The Edge middleware
 * turns them into responses; route handlers throw them.
 */
import { AppError, type DpopProofProblem, type TokenRejectionReason } from "@/lib/edge/errors";
import { DPOP_NONCE_HEADER } from "@/lib/edge/dpop/nonce";
import { bearerChallenge, dpopChallenge, missingCredentialsChallenge } from "./challenge";

export type Scheme = "Bearer" | "DPoP";

/** RFC 6750 §3.1: no credentials at all gets the bare challenge, without an error code. */
export function missingToken(dpopRequired = false): AppError {
  const description = dpopRequired
    ? "send a DPoP-bound access token: Authorization: DPoP <token>, with a DPoP proof"
    : "send an access token: Authorization: Bearer <token> (or DPoP <token> with a DPoP proof)";
  return new AppError("missing_token", description, { headers: missingCredentialsChallenge(dpopRequired) });
}

export function malformedAuthorization(): AppError {
  const description = "the Authorization header is not a single Bearer or DPoP token";
  return new AppError("invalid_request", description, { headers: bearerChallenge("invalid_request", description) });
}

/** A token that failed verification, challenged in the scheme it was sent with. */
export function invalidToken(reason: TokenRejectionReason, description: string, scheme: Scheme = "Bearer"): AppError {
  const headers =
    scheme === "DPoP" ? dpopChallenge("invalid_token", description) : bearerChallenge("invalid_token", description);
  return new AppError("invalid_token", description, { reason, headers });
}

/**
 * RFC 9449 §7.2: a DPoP-bound token sent as Bearer (or any Bearer token under DPOP_REQUIRED) — the
 * challenge tells the client which scheme to use.
 */
export function dpopRequired(description: string): AppError {
  return new AppError("invalid_token", description, {
    reason: "dpop_required",
    headers: dpopChallenge("invalid_token", description),
  });
}

/**
 * RFC 9449 §7.1: a proof the resource refuses. `not_bound` is the token's fault, so error="invalid_token";
 * a missing or stale nonce is error="use_dpop_nonce" with the nonce to use (§9), given as `nonce`.
 */
export function invalidDpopProof(problem: DpopProofProblem, description: string, nonce?: string): AppError {
  const challengeError =
    problem === "not_bound" ? "invalid_token" : problem === "nonce" ? "use_dpop_nonce" : "invalid_dpop_proof";
  return new AppError("invalid_token", description, {
    reason: "dpop_invalid",
    proof: problem,
    headers: { ...dpopChallenge(challengeError, description), ...(nonce ? { [DPOP_NONCE_HEADER]: nonce } : {}) },
  });
}

export function insufficientScope(
  description = "this endpoint needs the admin role",
  scheme: Scheme = "Bearer",
): AppError {
  const headers =
    scheme === "DPoP"
      ? dpopChallenge("insufficient_scope", description)
      : bearerChallenge("insufficient_scope", description);
  return new AppError("insufficient_scope", description, { headers });
}
