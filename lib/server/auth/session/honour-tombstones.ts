/**
 * A session store outside the database (Redis) that honours tombstones (tombstones.ts): a record whose
 * session ended while the store was unreachable reads as absent everywhere — the session check, the
 * sign-out, the session list — and the first read that meets it finishes the sign-out: deletes the
 * record, revokes the refresh families issued beside it and drops the tombstone.
 *
 * The session check pays no extra round trip: the store reads the user from the database anyway, and
 * that one statement also says whether a tombstone names the session (FastReads.userForSession).
 */
import "server-only";
import type { FastReads } from "@/lib/server/db/fast-reads";
import { log } from "@/lib/server/log";
import { revokeFamiliesOfSession } from "@/lib/server/auth/refresh/family-store";
import type { SessionRecord, SessionStore } from "@/lib/server/auth/session/store";
import { endedAmong, pendingTombstones, removeTombstone } from "@/lib/server/auth/session/tombstones";

class TombstoneHonouringStore implements SessionStore {
  constructor(
    private readonly inner: SessionStore,
    private readonly reads: () => FastReads,
  ) {}

  get kind() {
    return this.inner.kind;
  }

  /** A fresh random token: no tombstone can name it. */
  create(record: SessionRecord) {
    return this.inner.create(record);
  }

  async get(tokenHash: string) {
    const record = await this.inner.get(tokenHash);
    if (!record || !(await endedAmong([tokenHash])).has(tokenHash)) return record;
    await this.settle(record);
    return null;
  }

  /** Refresh and the strict check ask by public id: a tombstoned session is over for them too. */
  async getById(userId: number, id: string) {
    const record = await this.inner.getById(userId, id);
    if (!record || !(await endedAmong([record.tokenHash])).has(record.tokenHash)) return record;
    await this.settle(record);
    return null;
  }

  /**
   * Reads the user its own way, not through the caller's reader: the same statement says whether a
   * tombstone names the session (FastReads.userForSession).
   */
  async getWithUser(tokenHash: string) {
    let ended = false;
    const found = await this.inner.getWithUser(tokenHash, async (userId) => {
      const row = await this.reads().userForSession(userId, tokenHash);
      ended = row?.ended ?? false;
      return row?.user ?? null;
    });
    if (!found || !ended) return found;
    await this.settle(found.record);
    return null;
  }

  touch(tokenHash: string, lastSeenAt: Date, idleExpiresAt: Date) {
    return this.inner.touch(tokenHash, lastSeenAt, idleExpiresAt);
  }

  delete(tokenHash: string) {
    return this.inner.delete(tokenHash);
  }

  deleteById(userId: number, id: string) {
    return this.inner.deleteById(userId, id);
  }

  deleteByUser(userId: number, exceptTokenHash?: string) {
    return this.inner.deleteByUser(userId, exceptTokenHash);
  }

  async listByUser(userId: number) {
    const records = await this.inner.listByUser(userId);
    const ended = await endedAmong(records.map((r) => r.tokenHash));
    if (ended.size === 0) return records;
    for (const record of records) if (ended.has(record.tokenHash)) await this.settle(record);
    return records.filter((r) => !ended.has(r.tokenHash));
  }

  deleteExpired(now: Date) {
    return this.inner.deleteExpired(now);
  }

  ping() {
    return this.inner.ping();
  }

  close() {
    return this.inner.close();
  }

  /**
   * For the maintenance sweep: finishes every pending sign-out whose store answers again (a tombstone
   * whose record is already gone is simply dropped). Throws when the store or database fails.
   */
  async settlePending(): Promise<number> {
    let settled = 0;
    for (const tokenHash of await pendingTombstones()) {
      const record = await this.inner.get(tokenHash);
      if (record) await this.finish(record);
      else await removeTombstone(tokenHash);
      settled += 1;
    }
    return settled;
  }

  /** Finishes a sign-out the outage interrupted: the record's families, the record, then the tombstone. */
  private async finish(record: SessionRecord): Promise<void> {
    await revokeFamiliesOfSession(record.id, "logout");
    await this.inner.delete(record.tokenHash);
    await removeTombstone(record.tokenHash);
    log.info("session.tombstone_settled", { sessionId: record.id });
  }

  /** Best effort on a read: the session already reads as ended; a failed step is retried by the sweep. */
  private async settle(record: SessionRecord): Promise<void> {
    try {
      await this.finish(record);
    } catch (error) {
      log.warn("session.tombstone_settle_failed", { sessionId: record.id, error });
    }
  }
}

export interface SettlesTombstones {
  settlePending(): Promise<number>;
}

export function honourTombstones(store: SessionStore, reads: () => FastReads): SessionStore & SettlesTombstones {
  return new TombstoneHonouringStore(store, reads);
}
