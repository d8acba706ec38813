/**
 * What the lab's request trace shows, defined once: which layer checked a request, the timed steps
 * of a check, and how many session-store lookups it took.
 *
 * Core auth code records through a `Recorder` it is handed; it never returns timings in its results.
 * A route handler makes one `TraceRecorder` per request and turns it into response headers:
 * `x-authlab-layer`, `x-authlab-store-lookups` and `Server-Timing` (W3C Server Timing), which the
 * dashboard reads. Code that does not trace passes nothing and gets `NO_RECORDER`.
 *
 * Metrics and OpenTelemetry spans see the same steps without the auth code knowing about them: Node
 * code registers `TraceObserver`s once per process (lib/server/observability/), and every recorder —
 * `NO_RECORDER` included — and every `checked()` check reports to them. Nothing registers at the
 * Edge, so there this costs an empty loop.
 */
import { AppError, LAYER_HEADER } from "./errors";
import { processSingleton } from "./singleton";

export const LAYERS = {
  /** The gate as Edge middleware (middleware.ts, the default build): verifies tokens before any route runs. */
  edge: "edge-middleware",
  /** The same gate as Next's Node proxy (the proxy build): it may also read the session store for pages. */
  proxy: "node-proxy",
  /** A Node route handler or page: opens the session cookie or verifies the token itself. */
  node: "node-handler",
  /** The opt-in strict JWT check in Node: reads the database to see whether the token was revoked. */
  strict: "node-strict-check",
  /** A lab endpoint acting for an experiment. */
  lab: "lab",
} as const;
export type Layer = (typeof LAYERS)[keyof typeof LAYERS];

/** The timed steps, with the description the trace shows for each. */
export const STEPS = {
  verify: "Node JWT verify",
  dpop: "Node DPoP proof check",
  dpopReplay: "DPoP jti claimed in the shared store",
  unseal: "iron-session unseal",
  store: "session store lookup",
  cookieCache: "cookie cache: snapshot in the sealed cookie trusted, store not read",
  strict: "strict revocation check",
  db: "user profile read",
} as const;
export type Step = keyof typeof STEPS;

/**
 * Whole checks, each made of steps: measured end to end by metrics and spans. Not in Server-Timing,
 * whose entries are the steps that add up to them.
 */
export const CHECKS = {
  session: "session check",
  token: "token check",
  strict: "strict check",
  refresh: "refresh token rotation",
} as const;
export type Check = keyof typeof CHECKS;

/** How a check ended: `ok`, `absent` (it answered "no one", e.g. no session cookie), or an error code. */
export interface CheckOutcome {
  outcome: string;
  reason?: string;
}

/** A process-wide listener: metrics count, spans record. Registered by Node code only. */
export interface TraceObserver {
  /** Runs a whole check (e.g. inside an active span); returns what `run` returns. */
  around?<T>(check: Check, run: () => Promise<T>): Promise<T>;
  checked?(check: Check, ms: number, outcome: CheckOutcome): void;
  step?(step: Step, ms: number, detail?: string): void;
}

const observers = () => processSingleton("trace.observers", () => new Set<TraceObserver>());

/** Adds an observer for this process; returns the function that removes it. */
export function observeTraces(observer: TraceObserver): () => void {
  observers().add(observer);
  return () => observers().delete(observer);
}

function notifyStep(step: Step, ms: number, detail?: string): void {
  for (const observer of observers()) observer.step?.(step, ms, detail);
}

function outcomeOf(value: unknown): CheckOutcome {
  return { outcome: value === null ? "absent" : "ok" };
}

function failureOf(error: unknown): CheckOutcome {
  if (error instanceof AppError) return { outcome: error.code, reason: error.reason };
  return { outcome: "error" };
}

/**
 * Runs one whole check (`fn`), reporting its duration and outcome to the observers, which may also
 * wrap it (a span). The result and any error pass through unchanged.
 */
export async function checked<T>(check: Check, fn: () => Promise<T>): Promise<T> {
  let run = fn;
  for (const observer of observers()) {
    const around = observer.around?.bind(observer);
    if (around) {
      const inner = run;
      run = () => around(check, inner);
    }
  }
  const started = performance.now();
  let outcome: CheckOutcome = { outcome: "error" };
  try {
    const value = await run();
    outcome = outcomeOf(value);
    return value;
  } catch (error) {
    outcome = failureOf(error);
    throw error;
  } finally {
    const ms = performance.now() - started;
    for (const observer of observers()) observer.checked?.(check, ms, outcome);
  }
}

export const STORE_LOOKUPS_HEADER = "x-authlab-store-lookups";
/**
 * The gate's own timing (Edge middleware or Node proxy), in a header of its own: when a route handler
 * also sets Server-Timing, Next sends the handler's value and drops the gate's.
 */
export const GATE_TIMING_HEADER = "x-authlab-gate-timing";
/** On a refresh's 200: `rotated` (this request moved the family on) or `reissued` (the grace window). */
export const REFRESH_OUTCOME_HEADER = "x-authlab-refresh";
/** On a session check: `store` or `cookie-cache` (SECURITY.md, "Cookie cache"), where the answer came from. */
export const SESSION_SOURCE_HEADER = "x-authlab-session-source";

export interface Recorder {
  /** Marks that a layer checked this request. */
  checkedBy(layer: Layer): void;
  /** Adds the duration of a step; a step may be timed more than once (e.g. a lookup and a touch). */
  time(step: Step, ms: number, detail?: string): void;
  storeLookup(): void;
}

/** Records nothing for a response; the process's observers still see the steps. */
export const NO_RECORDER: Recorder = {
  checkedBy() {},
  time: notifyStep,
  storeLookup() {},
};

/** Runs `fn` and records how long it took, whether it returned or threw. */
export async function timed<T>(recorder: Recorder, step: Step, fn: () => Promise<T>, detail?: string): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    recorder.time(step, performance.now() - started, detail);
  }
}

/** Server-Timing entries: `name;dur=1.234;desc="…"`. */
export function serverTiming(entries: { name: string; ms: number; description: string }[]): string {
  return entries
    .map((e) => `${e.name};dur=${e.ms.toFixed(3)};desc="${e.description.replace(/["\\]/g, "")}"`)
    .join(", ");
}

export class TraceRecorder implements Recorder {
  private readonly layers: Layer[] = [];
  private readonly steps = new Map<Step, { ms: number; detail?: string }>();
  private lookups = 0;

  checkedBy(layer: Layer): void {
    if (!this.layers.includes(layer)) this.layers.push(layer);
  }

  time(step: Step, ms: number, detail?: string): void {
    notifyStep(step, ms, detail);
    const previous = this.steps.get(step);
    this.steps.set(step, { ms: (previous?.ms ?? 0) + ms, detail: detail ?? previous?.detail });
  }

  storeLookup(): void {
    this.lookups++;
  }

  /** The trace as response headers. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = { [STORE_LOOKUPS_HEADER]: String(this.lookups) };
    if (this.layers.length > 0) headers[LAYER_HEADER] = this.layers.join("+");
    if (this.steps.size > 0) {
      headers["server-timing"] = serverTiming(
        [...this.steps].map(([step, { ms, detail }]) => ({
          name: step,
          ms,
          description: detail ? `${STEPS[step]} (${detail})` : STEPS[step],
        })),
      );
    }
    return headers;
  }
}
