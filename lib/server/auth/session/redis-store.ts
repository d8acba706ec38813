/**
 * Sessions in Redis: the "session cluster" every instance shares.
 *
 * Keys (all under one prefix so a shared Redis stays tidy):
 *   <prefix>s:<tokenHash>  JSON record, expiring (PX) when the session would: Redis itself removes it.
 *   <prefix>u:<userId>     SET of the user's token hashes, for listing and "sign out everywhere".
 * Stale members of a user's set (records Redis already expired) are pruned when listed and by the sweep.
 */
import "server-only";
import * as clock from "@/lib/server/clock";
import type { Redis } from "ioredis";
import {
  effectiveExpiry,
  isExpired,
  type SessionRecord,
  type SessionStore,
  type UserReader,
} from "@/lib/server/auth/session/store";
import { whenReady } from "@/lib/server/redis/client";

interface StoredRecord extends Omit<
  SessionRecord,
  "createdAt" | "lastSeenAt" | "idleExpiresAt" | "expiresAt" | "tokenHash"
> {
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  expiresAt: number;
}

const SWEEP_SCAN_COUNT = 200;

export class RedisSessionStore implements SessionStore {
  readonly kind = "redis" as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = "authlab:",
  ) {}

  private recordKey(tokenHash: string) {
    return `${this.prefix}s:${tokenHash}`;
  }

  private userKey(userId: number) {
    return `${this.prefix}u:${userId}`;
  }

  private encode(record: SessionRecord): string {
    const stored: StoredRecord = {
      id: record.id,
      userId: record.userId,
      ip: record.ip,
      userAgent: record.userAgent,
      createdAt: record.createdAt.getTime(),
      lastSeenAt: record.lastSeenAt.getTime(),
      idleExpiresAt: record.idleExpiresAt.getTime(),
      expiresAt: record.expiresAt.getTime(),
    };
    return JSON.stringify(stored);
  }

  private decode(tokenHash: string, raw: string | null): SessionRecord | null {
    if (raw === null) return null;
    const stored = JSON.parse(raw) as StoredRecord;
    return {
      id: stored.id,
      tokenHash,
      userId: stored.userId,
      ip: stored.ip,
      userAgent: stored.userAgent,
      createdAt: new Date(stored.createdAt),
      lastSeenAt: new Date(stored.lastSeenAt),
      idleExpiresAt: new Date(stored.idleExpiresAt),
      expiresAt: new Date(stored.expiresAt),
    };
  }

  private ttlMs(record: SessionRecord) {
    return Math.max(1, effectiveExpiry(record).getTime() - clock.nowMs());
  }

  private async ready() {
    await whenReady(this.redis);
    return this.redis;
  }

  async create(record: SessionRecord) {
    const redis = await this.ready();
    const userKey = this.userKey(record.userId);
    await redis
      .multi()
      .set(this.recordKey(record.tokenHash), this.encode(record), "PX", this.ttlMs(record))
      .sadd(userKey, record.tokenHash)
      // The index lives as long as the longest session it may list.
      .pexpireat(userKey, record.expiresAt.getTime(), "GT")
      .pexpireat(userKey, record.expiresAt.getTime(), "NX")
      .exec()
      .then(failOnTransactionError);
  }

  async get(tokenHash: string) {
    const redis = await this.ready();
    return this.decode(tokenHash, await redis.get(this.recordKey(tokenHash)));
  }

  /**
   * Through the user's index rather than a key per public id: the user's sessions are few (bounded by
   * MAX_SESSIONS_PER_USER), and records written before this method existed are found too.
   */
  async getById(userId: number, id: string) {
    const redis = await this.ready();
    const hashes = await this.hashesOf(userId);
    if (hashes.length === 0) return null;
    const raws = await redis.mget(hashes.map((h) => this.recordKey(h)));
    for (const [i, raw] of raws.entries()) {
      const record = this.decode(hashes[i]!, raw);
      if (record?.id === id && record.userId === userId) return record;
    }
    return null;
  }

  async getWithUser(tokenHash: string, readUser: UserReader) {
    const record = await this.get(tokenHash);
    return record ? { record, user: await readUser(record.userId) } : null;
  }

  async touch(tokenHash: string, lastSeenAt: Date, idleExpiresAt: Date) {
    const current = await this.get(tokenHash);
    if (!current) return;
    const updated = { ...current, lastSeenAt, idleExpiresAt };
    // XX: never resurrect a record that was deleted (logout, revoke) between the read and this write.
    await this.redis.set(this.recordKey(tokenHash), this.encode(updated), "PX", this.ttlMs(updated), "XX");
  }

  async delete(tokenHash: string) {
    const redis = await this.ready();
    const record = await this.get(tokenHash);
    const tx = redis.multi().del(this.recordKey(tokenHash));
    if (record) tx.srem(this.userKey(record.userId), tokenHash);
    await tx.exec().then(failOnTransactionError);
  }

  private async hashesOf(userId: number) {
    const redis = await this.ready();
    return redis.smembers(this.userKey(userId));
  }

  async listByUser(userId: number) {
    const redis = await this.ready();
    const hashes = await this.hashesOf(userId);
    if (hashes.length === 0) return [];
    const raws = await redis.mget(hashes.map((h) => this.recordKey(h)));
    const records: SessionRecord[] = [];
    const gone: string[] = [];
    raws.forEach((raw, i) => {
      const record = this.decode(hashes[i]!, raw);
      if (record && !isExpired(record, clock.now())) records.push(record);
      else gone.push(hashes[i]!);
    });
    if (gone.length > 0) await redis.srem(this.userKey(userId), ...gone);
    return records;
  }

  async deleteById(userId: number, id: string) {
    const target = (await this.listByUser(userId)).find((r) => r.id === id);
    if (!target) return false;
    await this.delete(target.tokenHash);
    return true;
  }

  async deleteByUser(userId: number, exceptTokenHash?: string) {
    const redis = await this.ready();
    const doomed = (await this.hashesOf(userId)).filter((h) => h !== exceptTokenHash);
    if (doomed.length === 0) return 0;
    const results = await redis
      .multi()
      .del(...doomed.map((h) => this.recordKey(h)))
      .srem(this.userKey(userId), ...doomed)
      .exec()
      .then(failOnTransactionError);
    return Number(results[0]);
  }

  /** Records expire on their own (PX); this prunes user indexes that point at them. */
  async deleteExpired() {
    const redis = await this.ready();
    let cursor = "0";
    let pruned = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${this.prefix}u:*`, "COUNT", SWEEP_SCAN_COUNT);
      cursor = next;
      for (const key of keys) {
        const userId = Number(key.slice(`${this.prefix}u:`.length));
        if (!Number.isInteger(userId)) continue;
        const before = await redis.scard(key);
        const alive = await this.listByUser(userId);
        pruned += before - alive.length;
      }
    } while (cursor !== "0");
    return pruned;
  }

  async ping() {
    try {
      const redis = await this.ready();
      return (await redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close() {
    this.redis.disconnect();
  }
}

/** ioredis resolves MULTI with per-command [error, result] pairs; any error fails the whole call. */
function failOnTransactionError(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis transaction aborted");
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}
