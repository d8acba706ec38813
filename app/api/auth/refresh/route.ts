import type { NextRequest } from "next/server";
import { AppError } from "@/lib/edge/errors";
import { REFRESH_OUTCOME_HEADER } from "@/lib/edge/trace";
import { refreshCookieName } from "@/lib/edge/cookies";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { isSecure } from "@/lib/edge/http/request-context";
import { errorToResponse, handle, json } from "@/lib/server/http/respond";
import { invalidGrant } from "@/lib/server/auth/refresh/service";
import { refresh } from "@/lib/server/auth/refresh/refresh";
import { expiredRefreshCookie } from "@/lib/server/auth/refresh/cookie";
import { issueAccessToken } from "@/lib/server/auth/jwt/sign";
import { rotatedRefreshCookie } from "@/lib/server/auth/auth-cookies";
import { notAllowed } from "@/lib/server/http/methods";
import { checked } from "@/lib/edge/trace";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const secure = isSecure(request.headers);
  const presented = request.cookies.get(refreshCookieName(secure))?.value;
  try {
    if (!presented) throw invalidGrant("missing", "there is no refresh token cookie; sign in again");
    const refreshed = await checked("refresh", () => refresh(presented));
    // The role comes from the database at refresh time: a role change reaches JWTs here.
    const access = await issueAccessToken({
      userId: refreshed.user.id,
      role: refreshed.user.role,
      sessionId: refreshed.sessionId,
    });
    // Rotated or re-sent inside the grace window, the cookie is the family's one live token.
    return json(
      { accessToken: access.token, tokenType: "Bearer", expiresIn: access.expiresIn },
      {
        headers: { [REFRESH_OUTCOME_HEADER]: refreshed.kind },
        cookies: [rotatedRefreshCookie(refreshed.token, refreshed.familyExpiresAt, secure)],
      },
    );
  } catch (error) {
    // A refresh token that will never work again is removed from the browser (not for a 429 or a 503:
    // those are worth retrying with the same cookie).
    if (error instanceof AppError && error.code === "invalid_grant")
      return errorToResponse(error, { cookies: [expiredRefreshCookie(secure)] });
    throw error;
  }
});

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
