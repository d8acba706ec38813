"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { MECHANISMS, type RaceResult } from "./race-mechanisms";
import { cacheLabel, outcomeText, seconds } from "./race-wording";
import { LIMIT_MS, POLL_MS, type RevocationRace as Race } from "./use-revocation-race";

/** The chart's input for GET /api/lab/race/chart (drawn on the server with Vega-Lite, like the bench charts). */
function chartUrl(result: RaceResult): string {
  const rows = MECHANISMS.map((m) => {
    const outcome = result.outcomes[m.id];
    return {
      name: m.name,
      refusedAfterSeconds: outcome.refusedAfterMs === null ? null : Number((outcome.refusedAfterMs / 1000).toFixed(3)),
      note: outcomeText(m.id, outcome, result),
    };
  });
  return `/api/lab/race/chart?d=${encodeURIComponent(JSON.stringify({ limitSeconds: result.limitMs / 1000, rows }))}`;
}

/**
 * Revoke one session, then time how long each way of presenting it keeps working. A separate
 * experiment session of this account takes the revocation; this page stays signed in.
 */
export function RevocationRace({ race, waitingFor }: { race: Race; waitingFor: string | null }) {
  const { prepared, result, running } = race;
  return (
    <section
      aria-labelledby="revocation-race-heading"
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
      data-testid="revocation-race"
      data-settled={race.settled}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-3xl">
          <h2 id="revocation-race-heading" className="text-lg font-semibold">
            Revocation race
          </h2>
          <p className="text-sm text-slate-600">
            A separate session of your account, presented four ways, is revoked the way another browser would revoke it
            (<code>DELETE /api/sessions/:id</code>). Each credential is then asked every {POLL_MS} ms until it is
            refused, for up to {LIMIT_MS / 1000} s. Predicted: the store session and the strict JWT are refused at once;
            the cookie-cached session within its window; the bearer JWT not before it expires.
          </p>
          {prepared ? (
            <p className="mt-1 text-sm text-slate-700" data-testid="race-cache-label">
              Cookie-cached session: {cacheLabel(prepared)}.
            </p>
          ) : null}
        </div>
        <div className="flex flex-col items-end gap-1">
          <Button
            variant="primary"
            onClick={() => void race.run()}
            disabled={running || waitingFor !== null}
            data-testid="race-run"
          >
            {running ? `Racing… ${seconds(race.elapsedMs)}` : result ? "Run the race again" : "Run the race"}
          </Button>
          {waitingFor && !running ? (
            <span className="text-xs text-slate-600" data-testid="race-waits">
              Waits for “{waitingFor}” to finish
            </span>
          ) : null}
        </div>
      </div>
      {race.error ? (
        <Alert tone="error" testId="race-error">
          {race.error}
        </Alert>
      ) : null}
      {result ? (
        <div className="mt-4 grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
          <ul className="space-y-2 text-sm" data-testid="race-results">
            {MECHANISMS.map((m) => {
              const outcome = result.outcomes[m.id];
              return (
                <li key={m.id} data-testid={`race-result-${m.id}`} data-refused={outcome.refusedAfterMs !== null}>
                  <span className="font-medium text-slate-800">{m.name}: </span>
                  <span className={outcome.refusedAfterMs === null ? "text-red-700" : "text-slate-900"}>
                    {outcomeText(m.id, outcome, result)}
                  </span>
                  <span className="text-slate-600">
                    {" "}
                    · {outcome.polls} {outcome.polls === 1 ? "request" : "requests"}
                  </span>
                </li>
              );
            })}
          </ul>
          <figure
            className="overflow-x-auto rounded-xl border border-slate-100 p-2"
            // Scrolls sideways on a phone; focusable so a keyboard can scroll it too (WCAG 2.1.1).
            tabIndex={0}
            aria-label="Revocation race timeline"
            data-testid="race-chart"
          >
            {/* An SVG from our own origin (Vega-Lite, drawn on the server): the page's CSP stays as it is. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={chartUrl(result)}
              alt={MECHANISMS.map((m) => `${m.name}: ${outcomeText(m.id, result.outcomes[m.id], result)}`).join("; ")}
              className="h-auto max-w-none sm:max-w-full"
            />
          </figure>
        </div>
      ) : null}
    </section>
  );
}
