/**
 * Who is calling a token endpoint (RFC 7009 revocation, RFC 7662 introspection), then counted against
 * its rate limit (rate-limit.ts):
 *  - a client of INTROSPECTION_CLIENTS, with HTTP Basic (client-auth.ts);
 *  - an admin, with an access token (Bearer, or DPoP with its proof) that passes the strict check —
 *    introspection only (SECURITY.md, "Token revocation and introspection");
 *  - nobody — revocation only: RFC 7009 lets a public client revoke its own token, and holding a token
 *    is all it takes to revoke it (revoking only ever takes rights away).
 * These endpoints read no cookie, so a cross-site form post to them carries no authority (no CSRF).
 */
import "server-only";
import { readAuthorization, type TokenRequest } from "@/lib/edge/jwt/authenticate";
import { clientIp } from "@/lib/edge/http/request-context";
import type { Recorder } from "@/lib/edge/trace";
import { requireStrictAccess } from "@/lib/server/auth/jwt/strict-check";
import { authenticateClient, invalidClient, usesBasic } from "./client-auth";
import {
  anonymous,
  assertAuthenticationAllowed,
  countFailedAuthentication,
  PER_ANONYMOUS_ADDRESS,
  PER_CALLER,
  takeRequest,
  type Endpoint,
} from "./rate-limit";

export type Caller = { kind: "client"; id: string } | { kind: "admin"; userId: number } | { kind: "anonymous" };

export async function identifyCaller(request: TokenRequest, endpoint: Endpoint, recorder: Recorder): Promise<Caller> {
  const authorization = request.headers.get("authorization");
  const ip = clientIp(request.headers);
  if (authorization === null && endpoint === "revoke") {
    await takeRequest(endpoint, anonymous(ip), PER_ANONYMOUS_ADDRESS);
    return { kind: "anonymous" };
  }
  if (endpoint === "introspect" && readAuthorization(authorization).kind === "token") {
    const { user } = await requireStrictAccess(request, { role: "ADMIN", recorder });
    await takeRequest(endpoint, `admin:${user.id}`, PER_CALLER);
    return { kind: "admin", userId: user.id };
  }
  if (!usesBasic(authorization))
    throw invalidClient(
      endpoint === "introspect"
        ? "authenticate with HTTP Basic (INTROSPECTION_CLIENTS) or an admin access token"
        : "authenticate with HTTP Basic (INTROSPECTION_CLIENTS), or send no Authorization header",
    );
  await assertAuthenticationAllowed(ip);
  let id: string;
  try {
    id = authenticateClient(authorization);
  } catch (error) {
    await countFailedAuthentication(ip);
    throw error;
  }
  await takeRequest(endpoint, `client:${id}`, PER_CALLER);
  return { kind: "client", id };
}
