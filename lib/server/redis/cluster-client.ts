/**
 * The Redis Cluster client (REDIS_CLUSTER_NODES): ioredis's Cluster, which reads the slot map with
 * CLUSTER SLOTS, sends each command to the primary that owns its key's hash slot, follows MOVED and
 * ASK redirections, and after a failover refreshes the map and finds the promoted replica (Redis
 * Cluster specification, "Redirection and resharding" and "Replica election and promotion").
 *
 * The same fail-fast rules as one server (client.ts): no offline queue, one-second connect and command
 * timeouts, capped backoff. A command for a shard whose primary is down is retried by the client
 * (`retryDelayOnFailover`, up to `maxRedirections` times, refreshing the slot map each time) and then
 * fails, so a request on that shard answers 503 within a couple of seconds while every other shard
 * keeps answering.
 */
import "server-only";
import { Cluster, type ClusterOptions } from "ioredis";
import type { Config } from "@/lib/edge/config";
import {
  REDIS_COMMAND_TIMEOUT_MS,
  REDIS_CONNECT_TIMEOUT_MS,
  credentialsFrom,
  reconnectDelayMs,
} from "@/lib/server/redis/fail-fast";

export type RedisClusterSettings = Extract<NonNullable<Config["redis"]>, { kind: "cluster" }>;

/** Between retries of a command whose node went away; the client refreshes the slot map meanwhile. */
export const CLUSTER_RETRY_DELAY_MS = 100;
/** Redirections and retries per command: with the delay above, about 1.5 s before a shard's outage is a 503. */
export const CLUSTER_MAX_REDIRECTIONS = 16;

export function clusterOptions(settings: RedisClusterSettings, connectionName: string): ClusterOptions {
  const credentials = credentialsFrom(settings.url);
  return {
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelayMs,
    retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
    retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
    retryDelayOnTryAgain: CLUSTER_RETRY_DELAY_MS,
    maxRedirections: CLUSTER_MAX_REDIRECTIONS,
    slotsRefreshTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // A managed cluster behind TLS announces hostnames its certificate names: resolving them to
    // addresses first would fail the certificate check (ioredis README, "Special Note: Aws
    // Elasticache Clusters with TLS").
    ...(credentials.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    redisOptions: {
      connectionName,
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      ...credentials,
    },
  };
}

export function createRedisCluster(settings: RedisClusterSettings, connectionName: string): Cluster {
  return new Cluster(settings.nodes, clusterOptions(settings, connectionName));
}
