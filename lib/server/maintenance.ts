/**
 * Housekeeping that keeps storage bounded: expired session records (also removed on access),
 * refresh-token families past their absolute lifetime (with their tokens, by cascade), and audit
 * events older than AUDIT_RETENTION_DAYS. Started once per server process by instrumentation.ts.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import * as clock from "@/lib/server/clock";
import { log } from "@/lib/server/log";
import { sessionStore } from "@/lib/server/auth/session";
import { deleteExpiredFamilies } from "@/lib/server/auth/refresh/service";
import { deleteExpiredEvents } from "@/lib/server/audit/query";

export async function sweep(now = clock.now()): Promise<{ sessions: number; families: number; events: number }> {
  const store = sessionStore();
  const [sessions, families, events] = await Promise.all([
    store.deleteExpired(now).catch((error: unknown) => {
      log.warn("sweep.sessions_failed", { store: store.kind, error });
      return 0;
    }),
    deleteExpiredFamilies(now).catch((error: unknown) => {
      log.warn("sweep.families_failed", { error });
      return 0;
    }),
    deleteExpiredEvents(now).catch((error: unknown) => {
      log.warn("sweep.events_failed", { error });
      return 0;
    }),
  ]);
  if (sessions > 0 || families > 0 || events > 0)
    log.info("sweep.done", { store: store.kind, sessions, families, events });
  return { sessions, families, events };
}

export function startMaintenance(): void {
  processSingleton("maintenance", () => {
    const timer = setInterval(() => void sweep(), config().sessionSweepIntervalSeconds * 1000);
    // Never keep a process alive just to sweep.
    timer.unref();
    return timer;
  });
}
