/**
 * Redis counters with this process's own counters behind them: if Redis fails mid-flight the check
 * falls back to the local copy rather than either letting every attempt through or refusing every
 * login while Redis is away. The local copy mirrors what Redis recorded, so a fallback starts from a
 * realistic count — and only that: an event Redis forgets (`release`, `reset`) is forgotten here too.
 *
 * The mirror of an accepted attempt used to be stamped with this process's clock a moment
 * after Redis stamped the original, and released by Redis's timestamp, which then matched nothing. Under
 * load every accepted sign-in stayed in the local copy as a failure, and the first Redis hiccup locked
 * the address out. The mirror now carries Redis's reservation, so both copies name the same event.
 */
import "server-only";
import { log } from "@/lib/server/log";
import { wallClock } from "@/lib/server/clock";
import type { LimitState, RateLimiter, Reservation, TakeResult, WindowPolicy } from "@/lib/server/rate-limit/limiter";
import type { MemoryRateLimiter } from "@/lib/server/rate-limit/memory-limiter";

/**
 * After Redis fails, the local copy answers alone for this long before Redis is tried again: a sign-in
 * takes three counters, and waiting for a dead Redis on each would add seconds to every sign-in of an
 * outage (the soak measured 5 s).
 */
export const PRIMARY_RETRY_MS = 1000;

export class FallbackRateLimiter implements RateLimiter {
  /** Redis is taken for down until this time; 0 while it answers. */
  private primaryDownUntil = 0;
  /** The one read that finds out whether Redis is back; every other caller keeps to the local copy. */
  private probe: Promise<void> | null = null;

  constructor(
    private readonly primary: RateLimiter,
    private readonly fallback: MemoryRateLimiter,
    private readonly now: () => number = wallClock.nowMs,
  ) {}

  get kind() {
    return this.primary.kind;
  }

  /** Settles when the probe under way (if any) has found Redis up or still down. */
  async primaryProbed(): Promise<void> {
    await this.probe;
  }

  private markDown(error: unknown) {
    this.primaryDownUntil = this.now() + PRIMARY_RETRY_MS;
    log.warn("ratelimit.fallback_to_memory", { error, retryInMs: PRIMARY_RETRY_MS });
  }

  /**
   * While Redis is down every call answers from the local copy at once. Once the retry time has come,
   * one read-only call (`probe`) goes to Redis in the background — a half-open circuit: no caller waits
   * for a Redis that may still be dead, and only the probe's success puts calls back on Redis.
   */
  private async run<T>(fn: (limiter: RateLimiter) => Promise<T>, probe?: () => Promise<unknown>): Promise<T> {
    if (this.primaryDownUntil > 0) {
      if (probe && !this.probe && this.now() >= this.primaryDownUntil) {
        this.probe = probe().then(
          () => {
            this.primaryDownUntil = 0;
          },
          (error: unknown) => this.markDown(error),
        );
        void this.probe.finally(() => (this.probe = null));
      }
      return fn(this.fallback);
    }
    try {
      return await fn(this.primary);
    } catch (error) {
      this.markDown(error);
      return fn(this.fallback);
    }
  }

  peek(key: string, policy: WindowPolicy, now?: number): Promise<LimitState> {
    return this.run(
      (l) => l.peek(key, policy, now),
      () => this.primary.peek(key, policy, now),
    );
  }

  hit(key: string, policy: WindowPolicy, now?: number): Promise<LimitState> {
    return this.run(
      async (l) => {
        const state = await l.hit(key, policy, now);
        // Keep the local counters warm so a fallback starts from a realistic count.
        if (l === this.primary) await this.fallback.hit(key, policy, now);
        return state;
      },
      () => this.primary.peek(key, policy, now),
    );
  }

  take(key: string, policy: WindowPolicy, now?: number): Promise<TakeResult> {
    return this.run(
      async (l) => {
        const state = await l.take(key, policy, now);
        if (l === this.primary && !state.limited) this.fallback.mirror(key, policy, state.reservation, now);
        return state;
      },
      () => this.primary.peek(key, policy, now),
    );
  }

  release(key: string, reservation: Reservation): Promise<void> {
    // Both copies: the mirror was recorded under the same reservation.
    return this.run(async (l) => {
      await l.release(key, reservation);
      if (l === this.primary) await this.fallback.release(key, reservation);
    });
  }

  reset(key: string): Promise<void> {
    return this.run(async (l) => {
      await l.reset(key);
      if (l === this.primary) await this.fallback.reset(key);
    });
  }
}
