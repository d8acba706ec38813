/**
 * What the lab may hand out as an access token for the caller's own session (POST /api/lab/token, and
 * the revocation race's token). The lab is cookie-authenticated, so script injected into a lab page can
 * call it (SECURITY.md, "The session (cookie) flow", "Not protected"); what it gets must be worth no more
 * outside the page than the page's own token:
 *
 *  - short-lived: at most LAB_TOKEN_MAX_SECONDS, whatever is asked (an experiment needs seconds);
 *  - never portable for a session its owner bound to a DPoP key (RFC 9449 §5): the token is bound to the
 *    family's key, with or without a proof, and a proof by any other key is refused — binding to a key
 *    that script generated would let it carry the token and the key away together.
 * A session without a binding may still bind its lab token to any key it proves (that only takes rights
 * away) or take a Bearer token, which is what its own refreshes get anyway.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import type { VerifiedProof } from "@/lib/edge/dpop/verify-proof";
import { dpopBindingOfSession } from "@/lib/server/auth/refresh/family-store";

/** A minute: longer than any experiment waits (the revocation race polls for 30 s). */
export const LAB_TOKEN_MAX_SECONDS = 60;

/** The key the lab's token for this session must be bound to; undefined for a Bearer token. */
export async function labTokenBinding(sessionId: string, proof: VerifiedProof | null): Promise<string | undefined> {
  const bound = await dpopBindingOfSession(sessionId);
  if (bound === null) return proof?.jkt;
  if (proof && proof.jkt !== bound)
    throw new AppError(
      "invalid_dpop_proof",
      "this session is bound to another DPoP key: its tokens are bound to that key only",
      { reason: "dpop_invalid", proof: "key_mismatch" },
    );
  return bound;
}
