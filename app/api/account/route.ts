import { handle } from "@/lib/http/respond";
import { STRICT_LAYER, requireStrictAccess } from "@/lib/auth/jwt/strict-check";
import { deleteAccount } from "@/lib/accounts/delete-account";
import { jwtTraceHeaders } from "@/lib/http/jwt-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** Deletes the caller's account. Sensitive, so the strict check runs: a revoked token cannot do this. */
export const DELETE = handle(async (request: Request) => {
  const { verified, user, strictMs } = await requireStrictAccess(request.headers);
  await deleteAccount(user.id);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store", ...jwtTraceHeaders(verified, { strictMs }) } });
}, STRICT_LAYER);

export const { GET, POST, PUT, PATCH } = notAllowed("DELETE");
