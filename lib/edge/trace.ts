/**
 * What the lab's request trace shows, defined once: which layer checked a request, the timed steps
 * of a check, and how many session-store lookups it took.
 *
 * Core auth code records through a `Recorder` it is handed; it never returns timings in its results.
 * A route handler makes one `TraceRecorder` per request and turns it into response headers:
 * `x-authlab-layer`, `x-authlab-store-lookups` and `Server-Timing` (W3C Server Timing), which the
 * dashboard reads. Code that does not trace passes nothing and gets `NO_RECORDER`.
 */
import { LAYER_HEADER } from "./errors";

export const LAYERS = {
  /** The Edge middleware (middleware.ts): verifies Bearer tokens before any route runs. */
  edge: "edge-middleware",
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
  edgeVerify: "Edge JWT verify",
  edgeDpop: "Edge DPoP proof check",
  verify: "Node JWT verify",
  dpop: "Node DPoP proof check",
  dpopReplay: "DPoP jti claimed in the shared store",
  unseal: "iron-session unseal",
  store: "session store lookup",
  strict: "strict revocation check",
  db: "user profile read",
} as const;
export type Step = keyof typeof STEPS;

export const STORE_LOOKUPS_HEADER = "x-authlab-store-lookups";
/**
 * The Edge middleware's own timing, in a header of its own: when a route handler also sets
 * Server-Timing, Next sends the handler's value and drops the middleware's.
 */
export const EDGE_TIMING_HEADER = "x-authlab-edge-timing";
/** On a refresh's 200: `rotated` (this request moved the family on) or `reissued` (the grace window). */
export const REFRESH_OUTCOME_HEADER = "x-authlab-refresh";

export interface Recorder {
  /** Marks that a layer checked this request. */
  checkedBy(layer: Layer): void;
  /** Adds the duration of a step; a step may be timed more than once (e.g. a lookup and a touch). */
  time(step: Step, ms: number, detail?: string): void;
  storeLookup(): void;
}

export const NO_RECORDER: Recorder = {
  checkedBy() {},
  time() {},
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
