/**
 * The gate on Node: Next 16's `proxy.ts` for the proxy build (AUTHLAB_GATE=proxy). The default build
 * runs the same gate (lib/edge/gate/gate.ts) at the Edge from middleware.ts; Next refuses a tree that
 * holds both files, so the proxy build copies the sources into a tree of its own (.next-proxy/) with
 * this file as its proxy.ts (scripts/lib/build.ts). The working tree is never edited.
 *
 * What Node adds: the page pre-check reads the session store, so a page request whose session has
 * ended is sent to /login with its reason by the gate itself. Handlers still check everything again
 * (CVE-2025-29927). Gate and handlers share this process, so a token the gate verified is a cache hit
 * for the handler (lib/edge/jwt/verified-cache.ts; SECURITY.md says why sharing it is safe).
 */
import { createGate } from "@/lib/edge/gate/gate";
import { proofKey, seenProofs } from "@/lib/edge/dpop/seen-proofs";
import { LAYERS } from "@/lib/edge/trace";
import { pageSessionRefusal } from "@/lib/server/gate/page-session";

export const proxy = createGate({
  name: "proxy",
  layer: LAYERS.proxy,
  // The gate's own replay cache: the handlers keep theirs (and the shared store for state changes), so
  // each layer refuses a replayed proof on its own and the handler never mistakes the gate's sighting
  // for a replay.
  firstSighting: async (proof) => seenProofs("proxy").firstSighting(proofKey(proof), proof.acceptableUntilMs),
  pageSession: pageSessionRefusal,
});

/** The same matcher as middleware.ts (Next reads it from this file; tests/unit/gate-homes.test.ts compares). */
export const config = {
  matcher: [
    "/api/:path((?!health$|metrics$|auth/|session$|sessions$|sessions/|account/password$|users/|lab/).*)",
    "/((?!api/|_next/image|\\.well-known/).*)",
  ],
};
