/**
 * The vocabulary of experiments: each step states what should happen, makes a real request, and
 * compares what did happen. The verdict is computed from the response, never written in advance.
 */
import { checkedBy, type Trace } from "@/lib/ui/lab/trace";

export interface Expectation {
  status: number;
  error?: string;
  /** For a refusal, the stable reason the server gave (e.g. "expired"). */
  reason?: string;
  /** A layer that must have checked the request (for a refusal: the one that refused it). */
  layer?: string;
  /** A further condition on the body, with the words that describe it. */
  body?: { holds: (body: unknown) => boolean; says: string };
}

export interface StepResult {
  label: string;
  expected: Expectation;
  trace: Trace;
  pass: boolean;
}

export interface Outcome {
  steps: StepResult[];
  note?: string;
}

export function meets(trace: Trace, expected: Expectation): boolean {
  if (trace.status !== expected.status) return false;
  if (expected.error && trace.error !== expected.error) return false;
  if (expected.reason && trace.reason !== expected.reason) return false;
  if (expected.layer && !checkedBy(trace, expected.layer)) return false;
  if (expected.body && !expected.body.holds(trace.body)) return false;
  return true;
}

export function describeExpectation(expected: Expectation): string {
  const parts = [String(expected.status)];
  if (expected.error) parts.push(expected.reason ? `${expected.error} (${expected.reason})` : expected.error);
  if (expected.layer) parts.push(`at ${expected.layer}`);
  if (expected.body) parts.push(`— ${expected.body.says}`);
  return parts.join(" ");
}

/** Records a step: the trace plus whether it met its expectation. */
export function step(steps: StepResult[], label: string, expected: Expectation, trace: Trace): Trace {
  steps.push({ label, expected, trace, pass: meets(trace, expected) });
  return trace;
}

export function field<T>(body: unknown, ...path: string[]): T | undefined {
  let value: unknown = body;
  for (const key of path) {
    if (!value || typeof value !== "object" || !(key in value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value as T;
}

export function sleepUntil(instant: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, instant - Date.now())));
}
