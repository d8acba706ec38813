/**
 * Runs a declared experiment: each step's request through the page's own fetch (so it appears in the
 * trace like any other call), its predicted outcome beside the real one, in order. The verdict is
 * computed from the responses, never written in advance.
 */
import type { Trace } from "@/lib/ui/lab/trace";
import { meets, type Outcome, type StepResult } from "./kit";
import type { DeclaredExperiment, Experiment, RunContext, RunInput, Step } from "./types";

const resolve = <V, T>(value: T | ((context: RunContext<V>) => T), context: RunContext<V>): T =>
  typeof value === "function" ? (value as (context: RunContext<V>) => T)(context) : value;

async function send<V>(step: Step<V>, context: RunContext<V>): Promise<Trace> {
  const request = await step.request(context);
  return "refresh" in request ? context.lab.refreshCall(request.refresh) : context.lab.call(request);
}

async function runSteps<V>(spec: DeclaredExperiment<V>, input: RunInput): Promise<Outcome> {
  const context: RunContext<V> = { ...input, vars: spec.setup ? await spec.setup(input) : ({} as V) };
  const results: StepResult[] = [];
  for (const step of spec.steps) {
    if (step.when && !step.when(context)) continue;
    await step.before?.(context);
    const trace = await send(step, context);
    const expected = resolve(step.expect, context);
    results.push({ label: resolve(step.label, context), expected, trace, pass: meets(trace, expected) });
    step.keep?.(context, trace);
  }
  await spec.finish?.(context, results);
  const note = typeof spec.note === "function" ? spec.note(context, results) : spec.note;
  return { steps: results, note };
}

/** A declared experiment, ready for the dashboard. */
export function declare<V>(spec: DeclaredExperiment<V>): Experiment {
  const { setup: _setup, steps: _steps, finish: _finish, note: _note, ...card } = spec;
  return { ...card, run: (input) => runSteps(spec, input) };
}
