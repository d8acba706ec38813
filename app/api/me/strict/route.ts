import { config } from "@/lib/edge/config";
import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { handle, json } from "@/lib/server/http/respond";
import { requireStrictAccess } from "@/lib/server/auth/jwt/strict-check";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** /api/me with the strict check: refused at once when the token's session or role was revoked. */
export const GET = handle(async (request: Request) => {
  const trace = new TraceRecorder();
  const { verified, user } = await requireStrictAccess(request, { recorder: trace });
  return json(
    { claims: verified.claims, user, instance: config().instanceId, kid: verified.kid },
    { headers: trace.headers() },
  );
}, LAYERS.strict);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
