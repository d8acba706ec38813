import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { handle, json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { isSecure } from "@/lib/http/request-context";
import { refreshCookieName } from "@/lib/auth/refresh/cookie";
import { rotate } from "@/lib/auth/refresh/service";
import { issueAccessToken } from "@/lib/auth/jwt/sign";
import { applyCookies, rotatedRefreshCookie } from "@/lib/auth/auth-cookies";
import { expiredRefreshCookie } from "@/lib/auth/refresh/cookie";

export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const secure = isSecure(request.headers);
  const presented = request.cookies.get(refreshCookieName(secure))?.value;
  try {
    if (!presented) throw new AppError("invalid_grant", "there is no refresh token cookie; sign in again");
    const rotated = await rotate(presented);
    // The role comes from the database at refresh time: a role change reaches JWTs here.
    const access = await issueAccessToken({ userId: rotated.user.id, role: rotated.user.role, sessionId: rotated.sessionId });
    const response = json({ accessToken: access.token, tokenType: "Bearer", expiresIn: access.expiresIn });
    applyCookies(response.cookies, [rotatedRefreshCookie(rotated.token, rotated.familyExpiresAt, secure)]);
    return response;
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_grant") {
      const response = json({ error: error.code, error_description: error.description }, { status: error.status });
      applyCookies(response.cookies, [expiredRefreshCookie(secure)]);
      return response;
    }
    throw error;
  }
});
