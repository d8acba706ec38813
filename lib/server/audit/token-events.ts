/**
 * For the RFC 7009 revocation endpoint (POST /api/auth/revoke, docs/api.md): one call after a
 * token was revoked. Only what the token named — never the token.
 */
import "server-only";
import { securityEvent } from "./record";

export function tokenRevoked(fields: {
  tokenType: "access_token" | "refresh_token";
  userId?: number | null;
  sessionId?: string | null;
}): void {
  securityEvent("token_revoked", {
    userId: fields.userId,
    sessionId: fields.sessionId,
    detail: { tokenType: fields.tokenType },
  });
}
