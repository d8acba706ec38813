"use client";

import { useId, useState } from "react";
import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { describeExpectation, type Outcome } from "../experiments/kit";
import type { Experiment } from "../experiments";
import { TraceSummary } from "./trace-summary";
import { ExperimentEffects, useExperimentEffects } from "./experiment-effects";
import type { Lab } from "./use-lab";

export function ExperimentCard({ experiment, lab }: { experiment: Experiment; lab: Lab }) {
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [claims, setClaims] = useState<string | null>(null);
  const editorId = useId();
  const effects = useExperimentEffects();
  const unavailable =
    lab.signedOut && experiment.needsSession
      ? "it needs the session, which has ended"
      : (experiment.unavailable?.(lab) ?? null);
  const waitingFor = lab.activity && lab.activity.id !== experiment.id ? lab.activity.title : null;
  const isTamper = experiment.id === "tamper";
  const editorValue =
    claims ?? (lab.token ? JSON.stringify({ ...decodeJwt(lab.token)?.payload, role: "ADMIN" }, null, 2) : "");

  async function run() {
    if (!lab.claim({ id: experiment.id, title: experiment.title })) return;
    setRunning(true);
    setFailure(null);
    setOutcome(null);
    await effects.begin();
    try {
      setOutcome(await experiment.run({ lab, progress: setProgress, input: isTamper ? editorValue : undefined }));
    } catch (error) {
      setFailure(
        error instanceof SyntaxError
          ? "The claims are not valid JSON."
          : error instanceof Error
            ? error.message
            : "The experiment failed.",
      );
    } finally {
      await effects.finish();
      setRunning(false);
      lab.release(experiment.id);
    }
  }

  const passed = outcome ? outcome.steps.every((s) => s.pass) : null;
  return (
    <article
      className="flex scroll-mt-4 flex-col rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
      id={`experiment-${experiment.id}`}
      data-testid={`experiment-${experiment.id}`}
      aria-labelledby={`${editorId}-title`}
    >
      <div className="flex items-start justify-between gap-3">
        <h3 id={`${editorId}-title`} className="font-semibold">
          {experiment.title}
        </h3>
        {passed === null ? null : (
          <Badge tone={passed ? "good" : "bad"} testId="verdict">
            {passed ? "as predicted" : "not as predicted"}
          </Badge>
        )}
      </div>
      <p className="mt-1 text-sm text-slate-700">{experiment.summary}</p>
      {experiment.warning ? <p className="mt-1 text-xs font-medium text-amber-800">{experiment.warning}</p> : null}
      {isTamper && lab.token ? (
        <div className="mt-3">
          <label htmlFor={editorId} className="text-xs font-medium text-slate-700">
            Claims to send (the signature stays the original)
          </label>
          <textarea
            id={editorId}
            className="mt-1 h-40 w-full rounded-lg border border-slate-300 p-2 font-mono text-xs"
            value={editorValue}
            onChange={(e) => setClaims(e.target.value)}
            spellCheck={false}
            data-testid="tamper-editor"
          />
        </div>
      ) : null}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button
          onClick={run}
          disabled={running || unavailable !== null || waitingFor !== null}
          data-testid={`run-${experiment.id}`}
        >
          {running ? "Running…" : "Run"}
        </Button>
        {unavailable ? (
          <span className="text-xs text-slate-600">Unavailable: {unavailable}</span>
        ) : waitingFor ? (
          <span className="text-xs text-slate-600" data-testid="run-waits">
            Waits for “{waitingFor}” to finish: one experiment at a time, so each shows only its own effects.
          </span>
        ) : null}
      </div>
      <div aria-live="polite" className="mt-3 space-y-2">
        {progress ? (
          <p className="text-xs text-slate-700" data-testid="experiment-progress">
            {progress}
          </p>
        ) : null}
        {failure ? (
          <p role="alert" className="text-sm text-red-800">
            {failure}
          </p>
        ) : null}
        {outcome ? (
          <>
            {outcome.note ? <p className="text-xs text-slate-700">{outcome.note}</p> : null}
            {/* The steps are the evidence; folded (open when one went otherwise), so finished experiments stay short. */}
            <details className="text-xs" data-testid="experiment-steps" open={passed === false ? true : undefined}>
              <summary className="cursor-pointer font-medium text-slate-700">
                {outcome.steps.length} requests, {outcome.steps.filter((s) => s.pass).length} as predicted — show each
              </summary>
              <ol className="mt-2 space-y-2">
                {outcome.steps.map((s, i) => (
                  <li
                    key={i}
                    className="rounded-lg bg-slate-50 p-2 text-xs"
                    data-testid="step-result"
                    data-pass={s.pass}
                    data-expected-status={s.expected.status}
                    data-status={s.trace.status}
                    data-layer={s.trace.layer}
                  >
                    <p className="font-medium text-slate-900">
                      <span aria-hidden="true">{s.pass ? "✓ " : "✗ "}</span>
                      <span className="sr-only">{s.pass ? "As predicted: " : "Not as predicted: "}</span>
                      {s.label}
                    </p>
                    <p className="mt-0.5 text-slate-600">expected: {describeExpectation(s.expected)}</p>
                    <div className="mt-0.5 flex flex-wrap items-center gap-1 text-slate-700">
                      actual: <TraceSummary trace={s.trace} />
                    </div>
                    {s.trace.description ? (
                      <p className="mt-0.5 text-slate-600">server said: {s.trace.description}</p>
                    ) : null}
                  </li>
                ))}
              </ol>
            </details>
            <ExperimentEffects state={effects.state} />
          </>
        ) : null}
      </div>
    </article>
  );
}
