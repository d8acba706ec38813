import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { isSecure, ownOrigin } from "@/lib/edge/http/request-context";
import { empty, errorToResponse, handle } from "@/lib/server/http/respond";
import { signOut } from "@/lib/server/auth/sign-out";
import { applyCookies, signOutCookies } from "@/lib/server/auth/auth-cookies";
import { notAllowed } from "@/lib/server/http/methods";
import { LAYER_HEADER } from "@/lib/edge/errors";
import { LAYERS } from "@/lib/edge/trace";

/** The session cookie is opened and its record deleted here, in Node: the trace names that layer. */
const CHECKED_HERE = { [LAYER_HEADER]: LAYERS.node };

export const dynamic = "force-dynamic";

/**
 * 204 for API clients; for the header's plain HTML form (no JavaScript needed) a 303 to the sign-in
 * page. A session whose store is down still ends when its end can be recorded (a tombstone, see
 * lib/server/auth/sign-out.ts). A part that could neither end nor be recorded is reported (503), not
 * hidden, and its cookie stays, so the client can send the same sign-out again (docs/api.md).
 */
export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const secure = isSecure(request.headers);
  const result = await signOut(request.cookies, secure);
  const cookies = result.complete
    ? signOutCookies(secure)
    : signOutCookies(secure, { session: result.sessionEnded, refresh: result.refreshEnded });
  const fromForm = (request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded");
  if (fromForm) {
    // The app's public origin, not request.url: behind a proxy Next may see an internal host.
    const location = new URL(
      result.complete ? "/login?signedOut=1" : "/login?signedOut=incomplete",
      ownOrigin(request.headers),
    );
    const response = NextResponse.redirect(location, 303);
    response.headers.set("cache-control", "no-store");
    applyCookies(response.cookies, cookies);
    return response;
  }
  return result.complete
    ? empty({ cookies, headers: CHECKED_HERE })
    : errorToResponse(result.failed, { cookies, layer: LAYERS.node });
}, LAYERS.node);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
