/**
 * Edge middleware: verifies Bearer access tokens for the JWT half of the API, and sets the page CSP.
 *
 * Named `middleware.ts` on purpose. Next 16 deprecates the name in favour of `proxy.ts`, but a proxy
 * always runs on Node, and the design asks for verification at the Edge (Web APIs only: no Prisma,
 * no Redis, no `node:*`). Next prints a deprecation warning at build time; that is expected.
 *
 * For pages this is only an optimistic early redirect (CVE-2025-29927 showed middleware can be
 * skipped): every page and handler checks again. For JWT routes it is the verifier, and handlers read
 * its result only through lib/auth/jwt/request-claims.ts, which denies when this did not run.
 */
import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "@/lib/config";
import { jsonError } from "@/lib/errors";
import { keyRingFor } from "@/lib/auth/jwt/keys";
import { verifyAccessToken } from "@/lib/auth/jwt/verify";
import { bearerChallenge } from "@/lib/auth/jwt/challenge";
import { CLAIMS_HEADER, IDENTITY_HEADERS, MARKER_HEADER, middlewareSecret } from "@/lib/auth/jwt/forwarded-claims";
import { createNonce, pageCsp } from "@/lib/http/csp";
import { checkSameOrigin } from "@/lib/http/csrf";
import { SESSION_COOKIE_NAME, SECURE_SESSION_COOKIE_NAME } from "@/lib/auth/session/cookie";

const LAYER = "edge-middleware";

/** Runs the middleware without a token check: the floor the benchmark compares JWT verification to. */
const PASS_THROUGH = new Set(["/api/noop"]);
const ADMIN_PREFIX = "/api/admin/";
const PROTECTED_PAGES = ["/dashboard", "/sessions", "/admin"];

/** RFC 6750 §2.1: `Bearer` 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function timing(micros: number) {
  return { "server-timing": `verify;dur=${(micros / 1000).toFixed(3)};desc="Edge JWT verify"` };
}

/** One forwarded header for the handler: the verified claims and how the check went. */
function forwarded(claims: object, kid: string, micros: number, cached: boolean): string {
  return JSON.stringify({ claims, kid, micros, cached });
}

async function guardApi(request: NextRequest, pathname: string) {
  const headers = new Headers(request.headers);
  for (const name of IDENTITY_HEADERS) headers.delete(name);
  if (PASS_THROUGH.has(pathname)) return NextResponse.next({ request: { headers } });

  const secret = middlewareSecret();
  if (!secret) {
    return jsonError("internal_error", "the server was not started through scripts/server.mjs, so verified claims cannot be forwarded", { layer: LAYER });
  }
  const authorization = request.headers.get("authorization");
  if (!authorization || !/^bearer(\s|$)/i.test(authorization)) {
    return jsonError("missing_token", "send an access token: Authorization: Bearer <token>", { headers: bearerChallenge(), layer: LAYER });
  }
  const match = BEARER.exec(authorization);
  if (!match) {
    const description = "the Authorization header is not a single Bearer token";
    return jsonError("invalid_request", description, { headers: bearerChallenge("invalid_request", description), layer: LAYER });
  }

  const settings = appConfig();
  // Imported once per isolate; the first request waits for it, but it is not part of a check's cost.
  const ring = await keyRingFor(settings.jwtPrivateKeys);
  const started = performance.now();
  const result = await verifyAccessToken(match[1]!, ring, { issuer: settings.jwtIssuer, audience: settings.jwtAudience, useCache: true });
  const micros = Math.round((performance.now() - started) * 1000);

  if (!result.ok) {
    return jsonError("invalid_token", result.description, {
      headers: { ...bearerChallenge("invalid_token", result.description), ...timing(micros) },
      layer: LAYER,
    });
  }
  if (pathname.startsWith(ADMIN_PREFIX) && result.claims.role !== "ADMIN") {
    const description = "this endpoint needs the admin role";
    return jsonError("insufficient_scope", description, {
      headers: { ...bearerChallenge("insufficient_scope", description), ...timing(micros) },
      layer: LAYER,
    });
  }
  headers.set(CLAIMS_HEADER, forwarded(result.claims, result.kid, micros, result.cached));
  headers.set(MARKER_HEADER, secret);
  return NextResponse.next({ request: { headers } });
}

function guardPage(request: NextRequest, pathname: string) {
  // A form post to a page is a server action. Next refuses a cross-site one by throwing (a 500);
  // answer it here as what it is, a refused cross-site request (OWASP CSRF Prevention, Origin check).
  if (request.method !== "GET" && request.method !== "HEAD") {
    const verdict = checkSameOrigin(request.headers);
    if (!verdict.ok) return jsonError("csrf", `cross-site request refused: ${verdict.reason}`, { layer: LAYER });
  }
  const isProtected = PROTECTED_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
  const hasCookie = request.cookies.has(SESSION_COOKIE_NAME) || request.cookies.has(SECURE_SESSION_COOKIE_NAME);
  if (isProtected && !hasCookie) {
    const login = new URL("/login", request.url);
    login.searchParams.set("next", pathname + request.nextUrl.search);
    return NextResponse.redirect(login);
  }
  const nonce = createNonce();
  const policy = pageCsp(nonce, {
    connectSources: appConfig().corsOrigins,
    development: process.env.NODE_ENV === "development",
  });
  const headers = new Headers(request.headers);
  for (const name of IDENTITY_HEADERS) headers.delete(name);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export async function middleware(request: NextRequest) {
  const { pathname } = request.nextUrl;
  try {
    return pathname.startsWith("/api/") ? await guardApi(request, pathname) : guardPage(request, pathname);
  } catch {
    // Never a stack trace from the edge; a bad token or header is handled above, so this is ours.
    return jsonError("internal_error", "the request could not be checked", { layer: LAYER });
  }
}

/**
 * The JWT half of /api, and every page. Excluded: /api/health (no middleware work), /api/auth/**
 * (sign-in issues tokens), the cookie-session routes (checked in Node against the store), and static
 * assets. Excluded routes never read forwarded claims, and could not be fooled by forged ones.
 */
export const config = {
  matcher: [
    "/api/:path((?!health$|auth/|session$|sessions$|sessions/|account/password$|users/|lab/).*)",
    "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|\\.well-known/).*)",
  ],
};
