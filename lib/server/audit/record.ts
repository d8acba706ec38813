/**
 * Writing security events: beside the action that caused them, never in its way.
 *
 * `securityEvent()` returns at once. The metrics count the event there and then; the row is written
 * in the background, bounded: at most MAX_PENDING_WRITES at a time per process. A write that fails
 * (database down, table missing) or finds the queue full is logged and counted in
 * `authlab_audit_write_failures_total` — the sign-in, refresh or logout that raised it has already
 * answered, and is never failed by its audit record (OWASP Logging Cheat Sheet: logging must not be a
 * way to deny service).
 *
 * The request's address and user agent are added for the caller (from Next's request scope, with the
 * same rules as everywhere else: lib/edge/http/request-context.ts). Details pass the same filter as
 * the logs (lib/server/log.ts): fields named like secrets are dropped and token-like strings masked.
 */
import "server-only";
import { headers } from "next/headers";
import { processSingleton } from "@/lib/edge/singleton";
import { requestContext } from "@/lib/edge/http/request-context";
import { db } from "@/lib/server/db/client";
import { stateClock } from "@/lib/server/clock";
import { log, redactField } from "@/lib/server/log";
import { countAuditWriteFailure, countSecurityEvent } from "@/lib/server/observability/metrics-observer";
import {
  MAX_DETAIL_KEYS,
  MAX_DETAIL_STRING_LENGTH,
  type EventDetail,
  type SecurityEventFields,
  type SecurityEventName,
} from "./events";

/** Enough for a burst (a login storm) while the database is slow; beyond it, events are dropped and counted. */
export const MAX_PENDING_WRITES = 1000;
const SECRET_KEY = /pass(word)?|secret|token$|cookie|authorization|jwk|seal/i;

interface WriteQueue {
  pending: Set<Promise<void>>;
}

const queue = () => processSingleton("audit.queue", (): WriteQueue => ({ pending: new Set() }));

/** A flat object of short plain values; keys that name a secret are dropped, values masked like logs. */
export function sanitizeDetail(detail: EventDetail = {}): EventDetail {
  const clean: EventDetail = {};
  for (const [key, value] of Object.entries(detail).slice(0, MAX_DETAIL_KEYS)) {
    if (SECRET_KEY.test(key) || key.length > 40) continue;
    if (typeof value === "string") clean[key] = redactField(key, value).slice(0, MAX_DETAIL_STRING_LENGTH);
    else if (value === null || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))
      clean[key] = value;
  }
  return clean;
}

/** The caller's address and user agent, when this runs inside a request (route, action or page). */
async function requestClient(): Promise<{ ip: string | null; userAgent: string | null }> {
  try {
    const context = requestContext(await headers());
    return { ip: context.ip, userAgent: context.userAgent };
  } catch {
    // Outside a request (the maintenance timer, a script) there is no client to name.
    return { ip: null, userAgent: null };
  }
}

export interface Fields extends SecurityEventFields {
  /** Who the event is about, when it must be looked up first (e.g. the account behind a refresh family). */
  lookup?: () => Promise<Pick<SecurityEventFields, "userId" | "sessionId">>;
}

async function write(event: SecurityEventName, at: Date, fields: Fields, detail: EventDetail): Promise<void> {
  // Read the request scope now, synchronously with the caller, before anything is awaited.
  const client = requestClient();
  const known = fields.lookup ? { ...fields, ...(await fields.lookup()) } : fields;
  const { ip, userAgent } = await client;
  await db().securityEvent.create({
    data: {
      at,
      event,
      userId: known.userId ?? null,
      sessionId: known.sessionId ?? null,
      ip: known.ip !== undefined ? known.ip : ip,
      userAgent: known.userAgent !== undefined ? known.userAgent : userAgent,
      detail: JSON.stringify(detail),
    },
  });
}

/** Records a security event without waiting for it (a lookup, if any, runs in the background too). */
export function securityEvent(event: SecurityEventName, fields: Fields = {}): void {
  const detail = sanitizeDetail(fields.detail);
  countSecurityEvent(event, detail);
  const { pending } = queue();
  if (pending.size >= MAX_PENDING_WRITES) {
    countAuditWriteFailure("queue_full");
    log.warn("audit.queue_full", { auditEvent: event });
    return;
  }
  const at = stateClock.now();
  const done: Promise<void> = write(event, at, fields, detail)
    .catch((error: unknown) => {
      countAuditWriteFailure("write_failed");
      log.warn("audit.write_failed", { auditEvent: event, error });
    })
    .finally(() => pending.delete(done));
  pending.add(done);
}

/**
 * Resolves when the writes pending now have settled (or after `timeoutMs`): for a reader in this
 * process that wants to see what a request it just made wrote (the lab's experiment effects).
 */
export async function auditWritesSettled(timeoutMs = 1000): Promise<void> {
  const pending = [...queue().pending];
  if (pending.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.allSettled(pending), timeout]);
  clearTimeout(timer);
}
