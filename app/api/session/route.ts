import type { NextRequest } from "next/server";
import { config } from "@/lib/edge/config";
import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { handle, json } from "@/lib/server/http/respond";
import { requireSession } from "@/lib/server/auth/session/request-session";
import { sessionDto } from "@/lib/server/auth/session/dto";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** The cookie half of the lab: the server looks the session up in its store on every request. */
export const GET = handle(async (request: NextRequest) => {
  const trace = new TraceRecorder();
  const { session, user } = await requireSession(request.cookies, request.headers, trace);
  return json({ session: sessionDto(session), user, instance: config().instanceId }, { headers: trace.headers() });
}, LAYERS.node);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
