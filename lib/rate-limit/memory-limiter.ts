/**
 * Per-process counters: correct for one instance. With several instances each keeps its own count,
 * which is why the limiter moves to Redis when Redis is configured.
 */
import { stateOf, type LimitState, type RateLimiter, type WindowPolicy } from "./limiter";

/** Bounds memory under a spray of distinct keys; the oldest keys are dropped first. */
const MAX_KEYS = 100_000;

export class MemoryRateLimiter implements RateLimiter {
  readonly kind = "memory" as const;
  private readonly events = new Map<string, number[]>();

  async peek(key: string, policy: WindowPolicy, now = Date.now()): Promise<LimitState> {
    return stateOf(this.events.get(key) ?? [], policy, now);
  }

  async hit(key: string, policy: WindowPolicy, now = Date.now()): Promise<LimitState> {
    const windowStart = now - policy.windowSeconds * 1000;
    const live = (this.events.get(key) ?? []).filter((t) => t > windowStart);
    live.push(now);
    this.events.delete(key); // re-insert: Map order doubles as least-recently-used order
    this.events.set(key, live.slice(-policy.limit * 2));
    if (this.events.size > MAX_KEYS) this.events.delete(this.events.keys().next().value!);
    return stateOf(live, policy, now);
  }

  async reset(key: string) {
    this.events.delete(key);
  }
}
