/**
 * The one way a Node route handler learns who an access token belongs to: it verifies the token (and,
 * for the DPoP scheme, its proof) itself, through the same module the Edge middleware uses
 * (lib/edge/jwt/authenticate.ts), and throws the same errors. It never relies on the middleware having
 * run, so the JWT routes answer correctly under `next start`, `output: "standalone"` or any launcher.
 *
 * The middleware has usually verified this very token a moment earlier in its own isolate; here the
 * process-wide verified-token cache makes a token already seen cost a map lookup. A DPoP proof is
 * checked again in full, against this process's own replay cache and — for a request that changes
 * state — the shared store (lib/server/auth/dpop/replay.ts).
 */
import "server-only";
import { authenticate, type TokenRequest } from "@/lib/edge/jwt/authenticate";
import type { AccessClaims } from "@/lib/edge/jwt/claims";
import type { VerifiedProof } from "@/lib/edge/dpop/verify-proof";
import { insufficientScope, type Scheme } from "@/lib/edge/jwt/rejections";
import { checked, LAYERS, NO_RECORDER, type Recorder } from "@/lib/edge/trace";
import type { Role } from "@/lib/edge/identity";
import { nodeFirstSighting } from "@/lib/server/auth/dpop/replay";

export interface VerifiedRequest {
  claims: AccessClaims;
  kid: string;
  /** This process had verified the same token before (a cache hit). */
  cached: boolean;
  scheme: Scheme;
  /** The request's verified DPoP proof (DPoP scheme only). */
  proof: VerifiedProof | null;
}

export async function requireAccessToken(
  request: TokenRequest,
  options: { role?: Role; recorder?: Recorder } = {},
): Promise<VerifiedRequest> {
  const recorder = options.recorder ?? NO_RECORDER;
  recorder.checkedBy(LAYERS.node);
  // One "token" check (metrics, spans) whatever the scheme: a DPoP proof is part of the token check.
  return checked("token", async () => {
    const result = await authenticate(request, { firstSighting: nodeFirstSighting(request.method, recorder) });
    recorder.time("verify", result.verifyMs, result.ok && result.cached ? "this token already verified" : undefined);
    if (result.proofMs > 0) recorder.time("dpop", result.proofMs);
    if (!result.ok) throw result.error;
    if (options.role && result.claims.role !== options.role) throw insufficientScope(undefined, result.scheme);
    return {
      claims: result.claims,
      kid: result.kid,
      cached: result.cached,
      scheme: result.scheme,
      proof: result.proof,
    };
  });
}
