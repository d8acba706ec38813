/**
 * Whether the session store is reachable, as this process last saw it: the
 * `authlab_session_store_reachable` gauge, and the `session_store_unavailable` /
 * `session_store_recovered` events, raised once per change rather than once per failed request.
 */
import "server-only";
import { storeCircuit } from "@/lib/server/auth/session/store-circuit";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { securityEvent } from "@/lib/server/audit/record";
import { label, LABEL_VALUES, metrics } from "./metrics";

const lastSeen = () => processSingleton("store.reachability", () => new Map<string, boolean>());
const lastCircuitOpen = () => processSingleton("store.circuitOpen", () => new Map<string, number>());

/** Called after every store operation and health probe; does work only when the answer changes. */
export function storeReachability(store: string, reachable: boolean): void {
  // Every session check passes here: a labelled gauge hashes its labels on each set, so set on change.
  const circuitOpen = storeCircuit(store).state === "closed" ? 0 : 1;
  if (lastCircuitOpen().get(store) !== circuitOpen) {
    lastCircuitOpen().set(store, circuitOpen);
    metrics().storeCircuitOpen.set({ store: label(store, LABEL_VALUES.store) }, circuitOpen);
  }
  const seen = lastSeen();
  const previous = seen.get(store);
  if (previous === reachable) return;
  seen.set(store, reachable);
  metrics().storeReachable.set({ store: label(store, LABEL_VALUES.store) }, reachable ? 1 : 0);
  // The first success is the normal state, not a recovery.
  if (previous === undefined && reachable) return;
  // Not about the client of the request that noticed it: no address or user agent.
  const fields = { ip: null, userAgent: null, detail: { store, instance: config().instanceId } };
  securityEvent(reachable ? "session_store_recovered" : "session_store_unavailable", fields);
}

/** What this process last saw of the store (null: no operation yet). Reading it is not a lookup. */
export function lastSeenReachable(store: string): boolean | null {
  return lastSeen().get(store) ?? null;
}
