"use client";

/**
 * The revocation race (docs/choosing.md): on load, a separate experiment session of the signed-in account is
 * prepared (POST /api/lab/race) and asked twice with each of the four credentials, which fills the
 * decision table's per-request rows; "Run the race" prepares a new one (ending the last), revokes it
 * the way another browser would (DELETE /api/sessions/:id) and asks with each credential every
 * POLL_MS until it is refused or LIMIT_MS pass. Everything is timed here, in the browser; the page's own session takes no part.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { GATE_TIMING_HEADER, SESSION_SOURCE_HEADER, STORE_LOOKUPS_HEADER } from "@/lib/edge/trace";
import { SECURE_SESSION_COOKIE_NAME, SESSION_COOKIE_NAME } from "@/lib/edge/cookies";
import { parseServerTiming } from "@/lib/ui/lab/server-timing";
import type { Lab } from "./use-lab";
import {
  MECHANISMS,
  type Mechanism,
  type MechanismId,
  type MechanismProbe,
  type PreparedRace,
  type RaceOutcome,
  type RaceResult,
} from "./race-mechanisms";

export const POLL_MS = 150;
export const LIMIT_MS = 30_000;

export interface RevocationRace {
  prepared: PreparedRace | null;
  probes: Partial<Record<MechanismId, MechanismProbe>>;
  /** Measured on load for the XSS row: whether page script can read this page's own session cookie. */
  exposure: { cookiesReadable: boolean } | null;
  result: RaceResult | null;
  running: boolean;
  /** Milliseconds since the revocation while the race runs. */
  elapsedMs: number;
  error: string | null;
  /** The page-load measurement is done and its race session ended (tests wait for this). */
  settled: boolean;
  run: () => Promise<void>;
}

function ask(mechanism: Mechanism, race: PreparedRace): Promise<Response> {
  const headers: Record<string, string> =
    mechanism.credential === "bearer" ? { authorization: `Bearer ${race.accessToken}` } : {};
  return fetch(mechanism.url, { headers, credentials: "same-origin", cache: "no-store" });
}

async function probe(mechanism: Mechanism, race: PreparedRace): Promise<MechanismProbe> {
  const response = await ask(mechanism, race);
  await response.body?.cancel();
  const timings = [
    ...parseServerTiming(response.headers.get(GATE_TIMING_HEADER)),
    ...parseServerTiming(response.headers.get("server-timing")),
  ];
  const lookups = response.headers.get(STORE_LOOKUPS_HEADER);
  const bytes =
    mechanism.credential === "bearer"
      ? "Authorization: Bearer ".length + race.accessToken.length
      : race.cookieBytes[mechanism.id as "store" | "cached"];
  return {
    status: response.status,
    // The gate's token check never reads a store and sends no lookup header of its own.
    storeLookups: lookups === null ? (mechanism.id === "bearer" ? 0 : null) : Number(lookups),
    checkMs: timings.reduce((sum, t) => sum + t.durationMs, 0),
    steps: timings.map((t) => t.name).join(" + ") || "—",
    bytes,
    source: response.headers.get(SESSION_SOURCE_HEADER),
  };
}

async function errorCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: string; reason?: string };
    return [body.error, body.reason].filter(Boolean).join("/") || String(response.status);
  } catch {
    return String(response.status);
  }
}

/** Asks every POLL_MS until refused (a 401) or the limit; timed from `revokedAt`. */
async function pollUntilRefused(
  mechanism: Mechanism,
  race: PreparedRace,
  revokedAt: number,
  stopped: () => boolean,
): Promise<RaceOutcome> {
  let polls = 0;
  let last = "200";
  while (performance.now() - revokedAt < LIMIT_MS && !stopped()) {
    const asked = performance.now();
    const response = await ask(mechanism, race);
    polls++;
    if (response.status === 401) {
      return { refusedAfterMs: performance.now() - revokedAt, polls, answer: await errorCode(response) };
    }
    await response.body?.cancel();
    last = String(response.status);
    const wait = POLL_MS - (performance.now() - asked);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return { refusedAfterMs: null, polls, answer: last };
}

/**
 * Ends this browser's race session once the page-load measurement is done with it (DELETE /api/lab/race:
 * no security event, not a step of the trace), so it does not linger in /sessions.
 */
async function endRaceSession(): Promise<void> {
  const response = await fetch("/api/lab/race", { method: "DELETE", credentials: "same-origin" });
  await response.body?.cancel();
}

const LOAD_ACTIVITY = { id: "page-load", title: "the measurements on page load" };
export const RACE_ACTIVITY = { id: "race", title: "Revocation race" };

export function useRevocationRace(lab: Lab): RevocationRace {
  const [prepared, setPrepared] = useState<PreparedRace | null>(null);
  const [probes, setProbes] = useState<RevocationRace["probes"]>({});
  const [exposure, setExposure] = useState<RevocationRace["exposure"]>(null);
  const [running, setRunning] = useState(false);
  const [elapsedMs, setElapsedMs] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [settled, setSettled] = useState(false);
  const unmounted = useRef(false);
  const { call, claim, release, measure } = lab;
  // Kept with every other measurement (saved for the tab, cleared with them), not in this hook.
  const result = lab.measurements.race ?? null;

  const prepare = useCallback(async (): Promise<PreparedRace | null> => {
    const trace = await call({
      label: "POST /api/lab/race (an experiment session and token for the revocation race)",
      flow: "lab",
      method: "POST",
      url: "/api/lab/race",
    });
    if (trace.status !== 201) {
      setError(trace.description ?? `the lab answered ${trace.status}`);
      return null;
    }
    const race = trace.body as PreparedRace;
    setPrepared(race);
    // What a request with each credential costs (the decision table's measured rows): the second of
    // two, so a first request's one-off work (key import, unseal, route start-up) is not counted.
    const measured = await Promise.all(
      MECHANISMS.map(async (m) => {
        await probe(m, race);
        return [m.id, await probe(m, race)] as const;
      }),
    );
    setProbes(Object.fromEntries(measured));
    // HttpOnly keeps the page's own session cookie out of document.cookie (the race cookies are scoped
    // to the probe's path, so they would be absent here whatever their flags).
    const names = document.cookie.split(";").map((c) => c.trim().split("=")[0]);
    setExposure({ cookiesReadable: names.includes(SESSION_COOKIE_NAME) || names.includes(SECURE_SESSION_COOKIE_NAME) });
    return race;
  }, [call]);

  useEffect(() => {
    unmounted.current = false;
    // After the first paint, and once: a remount (React's strict mode does one) cancels the timer. The
    // session measured on load is ended at once, so it does not linger in /sessions; a run prepares its own.
    const timer = setTimeout(async () => {
      // The page-load measurements take their turn like an experiment: nothing else runs meanwhile.
      const claimed = claim(LOAD_ACTIVITY);
      try {
        const race = await prepare();
        if (race) await endRaceSession();
      } finally {
        if (claimed) release(LOAD_ACTIVITY.id);
      }
      if (!unmounted.current) setSettled(true);
    }, 0);
    return () => {
      clearTimeout(timer);
      unmounted.current = true;
    };
  }, [prepare, claim, release]);

  const run = useCallback(async () => {
    if (!claim(RACE_ACTIVITY)) return;
    setError(null);
    setRunning(true);
    setElapsedMs(0);
    try {
      // A new race session every run: its snapshot is sealed now, so the cookie-cached session is
      // measured at its worst (revoked just after its snapshot was taken), and a run's revocation
      // leaves nothing for the next one.
      const race = await prepare();
      if (!race) return;
      // Asked once more just before the revocation, so each credential starts accepted — and the
      // cached one with a snapshot re-sealed now (the worst case: it was refreshed just before).
      const before = await Promise.all(MECHANISMS.map((m) => ask(m, race)));
      const refusedBefore = MECHANISMS.filter((_, i) => before[i]!.status !== 200).map((m) => m.name);
      if (refusedBefore.length > 0) {
        setError(`refused before the revocation: ${refusedBefore.join(", ")}`);
        return;
      }
      const revoked = await call({
        label: "DELETE /api/sessions/:id (revoke the race session, as another browser would)",
        flow: "session",
        method: "DELETE",
        url: `/api/sessions/${encodeURIComponent(race.sessionId)}`,
      });
      if (revoked.status !== 200) {
        setError(revoked.description ?? `the revocation answered ${revoked.status}`);
        return;
      }
      const revokedAt = performance.now();
      const ticker = setInterval(() => setElapsedMs(performance.now() - revokedAt), 250);
      try {
        const stopped = () => unmounted.current;
        const outcomes = await Promise.all(
          MECHANISMS.map(async (m) => [m.id, await pollUntilRefused(m, race, revokedAt, stopped)] as const),
        );
        measure({
          race: {
            at: new Date().toISOString(),
            limitMs: LIMIT_MS,
            pollMs: POLL_MS,
            cacheSeconds: race.cacheSeconds,
            labMinted: race.labMinted,
            accessTokenExpiresAt: race.accessTokenExpiresAt,
            outcomes: Object.fromEntries(outcomes) as Record<MechanismId, RaceOutcome>,
          },
        });
      } finally {
        clearInterval(ticker);
      }
    } finally {
      setRunning(false);
      release(RACE_ACTIVITY.id);
    }
  }, [call, prepare, claim, release, measure]);

  return { prepared, probes, exposure, result, running, elapsedMs, error, settled, run };
}
