/**
 * The errors a token check answers with, each with its RFC 6750 §3 challenge. The Edge middleware
 * turns them into responses; route handlers throw them.
 */
import { AppError, type TokenRejectionReason } from "@/lib/edge/errors";
import { bearerChallenge } from "./challenge";

/** RFC 6750 §3.1: no credentials at all gets the bare challenge, without an error code. */
export function missingToken(): AppError {
  return new AppError("missing_token", "send an access token: Authorization: Bearer <token>", {
    headers: bearerChallenge(),
  });
}

export function malformedAuthorization(): AppError {
  const description = "the Authorization header is not a single Bearer token";
  return new AppError("invalid_request", description, { headers: bearerChallenge("invalid_request", description) });
}

export function invalidToken(reason: TokenRejectionReason, description: string): AppError {
  return new AppError("invalid_token", description, { reason, headers: bearerChallenge("invalid_token", description) });
}

export function insufficientScope(description = "this endpoint needs the admin role"): AppError {
  return new AppError("insufficient_scope", description, {
    headers: bearerChallenge("insufficient_scope", description),
  });
}
