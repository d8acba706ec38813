import { config } from "@/lib/edge/config";
import { TraceRecorder } from "@/lib/edge/trace";
import { handle, json } from "@/lib/server/http/respond";
import { requireAccessToken } from "@/lib/server/auth/jwt/request-token";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * Who the access token says you are, from the token alone: no store, no database. The token carries
 * no email or name, so neither does this answer (GET /api/me/strict reads the account and checks
 * revocation). A user deleted or demoted since the token was issued still shows as the token says,
 * until it expires — the stateless design's price, on display.
 */
export const GET = handle(async (request: Request) => {
  const trace = new TraceRecorder();
  const { claims, kid } = await requireAccessToken(request, { recorder: trace });
  return json(
    { claims, user: { id: Number(claims.sub), role: claims.role }, instance: config().instanceId, kid },
    { headers: trace.headers() },
  );
});

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
