/**
 * Restarts the server: under `npm start` for real (the page waits for a new process and reconnects),
 * elsewhere as a labelled simulation. Written by hand: the waiting, and what the page measures, depend
 * on which of the two the server did.
 */
import { developmentOnly } from "./availability";
import { field, sleepUntil, step, type StepResult } from "./kit";
import { GATE, NODE, adoptToken, lab as labRequest, me, sessionCall } from "./steps";
import type { Experiment, RunInput } from "./types";

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

async function run({ lab, progress }: RunInput) {
  const steps: StepResult[] = [];
  const store = lab.props.session.store;
  const memory = store === "memory";
  const answer = await lab.call(labRequest("POST", "/api/lab/restart", "POST /api/lab/restart"));
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
      // A public endpoint: no layer checks it, and the trace says so.
      await lab.call({ label: "GET /api/health (after restart)", flow: "public", url: "/api/health" }),
    );
  }
  const session = step(
    steps,
    memory ? "GET /api/session: the memory store lost it" : `GET /api/session: the ${store} store kept it`,
    memory ? { status: 401, error: "no_session", layer: NODE } : { status: 200, layer: NODE },
    await lab.call(sessionCall("GET /api/session (after restart)")),
  );
  const jwt = step(
    steps,
    "GET /api/me: tokens need no server memory",
    { status: 200, layer: GATE },
    await lab.call(me(lab.token, "GET /api/me (after restart)")),
  );
  if (real && !memory) {
    const trace = await lab.refreshCall("POST /api/auth/refresh (reconnect)");
    step(steps, "POST /api/auth/refresh (reconnect)", { status: 200 }, trace);
    adoptToken(lab, trace);
  }
  lab.measure({
    restart: { store, mode: real ? "process" : "simulated", sessionStatus: session.status, jwtStatus: jwt.status },
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
}

export const restart: Experiment = {
  id: "restart",
  title: "Restart the server",
  needsSession: true,
  summary:
    "Under npm start a real restart (the page waits and reconnects); elsewhere a labelled simulation. Then use the cookie and the token.",
  warning: "With the memory store this signs out everyone on this instance.",
  unavailable: developmentOnly("signs out every user of the instance"),
  run,
};
