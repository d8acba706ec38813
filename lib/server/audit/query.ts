/**
 * Reading the audit trail: the admin's filtered, paginated view (GET /api/admin/audit and the
 * /admin/audit page), a user's own recent events (/sessions), and the retention sweep.
 *
 * Pagination is by id, newest first: `before` is the id of the last event of the previous page
 * (`nextCursor`). Ids only grow, so an event written while someone pages lands before the first page
 * and never shifts, repeats or hides an event on a later one — unlike offsets or timestamps.
 */
import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/edge/errors";
import { parseUserId } from "@/lib/edge/identity";
import { db } from "@/lib/server/db/client";
import { deleteInBatches, type BatchedSweep } from "@/lib/server/db/delete-in-batches";
import { stateClock } from "@/lib/server/clock";
import { config } from "@/lib/edge/config";
import { isSecurityEventName, SECURITY_EVENTS, type EventDetail, type SecurityEventDto } from "./events";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
const MS_PER_DAY = 24 * 3600 * 1000;
const CURSOR = /^[1-9]\d{0,14}$/;

export interface AuditQuery {
  event?: (typeof SECURITY_EVENTS)[number];
  userId?: number;
  before?: number;
  limit: number;
}

export interface AuditPage {
  events: SecurityEventDto[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const querySchema = z.object({
  event: z.enum(SECURITY_EVENTS).optional(),
  userId: z
    .string()
    .transform(
      (text, ctx) => parseUserId(text) ?? (ctx.addIssue({ code: "custom", message: "not a user id" }), z.NEVER),
    )
    .optional(),
  before: z.string().regex(CURSOR, "expected a nextCursor value").transform(Number).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/** Query parameters to a query; a bad or repeated one is a 400 `invalid_request` naming its field. */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const input: Record<string, string> = {};
  for (const name of Object.keys(querySchema.shape)) {
    const values = params.getAll(name).filter((v) => v !== "");
    if (values.length > 1) throw new AppError("invalid_request", `give ${name} at most once`, { field: name });
    if (values.length === 1) input[name] = values[0]!;
  }
  const parsed = querySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "query");
    throw new AppError("invalid_request", `${field}: ${issue.message}`, { field });
  }
  return parsed.data;
}

type Row = Awaited<ReturnType<ReturnType<typeof db>["securityEvent"]["findMany"]>>[number];

function parseDetail(text: string): EventDetail {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as EventDetail) : {};
  } catch {
    // Written by this module as JSON; anything else was not, and is shown as no detail.
    return {};
  }
}

function toDto(row: Row): SecurityEventDto | null {
  if (!isSecurityEventName(row.event)) return null;
  return {
    id: row.id,
    at: row.at.toISOString(),
    event: row.event,
    userId: row.userId,
    sessionId: row.sessionId,
    ip: row.ip,
    userAgent: row.userAgent,
    detail: parseDetail(row.detail),
  };
}

export async function listSecurityEvents(query: AuditQuery): Promise<AuditPage> {
  const rows = await db().securityEvent.findMany({
    where: {
      ...(query.event ? { event: query.event } : {}),
      ...(query.userId !== undefined ? { userId: query.userId } : {}),
      ...(query.before !== undefined ? { id: { lt: query.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return {
    events: page.map(toDto).filter((e): e is SecurityEventDto => e !== null),
    nextCursor: more && page.length > 0 ? String(page[page.length - 1]!.id) : null,
  };
}

/** A user's own events, newest first; with `after`, only those written after that event id. */
export async function eventsOfUser(
  userId: number,
  options: { limit?: number; after?: number; events?: readonly string[] } = {},
): Promise<SecurityEventDto[]> {
  const rows = await db().securityEvent.findMany({
    where: {
      userId,
      ...(options.after !== undefined ? { id: { gt: options.after } } : {}),
      ...(options.events ? { event: { in: [...options.events] } } : {}),
    },
    orderBy: { id: "desc" },
    take: options.limit ?? 20,
  });
  return rows.map(toDto).filter((e): e is SecurityEventDto => e !== null);
}

/** The id of the newest event: a starting point for "what happened after this". */
export async function latestEventId(): Promise<number> {
  const newest = await db().securityEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return newest?.id ?? 0;
}

/** Events older than AUDIT_RETENTION_DAYS go (the maintenance sweep). */
export async function deleteExpiredEvents(
  now = stateClock.now(),
  {
    client = db(),
    batchSize,
    retentionDays = config().audit.retentionDays,
  }: BatchedSweep & { retentionDays?: number } = {},
): Promise<number> {
  const old = { at: { lt: new Date(now.getTime() - retentionDays * MS_PER_DAY) } };
  // In batches (delete-in-batches.ts) through the index on `at`.
  return deleteInBatches(async (size) => {
    const batch = await client.securityEvent.findMany({
      where: old,
      orderBy: { at: "asc" },
      take: size,
      select: { id: true },
    });
    if (batch.length === 0) return 0;
    const ids = batch.map((row) => row.id);
    return (await client.securityEvent.deleteMany({ where: { id: { in: ids }, ...old } })).count;
  }, batchSize);
}
