import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { handle, json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { isSecure } from "@/lib/http/request-context";
import { refreshCookieName } from "@/lib/auth/refresh/cookie";
import { rotate } from "@/lib/auth/refresh/service";
import { issueAccessToken } from "@/lib/auth/jwt/sign";
import { rotatedRefreshCookie } from "@/lib/auth/auth-cookies";
import { expiredRefreshCookie } from "@/lib/auth/refresh/cookie";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const secure = isSecure(request.headers);
  const presented = request.cookies.get(refreshCookieName(secure))?.value;
  try {
    if (!presented) throw new AppError("invalid_grant", "there is no refresh token cookie; sign in again");
    const rotated = await rotate(presented);
    // The role comes from the database at refresh time: a role change reaches JWTs here.
    const access = await issueAccessToken({ userId: rotated.user.id, role: rotated.user.role, sessionId: rotated.sessionId });
    return json(
      { accessToken: access.token, tokenType: "Bearer", expiresIn: access.expiresIn },
      { cookies: [rotatedRefreshCookie(rotated.token, rotated.familyExpiresAt, secure)] },
    );
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_grant") {
      // A refresh token that will never work again is removed from the browser.
      return json({ error: error.code, error_description: error.description }, { status: error.status, cookies: [expiredRefreshCookie(secure)] });
    }
    throw error;
  }
});

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
