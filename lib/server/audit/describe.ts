/**
 * Security events in plain words, for the person whose account it is (/sessions) and for an admin
 * (/admin/audit): "Signed in from 203.0.113.7 (Firefox on Linux)".
 */
import "server-only";
import { describeDevice } from "@/lib/server/accounts/device";
import type { SecurityEventDto, SecurityEventName } from "./events";

/** Events a user is shown about their own account. Family revocations are shown through what caused them. */
export const USER_VISIBLE_EVENTS: SecurityEventName[] = [
  "sign_in_succeeded",
  "sign_in_failed",
  "sign_in_throttled",
  "signed_out",
  "session_revoked",
  "sessions_revoked_all",
  "refresh_reuse_detected",
  "role_changed",
  "password_changed",
  "token_revoked",
];

const FAMILY_REASONS: Record<string, string> = {
  logout: "signed out",
  reuse: "a refresh token was reused",
  session_revoked: "its session was revoked",
  password_changed: "the password changed",
  signed_out_everywhere: "signed out everywhere else",
  account_deleted: "the account was deleted",
  replaced: "a new sign-in in the same browser",
  lab_new_family: "the lab started a new one for this session",
  session_ended: "its session had ended",
  session_limit: "too many sessions on the account",
  token_revoked: "one of its tokens was revoked (RFC 7009)",
};

/** "from 203.0.113.7 (Firefox on Linux)", or as much of it as is known. */
export function whereFrom(event: Pick<SecurityEventDto, "ip" | "userAgent">): string {
  const device = event.userAgent ? describeDevice(event.userAgent) : null;
  if (event.ip && device) return `from ${event.ip} (${device})`;
  if (event.ip) return `from ${event.ip}`;
  return device ? `on ${device}` : "";
}

function plural(count: unknown, one: string, many: string): string {
  return typeof count === "number" ? `${count} ${count === 1 ? one : many}` : many;
}

function changedBy(event: SecurityEventDto): string {
  const actor = event.detail.changedBy;
  if (event.detail.via === "lab") return "by yourself, with the lab's role experiment";
  if (typeof actor === "number") return `by admin #${actor}`;
  return actor === "operator" ? "by an operator (npm run admin:grant)" : "";
}

export function describeEvent(event: SecurityEventDto): string {
  const from = whereFrom(event);
  const d = event.detail;
  const sentences: Record<SecurityEventName, () => string> = {
    sign_in_succeeded: () => (d.via === "signup" ? `Account created and signed in ${from}` : `Signed in ${from}`),
    sign_in_failed: () => `Failed sign-in attempt ${from}`,
    sign_in_throttled: () =>
      `Sign-in paused after too many failed attempts (${d.limit === "account" ? "for this account" : "from one address"}) ${from}`,
    signed_out: () => `Signed out ${from}`,
    session_revoked: () =>
      d.by === event.sessionId ? `Signed out of this session ${from}` : `A session was revoked ${from}`,
    sessions_revoked_all: () =>
      d.count === 0
        ? `Asked to sign out every other session ${from}: there was none`
        : `Signed out ${plural(d.count, "other session", "other sessions")} ${from}`,
    refresh_reuse_detected: () => `Refresh token reused ${from} — that sign-in's refresh tokens were revoked`,
    refresh_family_revoked: () =>
      `Refresh tokens revoked (${FAMILY_REASONS[String(d.reason)] ?? String(d.reason ?? "revoked")})`,
    role_changed: () => `Role changed to ${String(d.role ?? "?")} ${changedBy(event)}`,
    password_changed: () =>
      `Password changed ${from}; ${plural(d.endedSessions, "other session", "other sessions")} signed out`,
    token_revoked: () =>
      `${d.tokenType === "refresh_token" ? "A refresh token" : "An access token"} was revoked ${from}`,
    session_store_unavailable: () =>
      `The ${String(d.store ?? "session")} store became unreachable (${String(d.instance ?? "")})`,
    session_store_recovered: () =>
      `The ${String(d.store ?? "session")} store is reachable again (${String(d.instance ?? "")})`,
  };
  return sentences[event.event]().replace(/\s+/g, " ").trim();
}
