/**
 * The DPoP proof of a request to a token endpoint — login, sign-up, refresh (RFC 9449 §5) — or to a
 * lab endpoint that mints tokens. No access token travels with it, so there is no `ath` and no `cnf` to
 * match; the proof's key is what the new token (and the refresh family) will be bound to.
 *
 * No DPoP header: null (a Bearer client), unless DPOP_REQUIRED. A proof that fails any check: 400
 * `invalid_dpop_proof` (RFC 9449 §5, error responses per RFC 6749 §5.2) with reason `dpop_invalid`
 * and the rule it broke — or, under DPOP_NONCE, 400 `use_dpop_nonce` with a DPoP-Nonce header (§8). These requests change state, so the proof's jti is claimed in the shared store
 * too (replay.ts): a captured login or refresh request cannot be replayed on any instance.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { AppError, type DpopProofProblem } from "@/lib/edge/errors";
import { expectedHtu } from "@/lib/edge/dpop/htu";
import { currentNonce, DPOP_NONCE_HEADER } from "@/lib/edge/dpop/nonce";
import { verifyDpopProof, type VerifiedProof } from "@/lib/edge/dpop/verify-proof";
import type { TokenRequest } from "@/lib/edge/jwt/authenticate";
import { NO_RECORDER, type Recorder } from "@/lib/edge/trace";
import { nodeFirstSighting } from "./replay";

function invalidProof(problem: DpopProofProblem, description: string, required = false): AppError {
  return new AppError("invalid_dpop_proof", description, {
    reason: required ? "dpop_required" : "dpop_invalid",
    proof: problem,
  });
}

export async function readTokenRequestProof(
  request: TokenRequest,
  recorder: Recorder = NO_RECORDER,
): Promise<VerifiedProof | null> {
  const header = request.headers.get("dpop");
  if (header === null) {
    if (!config().dpop.required) return null;
    throw invalidProof("missing", "this server issues only DPoP-bound tokens: send a DPoP proof", true);
  }
  const started = performance.now();
  const checked = await verifyDpopProof(
    header,
    { method: request.method, htu: expectedHtu(request.url, request.headers) },
    { requireNonce: config().dpop.nonceRequired },
  );
  recorder.time("dpop", performance.now() - started);
  if (!checked.ok && checked.problem === "nonce") {
    // RFC 9449 §8: 400 use_dpop_nonce, with the nonce to use in DPoP-Nonce.
    throw new AppError("use_dpop_nonce", checked.description, {
      reason: "dpop_invalid",
      proof: "nonce",
      headers: { [DPOP_NONCE_HEADER]: await currentNonce() },
    });
  }
  if (!checked.ok) throw invalidProof(checked.problem, checked.description);
  if (!(await nodeFirstSighting(request.method, recorder)(checked.proof)))
    throw invalidProof("replayed", "this DPoP proof was already used: make a new one for every request");
  return checked.proof;
}
