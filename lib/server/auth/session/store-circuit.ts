/**
 * A circuit breaker in front of the session store (Nygard, "Release It!": fail fast). Once an operation
 * finds the store unreachable, the next ones answer 503 at once instead of each waiting out the
 * client's own timeout (about a second with Redis) — a queue of requests behind a dead store is what
 * turns an outage into an overload. After RETRY_AFTER_MS one request at a time is let through as a
 * probe (half-open): if the store answers, the circuit closes and everything flows again; if not, it
 * stays open for another interval. Per process and per store kind; it never changes what an answer
 * says, only how soon a refusal comes. Not used for a Redis Cluster, whose shards fail one at a time
 * (session-lifecycle.ts). The health probe (lib/server/health.ts) counts as a probe too, so a load balancer's
 * polling is what closes the circuit when no user asks.
 */
import "server-only";
import { processSingleton } from "@/lib/edge/singleton";
import { wallClock } from "@/lib/server/clock";

/** How long an open circuit refuses before it lets one probe through: recovery is seen within this. */
export const RETRY_AFTER_MS = 250;

export type CircuitState = "closed" | "open" | "half-open";

export class StoreUnreachable extends Error {
  constructor() {
    super("the session store's circuit is open: refused without asking the store");
    this.name = "StoreUnreachable";
  }
}

export class StoreCircuit {
  private openedAtMs: number | null = null;
  private probing = false;

  constructor(
    private readonly retryAfterMs = RETRY_AFTER_MS,
    /** An outage lasts in real time, whatever a test does to session lifetimes. */
    private readonly nowMs: () => number = wallClock.nowMs,
  ) {}

  get state(): CircuitState {
    if (this.openedAtMs === null) return "closed";
    return this.probing ? "half-open" : "open";
  }

  /**
   * True while `run` would refuse at once without asking the store: found unreachable less than
   * `retryAfterMs` ago, or a probe is out. Asking changes nothing (it never starts a probe).
   */
  refusing(): boolean {
    if (this.openedAtMs === null) return false;
    return this.probing || this.nowMs() - this.openedAtMs < this.retryAfterMs;
  }

  /** What a probe outside `run` found (the health check's ping): the store answered, or it did not. */
  record(answered: boolean): void {
    if (answered) this.openedAtMs = null;
    else this.openedAtMs ??= this.nowMs();
  }

  /**
   * Runs `operation` unless the circuit refuses it. `unreachable(error)` says whether a failure means
   * the store could not be reached (which opens the circuit) or something else (which does not).
   */
  async run<T>(operation: () => Promise<T>, unreachable: (error: unknown) => boolean): Promise<T> {
    if (this.openedAtMs !== null) {
      const waiting = this.nowMs() - this.openedAtMs < this.retryAfterMs;
      if (waiting || this.probing) throw new StoreUnreachable();
      this.probing = true;
    }
    const probe = this.probing;
    try {
      const result = await operation();
      this.openedAtMs = null;
      return result;
    } catch (error) {
      if (unreachable(error)) this.openedAtMs = this.nowMs();
      else if (probe) this.openedAtMs = null;
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }
}

/** This process's circuit for a store kind. */
export function storeCircuit(kind: string): StoreCircuit {
  return processSingleton(`storeCircuit.${kind}`, () => new StoreCircuit());
}
