import { unsigned } from "@/lib/ui/lab/jwt-parts";
import { needsToken } from "./availability";
import { declare } from "./runner";
import { GATE, me } from "./steps";

/** The same claims unsigned (`alg: none`): refused, since the verifier pins the algorithm (RFC 8725 §2.1). */
export const algNone = declare({
  id: "alg-none",
  title: "alg: none",
  needsSession: false,
  summary: "Send the same claims as an unsigned token: header alg set to none, signature empty.",
  unavailable: needsToken,
  steps: [
    {
      label: "GET /api/me with an unsigned token",
      request: ({ lab }) => me(unsigned(lab.token!), "GET /api/me (alg none)"),
      expect: { status: 401, error: "invalid_token", reason: "algorithm_not_allowed", layer: GATE },
    },
  ],
  note: "The verifier pins ES256/EdDSA; the token's own alg header never chooses the algorithm.",
});
