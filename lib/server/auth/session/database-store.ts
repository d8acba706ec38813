/**
 * Sessions in the database through Prisma: they survive restarts and are shared by every instance
 * that uses the same database.
 */
import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { FastReads } from "@/lib/server/db/fast-reads";
import * as clock from "@/lib/server/clock";
import { sessionRecordFromRow, type SessionRecord, type SessionStore } from "@/lib/server/auth/session/store";

export class DatabaseSessionStore implements SessionStore {
  readonly kind = "database" as const;

  constructor(
    private readonly db: () => Db,
    private readonly reads: () => FastReads,
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
    const now = clock.now();
    const rows = await this.db().session.findMany({
      where: { userId, idleExpiresAt: { gt: now }, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
    });
    return rows.map(sessionRecordFromRow);
  }

  async deleteExpired(now: Date) {
    const result = await this.db().session.deleteMany({
      where: { OR: [{ idleExpiresAt: { lte: now } }, { expiresAt: { lte: now } }] },
    });
    return result.count;
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
