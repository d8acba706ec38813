import { config } from "@/lib/config";
import { handle, json } from "@/lib/http/respond";
import { requireAccessClaims } from "@/lib/auth/jwt/request-claims";
import { jwtTraceHeaders } from "@/lib/http/jwt-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * Who the access token says you are, from the token alone: no store, no database. The token carries
 * no email or name, so neither does this answer (GET /api/me/strict reads the account and checks
 * revocation). A user deleted or demoted since the token was issued still shows as the token says,
 * until it expires — the stateless design's price, on display.
 */
export const GET = handle(async (request: Request) => {
  const verified = requireAccessClaims(request.headers);
  const { claims } = verified;
  return json(
    { claims, user: { id: Number(claims.sub), role: claims.role }, instance: config().instanceId, kid: verified.kid },
    { headers: jwtTraceHeaders(verified) },
  );
});

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
