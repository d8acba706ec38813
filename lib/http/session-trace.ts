/**
 * Response headers that let the lab trace a cookie-authenticated request: which layer checked it,
 * how many store lookups it took, and the server's own timing of each step.
 */
import { serverTiming } from "@/lib/http/respond";
import type { AuthenticatedSession } from "@/lib/auth/session/request-session";

export const NODE_LAYER = "node-handler";

export function sessionTraceHeaders(auth: AuthenticatedSession, store: string): Record<string, string> {
  return {
    "x-authlab-layer": NODE_LAYER,
    "x-authlab-store-lookups": String(auth.timing.storeLookups),
    "server-timing": serverTiming([
      { name: "unseal", ms: auth.timing.unsealMs, description: "iron-session unseal" },
      { name: "store", ms: auth.timing.storeMs, description: `${store} session + user lookup` },
    ]),
  };
}
