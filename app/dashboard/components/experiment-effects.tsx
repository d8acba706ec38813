"use client";

import { useRef, useState } from "react";
import type { LabEffects } from "@/lib/server/lab/effects";
import { Badge } from "@/components/ui/badge";

/**
 * What an experiment left behind on the server: the security events it wrote to the audit trail
 * and the metrics it moved. A snapshot is taken before the run and another after (GET
 * /api/lab/events); the difference is shown under the outcome. Self-contained: a card calls
 * `begin()` and `finish()` around its run and renders <ExperimentEffects>.
 */
export type EffectsState =
  | { status: "idle" }
  | {
      status: "ready";
      events: LabEffects["events"];
      /** The metrics that moved; null when the process restarted in between (its counters started at zero). */
      changes: { name: string; delta: number }[] | null;
    }
  | { status: "unavailable"; why: string };

async function snapshot(after: number | null): Promise<LabEffects | string> {
  const url = after === null ? "/api/lab/events" : `/api/lab/events?after=${after}`;
  try {
    const response = await fetch(url, { cache: "no-store" });
    if (response.status === 401) return "this browser is signed out now";
    if (!response.ok) return `the server answered ${response.status}`;
    return (await response.json()) as LabEffects;
  } catch {
    return "the server could not be reached";
  }
}

function changesBetween(before: Record<string, number>, after: Record<string, number>) {
  return Object.entries(after)
    .map(([name, value]) => ({ name, delta: value - (before[name] ?? 0) }))
    .filter((c) => c.delta !== 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function useExperimentEffects() {
  const [state, setState] = useState<EffectsState>({ status: "idle" });
  const baseline = useRef<LabEffects | string | null>(null);
  return {
    state,
    async begin() {
      setState({ status: "idle" });
      baseline.current = await snapshot(null);
    },
    async finish() {
      const before = baseline.current;
      if (before === null || typeof before === "string") {
        setState({ status: "unavailable", why: before ?? "no snapshot was taken before the run" });
        return;
      }
      const after = await snapshot(before.cursor);
      if (typeof after === "string") setState({ status: "unavailable", why: after });
      else {
        const sameProcess = after.process === before.process;
        const changes = sameProcess ? changesBetween(before.counters, after.counters) : null;
        setState({ status: "ready", events: after.events, changes });
      }
    },
  };
}

export function ExperimentEffects({ state }: { state: EffectsState }) {
  if (state.status === "idle") return null;
  return (
    <section className="rounded-lg border border-slate-200 p-2 text-xs" data-testid="experiment-effects">
      <h4 className="font-semibold text-slate-900">Left behind on the server</h4>
      {state.status === "unavailable" ? (
        <p className="mt-1 text-slate-600">Not shown: {state.why}.</p>
      ) : (
        <>
          {state.events.length === 0 ? (
            <p className="mt-1 text-slate-600">No security event for your account.</p>
          ) : (
            <ul className="mt-1 space-y-1" aria-label="Security events written">
              {state.events.map((event) => (
                <li key={event.id} data-testid="effect-event" data-event={event.event}>
                  <Badge tone={event.event === "refresh_reuse_detected" ? "bad" : "neutral"}>{event.event}</Badge>{" "}
                  <span className="text-slate-700">{event.description}</span>
                </li>
              ))}
            </ul>
          )}
          {state.changes === null ? (
            <p className="mt-2 text-slate-600" data-testid="effect-counters-restarted">
              Counters restarted with the process: its metrics started again from zero, so no difference is shown.
            </p>
          ) : state.changes.length > 0 ? (
            <ul className="mt-2 space-y-0.5 font-mono text-[11px] text-slate-700" aria-label="Metrics that moved">
              {state.changes.map((change) => (
                <li key={change.name} data-testid="effect-metric" className="break-all">
                  {change.name} {change.delta > 0 ? `+${change.delta}` : change.delta}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </section>
  );
}
