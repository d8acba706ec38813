import type { NextRequest } from "next/server";
import { config } from "@/lib/edge/config";
import { LAYERS, SESSION_SOURCE_HEADER, TraceRecorder } from "@/lib/edge/trace";
import { handle, json } from "@/lib/server/http/respond";
import { requireSession } from "@/lib/server/auth/session/request-session";
import { sessionDto } from "@/lib/server/auth/session/public-session";
import { cacheDto } from "@/lib/server/auth/session/cookie-cache-status";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * The cookie half of the lab: the server looks the session up in its store on every request — or,
 * with SESSION_COOKIE_CACHE_SECONDS, trusts the cookie's fresh snapshot (a read-only check may).
 */
export const GET = handle(async (request: NextRequest) => {
  const trace = new TraceRecorder();
  const auth = await requireSession(request.cookies, request.headers, trace, { trustSnapshot: true });
  return json(
    { session: sessionDto(auth.session), user: auth.user, instance: config().instanceId, cache: cacheDto(auth) },
    {
      headers: { ...trace.headers(), [SESSION_SOURCE_HEADER]: auth.source },
      cookies: auth.cookie ? [auth.cookie] : undefined,
    },
  );
}, LAYERS.node);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
