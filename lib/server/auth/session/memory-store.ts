/**
 * A per-process Map. This is the seed note's problem made visible: every session lives in this one
 * process's memory, so a restart loses them all and another instance cannot see them.
 */
import "server-only";
import { stateClock } from "@/lib/server/clock";
import { yieldToEventLoop } from "@/lib/server/event-loop";
import { isExpired, type SessionRecord, type SessionStore, type UserReader } from "@/lib/server/auth/session/store";

/** Records examined between yields to the event loop during a sweep. */
const SWEEP_BATCH = 5_000;

export class MemorySessionStore implements SessionStore {
  readonly kind = "memory" as const;
  private readonly records = new Map<string, SessionRecord>();
  /** Public id → token hash, kept in step with `records`. */
  private readonly byId = new Map<string, string>();

  async create(record: SessionRecord) {
    this.records.set(record.tokenHash, { ...record });
    this.byId.set(record.id, record.tokenHash);
  }

  async get(tokenHash: string) {
    const record = this.records.get(tokenHash);
    return record ? { ...record } : null;
  }

  async getById(userId: number, id: string) {
    const tokenHash = this.byId.get(id);
    const record = tokenHash ? await this.get(tokenHash) : null;
    return record?.userId === userId ? record : null;
  }

  private remove(tokenHash: string) {
    const record = this.records.get(tokenHash);
    if (record) this.byId.delete(record.id);
    this.records.delete(tokenHash);
  }

  async getWithUser(tokenHash: string, readUser: UserReader) {
    const record = await this.get(tokenHash);
    return record ? { record, user: await readUser(record.userId) } : null;
  }

  async touch(tokenHash: string, lastSeenAt: Date, idleExpiresAt: Date) {
    const record = this.records.get(tokenHash);
    if (record) Object.assign(record, { lastSeenAt, idleExpiresAt });
  }

  async delete(tokenHash: string) {
    this.remove(tokenHash);
  }

  async deleteById(userId: number, id: string) {
    for (const [hash, record] of this.records) {
      if (record.userId === userId && record.id === id) {
        this.remove(hash);
        return true;
      }
    }
    return false;
  }

  async deleteByUser(userId: number, exceptTokenHash?: string) {
    let deleted = 0;
    for (const [hash, record] of this.records) {
      if (record.userId === userId && hash !== exceptTokenHash) {
        this.remove(hash);
        deleted++;
      }
    }
    return deleted;
  }

  async listByUser(userId: number) {
    const now = stateClock.now();
    return [...this.records.values()].filter((r) => r.userId === userId && !isExpired(r, now)).map((r) => ({ ...r }));
  }

  /**
   * Walks the whole Map, so it yields to the event loop every SWEEP_BATCH records: at a million
   * sessions one uninterrupted pass held every request back for seconds (bench/README.md, "Growth").
   * A Map iterator stays valid while records are added and deleted meanwhile.
   */
  async deleteExpired(now: Date) {
    let deleted = 0;
    let seen = 0;
    for (const [hash, record] of this.records) {
      if (isExpired(record, now)) {
        this.remove(hash);
        deleted++;
      }
      if (++seen % SWEEP_BATCH === 0) await yieldToEventLoop();
    }
    return deleted;
  }

  /** The lab's "restart" simulation: what a process restart does to this store. */
  wipe(): number {
    const count = this.records.size;
    this.records.clear();
    this.byId.clear();
    return count;
  }

  async ping() {
    return true;
  }

  async close() {}
}
