/**
 * The process's rate limiter: Redis when configured (shared across instances), memory otherwise.
 * If Redis fails mid-flight the check falls back to this process's own counters rather than either
 * letting every attempt through or refusing every login while Redis is away.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { log } from "@/lib/server/log";
import { createRedis } from "@/lib/server/redis/client";
import type { LimitState, RateLimiter, Reservation, TakeResult, WindowPolicy } from "@/lib/server/rate-limit/limiter";
import { MemoryRateLimiter } from "@/lib/server/rate-limit/memory-limiter";
import { RedisRateLimiter } from "@/lib/server/rate-limit/redis-limiter";

class FallbackRateLimiter implements RateLimiter {
  constructor(
    private readonly primary: RateLimiter,
    private readonly fallback: RateLimiter,
  ) {}

  get kind() {
    return this.primary.kind;
  }

  private async run<T>(fn: (limiter: RateLimiter) => Promise<T>): Promise<T> {
    try {
      return await fn(this.primary);
    } catch (error) {
      log.warn("ratelimit.fallback_to_memory", { error });
      return fn(this.fallback);
    }
  }

  peek(key: string, policy: WindowPolicy, now?: number): Promise<LimitState> {
    return this.run((l) => l.peek(key, policy, now));
  }

  hit(key: string, policy: WindowPolicy, now?: number): Promise<LimitState> {
    return this.run(async (l) => {
      const state = await l.hit(key, policy, now);
      // Keep the local counters warm so a fallback starts from a realistic count.
      if (l === this.primary) await this.fallback.hit(key, policy, now);
      return state;
    });
  }

  take(key: string, policy: WindowPolicy, now?: number): Promise<TakeResult> {
    return this.run(async (l) => {
      const state = await l.take(key, policy, now);
      if (l === this.primary && !state.limited) await this.fallback.hit(key, policy, now);
      return state;
    });
  }

  release(key: string, reservation: Reservation): Promise<void> {
    // Both copies: the reservation's timestamp identifies the local event too.
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

export function rateLimiter(): RateLimiter {
  return processSingleton("rateLimiter", () => {
    const settings = config();
    return settings.redis
      ? new FallbackRateLimiter(
          new RedisRateLimiter(createRedis(settings.redis, `authlab-ratelimit:${settings.instanceId}`)),
          new MemoryRateLimiter(),
        )
      : new MemoryRateLimiter();
  });
}
