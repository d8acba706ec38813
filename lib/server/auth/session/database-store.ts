/**
 * Sessions in the database through Prisma: they survive restarts and are shared by every instance
 * that uses the same database.
 */
import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { FastReads } from "@/lib/server/db/fast-reads";
import { stateClock } from "@/lib/server/clock";
import { yieldToEventLoop } from "@/lib/server/event-loop";
import type { SessionStore } from "@/lib/server/auth/session/store";
import { sessionRecordFromRow, type SessionRecord } from "@/lib/server/db/session-rows";

/** The sweep reads the expiry of this many records (a primary-key range) per statement… */
const SWEEP_SCAN = 500;
/** …and deletes at most this many per statement: each deletion also rewrites four index entries. */
const SWEEP_DELETE = 25;

export class DatabaseSessionStore implements SessionStore {
  readonly kind = "database" as const;

  constructor(
    private readonly db: () => Db,
    private readonly reads: () => FastReads,
    private readonly sweep = { scan: SWEEP_SCAN, delete: SWEEP_DELETE },
  ) {}

  async create(record: SessionRecord) {
    const { id, ...rest } = record;
    await this.db().session.create({ data: { publicId: id, ...rest } });
  }

  async get(tokenHash: string) {
    const row = await this.db().session.findUnique({ where: { tokenHash } });
    return row ? sessionRecordFromRow(row) : null;
  }

  async getById(userId: number, id: string) {
    const row = await this.db().session.findUnique({ where: { publicId: id } });
    return row && row.userId === userId ? sessionRecordFromRow(row) : null;
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
    const now = stateClock.now();
    const rows = await this.db().session.findMany({
      where: { userId, idleExpiresAt: { gt: now }, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
    });
    return rows.map(sessionRecordFromRow);
  }

  /**
   * In small steps, yielding to the event loop between them. One DELETE over every expired row had
   * SQLite's synchronous driver — and with it every request the process serves — busy for seconds at
   * a million sessions: nothing indexes the idle expiry, so the table is read in full, and each row
   * deleted rewrites four index entries (bench/README.md, "Growth"). Here each statement reads the
   * expiry of at most SWEEP_SCAN records (a primary-key range) or deletes at most SWEEP_DELETE; the
   * table is still read once per sweep, a little at a time. A record touched meanwhile is kept: the
   * DELETE checks the expiry again.
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
        skip: this.sweep.scan - 1,
        take: 1,
        select: { tokenHash: true },
      });
      const range = last ? { ...from, lte: last.tokenHash } : from;
      const doomed = await this.db().session.findMany({
        where: { tokenHash: range, ...expired },
        select: { tokenHash: true },
      });
      for (let i = 0; i < doomed.length; i += this.sweep.delete) {
        const batch = doomed.slice(i, i + this.sweep.delete).map((row) => row.tokenHash);
        deleted += (await this.db().session.deleteMany({ where: { tokenHash: { in: batch }, ...expired } })).count;
        await yieldToEventLoop();
      }
      if (!last) return deleted;
      after = last.tokenHash;
      await yieldToEventLoop();
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
