/**
 * Sessions in the database through Prisma: they survive restarts and are shared by every instance
 * that uses the same database.
 */
import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { FastReads } from "@/lib/server/db/fast-reads";
import * as clock from "@/lib/server/clock";
import { sessionRecordFromRow, type SessionRecord, type SessionStore } from "@/lib/server/auth/session/store";

/** Primary-key range the sweep deletes from per statement; the event loop serves requests between them. */
const SWEEP_BATCH = 5_000;

export class DatabaseSessionStore implements SessionStore {
  readonly kind = "database" as const;

  constructor(
    private readonly db: () => Db,
    private readonly reads: () => FastReads,
    private readonly sweepBatch = SWEEP_BATCH,
  ) {}

  async create(record: SessionRecord) {
    const { id, ...rest } = record;
    await this.db().session.create({ data: { publicId: id, ...rest } });
  }

  async get(tokenHash: string) {
    const row = await this.db().session.findUnique({ where: { tokenHash } });
    return row ? sessionRecordFromRow(row) : null;
  }

  /** One joined query through the driver (fast-reads.ts): the hot path of every session check. */
  async getWithUser(tokenHash: string) {
    return this.reads().sessionWithUser(tokenHash);
  }

  async touch(tokenHash: string, lastSeenAt: Date, idleExpiresAt: Date) {
    await this.db().session.updateMany({ where: { tokenHash }, data: { lastSeenAt, idleExpiresAt } });
  }

  async delete(tokenHash: string) {
    await this.db().session.deleteMany({ where: { tokenHash } });
  }

  async deleteById(userId: number, id: string) {
    const result = await this.db().session.deleteMany({ where: { userId, publicId: id } });
    return result.count > 0;
  }

  async deleteByUser(userId: number, exceptTokenHash?: string) {
    const result = await this.db().session.deleteMany({
      where: { userId, ...(exceptTokenHash ? { tokenHash: { not: exceptTokenHash } } : {}) },
    });
    return result.count;
  }

  async listByUser(userId: number) {
    const now = clock.now();
    const rows = await this.db().session.findMany({
      where: { userId, idleExpiresAt: { gt: now }, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
    });
    return rows.map(sessionRecordFromRow);
  }

  /**
   * In batches along the primary key. One DELETE over every row had SQLite's synchronous driver —
   * and with it every request the process serves — busy for seconds at a million sessions (nothing
   * indexes the idle expiry, so each sweep reads the whole table; bench/README.md, "Growth"). Each
   * batch is a bounded key range; the whole table is still read once per sweep, a little at a time.
   */
  async deleteExpired(now: Date) {
    const expired = { OR: [{ idleExpiresAt: { lte: now } }, { expiresAt: { lte: now } }] };
    let deleted = 0;
    let after: string | null = null;
    for (;;) {
      const from: { gt?: string } = after === null ? {} : { gt: after };
      const [last] = await this.db().session.findMany({
        where: { tokenHash: from },
        orderBy: { tokenHash: "asc" },
        skip: this.sweepBatch - 1,
        take: 1,
        select: { tokenHash: true },
      });
      const range = last ? { ...from, lte: last.tokenHash } : from;
      deleted += (await this.db().session.deleteMany({ where: { tokenHash: range, ...expired } })).count;
      if (!last) return deleted;
      after = last.tokenHash;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async ping() {
    try {
      await this.db().$queryRawUnsafe("SELECT 1");
      return true;
    } catch {
      return false;
    }
  }

  async close() {}
}
