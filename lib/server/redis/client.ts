/**
 * The shared Redis connection (ioredis), configured to fail fast rather than hang.
 *
 * - `enableOfflineQueue: false`: while Redis is down, commands fail at once instead of piling up in
 *   an unbounded in-memory queue (ioredis README, "Offline Queue").
 * - `connectTimeout` / `commandTimeout`: a dead or partitioned server costs at most about a second.
 * - `retryStrategy`: reconnect forever with capped exponential backoff, so the app recovers without a
 *   restart once Redis is back.
 * - `reconnectOnError` on READONLY: after a Sentinel failover the old primary becomes a replica;
 *   reconnecting makes the client ask the Sentinels for the new primary.
 * `rediss://` (TLS) and `user:password@` in REDIS_URL are understood by ioredis itself.
 */
import "server-only";
import { Redis, type RedisOptions } from "ioredis";
import type { Config } from "@/lib/edge/config";
import { log } from "@/lib/server/log";

export const REDIS_CONNECT_TIMEOUT_MS = 1000;
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
const RECONNECT_BASE_DELAY_MS = 50;
const RECONNECT_MAX_DELAY_MS = 2000;

export type RedisSettings = NonNullable<Config["redis"]>;

export function reconnectDelayMs(attempt: number): number {
  return Math.min(RECONNECT_BASE_DELAY_MS * 2 ** Math.min(attempt, 10), RECONNECT_MAX_DELAY_MS);
}

export function redisOptions(settings: RedisSettings, connectionName: string): RedisOptions {
  const common: RedisOptions = {
    connectionName,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: reconnectDelayMs,
    reconnectOnError: (error) => (error.message.startsWith("READONLY") ? 2 : false),
  };
  if (settings.kind === "url") return common;
  const fromUrl = settings.url ? new URL(settings.url) : null;
  return {
    ...common,
    sentinels: settings.sentinels,
    name: settings.masterName,
    username: fromUrl?.username ? decodeURIComponent(fromUrl.username) : undefined,
    password: fromUrl?.password ? decodeURIComponent(fromUrl.password) : undefined,
    tls: fromUrl?.protocol === "rediss:" ? {} : undefined,
    sentinelRetryStrategy: reconnectDelayMs,
    sentinelCommandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    failoverDetector: true,
  };
}

export function createRedis(settings: RedisSettings, connectionName: string): Redis {
  const options = redisOptions(settings, connectionName);
  const client = settings.kind === "url" ? new Redis(settings.url, options) : new Redis(options);
  let wasReady = false;
  client.on("ready", () => {
    if (wasReady) log.info("redis.reconnected", { connectionName });
    wasReady = true;
  });
  // Without a listener, ioredis prints every connection error; log one line per outage instead.
  let reportedDown = false;
  client.on("error", (error: Error) => {
    if (!reportedDown) log.warn("redis.unavailable", { connectionName, error });
    reportedDown = true;
  });
  client.on("ready", () => {
    reportedDown = false;
  });
  return client;
}

/**
 * Waits (briefly) for a connection that is still being established, so the first request after
 * start-up or after an outage does not fail merely because the socket is mid-handshake.
 */
export async function whenReady(client: Redis, timeoutMs = REDIS_CONNECT_TIMEOUT_MS): Promise<void> {
  if (client.status === "ready") return;
  if (client.status === "end") throw new Error("redis connection closed");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis not ready (${client.status})`)), timeoutMs);
  });
  try {
    await Promise.race([nextReady(client), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One "ready" listener per client however many requests wait: a burst during an outage would
 * otherwise add a listener per request (and Node's MaxListenersExceededWarning).
 */
const pendingReady = new WeakMap<Redis, Promise<void>>();

function nextReady(client: Redis): Promise<void> {
  let pending = pendingReady.get(client);
  if (!pending) {
    pending = new Promise<void>((resolve) => {
      client.once("ready", () => {
        pendingReady.delete(client);
        resolve();
      });
    });
    pendingReady.set(client, pending);
  }
  return pending;
}
