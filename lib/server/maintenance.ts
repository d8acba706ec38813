/**
 * Housekeeping that keeps storage bounded: expired session records (also removed on access),
 * refresh-token families past their absolute lifetime, DPoP proofs whose window has passed, and
 * revoked access tokens past their expiry. Started once per server process by instrumentation.ts.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import * as clock from "@/lib/server/clock";
import { log } from "@/lib/server/log";
import { sessionStore } from "@/lib/server/auth/session";
import { deleteExpiredFamilies } from "@/lib/server/auth/refresh/service";
import { deleteExpiredProofs } from "@/lib/server/auth/dpop/jti-store";
import { deleteExpiredDenials } from "@/lib/server/auth/jwt/denylist";

export interface Swept {
  sessions: number;
  families: number;
  proofs: number;
  revocations: number;
}

/** Runs one cleanup; a failure is logged and counts as nothing removed, so the others still run. */
function counted(what: string, run: () => Promise<number>, fields: Record<string, unknown> = {}): Promise<number> {
  return run().catch((error: unknown) => {
    log.warn(`sweep.${what}_failed`, { ...fields, error });
    return 0;
  });
}

export async function sweep(now = clock.now()): Promise<Swept> {
  const store = sessionStore();
  const [sessions, families, proofs, revocations] = await Promise.all([
    counted("sessions", () => store.deleteExpired(now), { store: store.kind }),
    counted("families", () => deleteExpiredFamilies(now)),
    // Proof windows and token expiry are real time, not the test clock (jti-store.ts, denylist.ts).
    counted("proofs", () => deleteExpiredProofs()),
    counted("revocations", () => deleteExpiredDenials()),
  ]);
  if (sessions + families + proofs + revocations > 0)
    log.info("sweep.done", { store: store.kind, sessions, families, proofs, revocations });
  return { sessions, families, proofs, revocations };
}

export function startMaintenance(): void {
  processSingleton("maintenance", () => {
    const timer = setInterval(() => void sweep(), config().sessionSweepIntervalSeconds * 1000);
    // Never keep a process alive just to sweep.
    timer.unref();
    return timer;
  });
}
