/**
 * Route-handler plumbing: JSON responses that are never cached, and the one way a thrown error
 * becomes a response. Known failures are AppErrors (lib/edge/errors.ts maps their codes to HTTP);
 * an unreachable database becomes `database_unavailable`; anything else is logged and answered with a
 * generic 500. No stack trace or database detail reaches the client.
 */
import "server-only";
import { NextResponse } from "next/server";
import { AppError, errorResponse } from "@/lib/edge/errors";
import { applyHsts } from "@/lib/edge/http/hsts";
import { offerNonce } from "@/lib/edge/dpop/nonce";
import { assertServedHost } from "@/lib/edge/http/served-host";
import type { CookieSpec } from "@/lib/edge/cookies";
import { databaseUnavailable, isDatabaseUnavailable } from "@/lib/server/db/errors";
import { log } from "@/lib/server/log";

export interface ResponseInit {
  status?: number;
  headers?: Record<string, string>;
  cookies?: CookieSpec[];
}

function withCookies(response: NextResponse, cookies: CookieSpec[]): NextResponse {
  for (const cookie of cookies) response.cookies.set(cookie.name, cookie.value, cookie.options);
  return response;
}

/**
 * A JSON response, never cached. A plain Response unless cookies are set: NextResponse's cookie
 * machinery costs measurable time on the hottest routes (bench/README.md).
 */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "cache-control": "no-store",
    ...init.headers,
  };
  if (!init.cookies?.length) return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
  return withCookies(new NextResponse(JSON.stringify(body), { status: init.status ?? 200, headers }), init.cookies);
}

/** An empty response (204 by default), never cached. */
export function empty(init: ResponseInit = {}): Response {
  const headers = { "cache-control": "no-store", ...init.headers };
  return withCookies(new NextResponse(null, { status: init.status ?? 204, headers }), init.cookies ?? []);
}

/** What a thrown value means for the client: an AppError, or null for a failure of ours. */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error);
  return null;
}

export function errorToResponse(
  error: unknown,
  init: { layer?: string; headers?: Record<string, string>; cookies?: CookieSpec[] } = {},
): Response {
  let known = toAppError(error);
  if (!known) {
    log.error("request.failed", {
      error,
      stack: error instanceof Error ? error.stack?.split("\n").slice(0, 6).join(" | ") : undefined,
    });
    known = new AppError("internal_error", "something went wrong on our side; it has been logged");
  }
  const response = errorResponse(known, init);
  if (!init.cookies?.length) return response;
  return withCookies(
    new NextResponse(response.body, { status: response.status, headers: response.headers }),
    init.cookies,
  );
}

type Handler<R extends Request, C> = (request: R, context: C) => Promise<Response>;

/**
 * Wraps a route handler so that every failure becomes a JSON error with a stable code. Many routes
 * are outside the middleware's matcher, so this is where every handler also refuses a host a
 * development server does not serve (served-host.ts) and gets HSTS over HTTPS (hsts.ts) — and, under
 * DPOP_NONCE, the next DPoP nonce for a client that sent a proof (nonce.ts).
 */
export function handle<R extends Request, C>(fn: Handler<R, C>, layer?: string): Handler<R, C> {
  return async (request, context) => {
    let response: Response;
    try {
      assertServedHost(request.headers);
      response = await fn(request, context);
    } catch (error) {
      response = errorToResponse(error, { layer });
    }
    applyHsts(request.headers, response.headers);
    await offerNonce(request.headers, response.headers);
    return response;
  };
}
