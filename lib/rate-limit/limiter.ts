/**
 * Sliding-window failure counters: "at most N events per window", counted exactly (a log of
 * timestamps), so a burst across a window boundary cannot double the allowance.
 */
export interface WindowPolicy {
  limit: number;
  windowSeconds: number;
}

export type LimitState = { limited: false; count: number } | { limited: true; count: number; retryAfterSeconds: number };

export interface RateLimiter {
  readonly kind: "memory" | "redis";
  /** How many events the key has in the window, and whether it is at the limit. */
  peek(key: string, policy: WindowPolicy, now?: number): Promise<LimitState>;
  /** Records one event. */
  hit(key: string, policy: WindowPolicy, now?: number): Promise<LimitState>;
  reset(key: string): Promise<void>;
}

export function stateOf(timestamps: number[], policy: WindowPolicy, now: number): LimitState {
  const windowStart = now - policy.windowSeconds * 1000;
  const live = timestamps.filter((t) => t > windowStart).sort((a, b) => a - b);
  if (live.length < policy.limit) return { limited: false, count: live.length };
  // Free again when the oldest event that keeps the count at the limit leaves the window.
  const freeAt = live[live.length - policy.limit]! + policy.windowSeconds * 1000;
  return { limited: true, count: live.length, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
}
