/**
 * Session lifecycle: create at login, validate on each request (both timeouts enforced here, on the
 * server, whatever the cookie says), end at logout or revocation.
 *
 * OWASP Session Management Cheat Sheet: new random ID at every login (no fixation), idle and absolute
 * timeouts enforced server-side, IDs stored hashed.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { log } from "@/lib/server/log";
import { findUserById, type UserDto } from "@/lib/server/accounts/users";
import { PUBLIC_ID_BYTES, SESSION_TOKEN_BYTES, randomToken } from "@/lib/server/auth/random";
import { sessionTokenHash, sessionTokensCarryShardTag, taggedSessionToken } from "@/lib/server/auth/session/shard-tag";
import { sessionStore } from "@/lib/server/auth/session/index";
import { isExpired, type SessionRecord, type SessionStore } from "@/lib/server/auth/session/store";
import { stateClock } from "@/lib/server/clock";
import { NO_RECORDER, timed, type Recorder } from "@/lib/edge/trace";
import { storeReachability } from "@/lib/server/observability/store-health";
import { StoreUnreachable, storeCircuit } from "@/lib/server/auth/session/store-circuit";

/** Sliding expiry is written at most this often, so a busy session is not a write per request. */
const MAX_TOUCH_INTERVAL_MS = 60_000;

/**
 * A live session, or none and why: `ended` — no record (signed out, revoked, or already swept);
 * `expired` — a record past its idle or absolute timeout, deleted now.
 */
export type SessionValidation =
  { session: SessionRecord; user: UserDto } | { session: null; user: null; ended: "ended" | "expired" };

function unavailable(store: SessionStore, cause: unknown): AppError {
  // The circuit's own refusals are not logged one by one: the failure that opened it was.
  if (!(cause instanceof StoreUnreachable)) log.warn("session.store_unavailable", { store: store.kind, error: cause });
  return new AppError(
    "session_store_unavailable",
    `the ${store.kind} session store cannot be reached right now; signed-in pages are unavailable until it returns`,
    { headers: { "retry-after": "2" }, cause },
  );
}

/** An AppError is the store answering (a refusal); anything else means it could not be reached. */
const unreachable = (error: unknown) => !(error instanceof AppError);

/**
 * Runs a store operation; any failure of the store itself becomes a 503, never a hang or a 500. While
 * the store is known to be down, the 503 comes at once (store-circuit.ts).
 */
export async function withStore<T>(fn: (store: SessionStore) => Promise<T>): Promise<T> {
  const store = sessionStore();
  try {
    // A Redis Cluster fails one shard at a time, and one shard's outage must not refuse the others:
    // there the cluster client's own per-node handling decides (docs/redis-cluster.md).
    const result = sessionTokensCarryShardTag()
      ? await fn(store)
      : await storeCircuit(store.kind).run(
          () => fn(store),
          unreachable,
          () => store.ping(),
        );
    storeReachability(store.kind, true);
    return result;
  } catch (error) {
    if (error instanceof AppError) throw error;
    storeReachability(store.kind, false);
    throw unavailable(store, error);
  }
}

/**
 * Refuses at once, as the store would, while the store is known to be unreachable: for work that can
 * only end at the store and is dear before it gets there. A sign-in verifies its password (argon2id,
 * queued behind every other sign-in) before it creates the session, so without this check its 503
 * came only after its turn in the hashing queue.
 */
export function refuseWhileStoreDown(): void {
  if (sessionTokensCarryShardTag()) return;
  const store = sessionStore();
  try {
    storeCircuit(store.kind).refuseIfOpen(() => store.ping());
  } catch (error) {
    throw unavailable(store, error);
  }
}

export async function createSession(
  userId: number,
  context: { ip: string | null; userAgent: string | null },
  now = stateClock.now(),
): Promise<{ token: string; record: SessionRecord }> {
  const settings = config();
  const random = randomToken(SESSION_TOKEN_BYTES);
  // On a Redis Cluster the token names its owner's hash slot (shard-tag.ts).
  const token = sessionTokensCarryShardTag() ? taggedSessionToken(userId, random) : random;
  const record: SessionRecord = {
    id: randomToken(PUBLIC_ID_BYTES),
    tokenHash: sessionTokenHash(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: new Date(now.getTime() + settings.session.idleTimeoutSeconds * 1000),
    expiresAt: new Date(now.getTime() + settings.session.absoluteTimeoutSeconds * 1000),
    ip: context.ip,
    userAgent: context.userAgent,
  };
  await withStore((store) => store.create(record));
  return { token, record };
}

function touchIntervalMs(): number {
  return Math.min(MAX_TOUCH_INTERVAL_MS, (config().session.idleTimeoutSeconds * 1000) / 4);
}

export interface ValidateOptions {
  /** The session's "now": the state clock unless given (lib/server/clock.ts). */
  now?: Date;
  /** The token's store key (sessionTokenHash) when the caller already has it (the unseal memo keeps it). */
  tokenHash?: string;
  recorder?: Recorder;
  /**
   * Write the sliding idle expiry now, not at most once a minute: the cookie cache does when it seals a
   * new snapshot, so the expiry the snapshot carries is the one the store holds.
   */
  touchNow?: boolean;
}

export async function validateSessionToken(token: string, options: ValidateOptions = {}): Promise<SessionValidation> {
  const {
    now = stateClock.now(),
    tokenHash = sessionTokenHash(token),
    recorder = NO_RECORDER,
    touchNow = false,
  } = options;
  const store = sessionStore();
  recorder.storeLookup();
  const found = await timed(
    recorder,
    "store",
    () => withStore((s) => s.getWithUser(tokenHash, findUserById)),
    store.kind,
  );

  if (!found) return { session: null, user: null, ended: "ended" };
  const { record, user } = found;
  if (!user || isExpired(record, now)) {
    // Expired records (and orphans of deleted accounts) go on access as well as in the periodic sweep.
    await withStore((s) => s.delete(tokenHash));
    return { session: null, user: null, ended: user ? "expired" : "ended" };
  }
  await slideIdleExpiry(record, now, recorder, touchNow ? 0 : touchIntervalMs());
  return { session: record, user };
}

/** Use of a session moves its idle expiry forward (never past the absolute one), at most once a minute. */
async function slideIdleExpiry(
  record: SessionRecord,
  now: Date,
  recorder: Recorder,
  intervalMs = touchIntervalMs(),
): Promise<void> {
  if (now.getTime() - record.lastSeenAt.getTime() < intervalMs) return;
  const idleExpiresAt = new Date(
    Math.min(now.getTime() + config().session.idleTimeoutSeconds * 1000, record.expiresAt.getTime()),
  );
  const store = sessionStore();
  await timed(recorder, "store", () => withStore((s) => s.touch(record.tokenHash, now, idleExpiresAt)), store.kind);
  record.lastSeenAt = now;
  record.idleExpiresAt = idleExpiresAt;
}

export interface LiveSessionOptions {
  /** The session's "now": the state clock unless given (lib/server/clock.ts). */
  now?: Date;
  /** Count this as use of the session (a refresh does; the strict check only looks). */
  touch?: boolean;
  recorder?: Recorder;
}

/**
 * One of a user's sessions by public id if it is live (present and within both timeouts), else null.
 * Refresh-token rotation and the strict check require it: a refresh family ends with its session (SECURITY.md). An unreachable store is a
 * 503, never a guess either way.
 */
export async function findLiveSession(
  userId: number,
  id: string,
  options: LiveSessionOptions = {},
): Promise<SessionRecord | null> {
  const { now = stateClock.now(), touch = false, recorder = NO_RECORDER } = options;
  recorder.storeLookup();
  const record = await timed(recorder, "store", () => withStore((s) => s.getById(userId, id)), sessionStore().kind);
  if (!record) return null;
  if (isExpired(record, now)) {
    await withStore((s) => s.delete(record.tokenHash));
    return null;
  }
  if (touch) await slideIdleExpiry(record, now, recorder);
  return record;
}

export async function deleteSessionByHash(tokenHash: string): Promise<void> {
  await withStore((store) => store.delete(tokenHash));
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
