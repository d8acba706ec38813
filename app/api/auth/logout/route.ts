import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { handle } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { isSecure } from "@/lib/http/request-context";
import { signOut } from "@/lib/auth/sign-out";
import { applyCookies, signOutCookies } from "@/lib/auth/auth-cookies";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const secure = isSecure(request.headers);
  await signOut(request.cookies, secure);
  const response = new NextResponse(null, { status: 204, headers: { "cache-control": "no-store" } });
  applyCookies(response.cookies, signOutCookies(secure));
  return response;
});

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
