/** SQLite waits this long for a competing writer instead of failing with SQLITE_BUSY ("database is locked"). */
import "server-only";
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** `file:./data/authlab.db` → `./data/authlab.db`, resolved against the working directory like Prisma does. */
export function sqliteFilePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, "");
}
