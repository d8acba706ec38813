/**
 * The one way a Node route handler learns who a Bearer token belongs to: it verifies the token
 * itself, through the same module the Edge middleware uses (lib/edge/jwt/authenticate.ts), and
 * throws the same errors. It never relies on the middleware having run, so the JWT routes answer
 * correctly under `next start`, `output: "standalone"` or any launcher.
 *
 * The middleware has usually verified this very token a moment earlier in its own isolate; here the
 * process-wide verified-token cache makes a token already seen cost a map lookup.
 */
import "server-only";
import { authenticateBearer } from "@/lib/edge/jwt/authenticate";
import type { AccessClaims } from "@/lib/edge/jwt/claims";
import { insufficientScope } from "@/lib/edge/jwt/rejections";
import { checked, LAYERS, NO_RECORDER, type Recorder } from "@/lib/edge/trace";
import type { Role } from "@/lib/edge/identity";

export interface VerifiedRequest {
  claims: AccessClaims;
  kid: string;
  /** This process had verified the same token before (a cache hit). */
  cached: boolean;
}

export async function requireAccessToken(
  request: Pick<Request, "headers">,
  options: { role?: Role; recorder?: Recorder } = {},
): Promise<VerifiedRequest> {
  const recorder = options.recorder ?? NO_RECORDER;
  recorder.checkedBy(LAYERS.node);
  return checked("token", async () => {
    const result = await authenticateBearer(request.headers.get("authorization"));
    recorder.time("verify", result.verifyMs, result.ok && result.cached ? "this token already verified" : undefined);
    if (!result.ok) throw result.error;
    if (options.role && result.claims.role !== options.role) throw insufficientScope();
    return { claims: result.claims, kid: result.kid, cached: result.cached };
  });
}
