import { config } from "@/lib/config";
import { handle, json } from "@/lib/http/respond";
import { requireAccessClaims } from "@/lib/auth/jwt/request-claims";
import { findUserById } from "@/lib/accounts/users";
import { jwtTraceHeaders } from "@/lib/http/jwt-trace";

/**
 * Who the access token says you are. Authentication happened at the Edge; the profile read is only
 * for display (the token itself carries no name or email), and a user deleted since the token was
 * issued shows as null — the token still verifies until it expires.
 */
export const GET = handle(async (request: Request) => {
  const verified = requireAccessClaims(request.headers);
  const started = performance.now();
  const user = await findUserById(Number(verified.claims.sub));
  const dbMs = performance.now() - started;
  return json(
    { claims: verified.claims, user, instance: config().instanceId, kid: verified.kid },
    { headers: jwtTraceHeaders(verified, { dbMs }) },
  );
});
