/**
 * The database, one per process: a Prisma client through a driver adapter (Prisma 7: no engine
 * binary) and the driver-level reads for the hot path (fast-reads.ts), over SQLite or PostgreSQL
 * depending on DATABASE_URL. Application code sees one `Db` type either way: both clients are
 * generated from the same model (the PostgreSQL schema is derived from the SQLite one).
 *
 * One per process (processSingleton): Next bundles route handlers and server components separately,
 * and a module-level singleton could otherwise be instantiated once per bundle.
 */
import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/postgresql/client";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { log } from "@/lib/server/log";
import { SQLITE_BUSY_TIMEOUT_MS, sqliteFilePath } from "@/lib/server/db/sqlite-path";
import { createPostgresPool } from "./postgres-pool";
import { AUTO_CHECKPOINT_PAGES, NO_AUTO_CHECKPOINT } from "@/lib/server/db/sqlite-tuning";
import { startCheckpointer, type Checkpointer } from "@/lib/server/db/sqlite-checkpointer";
import { postgresFastReads, sqliteFastReads, type FastReads } from "@/lib/server/db/fast-reads";

export type Db = PrismaClient;

/** A connection attempt gives up after this long, so a dead database means a prompt 503, not a hang. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 2000;
/** The server cancels any statement running longer (and the client stops waiting a little later). */
export const POSTGRES_STATEMENT_TIMEOUT_MS = 10_000;
const POSTGRES_IDLE_TIMEOUT_MS = 30_000;

export interface Database {
  kind: "sqlite" | "postgresql";
  client: Db;
  reads: FastReads;
  close(): Promise<void>;
}

export function createSqliteClient(databaseUrl: string, options: { checkpointsElsewhere?: boolean } = {}): Db {
  const adapter = new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl), timeout: SQLITE_BUSY_TIMEOUT_MS });
  const client = new PrismaClient({ adapter });
  // WAL lets readers proceed while one writer commits; it is persistent, the migrator sets it too.
  // synchronous=NORMAL is the documented safe pairing with WAL (sqlite.org/pragma.html#pragma_synchronous).
  // The rest: sqlite-tuning.ts.
  const pragmas = ["synchronous = NORMAL", ...(options.checkpointsElsewhere ? [NO_AUTO_CHECKPOINT] : [])];
  client
    .$queryRawUnsafe("PRAGMA journal_mode = WAL")
    .then(async () => {
      for (const pragma of pragmas) await client.$queryRawUnsafe(`PRAGMA ${pragma}`);
    })
    .catch((error: unknown) => log.warn("sqlite.pragma_failed", { error }));
  return client;
}

/** The server's SQLite: checkpoints on their own thread, and SQLite's own back if that thread stops. */
function openServedSqlite(databaseUrl: string): { client: Db; checkpointer: Checkpointer } {
  const client = createSqliteClient(databaseUrl, { checkpointsElsewhere: true });
  const checkpointer = startCheckpointer(sqliteFilePath(databaseUrl), () => {
    client
      .$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
      .catch((error: unknown) => log.warn("sqlite.pragma_failed", { error }));
  });
  return { client, checkpointer };
}

export function openDatabase(databaseUrl: string, poolMax = 10): Database {
  if (databaseUrl.startsWith("file:")) {
    const { client, checkpointer } = openServedSqlite(databaseUrl);
    const reads = sqliteFastReads(databaseUrl);
    return {
      kind: "sqlite",
      client,
      reads,
      async close() {
        await checkpointer.stop();
        await client.$disconnect();
        await reads.close();
      },
    };
  }
  // One pool for Prisma and the fast reads, so the connection limit is one number.
  const pool = createPostgresPool({
    connectionString: databaseUrl,
    max: poolMax,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: POSTGRES_IDLE_TIMEOUT_MS,
    statement_timeout: POSTGRES_STATEMENT_TIMEOUT_MS,
    query_timeout: POSTGRES_STATEMENT_TIMEOUT_MS + 1000,
  });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on("error", (error) => log.warn("postgres.connection_lost", { error }));
  const adapter = new PrismaPg(pool);
  const client = new PostgresPrismaClient({ adapter }) as unknown as Db;
  return {
    kind: "postgresql",
    client,
    reads: postgresFastReads(pool),
    async close() {
      await client.$disconnect();
      await pool.end();
    },
  };
}

function database(): Database {
  return processSingleton("database", () => openDatabase(config().database.url, config().database.poolMax));
}

export function db(): Db {
  return database().client;
}

/** The driver-level reads for the hot path (see fast-reads.ts). */
export function fastReads(): FastReads {
  return database().reads;
}
