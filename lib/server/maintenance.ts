/**
 * Housekeeping that keeps storage bounded: expired session records (also removed on access),
 * refresh-token families past their absolute lifetime (with their tokens, by cascade), DPoP proofs whose
 * window has passed, revoked access tokens past their expiry, sign-outs that met an unreachable session
 * store (tombstones: finished once the store answers, dropped once the record would have expired anyway),
 * and audit events older than AUDIT_RETENTION_DAYS. Started once per server process by instrumentation.ts.
 * Each rule is swept by the clock it lives by (lib/server/clock.ts): sessions, families, tombstones and
 * events by the state clock, which tests move; DPoP proofs and revoked tokens by the wall clock.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { stateClock, wallClock } from "@/lib/server/clock";
import { log } from "@/lib/server/log";
import { sessionStore, settlePendingSignOuts, storeHonoursTombstones } from "@/lib/server/auth/session";
import { deleteExpiredTombstones } from "@/lib/server/auth/session/tombstones";
import { deleteExpiredFamilies } from "@/lib/server/auth/refresh/family-store";
import { deleteExpiredProofs } from "@/lib/server/auth/dpop/jti-store";
import { deleteExpiredDenials } from "@/lib/server/auth/jwt/denylist";
import { deleteExpiredEvents } from "@/lib/server/audit/query";

export interface Swept {
  sessions: number;
  families: number;
  proofs: number;
  revocations: number;
  events: number;
  signOuts: number;
}

/** Runs one cleanup; a failure is logged and counts as nothing removed, so the others still run. */
function counted(what: string, run: () => Promise<number>, fields: Record<string, unknown> = {}): Promise<number> {
  return run().catch((error: unknown) => {
    log.warn(`sweep.${what}_failed`, { ...fields, error });
    return 0;
  });
}

async function sweepTombstones(now: Date): Promise<number> {
  if (!storeHonoursTombstones()) return 0;
  await deleteExpiredTombstones(now);
  return settlePendingSignOuts();
}

/**
 * One cleanup after another, never side by side. Each deletes in small batches and yields between
 * them, but yielding (setImmediate) hands the loop back only once per turn: three sweeps in parallel
 * each ran a batch in the same turn, and on SQLite — whose driver is synchronous — their stalls added up
 * (the growth bench measured 160 ms with three 40–75 ms deletes back to back; bench/README.md, "Growth").
 */
export async function sweep(now = stateClock.now()): Promise<Swept> {
  const store = sessionStore();
  const sessions = await counted("sessions", () => store.deleteExpired(now), { store: store.kind });
  const families = await counted("families", () => deleteExpiredFamilies(now));
  // Proof windows and token expiry follow the wall clock, not `now` (lib/server/clock.ts).
  const proofs = await counted("proofs", () => deleteExpiredProofs(wallClock.now()));
  const revocations = await counted("revocations", () => deleteExpiredDenials(wallClock.now()));
  const events = await counted("events", () => deleteExpiredEvents(now));
  const signOuts = await counted("tombstones", () => sweepTombstones(now));
  const swept = { sessions, families, proofs, revocations, events, signOuts };
  if (Object.values(swept).some((count) => count > 0)) log.info("sweep.done", { store: store.kind, ...swept });
  return swept;
}

export function startMaintenance(): void {
  processSingleton("maintenance", () => {
    // A sweep longer than the interval (a million rows on SQLite takes tens of seconds) is not joined by a
    // second one: two would delete side by side, and their stalls add up (see sweep()).
    let running: Promise<Swept> | null = null;
    const timer = setInterval(() => {
      running ??= sweep().finally(() => (running = null));
    }, config().session.sweepIntervalSeconds * 1000);
    // Never keep a process alive just to sweep.
    timer.unref();
    return timer;
  });
}
