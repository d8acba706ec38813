/**
 * The gate in the Edge runtime: the default build's home for lib/edge/gate/gate.ts (the proxy build
 * runs the same gate on Node, from gates/proxy.ts).
 *
 * Named `middleware.ts` on purpose. Next 16 deprecates the name in favour of `proxy.ts`, but a proxy
 * always runs on Node, and this build verifies at the Edge (Web APIs only: no Prisma, no Redis, no
 * `node:*`). Next prints a deprecation warning when it builds this file; that is expected (README).
 * It may import only `lib/edge/` (eslint.config.mjs enforces it).
 */
import { createGate } from "@/lib/edge/gate/gate";
import { proofKey, seenProofs } from "@/lib/edge/dpop/seen-proofs";
import { LAYERS } from "@/lib/edge/trace";

export const middleware = createGate({
  name: "edge",
  layer: LAYERS.edge,
  // This isolate's replay check for DPoP proofs (seen-proofs.ts). It cannot see other instances; the
  // handlers of state-changing routes check the shared store as well.
  firstSighting: async (proof) => seenProofs("edge").firstSighting(proofKey(proof), proof.acceptableUntilMs),
});

/**
 * The JWT half of /api, and every page. Excluded: /api/health (no gate work), /api/metrics (its Bearer
 * credential is the scrape token, not an access token; the handler checks it), /api/auth/** (sign-in
 * issues tokens), the cookie-session routes (checked in Node against the store), and static assets.
 * A route left out here is still checked by its handler; it only loses the early gate.
 *
 * Next reads this object from the file itself, so it cannot be imported: gates/proxy.ts spells the same
 * matcher, and a unit test (tests/unit/gate-homes.test.ts) keeps the two equal.
 */
export const config = {
  matcher: [
    "/api/:path((?!health$|metrics$|auth/|session$|sessions$|sessions/|account/password$|users/|lab/).*)",
    "/((?!api/|_next/image|\\.well-known/).*)",
  ],
};
