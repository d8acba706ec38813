import { withPayload } from "@/lib/ui/lab/jwt-parts";
import { needsToken } from "./availability";
import { declare } from "./runner";
import { GATE, me } from "./steps";

/** Edited claims, the original signature: the gate refuses the token before any handler runs. */
export const tamper = declare<{ forged: string }>({
  id: "tamper",
  title: "Tamper with a claim",
  needsSession: false,
  summary: "Edit the claims below (make yourself ADMIN, change sub) and send them with the original signature.",
  unavailable: needsToken,
  setup: ({ lab, input }) => {
    // Not JSON: the card says so (a SyntaxError) before anything is sent.
    JSON.parse(input ?? "");
    return { forged: withPayload(lab.token!, input!) };
  },
  steps: [
    {
      label: "GET /api/me with edited claims, original signature",
      request: ({ vars }) => me(vars.forged, "GET /api/me (tampered)"),
      expect: { status: 401, error: "invalid_token", reason: "bad_signature", layer: GATE },
    },
  ],
  note: "The signature covers header and payload; change one byte and it no longer verifies.",
});
