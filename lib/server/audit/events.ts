/**
 * The security events authlab records (docs/api.md, audit trail), their shape, and the bounds on what an event
 * may carry. An event names who and where (user id, the session's public id, address, user agent),
 * never a credential: no password, token or cookie value is ever a field or a detail.
 */
import "server-only";

export const SECURITY_EVENTS = [
  "sign_in_succeeded",
  "sign_in_failed",
  "sign_in_throttled",
  "signed_out",
  "session_revoked",
  "sessions_revoked_all",
  "refresh_reuse_detected",
  "refresh_family_revoked",
  "role_changed",
  "password_changed",
  "token_revoked",
  "session_store_unavailable",
  "session_store_recovered",
] as const;
export type SecurityEventName = (typeof SECURITY_EVENTS)[number];

export function isSecurityEventName(value: string): value is SecurityEventName {
  return (SECURITY_EVENTS as readonly string[]).includes(value);
}

/** A detail is a small flat object of plain values: enough to explain an event, too small to leak much. */
export type DetailValue = string | number | boolean | null;
export type EventDetail = Record<string, DetailValue>;

/** What the code that causes an event knows; the request's address and user agent are added for it. */
export interface SecurityEventFields {
  userId?: number | null;
  /** The session's public id (`sid`), never its token. */
  sessionId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: EventDetail;
}

/** One event as the audit API and pages read it. */
export interface SecurityEventDto {
  id: number;
  at: string;
  event: SecurityEventName;
  userId: number | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: EventDetail;
}

export const MAX_DETAIL_KEYS = 8;
export const MAX_DETAIL_STRING_LENGTH = 120;
