import { config } from "@/lib/edge/config";
import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { handle, json } from "@/lib/server/http/respond";
import { requireStrictAccess } from "@/lib/server/auth/jwt/strict-check";
import { countUsers } from "@/lib/server/accounts/users";
import { storeKind } from "@/lib/server/auth/session/session-lifecycle";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** Admin only, with the strict check: a revoked or demoted admin's token is refused at once. */
export const GET = handle(async (request: Request) => {
  const trace = new TraceRecorder();
  await requireStrictAccess(request, { role: "ADMIN", recorder: trace });
  return json(
    { users: await countUsers(), sessionStore: storeKind(), instance: config().instanceId },
    { headers: trace.headers() },
  );
}, LAYERS.strict);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
