/**
 * The process's rate limiter: Redis when configured (shared across instances, with this process's
 * own counters behind it for when Redis fails; see fallback-limiter.ts), memory otherwise.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { createRedis } from "@/lib/server/redis/client";
import type { RateLimiter } from "@/lib/server/rate-limit/limiter";
import { FallbackRateLimiter } from "@/lib/server/rate-limit/fallback-limiter";
import { MemoryRateLimiter } from "@/lib/server/rate-limit/memory-limiter";
import { RedisRateLimiter } from "@/lib/server/rate-limit/redis-limiter";

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
