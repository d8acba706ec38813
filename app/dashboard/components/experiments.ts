/**
 * The experiments. Each one runs real requests through the real endpoints (lab endpoints only where
 * the browser cannot do a step itself, e.g. hold a stolen refresh token) and records what the server
 * did beside what the design predicts.
 */
import { GATE_LAYERS, builtGate } from "@/lib/edge/gate/name";
import { LAYERS } from "@/lib/edge/trace";
import { decodeJwt, unsigned, withPayload } from "@/lib/ui/lab/jwt-parts";
import { field, sleepUntil, step, type Outcome, type StepResult } from "./experiment-kit";
import type { Trace } from "@/lib/ui/lab/trace";
import { boundJktOf, createProof, throwawayDpopKey } from "@/lib/ui/dpop/proof";
import type { Lab } from "./use-lab";

export interface RunContext {
  lab: Lab;
  progress: (message: string | null) => void;
  input?: string;
}

export interface Experiment {
  id: string;
  title: string;
  summary: string;
  /** Why it cannot run here, if it cannot. */
  unavailable?: (lab: Lab) => string | null;
  warning?: string;
  /**
   * Whether it needs this browser's session (a lab endpoint, a refresh, or a session call). Those
   * that need only the access token in the page still run after an experiment has ended the session.
   */
  needsSession: boolean;
  run: (context: RunContext) => Promise<Outcome>;
}

/** The gate this build runs answers the token checks (the Edge middleware, or the Node proxy). */
const EDGE = GATE_LAYERS[builtGate()];
const NODE = LAYERS.node;
const STRICT = LAYERS.strict;

/** The server's default window, for showing what grace would do when strict mode is configured. */
const DEFAULT_GRACE_SECONDS = 10;

const strictLoss = { status: 401, error: "invalid_grant", reason: "reused" };

const raceStatuses = (body: unknown) =>
  (field<{ status: number }[]>(body, "answers") ?? []).map((a) => a.status).sort((x, y) => x - y);

const strictRace = {
  holds: (b: unknown) => raceStatuses(b).join() === "200,401" && field(b, "familyRevoked") === true,
  says: "one 200, one 401 reused, and the family revoked: both tabs signed out of the JWT flow",
};

const graceRace = {
  holds: (b: unknown) =>
    raceStatuses(b).join() === "200,200" &&
    field(b, "successorsHandedOut") === 1 &&
    field(b, "familyRevoked") === false,
  says: "both 200 with the same one successor, and the family lives",
};

/** What the lab's race answered, in words: "the two tabs got 200 and 401 (reused), and the family was revoked". */
function describeRace(body: unknown): string {
  const answers = (field<{ status: number; reason?: string }[]>(body, "answers") ?? []).map((a) =>
    a.reason ? `${a.status} (${a.reason})` : String(a.status),
  );
  if (answers.length === 0) return "the lab's race did not run";
  const family = field(body, "familyRevoked") ? "the family was revoked" : "the family lived on";
  return `the two tabs got ${answers.join(" and ")}, and ${family}`;
}

/** A DPoP proof the server refused for `problem` (RFC 9449 §4.3; body `proof`). */
function refusedProof(problem: string) {
  return {
    status: 401,
    error: "invalid_token",
    reason: "dpop_invalid",
    body: { holds: (b: unknown) => field(b, "proof") === problem, says: `proof: ${problem}` },
  };
}

const needsToken = (lab: Lab) => (lab.token ? null : "waiting for an access token");
const needsLab = (lab: Lab) =>
  lab.props.lab.open ? needsToken(lab) : "lab endpoints are open to admins outside development";

function me(lab: Lab, token: string | null, label: string, strict = false) {
  const path = strict ? "/api/me/strict" : "/api/me";
  // As the page sends any token: with a DPoP proof when the token is bound to the page's key.
  return lab.call({ label, flow: "jwt", url: path, token, withCookies: false });
}

async function freshToken(lab: Lab, steps: StepResult[], label: string): Promise<string | null> {
  const trace = step(steps, label, { status: 200 }, await lab.refreshCall(label));
  const token = field<string>(trace.body, "accessToken") ?? null;
  if (token) lab.setToken(token);
  return token;
}

/** How long the page waits for a restarted server before it gives up and shows what it got. */
const RESTART_WAIT_SECONDS = 60;
const RESTART_POLL_MS = 500;

/**
 * Polls /api/health (outside the trace: dozens of refused or 503 answers say nothing) until it answers
 * 200 for a process started after `before`. False when the wait ran out.
 */
async function waitForNewProcess(before: string | undefined, tick: (seconds: number) => void): Promise<boolean> {
  const began = Date.now();
  while (Date.now() - began < RESTART_WAIT_SECONDS * 1000) {
    tick(Math.round((Date.now() - began) / 1000));
    try {
      const response = await fetch("/api/health", { cache: "no-store" });
      if (response.ok && field((await response.json()) as unknown, "startedAt") !== before) return true;
    } catch {
      // The old process has closed its port and the new one is not listening yet.
    }
    await sleepUntil(Date.now() + RESTART_POLL_MS);
  }
  return false;
}

/**
 * In page order, which is also a safe order to run them: the ones that change your role or refresh
 * family restore it, and the two that may end the session (a restart with the memory store, signing
 * out everywhere) come last.
 */
export const EXPERIMENTS: Experiment[] = [
  {
    id: "tamper",
    title: "Tamper with a claim",
    needsSession: false,
    summary: "Edit the claims below (make yourself ADMIN, change sub) and send them with the original signature.",
    unavailable: needsToken,
    async run({ lab, input }) {
      const steps: StepResult[] = [];
      JSON.parse(input ?? "");
      const forged = withPayload(lab.token!, input!);
      step(
        steps,
        "GET /api/me with edited claims, original signature",
        { status: 401, error: "invalid_token", reason: "bad_signature", layer: EDGE },
        await me(lab, forged, "GET /api/me (tampered)"),
      );
      return { steps, note: "The signature covers header and payload; change one byte and it no longer verifies." };
    },
  },
  {
    id: "alg-none",
    title: "alg: none",
    needsSession: false,
    summary: "Send the same claims as an unsigned token: header alg set to none, signature empty.",
    unavailable: needsToken,
    async run({ lab }) {
      const steps: StepResult[] = [];
      step(
        steps,
        "GET /api/me with an unsigned token",
        { status: 401, error: "invalid_token", reason: "algorithm_not_allowed", layer: EDGE },
        await me(lab, unsigned(lab.token!), "GET /api/me (alg none)"),
      );
      return { steps, note: "The verifier pins ES256/EdDSA; the token's own alg header never chooses the algorithm." };
    },
  },
  {
    id: "expire",
    title: "An expired token",
    needsSession: true,
    summary: "A lab endpoint mints a token for you that lives 5 seconds. It works, then it does not.",
    unavailable: needsLab,
    async run({ lab, progress }) {
      const steps: StepResult[] = [];
      const minted = step(
        steps,
        "POST /api/lab/token (5-second token)",
        { status: 200 },
        await lab.call({
          label: "POST /api/lab/token",
          flow: "lab",
          method: "POST",
          url: "/api/lab/token",
          json: { ttlSeconds: 5 },
        }),
      );
      const token = field<string>(minted.body, "accessToken");
      if (!token) return { steps };
      step(
        steps,
        "GET /api/me at once",
        { status: 200, layer: EDGE },
        await me(lab, token, "GET /api/me (short-lived)"),
      );
      const exp = (decodeJwt(token)?.payload.exp as number) * 1000;
      const tolerance = (field<number>(minted.body, "clockToleranceSeconds") ?? 5) * 1000;
      const deadline = exp + tolerance + 1000;
      const ticker = setInterval(
        () =>
          progress(
            `Waiting for exp plus the verifier's ${tolerance / 1000}s clock tolerance: ${Math.max(0, Math.ceil((deadline - Date.now()) / 1000))}s`,
          ),
        250,
      );
      try {
        await sleepUntil(deadline);
      } finally {
        clearInterval(ticker);
        progress(null);
      }
      step(
        steps,
        "GET /api/me after exp",
        { status: 401, error: "invalid_token", reason: "expired", layer: EDGE },
        await me(lab, token, "GET /api/me (expired)"),
      );
      return { steps, note: "No server state was consulted: the token carried its own expiry." };
    },
  },
  {
    id: "exposure",
    title: "What travels by itself (CSRF) and what script can read (XSS)",
    needsSession: true,
    summary:
      "Make requests where this page's code attaches nothing, and check whether script can read each credential.",
    async run({ lab }) {
      const steps: StepResult[] = [];
      const session = step(
        steps,
        "GET /api/session — the code adds no credential",
        { status: 200, layer: NODE },
        await lab.call({
          label: "GET /api/session (no code-attached credential)",
          flow: "session",
          url: "/api/session",
        }),
      );
      const jwt = step(
        steps,
        "GET /api/me — the code adds no credential",
        { status: 401, error: "missing_token", layer: EDGE },
        await lab.call({
          label: "GET /api/me (no code-attached credential)",
          flow: "jwt",
          url: "/api/me",
          withCookies: true,
        }),
      );
      const readable = document.cookie.includes(lab.props.cookie.name);
      lab.measure({ automatic: { session: session.status, jwt: jwt.status }, cookieReadableByScript: readable });
      return {
        steps,
        note: [
          "The browser attached the cookie by itself (so a cross-site page could make it do so; SameSite=Lax and",
          `the Origin check stop that). document.cookie ${readable ? "shows" : "does not show"} the session cookie`,
          "(HttpOnly), while the access token is a string in this page's memory that any script here could read",
          lab.token && boundJktOf(decodeJwt(lab.token)?.payload)
            ? "— bound to a key script can use but not export, so a copy is useless elsewhere (see “Steal the access token”)."
            : "— and use anywhere (a Bearer token; turn DPoP on to bind it to this browser).",
        ].join(" "),
      };
    },
  },
  {
    id: "steal",
    title: "Steal the access token",
    needsSession: true,
    summary:
      "The lab hands a copy of a token to a second client — a thief with a key of its own. A Bearer token serves the thief; a token bound to this browser's key (DPoP) does not, nor does a proof the thief captured. While your session is bound to the key, even the lab hands out no Bearer copy.",
    unavailable: (lab) =>
      lab.dpop.status === "unavailable" ? `DPoP cannot run here: ${lab.dpop.problem}` : needsLab(lab),
    async run({ lab }) {
      const steps: StepResult[] = [];
      // The thief's key lives only in this page's memory; the page's own key stays in IndexedDB.
      const thief = await throwawayDpopKey();
      // A session bound to this browser's key gets no portable token, proof or not: the lab binds its
      // token to the same key (lib/server/lab/lab-tokens.ts).
      const sessionBound = lab.token !== null && boundJktOf(decodeJwt(lab.token)?.payload) !== null;
      const bearerRule =
        sessionBound || lab.props.dpop.required
          ? { status: 401, error: "invalid_token", reason: "dpop_required", layer: EDGE }
          : { status: 200, layer: EDGE };
      const minted = step(
        steps,
        sessionBound
          ? "POST /api/lab/token without a proof: still bound to your key (a bound session gets no Bearer copy)"
          : "POST /api/lab/token without a proof: a Bearer token",
        sessionBound
          ? { status: 200, body: { holds: (b) => field(b, "tokenType") === "DPoP", says: "tokenType DPoP" } }
          : { status: 200 },
        await lab.call({
          label: "POST /api/lab/token (Bearer)",
          flow: "lab",
          method: "POST",
          url: "/api/lab/token",
          json: {},
        }),
      );
      step(
        steps,
        sessionBound
          ? "The thief sends its copy as Bearer: refused, the copy is bound to your key"
          : lab.props.dpop.required
            ? "The thief sends its copy as Bearer: DPOP_REQUIRED refuses every Bearer token"
            : "The thief sends its copy as Bearer: served, like anyone holding it",
        bearerRule,
        await lab.call({
          label: "GET /api/me (thief, Bearer copy)",
          flow: "jwt",
          url: "/api/me",
          bearer: field<string>(minted.body, "accessToken") ?? "",
          withCookies: false,
        }),
      );
      const bound = step(
        steps,
        "POST /api/lab/token with your DPoP proof: a token bound to your key",
        { status: 200, body: { holds: (b) => field(b, "tokenType") === "DPoP", says: "tokenType DPoP" } },
        await lab.call({
          label: "POST /api/lab/token (DPoP)",
          flow: "lab",
          method: "POST",
          url: "/api/lab/token",
          json: {},
          proof: true,
        }),
      );
      const token = field<string>(bound.body, "accessToken") ?? "";
      const yours = step(
        steps,
        "You: GET /api/me with it and a fresh proof",
        { status: 200, layer: EDGE },
        await lab.call({ label: "GET /api/me (you, DPoP)", flow: "jwt", url: "/api/me", token, withCookies: false }),
      );
      step(
        steps,
        "The thief sends the bound token as Bearer",
        { status: 401, error: "invalid_token", reason: "dpop_required", layer: EDGE },
        await lab.call({
          label: "GET /api/me (thief, as Bearer)",
          flow: "jwt",
          url: "/api/me",
          bearer: token,
          withCookies: false,
        }),
      );
      const forged = await createProof(thief, { method: "GET", url: "/api/me", accessToken: token });
      step(
        steps,
        "The thief signs a proof with its own key",
        { ...refusedProof("key_mismatch"), layer: EDGE },
        await lab.call({
          label: "GET /api/me (thief, own key)",
          flow: "jwt",
          url: "/api/me",
          dpop: { token, proof: forged },
          withCookies: false,
        }),
      );
      step(
        steps,
        "The thief replays the proof it captured from your request",
        { ...refusedProof("replayed"), layer: EDGE },
        await lab.call({
          label: "GET /api/me (thief, captured proof)",
          flow: "jwt",
          url: "/api/me",
          dpop: { token, proof: yours.proof ?? "" },
          withCookies: false,
        }),
      );
      return {
        steps,
        note: [
          "A Bearer token works for whoever holds it. A DPoP-bound token works only with a proof signed by the key",
          `its cnf.jkt names — here a non-extractable key in this browser's IndexedDB — and each proof is good for one`,
          "request. What this does not stop: script running in this page can ask the key to sign (XSS), it just cannot carry the key away.",
        ].join(" "),
      };
    },
  },
  {
    id: "role",
    title: "Change your role",
    needsSession: true,
    summary:
      "Flip your own role (lab, development only), then ask each flow who you are. Your role is restored at the end.",
    unavailable: (lab) =>
      lab.props.lab.developmentExperiments ? needsLab(lab) : "changes your own role, so it runs only in development",
    async run({ lab }) {
      const steps: StepResult[] = [];
      const before = lab.token!;
      const original = (decodeJwt(before)?.payload.role as string) ?? lab.props.user.role;
      const other = original === "ADMIN" ? "USER" : "ADMIN";
      step(
        steps,
        `POST /api/lab/role → ${other}`,
        { status: 200 },
        await lab.call({
          label: "POST /api/lab/role",
          flow: "lab",
          method: "POST",
          url: "/api/lab/role",
          json: { role: other },
        }),
      );
      step(
        steps,
        "GET /api/session: sees the new role at once",
        {
          status: 200,
          layer: NODE,
          body: { holds: (b) => field(b, "user", "role") === other, says: `user.role is ${other}` },
        },
        await lab.call({ label: "GET /api/session (after role change)", flow: "session", url: "/api/session" }),
      );
      step(
        steps,
        "GET /api/me with the old token: still the old role",
        {
          status: 200,
          layer: EDGE,
          body: { holds: (b) => field(b, "claims", "role") === original, says: `claims.role is still ${original}` },
        },
        await me(lab, before, "GET /api/me (stale role)"),
      );
      step(
        steps,
        "GET /api/me/strict with the old token: refused, role out of date",
        { status: 401, error: "invalid_token", reason: "revoked", layer: STRICT },
        await me(lab, before, "GET /api/me/strict (stale role)", true),
      );
      const refreshed = await freshToken(lab, steps, "POST /api/auth/refresh: a new token");
      if (refreshed) {
        steps[steps.length - 1]!.expected = {
          status: 200,
          body: { holds: () => decodeJwt(refreshed)?.payload.role === other, says: `the new token says ${other}` },
        };
        steps[steps.length - 1]!.pass = decodeJwt(refreshed)?.payload.role === other;
      }
      step(
        steps,
        `POST /api/lab/role → ${original} (restore)`,
        { status: 200 },
        await lab.call({
          label: "POST /api/lab/role (restore)",
          flow: "lab",
          method: "POST",
          url: "/api/lab/role",
          json: { role: original },
        }),
      );
      await freshToken(lab, steps, "POST /api/auth/refresh (restore the token)");
      return {
        steps,
        note: "The session reads the user from the database on every request; the JWT carries a copy of the role from when it was issued.",
      };
    },
  },
  {
    id: "replay",
    title: "Replay a refresh token",
    needsSession: true,
    summary:
      "The lab hands the page a copy of a fresh refresh token (as a thief might get one). You refresh twice; then the thief presents the copy.",
    unavailable: (lab) =>
      lab.props.lab.developmentExperiments
        ? needsLab(lab)
        : "hands a refresh token to page script, so it runs only in development",
    async run({ lab }) {
      const steps: StepResult[] = [];
      const started = step(
        steps,
        "POST /api/lab/refresh-family (new family, copy exposed)",
        { status: 200 },
        await lab.call({
          label: "POST /api/lab/refresh-family",
          flow: "lab",
          method: "POST",
          url: "/api/lab/refresh-family",
          json: { exposeCopy: true },
        }),
      );
      const copy = field<string>(started.body, "stolenCopy");
      await freshToken(lab, steps, "POST /api/auth/refresh (you, with the cookie)");
      await freshToken(lab, steps, "POST /api/auth/refresh (you again: the copy is now two generations old)");
      step(
        steps,
        "POST /api/lab/refresh-replay (the thief presents the used copy)",
        { status: 401, error: "invalid_grant", reason: "reused" },
        await lab.call({
          label: "POST /api/lab/refresh-replay",
          flow: "lab",
          method: "POST",
          url: "/api/lab/refresh-replay",
          json: { token: copy ?? "" },
        }),
      );
      step(
        steps,
        "POST /api/auth/refresh (you again): the whole family was revoked",
        { status: 401, error: "invalid_grant" },
        await lab.refreshCall("POST /api/auth/refresh (after replay)"),
      );
      step(
        steps,
        "POST /api/lab/refresh-family (start over so this page keeps working)",
        { status: 200 },
        await lab.call({
          label: "POST /api/lab/refresh-family (recover)",
          flow: "lab",
          method: "POST",
          url: "/api/lab/refresh-family",
          json: { exposeCopy: false },
        }),
      );
      await freshToken(lab, steps, "POST /api/auth/refresh (new family)");
      return {
        steps,
        note: [
          "A refresh token is single-use: seeing an old one again means two parties hold the chain, so both lose",
          "the family. Only the token just replaced, presented within the grace window, is answered instead —",
          "see “Two tabs refresh at once”.",
        ].join(" "),
      };
    },
  },
  {
    id: "two-tabs",
    title: "Two tabs refresh at once",
    needsSession: true,
    summary:
      "Two real refreshes leave this page at the same moment with the one refresh cookie, as two tabs loading together would. Then the lab runs the same race under the other reuse rule.",
    unavailable: needsLab,
    async run({ lab }) {
      const steps: StepResult[] = [];
      const family = (trace: Trace) => field<{ generation: number } | null>(trace.body, "family") ?? null;
      const before = await lab.call({
        label: "GET /api/lab/refresh-family (before)",
        flow: "lab",
        url: "/api/lab/refresh-family",
      });
      const grace = field<number>(before.body, "graceSeconds") ?? 0;
      const generation = family(before)?.generation ?? NaN;
      // Deliberately around the page's cross-tab lock: both requests carry the same cookie (and, with
      // DPoP on, each its own proof by the one key the tabs share).
      const race = await Promise.all([1, 2].map((tab) => lab.refreshCall(`POST /api/auth/refresh (tab ${tab})`)));
      const token = race.map((t) => field<string>(t.body, "accessToken")).find(Boolean);
      if (token) lab.setToken(token);
      // The browser attaches the cookie as each request starts; now and then the second starts after
      // the first answer set the new cookie, and then nothing raced: both rotated, one after the other.
      const raced = !race.every((t) => t.refreshOutcome === "rotated");
      const [first, second] =
        race[1]!.refreshOutcome === "rotated" && race[0]!.refreshOutcome !== "rotated"
          ? [race[1]!, race[0]!]
          : [race[0]!, race[1]!];
      if (!raced) {
        step(steps, "Tab 1: POST /api/auth/refresh", { status: 200 }, first);
        step(steps, "Tab 2: sent after tab 1's answer this time, with the new token", { status: 200 }, second);
      } else {
        step(steps, "One tab: POST /api/auth/refresh rotates the token", { status: 200 }, first);
        if (grace > 0)
          step(
            steps,
            `The other, same token, same moment: answered inside the ${grace} s window`,
            { status: 200 },
            second,
          );
        else step(steps, "The other tab, a moment behind: strict mode calls it reuse", strictLoss, second);
      }
      const familyLives = grace > 0 || !raced;
      const rotations = raced ? 1 : 2;
      step(
        steps,
        familyLives
          ? "GET /api/lab/refresh-family: the family lives, with one live token"
          : "GET /api/lab/refresh-family",
        familyLives
          ? {
              status: 200,
              body: {
                holds: (b) => field(b, "family", "generation") === generation + rotations,
                says: `generation ${generation} → ${generation + rotations}: ${raced ? "one new token, not two" : "one per refresh"}`,
              },
            }
          : {
              status: 200,
              body: { holds: (b) => field(b, "family") === null, says: "no live family: both tabs lost it" },
            },
        await lab.call({ label: "GET /api/lab/refresh-family (after)", flow: "lab", url: "/api/lab/refresh-family" }),
      );
      const other = grace > 0 ? 0 : DEFAULT_GRACE_SECONDS;
      const compared = step(
        steps,
        other === 0
          ? "POST /api/lab/refresh-race: what strict mode (0 s) would have done"
          : `POST /api/lab/refresh-race: what a ${other} s grace window would have done`,
        { status: 200, body: other === 0 ? strictRace : graceRace },
        await lab.call({
          label: "POST /api/lab/refresh-race",
          flow: "lab",
          method: "POST",
          url: "/api/lab/refresh-race",
          json: { graceSeconds: other },
        }),
      );
      if (!familyLives) {
        step(
          steps,
          "POST /api/lab/refresh-family (start over so this page keeps working)",
          { status: 200 },
          await lab.call({
            label: "POST /api/lab/refresh-family (recover)",
            flow: "lab",
            method: "POST",
            url: "/api/lab/refresh-family",
            json: { exposeCopy: false },
          }),
        );
        await freshToken(lab, steps, "POST /api/auth/refresh (new family)");
      }
      const seen = describeRace(compared.body);
      if (!raced)
        return {
          steps,
          note: `This time the browser sent the second refresh after the first answer had set the new cookie, so nothing raced; run it again to see the race. In the lab's race ${other === 0 ? "under strict mode" : `with a ${other} s window`} ${seen}.`,
        };
      return {
        steps,
        note:
          grace > 0
            ? `Both tabs were answered: the token just replaced is accepted for ${grace} s and gets the same new token, so the family never forks. In strict mode ${seen}. The dashboard's tabs also take turns (Web Locks), so they rarely race at all.`
            : `Strict mode (REFRESH_REUSE_GRACE_SECONDS=0): the tab a moment behind presented a token just used, which looks exactly like a replay, so the family ended. With a ${other} s window ${seen}.`,
      };
    },
  },
  {
    id: "rotation",
    title: "Key rotation",
    needsSession: true,
    summary:
      "Check tokens signed by the current key, by a key no longer in JWT_PRIVATE_JWKS, and (if listed) by the previous key.",
    unavailable: needsLab,
    async run({ lab }) {
      const steps: StepResult[] = [];
      const jwks = step(
        steps,
        "GET /.well-known/jwks.json",
        { status: 200 },
        await lab.call({ label: "GET /.well-known/jwks.json", flow: "jwt", url: "/.well-known/jwks.json" }),
      );
      const kids = (field<{ kid: string }[]>(jwks.body, "keys") ?? []).map((k) => k.kid);
      const current = decodeJwt(lab.token ?? "")?.header.kid;
      step(
        steps,
        "GET /api/me with your token (signed by the newest key)",
        {
          status: 200,
          layer: EDGE,
          body: {
            holds: (b) => field(b, "kid") === kids[kids.length - 1],
            says: `kid ${String(current)} is the newest listed`,
          },
        },
        await me(lab, lab.token, "GET /api/me (current key)"),
      );
      const removed = await lab.call({
        label: "POST /api/lab/token (unlisted key)",
        flow: "lab",
        method: "POST",
        url: "/api/lab/token",
        json: { key: "unlisted" },
      });
      step(steps, "POST /api/lab/token signed by a key not in the set", { status: 200 }, removed);
      step(
        steps,
        "GET /api/me with it",
        { status: 401, error: "invalid_token", reason: "unknown_key", layer: EDGE },
        await me(lab, field<string>(removed.body, "accessToken") ?? null, "GET /api/me (removed key)"),
      );
      if (kids.length >= 2) {
        const previous = await lab.call({
          label: "POST /api/lab/token (previous key)",
          flow: "lab",
          method: "POST",
          url: "/api/lab/token",
          json: { key: "previous" },
        });
        step(steps, "POST /api/lab/token signed by the previous key", { status: 200 }, previous);
        step(
          steps,
          "GET /api/me with it: still listed, still valid",
          { status: 200, layer: EDGE },
          await me(lab, field<string>(previous.body, "accessToken") ?? null, "GET /api/me (previous key)"),
        );
      }
      return {
        steps,
        note:
          (kids.length >= 2
            ? `Listed keys: ${kids.join(", ")}. The newest signs; the older one verifies until its tokens have expired.`
            : `Only ${kids[0]} is listed.`) +
          " To rotate live: run npm run keys:rotate in a terminal, then Restart here (under npm start the server" +
          " re-reads .env.local) and run this again — a new key signs and the one before keeps verifying.",
      };
    },
  },
  {
    id: "restart",
    title: "Restart the server",
    needsSession: true,
    summary:
      "Under npm start a real restart (the page waits and reconnects); elsewhere a labelled simulation. Then use the cookie and the token.",
    warning: "With the memory store this signs out everyone on this instance.",
    unavailable: (lab) =>
      lab.props.lab.developmentExperiments
        ? needsLab(lab)
        : "signs out every user of the instance, so it runs only in development",
    async run({ lab, progress }) {
      const steps: StepResult[] = [];
      const store = lab.props.session.store;
      const memory = store === "memory";
      const answer = await lab.call({
        label: "POST /api/lab/restart",
        flow: "lab",
        method: "POST",
        url: "/api/lab/restart",
      });
      const real = answer.status === 202 && field(answer.body, "mode") === "process";
      const restarted = step(
        steps,
        real ? "POST /api/lab/restart: the launcher restarts the process" : "POST /api/lab/restart (simulated)",
        real
          ? { status: 202, body: { holds: (b) => field(b, "mode") === "process", says: "mode: process" } }
          : { status: 200, body: { holds: (b) => field(b, "mode") === "simulated", says: "mode: simulated" } },
        answer,
      );
      const wiped = field<number>(restarted.body, "wipedSessions");
      let waitedSeconds: number | null = null;
      if (real) {
        const before = field<string>(restarted.body, "startedAt");
        const began = Date.now();
        const back = await waitForNewProcess(before, (seconds) =>
          progress(`Waiting for the server to come back (${seconds} s)…`),
        );
        progress(null);
        waitedSeconds = Math.round((Date.now() - began) / 100) / 10;
        step(
          steps,
          back ? `GET /api/health: a new process, back after ${waitedSeconds} s` : "GET /api/health: a new process",
          {
            status: 200,
            body: {
              holds: (b) => typeof field(b, "startedAt") === "string" && field(b, "startedAt") !== before,
              says: "startedAt differs from the old process's",
            },
          },
          await lab.call({ label: "GET /api/health (after restart)", flow: "lab", url: "/api/health" }),
        );
      }
      const session = step(
        steps,
        memory ? "GET /api/session: the memory store lost it" : `GET /api/session: the ${store} store kept it`,
        memory ? { status: 401, error: "no_session", layer: NODE } : { status: 200, layer: NODE },
        await lab.call({ label: "GET /api/session (after restart)", flow: "session", url: "/api/session" }),
      );
      const jwt = step(
        steps,
        "GET /api/me: tokens need no server memory",
        { status: 200, layer: EDGE },
        await me(lab, lab.token, "GET /api/me (after restart)"),
      );
      if (real && !memory) await freshToken(lab, steps, "POST /api/auth/refresh (reconnect)");
      lab.measure({
        restart: {
          store,
          mode: real ? "process" : "simulated",
          sessionStatus: session.status,
          jwtStatus: jwt.status,
        },
      });
      if (session.status === 401) lab.markSignedOut();
      const what = real
        ? `The server process really restarted (back after ${waitedSeconds} s).`
        : "A simulation: the server kept running (start it with npm start for a real restart).";
      return {
        steps,
        // What the other kind of store would have done, beside what this one did.
        note: memory
          ? `${what} The memory store lost ${wiped ?? "every"} session(s) held in the process, yours included: every user of this instance signs in again. A database or Redis store would have kept them; the JWT kept working either way.`
          : `${what} The ${store} store kept your session: it lives outside the process. With SESSION_STORE=memory the same restart would have answered 401 no_session here and signed out every user of this instance; the JWT would have kept working either way.`,
      };
    },
  },
  {
    id: "revoke",
    title: "Sign out everywhere",
    needsSession: true,
    summary:
      "Revoke every session of your account, this one included, then use the cookie and the token you still hold.",
    warning: "This signs you out; sign in again afterwards.",
    unavailable: needsToken,
    async run({ lab }) {
      const steps: StepResult[] = [];
      const token = lab.token;
      step(
        steps,
        "DELETE /api/sessions (all other sessions)",
        { status: 200, layer: NODE },
        await lab.call({ label: "DELETE /api/sessions", flow: "session", method: "DELETE", url: "/api/sessions" }),
      );
      step(
        steps,
        "POST /api/auth/logout (this session and its refresh family)",
        { status: 204 },
        await lab.call({ label: "POST /api/auth/logout", flow: "auth", method: "POST", url: "/api/auth/logout" }),
      );
      const session = step(
        steps,
        "GET /api/session: the session is gone at once",
        { status: 401, error: "no_session", layer: NODE },
        await lab.call({ label: "GET /api/session (after revoke)", flow: "session", url: "/api/session" }),
      );
      const jwt = step(
        steps,
        "GET /api/me with the old token: still valid until exp",
        { status: 200, layer: EDGE },
        await me(lab, token, "GET /api/me (after revoke)"),
      );
      const strict = step(
        steps,
        "GET /api/me/strict with the old token: the strict check refuses it",
        { status: 401, error: "invalid_token", reason: "revoked", layer: STRICT },
        await me(lab, token, "GET /api/me/strict (after revoke)", true),
      );
      lab.measure({ revoke: { sessionStatus: session.status, jwtStatus: jwt.status, strictStatus: strict.status } });
      lab.markSignedOut();
      return {
        steps,
        note: "Deleting the record ended the session. The JWT could only be stopped by a check that keeps state again.",
      };
    },
  },
];

export function crossInstanceExperiment(peer: string): Experiment {
  return {
    id: "instance",
    title: "Another instance",
    needsSession: true,
    summary: `Send the same cookie and token to ${peer}. If this instance died, could that one serve you?`,
    unavailable: needsToken,
    async run({ lab }) {
      const steps: StepResult[] = [];
      const shared = lab.props.session.store !== "memory";
      const session = step(
        steps,
        `GET ${peer}/api/session`,
        shared ? { status: 200, layer: NODE } : { status: 401, error: "no_session", layer: NODE },
        await lab.call({
          label: "GET /api/session (peer)",
          flow: "session",
          url: `${peer}/api/session`,
          withCookies: true,
        }),
      );
      const jwt = step(
        steps,
        `GET ${peer}/api/me`,
        { status: 200, layer: EDGE },
        await lab.call({
          label: "GET /api/me (peer)",
          flow: "jwt",
          url: `${peer}/api/me`,
          token: lab.token,
          withCookies: false,
        }),
      );
      lab.measure({
        peer: {
          origin: peer,
          sessionStatus: session.status,
          jwtStatus: jwt.status,
          sessionInstance: session.instance,
          jwtInstance: jwt.instance,
        },
      });
      return {
        steps,
        note: shared
          ? `Both instances read sessions from the shared ${lab.props.session.store} store, so either can serve you — as long as that store is up.`
          : "Sessions in one process's memory are invisible to every other instance.",
      };
    },
  };
}
