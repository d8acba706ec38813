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
 *
 * With REDIS_CLUSTER_NODES the client is ioredis's Cluster (cluster-client.ts): it learns which node
 * owns which hash slot, follows MOVED and ASK redirections and picks up a promoted replica.
 */
import "server-only";
import { Redis, type Cluster, type RedisOptions } from "ioredis";
import type { Config } from "@/lib/edge/config";
import { log } from "@/lib/server/log";
import { createRedisCluster } from "@/lib/server/redis/cluster-client";
import {
  REDIS_COMMAND_TIMEOUT_MS,
  REDIS_CONNECT_TIMEOUT_MS,
  credentialsFrom,
  reconnectDelayMs,
} from "@/lib/server/redis/fail-fast";

export {
  REDIS_COMMAND_TIMEOUT_MS,
  REDIS_CONNECT_TIMEOUT_MS,
  credentialsFrom,
  reconnectDelayMs,
} from "@/lib/server/redis/fail-fast";

export type RedisSettings = NonNullable<Config["redis"]>;
/** One Redis (direct or through Sentinel) or a Redis Cluster: both speak the same commands. */
export type RedisClient = Redis | Cluster;

export function redisOptions(
  settings: Exclude<RedisSettings, { kind: "cluster" }>,
  connectionName: string,
): RedisOptions {
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
  return {
    ...common,
    sentinels: settings.sentinels,
    name: settings.masterName,
    ...credentialsFrom(settings.url),
    sentinelRetryStrategy: reconnectDelayMs,
    sentinelCommandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    failoverDetector: true,
  };
}

export function createRedis(settings: RedisSettings, connectionName: string): RedisClient {
  if (settings.kind === "cluster") return reportState(createRedisCluster(settings, connectionName), connectionName);
  const options = redisOptions(settings, connectionName);
  return reportState(settings.kind === "url" ? new Redis(settings.url, options) : new Redis(options), connectionName);
}

/** One log line when the connection comes back, and one per outage rather than one per failed attempt. */
function reportState<T extends RedisClient>(client: T, connectionName: string): T {
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
export async function whenReady(client: RedisClient, timeoutMs = REDIS_CONNECT_TIMEOUT_MS): Promise<void> {
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
const pendingReady = new WeakMap<RedisClient, Promise<void>>();

function nextReady(client: RedisClient): Promise<void> {
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
