import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { needsLab } from "./availability";
import { field } from "./kit";
import { declare } from "./runner";
import { GATE, lab, me } from "./steps";

interface Vars {
  kids: string[];
  unlisted: string | null;
  previous: string | null;
}

/** The newest key signs; a key no longer listed verifies nothing; the previous one verifies while listed. */
export const rotation = declare<Vars>({
  id: "rotation",
  title: "Key rotation",
  needsSession: true,
  summary:
    "Check tokens signed by the current key, by a key no longer in JWT_PRIVATE_JWKS, and (if listed) by the previous key.",
  unavailable: needsLab,
  setup: () => ({ kids: [], unlisted: null, previous: null }),
  steps: [
    {
      label: "GET /.well-known/jwks.json",
      request: () => ({ label: "GET /.well-known/jwks.json", flow: "jwt", url: "/.well-known/jwks.json" }),
      expect: { status: 200 },
      keep: ({ vars }, trace) => (vars.kids = (field<{ kid: string }[]>(trace.body, "keys") ?? []).map((k) => k.kid)),
    },
    {
      label: "GET /api/me with your token (signed by the newest key)",
      request: ({ lab: l }) => me(l.token, "GET /api/me (current key)"),
      expect: ({ vars, lab: l }) => ({
        status: 200,
        layer: GATE,
        body: {
          holds: (b) => field(b, "kid") === vars.kids[vars.kids.length - 1],
          says: `kid ${String(decodeJwt(l.token ?? "")?.header.kid)} is the newest listed`,
        },
      }),
    },
    {
      label: "POST /api/lab/token signed by a key not in the set",
      request: () => lab("POST", "/api/lab/token", "POST /api/lab/token (unlisted key)", { key: "unlisted" }),
      expect: { status: 200 },
      keep: ({ vars }, trace) => (vars.unlisted = field<string>(trace.body, "accessToken") ?? null),
    },
    {
      label: "GET /api/me with it",
      request: ({ vars }) => me(vars.unlisted, "GET /api/me (removed key)"),
      expect: { status: 401, error: "invalid_token", reason: "unknown_key", layer: GATE },
    },
    {
      label: "POST /api/lab/token signed by the previous key",
      when: ({ vars }) => vars.kids.length >= 2,
      request: () => lab("POST", "/api/lab/token", "POST /api/lab/token (previous key)", { key: "previous" }),
      expect: { status: 200 },
      keep: ({ vars }, trace) => (vars.previous = field<string>(trace.body, "accessToken") ?? null),
    },
    {
      label: "GET /api/me with it: still listed, still valid",
      when: ({ vars }) => vars.kids.length >= 2,
      request: ({ vars }) => me(vars.previous, "GET /api/me (previous key)"),
      expect: { status: 200, layer: GATE },
    },
  ],
  note: ({ vars }) =>
    (vars.kids.length >= 2
      ? `Listed keys: ${vars.kids.join(", ")}. The newest signs; the older one verifies until its tokens have expired.`
      : `Only ${vars.kids[0]} is listed.`) +
    " To rotate live: run npm run keys:rotate in a terminal, then Restart here (under npm start the server" +
    " re-reads .env.local) and run this again — a new key signs and the one before keeps verifying.",
});
