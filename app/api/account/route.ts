import { handle } from "@/lib/http/respond";
import { requireAccessClaims } from "@/lib/auth/jwt/request-claims";
import { STRICT_LAYER, assertNotRevoked } from "@/lib/auth/jwt/strict-check";
import { deleteAccount } from "@/lib/accounts/delete-account";
import { jwtTraceHeaders } from "@/lib/http/jwt-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** Deletes the caller's account. Sensitive, so the strict check runs: a revoked token cannot do this. */
export const DELETE = handle(async (request: Request) => {
  const verified = requireAccessClaims(request.headers);
  const started = performance.now();
  const user = await assertNotRevoked(verified);
  const strictMs = performance.now() - started;
  await deleteAccount(user.id);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store", ...jwtTraceHeaders(verified, { strictMs }) } });
}, STRICT_LAYER);

export const { GET, POST, PUT, PATCH } = notAllowed("DELETE");
