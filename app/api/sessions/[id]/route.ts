import type { NextRequest } from "next/server";
import { handle, json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { isSecure } from "@/lib/http/request-context";
import { requireSession } from "@/lib/auth/session/request-session";
import { revokeOne } from "@/lib/auth/revoke";
import { applyCookies, signOutCookies } from "@/lib/auth/auth-cookies";
import { NODE_LAYER } from "@/lib/http/session-trace";

export const DELETE = handle(async (request: NextRequest, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request.headers);
  const auth = await requireSession(request.cookies, request.headers);
  const { id } = await context.params;
  const { current } = await revokeOne(auth, id);
  const response = json({ revoked: 1, current });
  if (current) applyCookies(response.cookies, signOutCookies(isSecure(request.headers)));
  return response;
}, NODE_LAYER);
