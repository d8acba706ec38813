/**
 * Sessions in Redis: the "session cluster" every instance shares — one server, a primary behind
 * Sentinel, or a Redis Cluster sharded by hash slot.
 *
 * Each record is a JSON string expiring (PX) when the session would, so Redis itself removes it, and
 * each user has a SET of their records' token hashes, for listing and "sign out everywhere". Stale
 * members of a user's set (records Redis already expired) are pruned when listed and by the sweep.
 * Where the keys live is redis-keys.ts: on a cluster a user's index and records share a hash tag, so
 * every MULTI and MGET below stays in one slot.
 */
import "server-only";
import { stateClock } from "@/lib/server/clock";
import type { Cluster, Redis } from "ioredis";
import {
  effectiveExpiry,
  isExpired,
  type SessionRecord,
  type SessionStore,
  type UserReader,
} from "@/lib/server/auth/session/store";
import { whenReady, type RedisClient } from "@/lib/server/redis/client";
import {
  DEFAULT_SESSION_KEY_PREFIX,
  flatLayout,
  hashTaggedLayout,
  type SessionKeyLayout,
} from "@/lib/server/auth/session/redis-keys";

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
  private readonly keys: SessionKeyLayout;

  constructor(
    private readonly redis: RedisClient,
    prefix = DEFAULT_SESSION_KEY_PREFIX,
  ) {
    this.keys = redis.isCluster ? hashTaggedLayout(prefix) : flatLayout(prefix);
  }

  private userKey(userId: number) {
    return this.keys.index(userId);
  }

  /** The keys of these records (token hashes this layout cannot place name no record and are left out). */
  private recordKeys(hashes: string[]): { hashes: string[]; keys: string[] } {
    const placed = hashes.flatMap((h) => {
      const key = this.keys.record(h);
      return key ? [{ h, key }] : [];
    });
    return { hashes: placed.map((p) => p.h), keys: placed.map((p) => p.key) };
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
    return Math.max(1, effectiveExpiry(record).getTime() - stateClock.nowMs());
  }

  private async ready() {
    await whenReady(this.redis);
    return this.redis;
  }

  async create(record: SessionRecord) {
    const key = this.keys.record(record.tokenHash);
    // On a cluster the record must share its owner's slot, or no list or sign-out-everywhere would find it.
    if (!key || !this.keys.accepts(record.tokenHash, record.userId))
      throw new Error("this session token does not carry its owner's hash tag");
    const redis = await this.ready();
    const userKey = this.userKey(record.userId);
    await redis
      .multi()
      .set(key, this.encode(record), "PX", this.ttlMs(record))
      .sadd(userKey, record.tokenHash)
      // The index lives as long as the longest session it may list.
      .pexpireat(userKey, record.expiresAt.getTime(), "GT")
      .pexpireat(userKey, record.expiresAt.getTime(), "NX")
      .exec()
      .then(failOnTransactionError);
  }

  async get(tokenHash: string) {
    const key = this.keys.record(tokenHash);
    if (!key) return null;
    const redis = await this.ready();
    return this.decode(tokenHash, await redis.get(key));
  }

  /**
   * Through the user's index rather than a key per public id: the user's sessions are few (bounded by
   * MAX_SESSIONS_PER_USER), and records written before this method existed are found too.
   */
  async getById(userId: number, id: string) {
    const redis = await this.ready();
    const { hashes, keys } = this.recordKeys(await this.hashesOf(userId));
    if (hashes.length === 0) return null;
    const raws = await redis.mget(keys);
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
    const key = this.keys.record(tokenHash);
    if (!current || !key) return;
    const updated = { ...current, lastSeenAt, idleExpiresAt };
    // XX: never resurrect a record that was deleted (logout, revoke) between the read and this write.
    await this.redis.set(key, this.encode(updated), "PX", this.ttlMs(updated), "XX");
  }

  async delete(tokenHash: string) {
    const key = this.keys.record(tokenHash);
    if (!key) return;
    const redis = await this.ready();
    const record = await this.get(tokenHash);
    const tx = redis.multi().del(key);
    if (record) tx.srem(this.userKey(record.userId), tokenHash);
    await tx.exec().then(failOnTransactionError);
  }

  private async hashesOf(userId: number) {
    const redis = await this.ready();
    return redis.smembers(this.userKey(userId));
  }

  async listByUser(userId: number) {
    const redis = await this.ready();
    const members = await this.hashesOf(userId);
    if (members.length === 0) return [];
    const { hashes, keys } = this.recordKeys(members);
    const raws = hashes.length > 0 ? await redis.mget(keys) : [];
    const records: SessionRecord[] = [];
    const gone: string[] = members.filter((h) => !hashes.includes(h));
    raws.forEach((raw, i) => {
      const record = this.decode(hashes[i]!, raw);
      if (record && !isExpired(record, stateClock.now())) records.push(record);
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
    const { keys } = this.recordKeys(doomed);
    const tx = redis.multi();
    if (keys.length > 0) tx.del(...keys);
    const results = await tx
      .srem(this.userKey(userId), ...doomed)
      .exec()
      .then(failOnTransactionError);
    return keys.length > 0 ? Number(results[0]) : 0;
  }

  /**
   * Records expire on their own (PX); this prunes user indexes that point at them. SCAN walks one
   * server's keyspace, so on a cluster every primary is scanned (Redis docs, SCAN: "in cluster mode
   * … only the keys of the node").
   */
  async deleteExpired() {
    const redis = await this.ready();
    let pruned = 0;
    for (const node of primaries(redis)) {
      let cursor = "0";
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", this.keys.indexPattern, "COUNT", SWEEP_SCAN_COUNT);
        cursor = next;
        for (const key of keys) {
          const userId = this.keys.userOfIndex(key);
          if (userId === null) continue;
          const before = await redis.scard(key);
          const alive = await this.listByUser(userId);
          pruned += before - alive.length;
        }
      } while (cursor !== "0");
    }
    return pruned;
  }

  /** On a cluster, every primary answers: a shard that does not leaves some sessions unreachable. */
  async ping() {
    try {
      const redis = await this.ready();
      const answers = await Promise.all(primaries(redis).map((node) => node.ping()));
      return answers.length > 0 && answers.every((answer) => answer === "PONG");
    } catch {
      return false;
    }
  }

  async close() {
    this.redis.disconnect();
  }
}

/** The servers that hold data: the one server, or each primary of a cluster as the client knows them. */
function primaries(redis: RedisClient): Redis[] {
  return redis.isCluster ? (redis as Cluster).nodes("master") : [redis as Redis];
}

/** ioredis resolves MULTI with per-command [error, result] pairs; any error fails the whole call. */
function failOnTransactionError(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis transaction aborted");
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}
