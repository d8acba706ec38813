import type { NextRequest } from "next/server";
import { handle, json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { readJson } from "@/lib/http/read-json";
import { clientIp } from "@/lib/http/request-context";
import { changePasswordSchema } from "@/lib/auth/validation";
import { requireSession } from "@/lib/auth/session/request-session";
import { changePassword } from "@/lib/auth/change-password";
import { NODE_LAYER } from "@/lib/http/session-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const POST = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const auth = await requireSession(request.cookies, request.headers);
  const input = await readJson(request, changePasswordSchema);
  return json(await changePassword(auth, input, clientIp(request.headers)));
}, NODE_LAYER);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
