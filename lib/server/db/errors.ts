/**
 * Recognising database failures by Prisma's stable error codes, never by message text.
 * https://www.prisma.io/docs/orm/reference/error-reference
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { CONNECTION_LOST_CODE } from "./postgres-pool";

function prismaCode(error: unknown): string | undefined {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

/** P2002: "Unique constraint failed". */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

/**
 * Connection-level failures: the database is unreachable or gone, not the request's fault.
 * P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server closed the connection,
 * P2024 pool timeout; driver adapters surface socket errors as ECONNREFUSED/ECONNRESET/ETIMEDOUT.
 */
const UNAVAILABLE_CODES = new Set([
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  // PostgreSQL SQLSTATEs: admin shutdown, crash shutdown, cannot connect now, too many connections,
  // and a statement cancelled by statement_timeout (the server is too slow to answer in time).
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "57014",
  // node-postgres failures that carry no code of their own, sorted where they arise (postgres-pool.ts).
  CONNECTION_LOST_CODE,
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = prismaCode(error);
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  // SQLSTATE class 08: connection exceptions.
  if (code && /^08[0-9A-Z]{3}$/.test(code)) return true;
  const name = error instanceof Error ? error.name : "";
  if (name === "PrismaClientInitializationError") return true;
  const cause =
    error && typeof error === "object" && "cause" in error ? (error as { cause: unknown }).cause : undefined;
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}

export function databaseUnavailable(cause: unknown): AppError {
  return new AppError("database_unavailable", "the database cannot be reached right now; try again shortly", {
    headers: { "retry-after": "2" },
    cause,
  });
}
