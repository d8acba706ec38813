/**
 * What the audit pages render, read through this one server module (pages never query the database):
 * the admin's filtered page with the accounts it names, and a user's own recent activity.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { db } from "@/lib/server/db/client";
import { describeDevice } from "@/lib/server/accounts/device";
import { isDatabaseUnavailable } from "@/lib/server/db/errors";
import { log } from "@/lib/server/log";
import { describeEvent, USER_VISIBLE_EVENTS } from "./describe";
import { listSecurityEvents, parseAuditQuery, eventsOfUser, type AuditQuery } from "./query";
import type { SecurityEventDto } from "./events";

export interface EventRow extends SecurityEventDto {
  description: string;
  device: string | null;
  /** The account's email, for an admin; null when the event names no account or it was deleted. */
  account: string | null;
}

export type AdminAuditView =
  { ok: true; query: AuditQuery; rows: EventRow[]; nextCursor: string | null } | { ok: false; field: string };

async function emailsOf(userIds: number[]): Promise<Map<number, string>> {
  if (userIds.length === 0) return new Map();
  const users = await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u.email]));
}

function row(event: SecurityEventDto, emails: Map<number, string>): EventRow {
  return {
    ...event,
    description: describeEvent(event),
    device: event.userAgent ? describeDevice(event.userAgent) : null,
    account: event.userId === null ? null : (emails.get(event.userId) ?? null),
  };
}

/** For /admin/audit: the caller has already been checked to be an admin. */
export async function adminAuditView(params: URLSearchParams): Promise<AdminAuditView> {
  let query: AuditQuery;
  try {
    query = parseAuditQuery(params);
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_request")
      return { ok: false, field: error.field ?? "query" };
    throw error;
  }
  const page = await listSecurityEvents(query);
  const ids = [...new Set(page.events.map((e) => e.userId).filter((id): id is number => id !== null))];
  const emails = await emailsOf(ids);
  return { ok: true, query, rows: page.events.map((e) => row(e, emails)), nextCursor: page.nextCursor };
}

/**
 * For /sessions: the signed-in user's own recent security events, in words; null when the database
 * cannot be reached (the sessions list may come from another store and still be shown).
 */
export async function ownRecentActivity(userId: number, limit = 15): Promise<EventRow[] | null> {
  try {
    const events = await eventsOfUser(userId, { limit, events: USER_VISIBLE_EVENTS });
    return events.map((e) => row(e, new Map()));
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    log.warn("audit.activity_unavailable", { error });
    return null;
  }
}
