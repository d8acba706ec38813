/**
 * OpenTelemetry spans from the checks, in process with an in-memory exporter: a check is the active
 * span, its recorded steps are children named as the dashboard's trace names them, refusals are
 * outcomes (not span errors), and nothing identifying rides along.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { context, trace } from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-node";
import { AppError } from "@/lib/edge/errors";
import { CHECKS, checked, NO_RECORDER, observeTraces, STEPS, timed, TraceRecorder } from "@/lib/edge/trace";
import { spanObserver } from "@/lib/server/observability/spans";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let stopObserving: () => void;

beforeAll(() => {
  provider.register();
  stopObserving = observeTraces(spanObserver());
});
afterAll(async () => {
  stopObserving();
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

function spans(): ReadableSpan[] {
  return exporter.getFinishedSpans();
}

function byName(name: string): ReadableSpan {
  const span = spans().find((s) => s.name === name);
  if (!span) throw new Error(`no span named ${name}: ${spans().map((s) => s.name)}`);
  return span;
}

const ms = (span: ReadableSpan) => span.duration[0] * 1000 + span.duration[1] / 1e6;

describe("spans for checks and their steps", () => {
  it("a session check is a span; its unseal and store lookup are its children, with their measured times", async () => {
    const recorder = new TraceRecorder();
    const result = await checked("session", async () => {
      await timed(recorder, "unseal", async () => {});
      recorder.time("store", 12, "database");
      return { session: "s" };
    });
    expect(result).toEqual({ session: "s" });

    const check = byName(CHECKS.session);
    const store = byName(STEPS.store);
    const unseal = byName(STEPS.unseal);
    for (const child of [store, unseal]) {
      expect(child.parentSpanContext?.spanId).toBe(check.spanContext().spanId);
      expect(child.spanContext().traceId).toBe(check.spanContext().traceId);
    }
    expect(ms(store)).toBeCloseTo(12, 0);
    expect(store.attributes).toMatchObject({ "authlab.step": "store", "authlab.detail": "database" });
    expect(check.attributes).toMatchObject({ "authlab.check": "session", "authlab.outcome": "ok" });
    // The recorder still builds its headers as before.
    expect(recorder.headers()["server-timing"]).toContain("store;dur=12.000");
  });

  it("steps reported with NO_RECORDER become spans too (pages trace nothing into headers)", async () => {
    await checked("token", async () => NO_RECORDER.time("verify", 0.5, "this token already verified"));
    expect(byName(STEPS.verify).parentSpanContext?.spanId).toBe(byName(CHECKS.token).spanContext().spanId);
  });

  it("a refused credential is an outcome on the span, not a server error; an unexpected failure is", async () => {
    const refusal = new AppError("invalid_grant", "reused", { reason: "reused" });
    await expect(checked("refresh", () => Promise.reject(refusal))).rejects.toBe(refusal);
    const rotation = byName(CHECKS.refresh);
    expect(rotation.attributes).toMatchObject({ "authlab.outcome": "invalid_grant", "authlab.reason": "reused" });
    expect(rotation.status.code).toBe(0);

    exporter.reset();
    await expect(checked("strict", () => Promise.reject(new Error("database down")))).rejects.toThrow();
    const strict = byName(CHECKS.strict);
    expect(strict.status.code).toBe(2);
    expect(strict.events.map((e) => e.name)).toContain("exception");
  });

  it("an absent session is recorded as such", async () => {
    await checked("session", async () => null);
    expect(byName(CHECKS.session).attributes["authlab.outcome"]).toBe("absent");
  });

  it("with the observer removed, checks make no spans", async () => {
    stopObserving();
    try {
      await checked("session", async () => "x");
      expect(spans()).toHaveLength(0);
    } finally {
      stopObserving = observeTraces(spanObserver());
    }
  });
});
