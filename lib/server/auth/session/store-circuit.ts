/**
 * A circuit breaker in front of the session store (Nygard, "Release It!": fail fast). Once an operation
 * finds the store unreachable, the next ones answer 503 at once instead of each waiting out the
 * client's own timeout (about a second with Redis) — a queue of requests behind a dead store is what
 * turns an outage into an overload.
 *
 * While open, no request of a user is ever the probe: every RETRY_AFTER_MS one `ping` of the store
 * goes out in the background (half-open), and the requests meanwhile are refused at once. A user's
 * request as the probe waited the whole client timeout for its 503 — the soak measured those as a
 * one-second p99 among otherwise instant refusals. The ping's answer closes the circuit (everything
 * flows again) or keeps it open for another interval. Per process and per store kind; it never changes
 * what an answer says, only how soon a refusal comes. Not used for a Redis Cluster, whose shards fail
 * one at a time (session-lifecycle.ts). The pings run on a timer while the circuit is open, so it closes
 * within an interval of the store's return whether or not anyone asks; the health probe
 * (lib/server/health.ts) records its own ping too.
 */
import "server-only";
import { processSingleton } from "@/lib/edge/singleton";
import { wallClock } from "@/lib/server/clock";

/** How long an open circuit refuses before it pings the store again: recovery is seen within this. */
export const RETRY_AFTER_MS = 250;

export type CircuitState = "closed" | "open" | "half-open";

/** Asks the store whether it answers: true if it does, false (never a throw) if not. */
export type StorePing = () => Promise<boolean>;

export class StoreUnreachable extends Error {
  constructor() {
    super("the session store's circuit is open: refused without asking the store");
    this.name = "StoreUnreachable";
  }
}

/** Calls `probe` after `ms`, without keeping the process alive for it. */
export type Scheduler = (probe: () => void, ms: number) => void;

const unrefTimer: Scheduler = (probe, ms) => {
  setTimeout(probe, ms).unref();
};

export class StoreCircuit {
  private openedAtMs: number | null = null;
  private probe: Promise<void> | null = null;
  /** The store's ping, as the last operation passed it: the timer needs it when no request comes. */
  private ping: StorePing | null = null;
  private timerSet = false;

  constructor(
    private readonly retryAfterMs = RETRY_AFTER_MS,
    /** An outage lasts in real time, whatever a test does to session lifetimes. */
    private readonly nowMs: () => number = wallClock.nowMs,
    private readonly schedule: Scheduler = unrefTimer,
  ) {}

  get state(): CircuitState {
    if (this.openedAtMs === null) return "closed";
    return this.probe ? "half-open" : "open";
  }

  /** Settles when the background ping under way (if any) has found the store back or still down. */
  async probed(): Promise<void> {
    await this.probe;
  }

  /**
   * What a ping found: the store answered (closed), or it did not (open, and the next ping waits
   * another interval).
   */
  record(answered: boolean): void {
    this.openedAtMs = answered ? null : this.nowMs();
    if (!answered) this.pingLater();
  }

  /**
   * Throws StoreUnreachable at once while the circuit is open, first sending the background ping if
   * one is due. For work that can only end at the store and is dear before it gets there.
   */
  refuseIfOpen(ping: StorePing): void {
    this.ping = ping;
    if (this.openedAtMs === null) return;
    this.pingIfDue();
    throw new StoreUnreachable();
  }

  /**
   * Runs `operation` unless the circuit is open. `unreachable(error)` says whether a failure means the
   * store could not be reached (which opens the circuit) or something else (which does not).
   */
  async run<T>(operation: () => Promise<T>, unreachable: (error: unknown) => boolean, ping: StorePing): Promise<T> {
    this.refuseIfOpen(ping);
    try {
      return await operation();
    } catch (error) {
      if (unreachable(error) && this.openedAtMs === null) {
        this.openedAtMs = this.nowMs();
        this.pingLater();
      }
      throw error;
    }
  }

  /**
   * While open, a timer pings the store every interval even if no request comes: an instance that
   * nobody asks during the outage is closed again before its next request, rather than answering that
   * request 503 and only then finding the store back.
   */
  private pingLater(): void {
    if (this.timerSet || !this.ping) return;
    this.timerSet = true;
    this.schedule(() => {
      this.timerSet = false;
      this.pingIfDue();
    }, this.retryAfterMs);
  }

  private pingIfDue(): void {
    if (this.openedAtMs === null || this.probe || !this.ping) return;
    if (this.nowMs() - this.openedAtMs < this.retryAfterMs) return this.pingLater();
    this.probe = this.ping()
      .catch(() => false)
      .then((answered) => this.record(answered))
      .finally(() => (this.probe = null));
  }
}

/** This process's circuit for a store kind. */
export function storeCircuit(kind: string): StoreCircuit {
  return processSingleton(`storeCircuit.${kind}`, () => new StoreCircuit());
}
