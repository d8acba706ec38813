/**
 * Sliding-window failure counters: "at most N events per window", counted exactly (a log of
 * timestamps), so a burst across a window boundary cannot double the allowance.
 */
import "server-only";
export interface WindowPolicy {
  limit: number;
  windowSeconds: number;
}

export type LimitState =
  { limited: false; count: number } | { limited: true; count: number; retryAfterSeconds: number };

/** What `take` recorded, so `release` can remove exactly that event: "<epoch ms>:<random>". */
export type Reservation = string;
export type TakeResult =
  { limited: false; count: number; reservation: Reservation } | Extract<LimitState, { limited: true }>;

export function newReservation(now: number): Reservation {
  // The random part keeps two events in the same millisecond apart.
  return `${now}:${Math.random().toString(36).slice(2, 10)}`;
}

export function reservationTime(reservation: Reservation): number {
  return Number(reservation.split(":")[0]);
}

/**
 * `now` is milliseconds on the wall clock (lib/server/clock.ts) unless a caller passes one: limits are
 * real time, and Redis expires their keys by its own clock, which no test moves.
 */
export interface RateLimiter {
  readonly kind: "memory" | "redis";
  /** How many events the key has in the window, and whether it is at the limit. */
  peek(key: string, policy: WindowPolicy, now?: number): Promise<LimitState>;
  /** Records one event. */
  hit(key: string, policy: WindowPolicy, now?: number): Promise<LimitState>;
  /**
   * Records one event only if that keeps the key within the limit, atomically: concurrent callers
   * cannot all pass a check and then all count (check-then-count lets a burst of parallel password
   * guesses through while each waits for argon2). A refused attempt is not recorded, so hammering a
   * locked key does not extend its lockout.
   */
  take(key: string, policy: WindowPolicy, now?: number): Promise<TakeResult>;
  /** Removes one event a `take` recorded: an attempt that turned out not to be a failure. */
  release(key: string, reservation: Reservation): Promise<void>;
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
