/**
 * The numbers every Redis connection of the app shares, whichever the deployment (one server,
 * Sentinel or Cluster): a dead or partitioned server costs at most about a second, and reconnection
 * backs off exponentially to a cap so the app recovers by itself once Redis is back.
 */
import "server-only";
import type { RedisOptions } from "ioredis";

export const REDIS_CONNECT_TIMEOUT_MS = 1000;
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
const RECONNECT_BASE_DELAY_MS = 50;
/**
 * The longest wait between two reconnection attempts, and so how late after Redis's return the app may
 * notice it. 2 s made the soak's recovery 1.3–1.4 s; an attempt at a server still down costs a refused
 * connection (or at most the connect timeout), twice a second per connection.
 */
const RECONNECT_MAX_DELAY_MS = 500;

export function reconnectDelayMs(attempt: number): number {
  return Math.min(RECONNECT_BASE_DELAY_MS * 2 ** Math.min(attempt, 10), RECONNECT_MAX_DELAY_MS);
}

/** REDIS_URL's user, password and TLS, for the modes where its host is not the one to connect to. */
export function credentialsFrom(url: string | undefined): Pick<RedisOptions, "username" | "password" | "tls"> {
  const fromUrl = url ? new URL(url) : null;
  return {
    username: fromUrl?.username ? decodeURIComponent(fromUrl.username) : undefined,
    password: fromUrl?.password ? decodeURIComponent(fromUrl.password) : undefined,
    tls: fromUrl?.protocol === "rediss:" ? {} : undefined,
  };
}
