/**
 * Health facts for /api/health. The store probe is cached for a second so a load balancer polling
 * many times a second does not turn health checks into store traffic.
 */
import "server-only";
import { sessionStore } from "@/lib/server/auth/session";
import { wallClock } from "@/lib/server/clock";
import { storeReachability } from "@/lib/server/observability/store-health";
import { storeCircuit } from "@/lib/server/auth/session/store-circuit";

const PROBE_CACHE_MS = 1000;
let lastProbe: { at: number; reachable: Promise<boolean> } | undefined;

export function storeReachable(now = wallClock.nowMs()): Promise<boolean> {
  if (!lastProbe || now - lastProbe.at > PROBE_CACHE_MS) {
    const store = sessionStore();
    // Settles the circuit before anyone reads the answer: this ping counts as the circuit's (store-circuit.ts).
    const reachable = store.ping().then((ok) => {
      storeCircuit(store.kind).record(ok);
      storeReachability(store.kind, ok);
      return ok;
    });
    lastProbe = { at: now, reachable };
  }
  return lastProbe.reachable;
}
