import type { NextRequest } from "next/server";
import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { clientIp } from "@/lib/edge/http/request-context";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { changePasswordSchema } from "@/lib/server/auth/validation";
import { requireSession } from "@/lib/server/auth/session/request-session";
import { changePassword } from "@/lib/server/auth/change-password";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const trace = new TraceRecorder();
  const auth = await requireSession(request.cookies, request.headers, trace);
  const input = await readJson(request, changePasswordSchema);
  return json(await changePassword(auth, input, clientIp(request.headers)), { headers: trace.headers() });
}, LAYERS.node);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
