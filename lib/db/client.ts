/**
 * The Prisma client, one per process, through a driver adapter (Prisma 7: no engine binary).
 *
 * Kept on globalThis because Next bundles route handlers and server components separately; a
 * module-level singleton could otherwise be instantiated once per bundle.
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/sqlite/client";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { SQLITE_BUSY_TIMEOUT_MS, sqliteFilePath } from "./sqlite-path";
import { sqliteFastReads, type FastReads } from "./fast-reads";

export type Db = PrismaClient;

export function createSqliteClient(databaseUrl: string): Db {
  const adapter = new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl), timeout: SQLITE_BUSY_TIMEOUT_MS });
  const client = new PrismaClient({ adapter });
  // WAL lets readers proceed while one writer commits; it is persistent, the migrator sets it too.
  // synchronous=NORMAL is the documented safe pairing with WAL (sqlite.org/pragma.html#pragma_synchronous).
  client
    .$queryRawUnsafe("PRAGMA journal_mode = WAL")
    .then(() => client.$executeRawUnsafe("PRAGMA synchronous = NORMAL"))
    .catch((error: unknown) => log.warn("sqlite.pragma_failed", { error }));
  return client;
}

const GLOBAL_KEY = Symbol.for("authlab.prisma");
const READS_KEY = Symbol.for("authlab.fastReads");
type GlobalWithPrisma = typeof globalThis & { [GLOBAL_KEY]?: Db; [READS_KEY]?: FastReads };

export function db(): Db {
  const store = globalThis as GlobalWithPrisma;
  store[GLOBAL_KEY] ??= createSqliteClient(config().databaseUrl);
  return store[GLOBAL_KEY];
}

/** The driver-level reads for the hot path (see fast-reads.ts). */
export function fastReads(): FastReads {
  const store = globalThis as GlobalWithPrisma;
  store[READS_KEY] ??= sqliteFastReads(config().databaseUrl);
  return store[READS_KEY];
}
