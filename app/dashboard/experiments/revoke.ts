import { needsToken } from "./availability";
import { declare } from "./runner";
import { GATE, NODE, STRICT, me, sessionCall } from "./steps";

/** Revoking ends the session at once; the JWT lives until exp unless a check keeps state again. */
export const revoke = declare<{ token: string | null }>({
  id: "revoke",
  title: "Sign out everywhere",
  needsSession: true,
  summary: "Revoke every session of your account, this one included, then use the cookie and the token you still hold.",
  warning: "This signs you out; sign in again afterwards.",
  unavailable: needsToken,
  setup: ({ lab }) => ({ token: lab.token }),
  steps: [
    {
      label: "DELETE /api/sessions (all other sessions)",
      request: () => ({ label: "DELETE /api/sessions", flow: "session", method: "DELETE", url: "/api/sessions" }),
      expect: { status: 200, layer: NODE },
    },
    {
      label: "POST /api/auth/logout (this session and its refresh family)",
      request: () => ({ label: "POST /api/auth/logout", flow: "auth", method: "POST", url: "/api/auth/logout" }),
      expect: { status: 204 },
    },
    {
      label: "GET /api/session: the session is gone at once",
      request: () => sessionCall("GET /api/session (after revoke)"),
      expect: { status: 401, error: "no_session", layer: NODE },
    },
    {
      label: "GET /api/me with the old token: still valid until exp",
      request: ({ vars }) => me(vars.token, "GET /api/me (after revoke)"),
      expect: { status: 200, layer: GATE },
    },
    {
      label: "GET /api/me/strict with the old token: the strict check refuses it",
      request: ({ vars }) => me(vars.token, "GET /api/me/strict (after revoke)", true),
      expect: { status: 401, error: "invalid_token", reason: "revoked", layer: STRICT },
    },
  ],
  finish: ({ lab }, steps) => {
    const [, , session, jwt, strict] = steps.map((s) => s.trace.status);
    lab.measure({ revoke: { sessionStatus: session!, jwtStatus: jwt!, strictStatus: strict! } });
    lab.markSignedOut();
  },
  note: "Deleting the record ended the session. The JWT could only be stopped by a check that keeps state again.",
});
