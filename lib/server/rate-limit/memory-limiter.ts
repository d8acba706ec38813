/**
 * Per-process counters: correct for one instance. With several instances each keeps its own count,
 * which is why the limiter moves to Redis when Redis is configured.
 *
 * Each event keeps the reservation that names it, so `release` removes exactly that event — never a
 * neighbour that happens to share its millisecond, and never nothing because a clock moved on.
 *
 * Memory is bounded under a spray of distinct keys (one request each from an IPv6 /47's 131,072 /64s,
 * say) without ever forgetting a live count: forgetting one would free a locked account, or reset an
 * address's failures, for whoever can afford that many cheap requests (OWASP Authentication Cheat
 * Sheet, "Account lockout": the lockout must not be bypassable). So each kind of key — the first two
 * segments of its name, e.g. `login:account`, `login:address` — has its own map: a flood of address keys
 * never touches the account keys. A map full of live keys drops keys whose window has passed, and only
 * those; when none has, a new key of that kind is refused (it reads as limited) until one expires, and
 * `onKeyRefused` says so (the metrics count it). Keys already counted keep working throughout.
 */
import "server-only";
import { wallClock } from "@/lib/server/clock";
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

/** Live keys per kind of key; more than one instance's sign-in traffic in a 15-minute window. */
export const MAX_KEYS_PER_KIND = 100_000;

interface LimitEvent {
  at: number;
  reservation: Reservation;
}

interface Entry {
  events: LimitEvent[];
  /** The window of the policy the key was last counted under: after its newest event plus this, it is dead. */
  windowMs: number;
}

export interface MemoryLimiterOptions {
  maxKeysPerKind?: number;
  /** A new key of this kind was refused because its map is full of live keys. */
  onKeyRefused?: (kind: string) => void;
}

const timesOf = (events: LimitEvent[]) => events.map((e) => e.at);

/** `login:account:<digest>` → `login:account`; a name without two segments is its own kind. */
export function kindOf(key: string): string {
  const first = key.indexOf(":");
  if (first < 0) return key;
  const second = key.indexOf(":", first + 1);
  return second < 0 ? key : key.slice(0, second);
}

export class MemoryRateLimiter implements RateLimiter {
  readonly kind = "memory" as const;
  /** Per kind of key: key → entry, in least-recently-counted order (Map order, re-inserted on each count). */
  private readonly kinds = new Map<string, Map<string, Entry>>();
  private readonly maxKeysPerKind: number;
  private readonly onKeyRefused: (kind: string) => void;

  constructor(options: MemoryLimiterOptions = {}) {
    this.maxKeysPerKind = options.maxKeysPerKind ?? MAX_KEYS_PER_KIND;
    this.onKeyRefused = options.onKeyRefused ?? (() => undefined);
  }

  private mapOf(key: string): Map<string, Entry> {
    const kind = kindOf(key);
    let map = this.kinds.get(kind);
    if (!map) {
      map = new Map();
      this.kinds.set(kind, map);
    }
    return map;
  }

  /**
   * Room for a key not yet in `map`: drops the least recently counted keys while their window has passed.
   * False when every key left is live: the new key cannot be counted.
   */
  private makeRoom(map: Map<string, Entry>, now: number): boolean {
    while (map.size >= this.maxKeysPerKind) {
      const [oldestKey, oldest] = map.entries().next().value!;
      const newest = oldest.events.reduce((latest, e) => Math.max(latest, e.at), -Infinity);
      if (newest > now - oldest.windowMs) return false;
      map.delete(oldestKey);
    }
    return true;
  }

  /** How a key that cannot be counted reads: limited until the oldest live key of its kind expires. */
  private refusedState(key: string, map: Map<string, Entry>, now: number): Extract<LimitState, { limited: true }> {
    this.onKeyRefused(kindOf(key));
    const oldest = map.values().next().value!;
    const newest = oldest.events.reduce((latest, e) => Math.max(latest, e.at), now);
    const retryAfterSeconds = Math.max(1, Math.ceil((newest + oldest.windowMs - now) / 1000));
    return { limited: true, count: 0, retryAfterSeconds };
  }

  async peek(key: string, policy: WindowPolicy, now = wallClock.nowMs()): Promise<LimitState> {
    const map = this.mapOf(key);
    const entry = map.get(key);
    if (!entry && !this.makeRoom(map, now)) return this.refusedState(key, map, now);
    return stateOf(timesOf(entry?.events ?? []), policy, now);
  }

  async hit(key: string, policy: WindowPolicy, now = wallClock.nowMs()): Promise<LimitState> {
    return this.record(key, policy, { at: now, reservation: newReservation(now) }, now);
  }

  /**
   * Records an event another limiter already recorded, under that limiter's reservation and time, so
   * a later `release` of the reservation removes this copy too (FallbackRateLimiter's local mirror).
   */
  mirror(key: string, policy: WindowPolicy, reservation: Reservation, now = wallClock.nowMs()): void {
    this.record(key, policy, { at: reservationTime(reservation), reservation }, now);
  }

  private record(key: string, policy: WindowPolicy, event: LimitEvent, now: number): LimitState {
    const map = this.mapOf(key);
    const existing = map.get(key);
    if (!existing && !this.makeRoom(map, now)) return this.refusedState(key, map, now);
    const windowMs = policy.windowSeconds * 1000;
    const live = (existing?.events ?? []).filter((e) => e.at > now - windowMs);
    live.push(event);
    map.delete(key); // re-insert: Map order doubles as least-recently-counted order
    map.set(key, { events: live.slice(-policy.limit * 2), windowMs });
    return stateOf(timesOf(live), policy, now);
  }

  async take(key: string, policy: WindowPolicy, now = wallClock.nowMs()): Promise<TakeResult> {
    // Synchronous from read to write: nothing else runs in between in this process.
    const map = this.mapOf(key);
    const existing = map.get(key);
    if (!existing && !this.makeRoom(map, now)) return this.refusedState(key, map, now);
    const state = stateOf(timesOf(existing?.events ?? []), policy, now);
    if (state.limited) return state;
    const reservation = newReservation(now);
    this.record(key, policy, { at: now, reservation }, now);
    return { limited: false, count: state.count + 1, reservation };
  }

  async release(key: string, reservation: Reservation) {
    const events = this.mapOf(key).get(key)?.events;
    const index = events?.findIndex((e) => e.reservation === reservation) ?? -1;
    if (index >= 0) events!.splice(index, 1);
  }

  async reset(key: string) {
    this.mapOf(key).delete(key);
  }
}
