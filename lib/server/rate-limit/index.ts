/**
 * The process's rate limiter: Redis when configured (shared across instances, with this process's
 * own counters behind it for when Redis fails; see fallback-limiter.ts), memory otherwise.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { log } from "@/lib/server/log";
import { createRedis } from "@/lib/server/redis/client";
import { countRefusedLimiterKey } from "@/lib/server/observability/metrics-observer";
import type { RateLimiter } from "@/lib/server/rate-limit/limiter";
import { FallbackRateLimiter } from "@/lib/server/rate-limit/fallback-limiter";
import { MAX_KEYS_PER_KIND, MemoryRateLimiter } from "@/lib/server/rate-limit/memory-limiter";
import { RedisRateLimiter } from "@/lib/server/rate-limit/redis-limiter";

/**
 * The memory limiter refused a new key because every key of its kind is live: counted each time
 * (`authlab_rate_limit_keys_refused_total`), logged once per kind per process (a flood would otherwise
 * fill the log too).
 */
function keyRefused(kind: string): void {
  countRefusedLimiterKey(kind);
  const warned = processSingleton("rateLimit.fullKindsWarned", () => new Set<string>());
  if (warned.has(kind)) return;
  warned.add(kind);
  log.warn("ratelimit.memory_full", { kind, maxKeys: MAX_KEYS_PER_KIND });
}

function memoryLimiter(): MemoryRateLimiter {
  return new MemoryRateLimiter({ onKeyRefused: keyRefused });
}

export function rateLimiter(): RateLimiter {
  return processSingleton("rateLimiter", () => {
    const settings = config();
    return settings.redis
      ? new FallbackRateLimiter(
          new RedisRateLimiter(createRedis(settings.redis, `authlab-ratelimit:${settings.instanceId}`)),
          memoryLimiter(),
        )
      : memoryLimiter();
  });
}
