/**
 * Housekeeping that keeps storage bounded: expired session records (also removed on access) and
 * refresh-token families past their absolute lifetime (with their tokens, by cascade). Started once
 * per server process by instrumentation.ts.
 */
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { sessionStore } from "@/lib/auth/session";
import { deleteExpiredFamilies } from "@/lib/auth/refresh/service";

export async function sweep(now = new Date()): Promise<{ sessions: number; families: number }> {
  const store = sessionStore();
  const [sessions, families] = await Promise.all([
    store.deleteExpired(now).catch((error: unknown) => {
      log.warn("sweep.sessions_failed", { store: store.kind, error });
      return 0;
    }),
    deleteExpiredFamilies(now).catch((error: unknown) => {
      log.warn("sweep.families_failed", { error });
      return 0;
    }),
  ]);
  if (sessions > 0 || families > 0) log.info("sweep.done", { store: store.kind, sessions, families });
  return { sessions, families };
}

const STARTED = Symbol.for("authlab.maintenance");

export function startMaintenance(): void {
  const holder = globalThis as typeof globalThis & { [STARTED]?: true };
  if (holder[STARTED]) return;
  holder[STARTED] = true;
  const timer = setInterval(() => void sweep(), config().sessionSweepIntervalSeconds * 1000);
  // Never keep a process alive just to sweep.
  timer.unref();
}
