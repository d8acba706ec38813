import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { needsLab } from "./availability";
import { field, sleepUntil } from "./kit";
import { declare } from "./runner";
import { GATE, lab, me } from "./steps";

/** How long past exp the second call waits, beyond the verifier's own tolerance. */
const MARGIN_MS = 1000;

/** A token minted to live 5 seconds: accepted, then refused as expired with no server state consulted. */
export const expire = declare<{ token: string | null; toleranceMs: number }>({
  id: "expire",
  title: "An expired token",
  needsSession: true,
  summary: "A lab endpoint mints a token for you that lives 5 seconds. It works, then it does not.",
  unavailable: needsLab,
  setup: () => ({ token: null, toleranceMs: 5000 }),
  steps: [
    {
      label: "POST /api/lab/token (5-second token)",
      request: () => lab("POST", "/api/lab/token", "POST /api/lab/token", { ttlSeconds: 5 }),
      expect: { status: 200 },
      keep: ({ vars }, trace) => {
        vars.token = field<string>(trace.body, "accessToken") ?? null;
        vars.toleranceMs = (field<number>(trace.body, "clockToleranceSeconds") ?? 5) * 1000;
      },
    },
    {
      label: "GET /api/me at once",
      when: ({ vars }) => vars.token !== null,
      request: ({ vars }) => me(vars.token, "GET /api/me (short-lived)"),
      expect: { status: 200, layer: GATE },
    },
    {
      label: "GET /api/me after exp",
      when: ({ vars }) => vars.token !== null,
      before: async ({ vars, progress }) => {
        const exp = (decodeJwt(vars.token!)?.payload.exp as number) * 1000;
        const deadline = exp + vars.toleranceMs + MARGIN_MS;
        const left = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
        const ticker = setInterval(
          () => progress(`Waiting for exp plus the verifier's ${vars.toleranceMs / 1000}s clock tolerance: ${left()}s`),
          250,
        );
        try {
          await sleepUntil(deadline);
        } finally {
          clearInterval(ticker);
          progress(null);
        }
      },
      request: ({ vars }) => me(vars.token, "GET /api/me (expired)"),
      expect: { status: 401, error: "invalid_token", reason: "expired", layer: GATE },
    },
  ],
  note: "No server state was consulted: the token carried its own expiry.",
});
