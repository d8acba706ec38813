/**
 * Counters in Redis, shared by every instance, so a limit holds across the cluster: a sorted set of
 * event timestamps per key, trimmed to the window and expiring with it.
 *
 * Every transaction and script here touches one key, so on a Redis Cluster each runs whole on the
 * shard that owns that key's slot (multi-key commands must share a slot: Redis Cluster specification,
 * "Keys distribution model").
 */
import "server-only";
import { wallClock } from "@/lib/server/clock";
import { whenReady, type RedisClient } from "@/lib/server/redis/client";
import {
  newReservation,
  stateOf,
  type LimitState,
  type RateLimiter,
  type Reservation,
  type TakeResult,
  type WindowPolicy,
} from "@/lib/server/rate-limit/limiter";

/** KEYS[1] key; ARGV: window start, now, limit, member, window ms. Returns {added, ...scores}. */
const TAKE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local added = 0
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  added = 1
end
local scores = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local reply = { added }
for i = 2, #scores, 2 do reply[#reply + 1] = scores[i] end
return reply
`;

export class RedisRateLimiter implements RateLimiter {
  readonly kind = "redis" as const;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = "authlab:rl:",
  ) {}

  private async timestamps(key: string, policy: WindowPolicy, now: number, add: boolean): Promise<number[]> {
    await whenReady(this.redis);
    const redisKey = this.prefix + key;
    const tx = this.redis.multi().zremrangebyscore(redisKey, "-inf", now - policy.windowSeconds * 1000);
    if (add) {
      // A random suffix keeps two events in the same millisecond from collapsing into one member.
      tx.zadd(redisKey, String(now), newReservation(now)).pexpire(redisKey, policy.windowSeconds * 1000);
    }
    tx.zrange(redisKey, "0", "-1", "WITHSCORES");
    const results = await tx.exec();
    if (!results) throw new Error("redis transaction aborted");
    for (const [error] of results) if (error) throw error;
    const flat = results[results.length - 1]![1] as string[];
    const scores: number[] = [];
    for (let i = 1; i < flat.length; i += 2) scores.push(Number(flat[i]));
    return scores;
  }

  async peek(key: string, policy: WindowPolicy, now = wallClock.nowMs()): Promise<LimitState> {
    return stateOf(await this.timestamps(key, policy, now, false), policy, now);
  }

  async hit(key: string, policy: WindowPolicy, now = wallClock.nowMs()): Promise<LimitState> {
    return stateOf(await this.timestamps(key, policy, now, true), policy, now);
  }

  async take(key: string, policy: WindowPolicy, now = wallClock.nowMs()): Promise<TakeResult> {
    await whenReady(this.redis);
    const member = newReservation(now);
    // One script, so the count and the add are atomic across every instance sharing this Redis.
    const reply = (await this.redis.eval(
      TAKE_SCRIPT,
      1,
      this.prefix + key,
      String(now - policy.windowSeconds * 1000),
      String(now),
      String(policy.limit),
      member,
      String(policy.windowSeconds * 1000),
    )) as [number, ...string[]];
    const [added, ...scores] = reply;
    const timestamps = scores.map(Number);
    if (added === 1) return { limited: false, count: timestamps.length, reservation: member };
    const state = stateOf(timestamps, policy, now);
    if (state.limited) return state;
    throw new Error("rate-limit script refused an event below the limit");
  }

  async release(key: string, reservation: Reservation) {
    await whenReady(this.redis);
    await this.redis.zrem(this.prefix + key, reservation);
  }

  async reset(key: string) {
    await whenReady(this.redis);
    await this.redis.del(this.prefix + key);
  }
}
