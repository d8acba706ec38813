import type { NextRequest } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/edge/errors";
import { parseUserId } from "@/lib/edge/identity";
import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { roleSchema } from "@/lib/server/auth/validation";
import { requireSession } from "@/lib/server/auth/session/request-session";
import { changeRole } from "@/lib/server/accounts/change-role";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ role: roleSchema });

/** Admin only, cookie-authenticated (the /admin page). */
export const PUT = handle(async (request: NextRequest, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request.headers);
  const trace = new TraceRecorder();
  const auth = await requireSession(request.cookies, request.headers, trace);
  // Anything that cannot be a user id (too large for the column, not a number) names no user.
  const userId = parseUserId((await context.params).id);
  if (userId === null) throw new AppError("not_found", "no such user");
  const { role } = await readJson(request, bodySchema);
  return json({ user: await changeRole(auth.user, userId, role) }, { headers: trace.headers() });
}, LAYERS.node);

export const { GET, POST, PATCH, DELETE } = notAllowed("PUT");
