import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { handle, json } from "@/lib/server/http/respond";
import { requireStrictAccess } from "@/lib/server/auth/jwt/strict-check";
import { listSecurityEvents, parseAuditQuery } from "@/lib/server/audit/query";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * The audit trail, newest first: `?event=&userId=&before=<nextCursor>&limit=`. Admin only, with the
 * strict check (like /api/admin/stats): a demoted or signed-out admin's token is refused at once.
 */
export const GET = handle(async (request: Request) => {
  const trace = new TraceRecorder();
  await requireStrictAccess(request, { role: "ADMIN", recorder: trace });
  const query = parseAuditQuery(new URL(request.url).searchParams);
  return json(await listSecurityEvents(query), { headers: trace.headers() });
}, LAYERS.strict);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
