/**
 * The node-postgres pool, with its failures sorted at the source.
 *
 * node-postgres reports what the server answered as a `DatabaseError` carrying a SQLSTATE code, and
 * socket failures with a Node error code (ECONNREFUSED, …). A few connection failures carry no code
 * at all: the pool's connect timeout, a connection dropped mid-query, a query read timeout. Rather
 * than recognise those by their wording, every error the pool or its clients raise that is neither a
 * server answer nor coded is re-raised here as `DatabaseConnectionLost`, whose code
 * lib/server/db/errors.ts recognises (Prisma keeps the code when it wraps the error).
 */
import "server-only";
import pg from "pg";

/** Prisma re-raises a driver error it does not know as PrismaClientKnownRequestError with the same code. */
export const CONNECTION_LOST_CODE = "AUTHLAB_DB_CONNECTION_LOST";

export class DatabaseConnectionLost extends Error {
  readonly code = CONNECTION_LOST_CODE;
  constructor(cause: Error) {
    super("the database connection failed", { cause });
    this.name = "DatabaseConnectionLost";
  }
}

function classify(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof pg.DatabaseError) return error;
  if (typeof (error as { code?: unknown }).code === "string") return error;
  return new DatabaseConnectionLost(error);
}

const rethrowClassified = (error: unknown): never => {
  throw classify(error);
};

function wrapQuery<T extends { query: pg.Pool["query"] }>(target: T): T {
  const query = target.query.bind(target) as (...args: unknown[]) => unknown;
  target.query = ((...args: unknown[]) => {
    const result = query(...args);
    // Callback-style calls return nothing; node-postgres uses them internally.
    return result instanceof Promise ? result.catch(rethrowClassified) : result;
  }) as T["query"];
  return target;
}

export function createPostgresPool(options: pg.PoolConfig): pg.Pool {
  const pool = wrapQuery(new pg.Pool(options));
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  pool.connect = ((...args: unknown[]) => {
    if (args.length > 0) return connect(...args);
    return (connect() as Promise<pg.PoolClient>).then((client) => wrapQuery(client), rethrowClassified);
  }) as pg.Pool["connect"];
  return pool;
}
