/**
 * Counters in Redis, shared by every instance, so a limit holds across the cluster: a sorted set of
 * event timestamps per key, trimmed to the window and expiring with it.
 */
import type { Redis } from "ioredis";
import { whenReady } from "@/lib/redis/client";
import { stateOf, type LimitState, type RateLimiter, type WindowPolicy } from "./limiter";

export class RedisRateLimiter implements RateLimiter {
  readonly kind = "redis" as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = "authlab:rl:",
  ) {}

  private async timestamps(key: string, policy: WindowPolicy, now: number, add: boolean): Promise<number[]> {
    await whenReady(this.redis);
    const redisKey = this.prefix + key;
    const tx = this.redis.multi().zremrangebyscore(redisKey, "-inf", now - policy.windowSeconds * 1000);
    if (add) {
      // A random suffix keeps two events in the same millisecond from collapsing into one member.
      tx.zadd(redisKey, String(now), `${now}:${Math.random().toString(36).slice(2, 10)}`).pexpire(redisKey, policy.windowSeconds * 1000);
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

  async peek(key: string, policy: WindowPolicy, now = Date.now()): Promise<LimitState> {
    return stateOf(await this.timestamps(key, policy, now, false), policy, now);
  }

  async hit(key: string, policy: WindowPolicy, now = Date.now()): Promise<LimitState> {
    return stateOf(await this.timestamps(key, policy, now, true), policy, now);
  }

  async reset(key: string) {
    await whenReady(this.redis);
    await this.redis.del(this.prefix + key);
  }
}
