/**
 * Edge middleware: the early gate. It verifies access tokens (Bearer, or DPoP with its proof) for the
 * JWT half of the API and sets the page CSP.
 *
 * Named `middleware.ts` on purpose. Next 16 deprecates the name in favour of `proxy.ts`, but a proxy
 * always runs on Node, and the design asks for verification at the Edge (Web APIs only: no Prisma,
 * no Redis, no `node:*`). Next prints a deprecation warning at build time; that is expected. It may
 * import only `lib/edge/` (eslint.config.mjs enforces it).
 *
 * It is never the only check (CVE-2025-29927 showed middleware can be skipped): every page verifies
 * the session again, and every JWT route handler verifies the token again through the same module
 * (lib/edge/jwt/authenticate.ts). Nothing passes from here to a handler but the request itself.
 */
import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "@/lib/edge/config";
import { errorResponse, jsonError } from "@/lib/edge/errors";
import { authenticate } from "@/lib/edge/jwt/authenticate";
import { proofKey, seenProofs } from "@/lib/edge/dpop/seen-proofs";
import { insufficientScope } from "@/lib/edge/jwt/rejections";
import { createNonce, pageCsp } from "@/lib/edge/http/csp";
import { checkSameOrigin } from "@/lib/edge/http/csrf";
import { applyHsts } from "@/lib/edge/http/hsts";
import { offerNonce } from "@/lib/edge/dpop/nonce";
import { checkServedHost } from "@/lib/edge/http/served-host";
import { SECURE_SESSION_COOKIE_NAME, SESSION_COOKIE_NAME } from "@/lib/edge/cookies";
import { loginPath } from "@/lib/edge/login-reason";
import { EDGE_TIMING_HEADER, LAYERS, serverTiming, STEPS } from "@/lib/edge/trace";

/** Runs the middleware without a token check: the floor the benchmark compares JWT verification to. */
const PASS_THROUGH = new Set(["/api/noop"]);
/**
 * Responses that are not pages and carry their own policy: the benchmark charts (an SVG opened on its own
 * is a document: its route sends `default-src 'none'; sandbox`), static assets and icons. The middleware
 * runs for them only to add HSTS, which next.config.ts cannot decide (APP_ORIGIN is read at start).
 */
const NOT_PAGES = ["/bench-charts/", "/_next/static/", "/favicon.ico", "/icon.svg"];
const ADMIN_PREFIX = "/api/admin/";
const PROTECTED_PAGES = ["/dashboard", "/sessions", "/admin"];

function edgeTiming(checked: { verifyMs: number; proofMs: number }): Record<string, string> {
  const entries: { name: string; ms: number; description: string }[] = [
    { name: "edgeVerify", ms: checked.verifyMs, description: STEPS.edgeVerify },
  ];
  if (checked.proofMs > 0) entries.push({ name: "edgeDpop", ms: checked.proofMs, description: STEPS.edgeDpop });
  return { [EDGE_TIMING_HEADER]: serverTiming(entries) };
}

/**
 * This isolate's replay check for DPoP proofs: a per-isolate cache (seen-proofs.ts). It cannot see
 * other instances; the handlers of state-changing routes check the shared store as well.
 */
const edgeFirstSighting = async (proof: { jkt: string; jti: string; acceptableUntilMs: number }) =>
  seenProofs("edge").firstSighting(proofKey(proof), proof.acceptableUntilMs);

async function guardApi(request: NextRequest, pathname: string) {
  if (PASS_THROUGH.has(pathname)) return NextResponse.next();
  const checked = await authenticate(request, { firstSighting: edgeFirstSighting });
  if (!checked.ok) return errorResponse(checked.error, { layer: LAYERS.edge, headers: edgeTiming(checked) });
  if (pathname.startsWith(ADMIN_PREFIX) && checked.claims.role !== "ADMIN") {
    const refusal = insufficientScope(undefined, checked.scheme);
    return errorResponse(refusal, { layer: LAYERS.edge, headers: edgeTiming(checked) });
  }
  return NextResponse.next({ headers: edgeTiming(checked) });
}

function guardPage(request: NextRequest, pathname: string) {
  // A form post to a page is a server action. Next refuses a cross-site one by throwing (a 500);
  // answer it here as what it is, a refused cross-site request (OWASP CSRF Prevention, Origin check).
  if (request.method !== "GET" && request.method !== "HEAD") {
    const verdict = checkSameOrigin(request.headers);
    if (!verdict.ok) return jsonError("csrf", `cross-site request refused: ${verdict.reason}`, { layer: LAYERS.edge });
  }
  const isProtected = PROTECTED_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
  const hasCookie = request.cookies.has(SESSION_COOKIE_NAME) || request.cookies.has(SECURE_SESSION_COOKIE_NAME);
  if (isProtected && !hasCookie) {
    return NextResponse.redirect(
      new URL(loginPath(pathname + request.nextUrl.search, "sign_in_required"), request.url),
    );
  }
  const nonce = createNonce();
  const policy = pageCsp(nonce, {
    connectSources: appConfig().corsOrigins,
    development: process.env.NODE_ENV === "development",
  });
  // Next reads the nonce from the request's CSP header and adds it to its own script tags.
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

async function guard(request: NextRequest): Promise<Response> {
  // A development server answers only for its own names (DNS rebinding), before anything else.
  const host = checkServedHost(request.headers);
  if (!host.ok) return jsonError("misdirected_request", host.reason, { layer: LAYERS.edge });
  const { pathname } = request.nextUrl;
  if (NOT_PAGES.some((prefix) => pathname.startsWith(prefix))) return NextResponse.next();
  try {
    return pathname.startsWith("/api/") ? await guardApi(request, pathname) : guardPage(request, pathname);
  } catch {
    // Never a stack trace from the edge; a bad token or header is handled above, so this is ours.
    return jsonError("internal_error", "the request could not be checked", { layer: LAYERS.edge });
  }
}

export async function middleware(request: NextRequest) {
  const response = await guard(request);
  applyHsts(request.headers, response.headers);
  // A refusal here carries the next DPoP nonce itself; a request passed on gets it from its handler.
  if (response.headers.get("x-middleware-next") !== "1") await offerNonce(request.headers, response.headers);
  return response;
}

/**
 * The JWT half of /api, and every page. Excluded: /api/health (no middleware work), /api/metrics (its
 * Bearer credential is the scrape token, not an access token; the handler checks it), /api/auth/**
 * (sign-in issues tokens), the cookie-session routes (checked in Node against the store), and image
 * optimisation. A route left out here is still checked by its handler; it only loses the early gate.
 * Static assets and icons are matched for HSTS alone (NOT_PAGES).
 */
export const config = {
  matcher: [
    "/api/:path((?!health$|metrics$|auth/|session$|sessions$|sessions/|account/password$|users/|lab/).*)",
    "/((?!api/|_next/image|\\.well-known/).*)",
  ],
};
