/**
 * Housekeeping that keeps storage bounded: expired session records (also removed on access),
 * refresh-token families past their absolute lifetime (with their tokens, by cascade), sign-outs that
 * met an unreachable session store (tombstones: finished once the store answers, dropped once the record
 * would have expired anyway), and audit events older than AUDIT_RETENTION_DAYS. Started once per server
 * process by instrumentation.ts.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import * as clock from "@/lib/server/clock";
import { log } from "@/lib/server/log";
import { sessionStore, settlePendingSignOuts, storeHonoursTombstones } from "@/lib/server/auth/session";
import { deleteExpiredTombstones } from "@/lib/server/auth/session/tombstones";
import { deleteExpiredFamilies } from "@/lib/server/auth/refresh/service";
import { deleteExpiredEvents } from "@/lib/server/audit/query";

async function sweepTombstones(now: Date): Promise<number> {
  if (!storeHonoursTombstones()) return 0;
  try {
    await deleteExpiredTombstones(now);
    return await settlePendingSignOuts();
  } catch (error) {
    log.warn("sweep.tombstones_failed", { error });
    return 0;
  }
}

export async function sweep(
  now = clock.now(),
): Promise<{ sessions: number; families: number; events: number; signOuts: number }> {
  const store = sessionStore();
  const [sessions, families, events, signOuts] = await Promise.all([
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
    sweepTombstones(now),
  ]);
  if (sessions > 0 || families > 0 || events > 0 || signOuts > 0) {
    log.info("sweep.done", { store: store.kind, sessions, families, events, signOuts });
  }
  return { sessions, families, events, signOuts };
}

export function startMaintenance(): void {
  processSingleton("maintenance", () => {
    const timer = setInterval(() => void sweep(), config().sessionSweepIntervalSeconds * 1000);
    // Never keep a process alive just to sweep.
    timer.unref();
    return timer;
  });
}
