/**
 * Per-process counters: correct for one instance. With several instances each keeps its own count,
 * which is why the limiter moves to Redis when Redis is configured.
 *
 * Each event keeps the reservation that names it, so `release` removes exactly that event — never a
 * neighbour that happens to share its millisecond, and never nothing because a clock moved on.
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

interface LimitEvent {
  at: number;
  reservation: Reservation;
}

const timesOf = (events: LimitEvent[]) => events.map((e) => e.at);

export class MemoryRateLimiter implements RateLimiter {
  readonly kind = "memory" as const;
  private readonly events = new Map<string, LimitEvent[]>();

  async peek(key: string, policy: WindowPolicy, now = Date.now()): Promise<LimitState> {
    return stateOf(timesOf(this.events.get(key) ?? []), policy, now);
  }

  async hit(key: string, policy: WindowPolicy, now = Date.now()): Promise<LimitState> {
    return this.record(key, policy, { at: now, reservation: newReservation(now) }, now);
  }

  /**
   * Records an event another limiter already recorded, under that limiter's reservation and time, so
   * a later `release` of the reservation removes this copy too (FallbackRateLimiter's local mirror).
   */
  mirror(key: string, policy: WindowPolicy, reservation: Reservation, now = Date.now()): void {
    this.record(key, policy, { at: reservationTime(reservation), reservation }, now);
  }

  private record(key: string, policy: WindowPolicy, event: LimitEvent, now: number): LimitState {
    const windowStart = now - policy.windowSeconds * 1000;
    const live = (this.events.get(key) ?? []).filter((e) => e.at > windowStart);
    live.push(event);
    this.events.delete(key); // re-insert: Map order doubles as least-recently-used order
    this.events.set(key, live.slice(-policy.limit * 2));
    if (this.events.size > MAX_KEYS) this.events.delete(this.events.keys().next().value!);
    return stateOf(timesOf(live), policy, now);
  }

  async take(key: string, policy: WindowPolicy, now = Date.now()): Promise<TakeResult> {
    // Synchronous from read to write: nothing else runs in between in this process.
    const state = stateOf(timesOf(this.events.get(key) ?? []), policy, now);
    if (state.limited) return state;
    const reservation = newReservation(now);
    this.record(key, policy, { at: now, reservation }, now);
    return { limited: false, count: state.count + 1, reservation };
  }

  async release(key: string, reservation: Reservation) {
    const events = this.events.get(key);
    const index = events?.findIndex((e) => e.reservation === reservation) ?? -1;
    if (index >= 0) events!.splice(index, 1);
  }

  async reset(key: string) {
    this.events.delete(key);
  }
}
