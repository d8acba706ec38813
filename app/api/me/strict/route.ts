import { config } from "@/lib/config";
import { handle, json } from "@/lib/http/respond";
import { STRICT_LAYER, requireStrictAccess } from "@/lib/auth/jwt/strict-check";
import { jwtTraceHeaders } from "@/lib/http/jwt-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** /api/me with the strict check: refused at once when the token's session or role was revoked. */
export const GET = handle(async (request: Request) => {
  const { verified, user, strictMs } = await requireStrictAccess(request.headers);
  return json({ claims: verified.claims, user, instance: config().instanceId, kid: verified.kid }, { headers: jwtTraceHeaders(verified, { strictMs }) });
}, STRICT_LAYER);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
