/**
 * Session lifecycle: create at login, validate on each request (both timeouts enforced here, on the
 * server, whatever the cookie says), end at logout or revocation.
 *
 * OWASP Session Management Cheat Sheet: new random ID at every login (no fixation), idle and absolute
 * timeouts enforced server-side, IDs stored hashed.
 */
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { findUserById, type UserDto } from "@/lib/accounts/users";
import { PUBLIC_ID_BYTES, SESSION_TOKEN_BYTES, randomToken, sha256Hex } from "@/lib/auth/random";
import { sessionStore } from "./index";
import type { SessionRecord, SessionStore } from "./store";

/** Sliding expiry is written at most this often, so a busy session is not a write per request. */
const MAX_TOUCH_INTERVAL_MS = 60_000;

export type SessionValidation =
  | { session: SessionRecord; user: UserDto; timing: SessionTiming }
  | { session: null; user: null; timing: SessionTiming };

export interface SessionTiming {
  /** The store lookup, with the user read that goes with it. */
  storeMs: number;
  storeLookups: number;
}

function unavailable(store: SessionStore, cause: unknown): AppError {
  log.warn("session.store_unavailable", { store: store.kind, error: cause });
  return new AppError(
    "session_store_unavailable",
    `the ${store.kind} session store cannot be reached right now; signed-in pages are unavailable until it returns`,
    { "retry-after": "2" },
    { cause },
  );
}

/** Runs a store operation; any failure of the store itself becomes a 503, never a hang or a 500. */
export async function withStore<T>(fn: (store: SessionStore) => Promise<T>): Promise<T> {
  const store = sessionStore();
  try {
    return await fn(store);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unavailable(store, error);
  }
}

export async function createSession(
  userId: number,
  context: { ip: string | null; userAgent: string | null },
  now = new Date(),
): Promise<{ token: string; record: SessionRecord }> {
  const settings = config();
  const token = randomToken(SESSION_TOKEN_BYTES);
  const record: SessionRecord = {
    id: randomToken(PUBLIC_ID_BYTES),
    tokenHash: sha256Hex(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: new Date(now.getTime() + settings.sessionIdleTimeoutSeconds * 1000),
    expiresAt: new Date(now.getTime() + settings.sessionAbsoluteTimeoutSeconds * 1000),
    ip: context.ip,
    userAgent: context.userAgent,
  };
  await withStore((store) => store.create(record));
  return { token, record };
}

function touchIntervalMs(): number {
  return Math.min(MAX_TOUCH_INTERVAL_MS, (config().sessionIdleTimeoutSeconds * 1000) / 4);
}

export async function validateSessionToken(token: string, now = new Date(), tokenHash = sha256Hex(token)): Promise<SessionValidation> {
  const storeStart = performance.now();
  const found = await withStore((store) => store.getWithUser(tokenHash, findUserById));
  let storeMs = performance.now() - storeStart;
  const timing = (): SessionTiming => ({ storeMs, storeLookups: 1 });

  if (!found) return { session: null, user: null, timing: timing() };
  const { record, user } = found;
  if (!user || record.idleExpiresAt <= now || record.expiresAt <= now) {
    // Expired records (and orphans of deleted accounts) go on access as well as in the periodic sweep.
    await withStore((store) => store.delete(tokenHash));
    return { session: null, user: null, timing: timing() };
  }
  if (now.getTime() - record.lastSeenAt.getTime() >= touchIntervalMs()) {
    const idleExpiresAt = new Date(
      Math.min(now.getTime() + config().sessionIdleTimeoutSeconds * 1000, record.expiresAt.getTime()),
    );
    const touchStart = performance.now();
    await withStore((store) => store.touch(tokenHash, now, idleExpiresAt));
    storeMs += performance.now() - touchStart;
    record.lastSeenAt = now;
    record.idleExpiresAt = idleExpiresAt;
  }
  return { session: record, user, timing: timing() };
}

export async function deleteSessionByToken(token: string): Promise<void> {
  await withStore((store) => store.delete(sha256Hex(token)));
}

export function listSessions(userId: number) {
  return withStore((store) => store.listByUser(userId));
}

export function revokeSession(userId: number, sessionId: string) {
  return withStore((store) => store.deleteById(userId, sessionId));
}

export function revokeOtherSessions(userId: number, keepTokenHash?: string) {
  return withStore((store) => store.deleteByUser(userId, keepTokenHash));
}

export function storeKind() {
  return sessionStore().kind;
}
