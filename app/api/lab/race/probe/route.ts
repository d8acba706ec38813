import type { NextRequest } from "next/server";
import { z } from "zod";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { isSecure } from "@/lib/edge/http/request-context";
import { LAYERS, SESSION_SOURCE_HEADER, TraceRecorder } from "@/lib/edge/trace";
import { errorToResponse, handle, json } from "@/lib/server/http/respond";
import { optionalSession } from "@/lib/server/auth/session/request-session";
import { sessionCookie } from "@/lib/server/auth/session/cookie";
import { cacheDto } from "@/lib/server/auth/session/cookie-cache-status";
import { labOpenTo } from "@/lib/server/lab/access";
import { RACE_MODES, raceCacheSeconds, raceCookie } from "@/lib/server/lab/revocation-race";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const modeSchema = z.enum(RACE_MODES);

/**
 * The revocation race's session check: the real one (request-session.ts) on an experiment cookie —
 * `store` reads the store every time; `cached` trusts a fresh snapshot and re-seals a stale one, as
 * GET /api/session does with SESSION_COOKIE_CACHE_SECONDS. Only reads, so trusting a snapshot is allowed.
 */
export const GET = handle(async (request: NextRequest) => {
  const parsed = modeSchema.safeParse(request.nextUrl.searchParams.get("mode"));
  if (!parsed.success) throw new AppError("invalid_request", "mode must be store or cached");
  const mode = parsed.data;
  const secure = isSecure(request.headers);
  const place = raceCookie(mode, secure);
  const trace = new TraceRecorder();
  const auth = await optionalSession(request.cookies, request.headers, trace, {
    cookie: place,
    trustSnapshot: mode === "cached",
    cacheSeconds: raceCacheSeconds().seconds,
  });
  if (!auth) {
    // Refused: the experiment cookie has done its job and is cleared.
    return errorToResponse(new AppError("no_session", "this experiment session has ended"), {
      layer: LAYERS.node,
      headers: trace.headers(),
      cookies: [sessionCookie("", secure, 0, place)],
    });
  }
  if (!labOpenTo(auth.user.role))
    throw new AppError("lab_disabled", "the lab is open to admins only outside development");
  return json(
    { mode, sessionId: auth.session.id, cache: cacheDto(auth), instance: config().instanceId },
    {
      headers: { ...trace.headers(), [SESSION_SOURCE_HEADER]: auth.source },
      cookies: auth.cookie ? [auth.cookie] : undefined,
    },
  );
}, LAYERS.node);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
