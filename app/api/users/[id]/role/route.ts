import type { NextRequest } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { handle, json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { readJson } from "@/lib/http/read-json";
import { roleSchema } from "@/lib/auth/validation";
import { requireSession } from "@/lib/auth/session/request-session";
import { MAX_USER_ID, changeRole } from "@/lib/accounts/change-role";
import { NODE_LAYER } from "@/lib/http/session-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ role: roleSchema });

/** Admin only, cookie-authenticated (the /admin page). */
export const PUT = handle(async (request: NextRequest, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request.headers);
  const auth = await requireSession(request.cookies, request.headers);
  const { id } = await context.params;
  // A user id is a 32-bit integer column on PostgreSQL; anything larger cannot exist.
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > MAX_USER_ID) throw new AppError("not_found", "no such user");
  const { role } = await readJson(request, bodySchema);
  return json({ user: await changeRole(auth.user, Number(id), role) });
}, NODE_LAYER);

export const { GET, POST, PATCH, DELETE } = notAllowed("PUT");
