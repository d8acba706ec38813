import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { boundJktOf } from "@/lib/ui/dpop/proof";
import { declare } from "./runner";
import { GATE, NODE } from "./steps";

/**
 * What the browser sends by itself (the cookie: CSRF's raw material) and what script can read (the
 * token in memory: XSS's prize), measured by requests the page's code attaches nothing to.
 */
export const exposure = declare<{ readable: boolean }>({
  id: "exposure",
  title: "What travels by itself (CSRF) and what script can read (XSS)",
  needsSession: true,
  summary: "Make requests where this page's code attaches nothing, and check whether script can read each credential.",
  setup: ({ lab }) => ({ readable: document.cookie.includes(lab.props.cookie.name) }),
  steps: [
    {
      label: "GET /api/session — the code adds no credential",
      request: () => ({
        label: "GET /api/session (no code-attached credential)",
        flow: "session",
        url: "/api/session",
      }),
      expect: { status: 200, layer: NODE },
    },
    {
      label: "GET /api/me — the code adds no credential",
      request: () => ({
        label: "GET /api/me (no code-attached credential)",
        flow: "jwt",
        url: "/api/me",
        withCookies: true,
      }),
      expect: { status: 401, error: "missing_token", layer: GATE },
    },
  ],
  finish: ({ lab, vars }, [session, jwt]) =>
    lab.measure({
      automatic: { session: session!.trace.status, jwt: jwt!.trace.status },
      cookieReadableByScript: vars.readable,
    }),
  note: ({ lab, vars }) =>
    [
      "The browser attached the cookie by itself (so a cross-site page could make it do so; SameSite=Lax and",
      `the Origin check stop that). document.cookie ${vars.readable ? "shows" : "does not show"} the session cookie`,
      "(HttpOnly), while the access token is a string in this page's memory that any script here could read",
      lab.token && boundJktOf(decodeJwt(lab.token)?.payload)
        ? "— bound to a key script can use but not export, so a copy is useless elsewhere (see “Steal the access token”)."
        : "— and use anywhere (a Bearer token; turn DPoP on to bind it to this browser).",
    ].join(" "),
});
