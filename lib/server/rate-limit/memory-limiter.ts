/**
 * Per-process counters: correct for one instance. With several instances each keeps its own count,
 * which is why the limiter moves to Redis when Redis is configured.
 */
import "server-only";
import {
  newReservation,
  reservationTime,
  stateOf,
  type LimitState,
  type RateLimiter,
  type Reservation,
  type TakeResult,
  type WindowPolicy,
} from "@/lib/server/rate-limit/limiter";

/** Bounds memory under a spray of distinct keys; the oldest keys are dropped first. */
const MAX_KEYS = 100_000;

export class MemoryRateLimiter implements RateLimiter {
  readonly kind = "memory" as const;
  private readonly events = new Map<string, number[]>();

  async peek(key: string, policy: WindowPolicy, now = Date.now()): Promise<LimitState> {
    return stateOf(this.events.get(key) ?? [], policy, now);
  }

  async hit(key: string, policy: WindowPolicy, now = Date.now()): Promise<LimitState> {
    return this.record(key, policy, now);
  }

  private record(key: string, policy: WindowPolicy, now: number): LimitState {
    const windowStart = now - policy.windowSeconds * 1000;
    const live = (this.events.get(key) ?? []).filter((t) => t > windowStart);
    live.push(now);
    this.events.delete(key); // re-insert: Map order doubles as least-recently-used order
    this.events.set(key, live.slice(-policy.limit * 2));
    if (this.events.size > MAX_KEYS) this.events.delete(this.events.keys().next().value!);
    return stateOf(live, policy, now);
  }

  async take(key: string, policy: WindowPolicy, now = Date.now()): Promise<TakeResult> {
    // Synchronous from read to write: nothing else runs in between in this process.
    const state = stateOf(this.events.get(key) ?? [], policy, now);
    if (state.limited) return state;
    this.record(key, policy, now);
    return { limited: false, count: state.count + 1, reservation: newReservation(now) };
  }

  async release(key: string, reservation: Reservation) {
    const events = this.events.get(key);
    const index = events?.lastIndexOf(reservationTime(reservation)) ?? -1;
    if (index >= 0) events!.splice(index, 1);
  }

  async reset(key: string) {
    this.events.delete(key);
  }
}
