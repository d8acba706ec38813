/**
 * Route-handler plumbing: JSON responses that are never cached, and the single mapping from thrown
 * errors to HTTP (DESIGN.md §5). Unexpected errors are logged and answered with a generic 500; no
 * stack trace or database detail reaches the client.
 */
import { NextResponse } from "next/server";
import { AppError, appErrorResponse, jsonError } from "@/lib/errors";
import { databaseUnavailable, isDatabaseUnavailable } from "@/lib/db/errors";
import { log } from "@/lib/log";
import type { CookieSpec } from "@/lib/auth/session/cookie";

/**
 * A JSON response, never cached. A plain Response unless cookies are set: NextResponse's cookie
 * machinery costs measurable time on the hottest routes (bench/README.md).
 */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string>; cookies?: CookieSpec[] } = {}): Response {
  const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store", ...init.headers };
  if (!init.cookies?.length) return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
  const response = new NextResponse(JSON.stringify(body), { status: init.status ?? 200, headers });
  for (const cookie of init.cookies) response.cookies.set(cookie.name, cookie.value, cookie.options);
  return response;
}

export function errorToResponse(error: unknown, layer?: string): Response {
  if (error instanceof AppError) return appErrorResponse(error, layer);
  if (isDatabaseUnavailable(error)) return appErrorResponse(databaseUnavailable(error), layer);
  log.error("request.failed", { error, stack: error instanceof Error ? error.stack?.split("\n").slice(0, 6).join(" | ") : undefined });
  return jsonError("internal_error", "something went wrong on our side; it has been logged");
}

type Handler<R extends Request, C> = (request: R, context: C) => Promise<Response>;

/** Wraps a route handler so that every failure becomes a JSON error with a stable code. */
export function handle<R extends Request, C>(fn: Handler<R, C>, layer?: string): Handler<R, C> {
  return async (request, context) => {
    try {
      return await fn(request, context);
    } catch (error) {
      return errorToResponse(error, layer);
    }
  };
}

/** Server-Timing (W3C): lets the lab show where the server spent its time, measured by the server. */
export function serverTiming(entries: { name: string; ms: number; description: string }[]): string {
  return entries.map((e) => `${e.name};dur=${e.ms.toFixed(3)};desc="${e.description}"`).join(", ");
}
