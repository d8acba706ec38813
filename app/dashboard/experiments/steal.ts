import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { boundJktOf, createProof, throwawayDpopKey, type DpopKey } from "@/lib/ui/dpop/proof";
import { needsLab } from "./availability";
import { field, type Expectation } from "./kit";
import { declare } from "./runner";
import { GATE, lab } from "./steps";

interface Vars {
  /** The thief's key lives only in this page's memory; the page's own key stays in IndexedDB. */
  thief: DpopKey;
  /** This session's family is bound to the page's key: even the lab hands out no Bearer copy then. */
  sessionBound: boolean;
  copy: string;
  bound: string;
  yourProof: string;
}

/** A refused proof (RFC 9449 §4.3), by the problem the server names in `proof`. */
function refusedProof(problem: string): Expectation {
  return {
    status: 401,
    error: "invalid_token",
    reason: "dpop_invalid",
    layer: GATE,
    body: { holds: (b) => field(b, "proof") === problem, says: `proof: ${problem}` },
  };
}

const dpopTokenType: Expectation = {
  status: 200,
  body: { holds: (b) => field(b, "tokenType") === "DPoP", says: "tokenType DPoP" },
};

/** A Bearer copy serves a thief; a DPoP-bound token does not, nor does a proof the thief captured. */
export const steal = declare<Vars>({
  id: "steal",
  title: "Steal the access token",
  needsSession: true,
  summary:
    "The lab hands a copy of a token to a second client — a thief with a key of its own. A Bearer token serves the thief; a token bound to this browser's key (DPoP) does not, nor does a proof the thief captured. While your session is bound to the key, even the lab hands out no Bearer copy.",
  unavailable: (l) => (l.dpop.status === "unavailable" ? `DPoP cannot run here: ${l.dpop.problem}` : needsLab(l)),
  setup: async ({ lab: l }) => ({
    thief: await throwawayDpopKey(),
    sessionBound: l.token !== null && boundJktOf(decodeJwt(l.token)?.payload) !== null,
    copy: "",
    bound: "",
    yourProof: "",
  }),
  steps: [
    {
      label: ({ vars }) =>
        vars.sessionBound
          ? "POST /api/lab/token without a proof: still bound to your key (a bound session gets no Bearer copy)"
          : "POST /api/lab/token without a proof: a Bearer token",
      request: () => lab("POST", "/api/lab/token", "POST /api/lab/token (Bearer)", {}),
      expect: ({ vars }) => (vars.sessionBound ? dpopTokenType : { status: 200 }),
      keep: ({ vars }, trace) => (vars.copy = field<string>(trace.body, "accessToken") ?? ""),
    },
    {
      label: ({ vars, lab: l }) =>
        vars.sessionBound
          ? "The thief sends its copy as Bearer: refused, the copy is bound to your key"
          : l.props.dpop.required
            ? "The thief sends its copy as Bearer: DPOP_REQUIRED refuses every Bearer token"
            : "The thief sends its copy as Bearer: served, like anyone holding it",
      request: ({ vars }) => ({
        label: "GET /api/me (thief, Bearer copy)",
        flow: "jwt",
        url: "/api/me",
        bearer: vars.copy,
        withCookies: false,
      }),
      expect: ({ vars, lab: l }) =>
        vars.sessionBound || l.props.dpop.required
          ? { status: 401, error: "invalid_token", reason: "dpop_required", layer: GATE }
          : { status: 200, layer: GATE },
    },
    {
      label: "POST /api/lab/token with your DPoP proof: a token bound to your key",
      request: () => ({ ...lab("POST", "/api/lab/token", "POST /api/lab/token (DPoP)", {}), proof: true }),
      expect: dpopTokenType,
      keep: ({ vars }, trace) => (vars.bound = field<string>(trace.body, "accessToken") ?? ""),
    },
    {
      label: "You: GET /api/me with it and a fresh proof",
      request: ({ vars }) => ({
        label: "GET /api/me (you, DPoP)",
        flow: "jwt",
        url: "/api/me",
        token: vars.bound,
        withCookies: false,
      }),
      expect: { status: 200, layer: GATE },
      keep: ({ vars }, trace) => (vars.yourProof = trace.proof ?? ""),
    },
    {
      label: "The thief sends the bound token as Bearer",
      request: ({ vars }) => ({
        label: "GET /api/me (thief, as Bearer)",
        flow: "jwt",
        url: "/api/me",
        bearer: vars.bound,
        withCookies: false,
      }),
      expect: { status: 401, error: "invalid_token", reason: "dpop_required", layer: GATE },
    },
    {
      label: "The thief signs a proof with its own key",
      request: async ({ vars }) => ({
        label: "GET /api/me (thief, own key)",
        flow: "jwt",
        url: "/api/me",
        dpop: {
          token: vars.bound,
          proof: await createProof(vars.thief, { method: "GET", url: "/api/me", accessToken: vars.bound }),
        },
        withCookies: false,
      }),
      expect: refusedProof("key_mismatch"),
    },
    {
      label: "The thief replays the proof it captured from your request",
      request: ({ vars }) => ({
        label: "GET /api/me (thief, captured proof)",
        flow: "jwt",
        url: "/api/me",
        dpop: { token: vars.bound, proof: vars.yourProof },
        withCookies: false,
      }),
      expect: refusedProof("replayed"),
    },
  ],
  note: [
    "A Bearer token works for whoever holds it. A DPoP-bound token works only with a proof signed by the key",
    "its cnf.jkt names — here a non-extractable key in this browser's IndexedDB — and each proof is good for one",
    "request. What this does not stop: script running in this page can ask the key to sign (XSS), it just cannot carry the key away.",
  ].join(" "),
});
