import type { NextRequest } from "next/server";
import { AppError, LAYER_HEADER, type GrantRejectionReason } from "@/lib/edge/errors";
import { checked, LAYERS, REFRESH_OUTCOME_HEADER } from "@/lib/edge/trace";
import { refreshCookieName } from "@/lib/edge/cookies";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { isSecure } from "@/lib/edge/http/request-context";
import { errorToResponse, handle, json } from "@/lib/server/http/respond";
import { invalidGrant } from "@/lib/server/auth/refresh/family-store";
import { refresh } from "@/lib/server/auth/refresh/refresh";
import { expiredRefreshCookie } from "@/lib/server/auth/refresh/cookie";
import { issueAccessToken } from "@/lib/server/auth/jwt/sign";
import { rotatedRefreshCookie } from "@/lib/server/auth/auth-cookies";
import { notAllowed } from "@/lib/server/http/methods";
import { readTokenRequestProof } from "@/lib/server/auth/dpop/token-request-proof";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * Refusals after which the cookie is still good — for the holder of the family's DPoP key — so the
 * browser keeps it: a page that sent no proof, or the wrong key, can retry with the right one.
 */
const KEEPS_COOKIE: ReadonlySet<string> = new Set<GrantRejectionReason>(["dpop_required", "dpop_key_mismatch"]);

export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const secure = isSecure(request.headers);
  const presented = request.cookies.get(refreshCookieName(secure))?.value;
  try {
    // No cookie is no refresh at all (not counted); anything else is one refresh check for metrics and spans.
    if (!presented) throw invalidGrant("missing", "there is no refresh token cookie; sign in again");
    const refreshed = await checked("refresh", async () => {
      // A bad proof is refused before the refresh token is even looked at (400 invalid_dpop_proof).
      const proof = await readTokenRequestProof(request);
      return refresh(presented, { proofJkt: proof?.jkt });
    });
    // The role comes from the database at refresh time: a role change reaches JWTs here. A family bound
    // to a DPoP key (now or earlier) gets a token bound to the same key (RFC 9449 §5).
    const access = await issueAccessToken({
      userId: refreshed.user.id,
      role: refreshed.user.role,
      sessionId: refreshed.sessionId,
      dpopJkt: refreshed.dpopJkt ?? undefined,
    });
    // Rotated or re-sent inside the grace window, the cookie is the family's one live token.
    return json(
      { accessToken: access.token, tokenType: access.tokenType, expiresIn: access.expiresIn },
      {
        // The refresh cookie is checked here, in Node: the trace names that layer for every answer.
        headers: { [REFRESH_OUTCOME_HEADER]: refreshed.kind, [LAYER_HEADER]: LAYERS.node },
        cookies: [rotatedRefreshCookie(refreshed.token, refreshed.familyExpiresAt, secure)],
      },
    );
  } catch (error) {
    // A refresh token that will never work again is removed from the browser (not for a 429 or a 503:
    // those are worth retrying with the same cookie).
    if (error instanceof AppError && error.code === "invalid_grant" && !KEEPS_COOKIE.has(error.reason ?? ""))
      return errorToResponse(error, { layer: LAYERS.node, cookies: [expiredRefreshCookie(secure)] });
    throw error;
  }
}, LAYERS.node);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
