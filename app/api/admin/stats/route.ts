import { config } from "@/lib/config";
import { handle, json } from "@/lib/http/respond";
import { STRICT_LAYER, requireStrictAccess } from "@/lib/auth/jwt/strict-check";
import { countUsers } from "@/lib/accounts/users";
import { storeKind } from "@/lib/auth/session/service";
import { jwtTraceHeaders } from "@/lib/http/jwt-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** Admin only, with the strict check: a revoked or demoted admin's token is refused at once. */
export const GET = handle(async (request: Request) => {
  const { verified, strictMs } = await requireStrictAccess(request.headers, "ADMIN");
  return json(
    { users: await countUsers(), sessionStore: storeKind(), instance: config().instanceId },
    { headers: jwtTraceHeaders(verified, { strictMs }) },
  );
}, STRICT_LAYER);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
