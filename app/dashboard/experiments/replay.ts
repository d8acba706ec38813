import { developmentOnly } from "./availability";
import { field } from "./kit";
import { declare } from "./runner";
import { lab, refresh, startOver } from "./steps";

/** A refresh token presented after it was used twice over: the whole family ends (RFC 9700 §4.14.2). */
export const replay = declare<{ copy: string }>({
  id: "replay",
  title: "Replay a refresh token",
  needsSession: true,
  summary:
    "The lab hands the page a copy of a fresh refresh token (as a thief might get one). You refresh twice; then the thief presents the copy.",
  unavailable: developmentOnly("hands a refresh token to page script"),
  setup: () => ({ copy: "" }),
  steps: [
    {
      label: "POST /api/lab/refresh-family (new family, copy exposed)",
      request: () => lab("POST", "/api/lab/refresh-family", "POST /api/lab/refresh-family", { exposeCopy: true }),
      expect: { status: 200 },
      keep: ({ vars }, trace) => (vars.copy = field<string>(trace.body, "stolenCopy") ?? ""),
    },
    refresh("POST /api/auth/refresh (you, with the cookie)"),
    refresh("POST /api/auth/refresh (you again: the copy is now two generations old)"),
    {
      label: "POST /api/lab/refresh-replay (the thief presents the used copy)",
      request: ({ vars }) =>
        lab("POST", "/api/lab/refresh-replay", "POST /api/lab/refresh-replay", { token: vars.copy }),
      expect: { status: 401, error: "invalid_grant", reason: "reused" },
    },
    {
      label: "POST /api/auth/refresh (you again): the whole family was revoked",
      request: () => ({ refresh: "POST /api/auth/refresh (after replay)" }),
      expect: { status: 401, error: "invalid_grant" },
    },
    ...startOver<{ copy: string }>(),
  ],
  note: [
    "A refresh token is single-use: seeing an old one again means two parties hold the chain, so both lose",
    "the family. Only the token just replaced, presented within the grace window, is answered instead —",
    "see “Two tabs refresh at once”.",
  ].join(" "),
});
