import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { developmentOnly } from "./availability";
import { field } from "./kit";
import { declare } from "./runner";
import { GATE, NODE, STRICT, lab, me, refresh, sessionCall } from "./steps";

interface Vars {
  /** The token from before the change: it keeps the old role until it expires. */
  before: string;
  original: string;
  other: string;
}

const roleOf = (token: unknown) => (typeof token === "string" ? decodeJwt(token)?.payload.role : undefined);

/** The session reads the role from the database every request; the JWT carries a copy until a refresh. */
export const role = declare<Vars>({
  id: "role",
  title: "Change your role",
  needsSession: true,
  summary:
    "Flip your own role (lab, development only), then ask each flow who you are. Your role is restored at the end, and both changes are in your audit trail.",
  unavailable: developmentOnly("changes your own role"),
  setup: ({ lab: l }) => {
    const original = (roleOf(l.token) as string | undefined) ?? l.props.user.role;
    return { before: l.token!, original, other: original === "ADMIN" ? "USER" : "ADMIN" };
  },
  steps: [
    {
      label: ({ vars }) => `POST /api/lab/role → ${vars.other} (recorded as role_changed)`,
      request: ({ vars }) => lab("POST", "/api/lab/role", "POST /api/lab/role", { role: vars.other }),
      expect: {
        status: 200,
        body: { holds: (b) => field(b, "audited") === "role_changed", says: "a role_changed event written" },
      },
    },
    {
      label: "GET /api/session: sees the new role at once",
      request: () => sessionCall("GET /api/session (after role change)"),
      expect: ({ vars }) => ({
        status: 200,
        layer: NODE,
        body: { holds: (b) => field(b, "user", "role") === vars.other, says: `user.role is ${vars.other}` },
      }),
    },
    {
      label: "GET /api/me with the old token: still the old role",
      request: ({ vars }) => me(vars.before, "GET /api/me (stale role)"),
      expect: ({ vars }) => ({
        status: 200,
        layer: GATE,
        body: {
          holds: (b) => field(b, "claims", "role") === vars.original,
          says: `claims.role is still ${vars.original}`,
        },
      }),
    },
    {
      label: "GET /api/me/strict with the old token: refused, role out of date",
      request: ({ vars }) => me(vars.before, "GET /api/me/strict (stale role)", true),
      expect: { status: 401, error: "invalid_token", reason: "revoked", layer: STRICT },
    },
    refresh<Vars>("POST /api/auth/refresh: a new token", ({ vars }) => ({
      status: 200,
      body: {
        holds: (b) => roleOf(field(b, "accessToken")) === vars.other,
        says: `the new token says ${vars.other}`,
      },
    })),
    {
      label: ({ vars }) => `POST /api/lab/role → ${vars.original} (restore)`,
      request: ({ vars }) => lab("POST", "/api/lab/role", "POST /api/lab/role (restore)", { role: vars.original }),
      expect: { status: 200 },
    },
    refresh("POST /api/auth/refresh (restore the token)"),
  ],
  note: [
    "The session reads the user from the database on every request; the JWT carries a copy of the role from",
    "when it was issued. Both changes were written to your audit trail as role_changed (by yourself, through",
    "the lab): a promotion to admin is what an audit trail is for.",
  ].join(" "),
});
