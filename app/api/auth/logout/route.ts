import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { errorToResponse, handle } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { isSecure, ownOrigin } from "@/lib/http/request-context";
import { signOut } from "@/lib/auth/sign-out";
import { applyCookies, signOutCookies } from "@/lib/auth/auth-cookies";
import { notAllowed } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/**
 * 204 for API clients; for the header's plain HTML form (no JavaScript needed) a 303 to the sign-in
 * page. Either way the browser forgets both cookies, even when part of the server side could not be
 * ended — that part is reported (503), not hidden.
 */
export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const secure = isSecure(request.headers);
  const result = await signOut(request.cookies, secure);
  const fromForm = (request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded");
  let response: NextResponse;
  if (fromForm) {
    // The app's public origin, not request.url: behind a proxy Next may see an internal host.
    const location = new URL(result.complete ? "/login?signedOut=1" : "/login?signedOut=incomplete", ownOrigin(request.headers));
    response = NextResponse.redirect(location, 303);
  } else if (result.complete) {
    response = new NextResponse(null, { status: 204 });
  } else {
    const failure = errorToResponse(result.failed);
    response = new NextResponse(failure.body, { status: failure.status, headers: failure.headers });
  }
  response.headers.set("cache-control", "no-store");
  applyCookies(response.cookies, signOutCookies(secure));
  return response;
});

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
