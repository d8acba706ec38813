/**
 * The early gate, written once and run in one of two homes: middleware.ts (the Edge runtime, the
 * default) or gates/proxy.ts (Next 16's Node proxy, a build of its own). It verifies access tokens
 * (Bearer, or DPoP with its proof) for the JWT half of the API, pre-checks protected pages, refuses
 * cross-site form posts to pages, and sets the page Content-Security-Policy.
 *
 * It is never the only check (CVE-2025-29927 showed a gate can be skipped): every page verifies the
 * session again, and every JWT route handler verifies the token again through the same module
 * (lib/edge/jwt/authenticate.ts). Nothing passes from here to a handler but the request itself.
 *
 * What differs between the homes is handed in (`GateHome`), so this module stays Web-API only: the
 * replay cache the gate's DPoP check uses, and — on Node only — a session check that reads the store,
 * which makes the page pre-check exact instead of optimistic.
 */
import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "@/lib/edge/config";
import { errorResponse, jsonError, LAYER_HEADER } from "@/lib/edge/errors";
import { authenticate, type ReplayCheck } from "@/lib/edge/jwt/authenticate";
import { insufficientScope } from "@/lib/edge/jwt/rejections";
import { createNonce, pageCsp } from "@/lib/edge/http/csp";
import { checkSameOrigin } from "@/lib/edge/http/csrf";
import { applyHsts } from "@/lib/edge/http/hsts";
import { offerNonce } from "@/lib/edge/dpop/nonce";
import { checkServedHost } from "@/lib/edge/http/served-host";
import { SECURE_SESSION_COOKIE_NAME, SESSION_COOKIE_NAME } from "@/lib/edge/cookies";
import { loginPath, type LoginReason } from "@/lib/edge/login-reason";
import { GATE_TIMING_HEADER, serverTiming, type Layer } from "@/lib/edge/trace";
import { GATE_HEADER, GATE_TITLES, type GateName } from "./name";

/** Runs the gate without a token check: the floor the benchmark compares JWT verification to. */
const PASS_THROUGH = new Set(["/api/noop"]);
/**
 * Responses that are not pages and carry their own policy: the benchmark charts (an SVG opened on its own
 * is a document: its route sends `default-src 'none'; sandbox`), static assets and icons. The gate runs
 * for them only to add HSTS, which next.config.ts cannot decide (APP_ORIGIN is read at start).
 */
const NOT_PAGES = ["/bench-charts/", "/_next/static/", "/favicon.ico", "/icon.svg"];
const ADMIN_PREFIX = "/api/admin/";
const PROTECTED_PAGES = ["/dashboard", "/sessions", "/admin"];
/** What NextResponse.next() sets: the request goes on to the route. */
const NEXT_MIDDLEWARE_HEADER = "x-middleware-next";

/**
 * Node only: why this page request has no live session (a `?reason=` for /login), or null to let the
 * page decide — signed in, or the store could not say (the page shows the outage).
 */
export type PageSessionCheck = (request: NextRequest) => Promise<LoginReason | null>;

export interface GateHome {
  name: GateName;
  /** The layer the trace names for this gate's answers. */
  layer: Layer;
  /** The gate's own DPoP replay cache: never the one the handlers use, or a handler would see a replay. */
  firstSighting: ReplayCheck;
  pageSession?: PageSessionCheck;
}

function gateTiming(home: GateHome, checked: { verifyMs: number; proofMs: number }): Record<string, string> {
  const title = GATE_TITLES[home.name];
  const entries = [{ name: "gateVerify", ms: checked.verifyMs, description: `${title} JWT verify` }];
  if (checked.proofMs > 0)
    entries.push({ name: "gateDpop", ms: checked.proofMs, description: `${title} DPoP proof check` });
  return { [GATE_TIMING_HEADER]: serverTiming(entries) };
}

async function guardApi(home: GateHome, request: NextRequest, pathname: string): Promise<Response> {
  if (PASS_THROUGH.has(pathname)) return NextResponse.next();
  const checked = await authenticate(request, { firstSighting: home.firstSighting });
  const timing = { layer: home.layer, headers: gateTiming(home, checked) };
  if (!checked.ok) return errorResponse(checked.error, timing);
  if (pathname.startsWith(ADMIN_PREFIX) && checked.claims.role !== "ADMIN") {
    return errorResponse(insufficientScope(undefined, checked.scheme), timing);
  }
  return NextResponse.next({ headers: timing.headers });
}

function isProtectedPage(pathname: string): boolean {
  return PROTECTED_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
}

/** The reason to send this page request to /login, or null to render it. */
async function pageRefusal(home: GateHome, request: NextRequest, pathname: string): Promise<LoginReason | null> {
  if (!isProtectedPage(pathname)) return null;
  const hasCookie = request.cookies.has(SESSION_COOKIE_NAME) || request.cookies.has(SECURE_SESSION_COOKIE_NAME);
  if (!hasCookie) return "sign_in_required";
  // The Edge cannot read the store, so there a cookie that opens is enough; the page checks it again.
  return home.pageSession ? home.pageSession(request) : null;
}

async function guardPage(home: GateHome, request: NextRequest, pathname: string): Promise<Response> {
  // A form post to a page is a server action. Next refuses a cross-site one by throwing (a 500);
  // answer it here as what it is, a refused cross-site request (OWASP CSRF Prevention, Origin check).
  if (request.method !== "GET" && request.method !== "HEAD") {
    const verdict = checkSameOrigin(request.headers);
    if (!verdict.ok) return jsonError("csrf", `cross-site request refused: ${verdict.reason}`, { layer: home.layer });
  }
  const refusal = await pageRefusal(home, request, pathname);
  if (refusal) {
    const redirect = NextResponse.redirect(new URL(loginPath(pathname + request.nextUrl.search, refusal), request.url));
    // Names the layer that sent the reader away, as a refusal's body does (the trace and tests read it).
    redirect.headers.set(LAYER_HEADER, home.layer);
    return redirect;
  }
  const nonce = createNonce();
  const policy = pageCsp(nonce, {
    connectSources: appConfig().http.corsOrigins,
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

async function guard(home: GateHome, request: NextRequest): Promise<Response> {
  // A development server answers only for its own names (DNS rebinding), before anything else.
  const host = checkServedHost(request.headers);
  if (!host.ok) return jsonError("misdirected_request", host.reason, { layer: home.layer });
  const { pathname } = request.nextUrl;
  if (NOT_PAGES.some((prefix) => pathname.startsWith(prefix))) return NextResponse.next();
  try {
    return pathname.startsWith("/api/")
      ? await guardApi(home, request, pathname)
      : await guardPage(home, request, pathname);
  } catch {
    // Never a stack trace from the gate; a bad token or header is handled above, so this is ours.
    return jsonError("internal_error", "the request could not be checked", { layer: home.layer });
  }
}

/** The gate for one home: what middleware.ts and gates/proxy.ts export. */
export function createGate(home: GateHome): (request: NextRequest) => Promise<Response> {
  return async (request) => {
    const response = await guard(home, request);
    applyHsts(request.headers, response.headers);
    // next.config.ts names the gate on every response Next answers; one the gate answers itself (a
    // refusal, a redirect) is named here, and carries the next DPoP nonce (a request passed on gets it
    // from its handler). A pass-through carries nothing it does not need.
    if (!response.headers.has(NEXT_MIDDLEWARE_HEADER)) {
      response.headers.set(GATE_HEADER, home.name);
      await offerNonce(request.headers, response.headers);
    }
    return response;
  };
}
